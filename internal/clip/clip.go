// Package clip shortens text from outside before it goes into a message: the
// one truncation rule of this module.
package clip

import (
	"strings"
	"unicode/utf8"
)

// ellipsis ends a string that [String] cut.
const ellipsis = "…"

// String returns s cut to at most limit bytes, "…" included: the cut falls
// on a rune boundary, white space before it is dropped and the result ends
// with "…". A string of at most limit bytes is returned as is; a
// limit too small for the ellipsis cuts without one.
func String(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	if limit < len(ellipsis) {
		return s[:runeStart(s, max(limit, 0))]
	}
	n := runeStart(s, limit-len(ellipsis))
	return strings.TrimRight(s[:n], " \t") + ellipsis
}

// runeStart returns the largest i <= n at which a rune of s starts.
func runeStart(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}
