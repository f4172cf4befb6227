// Package clip shortens text from outside before it goes into a message: the
// one truncation rule of this module.
package clip

import (
	"strings"
	"unicode/utf8"
)

// Ellipsis ends a string that [String] cut.
const Ellipsis = "…"

// String returns s cut to at most limit bytes, "…" included: the cut falls
// on a rune boundary, white space before it is dropped and the result ends
// with [Ellipsis]. A string of at most limit bytes is returned as is; a
// limit too small for the ellipsis cuts without one.
func String(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	if limit < len(Ellipsis) {
		return s[:runeStart(s, max(limit, 0))]
	}
	n := runeStart(s, limit-len(Ellipsis))
	return strings.TrimRight(s[:n], " \t") + Ellipsis
}

// runeStart returns the largest i <= n at which a rune of s starts.
func runeStart(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}
