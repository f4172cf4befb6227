package workbook

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// escape makes s safe to print on a terminal: a line break, a tab and every
// other character that is not printable (control and format characters,
// bidirectional overrides, spaces other than U+0020) is written as a Go
// escape (\n, \t, \a, \x1b, \u202e), and so is each byte of invalid UTF-8, so a
// hostile workbook cannot move the cursor, recolour or rewrite the screen.
// A backslash is left as it is: the text is for people; the JSON output is
// exact.
func escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !printable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
			} else {
				b.WriteString(`\ufffd`)
			}
		case strings.ContainsRune("\a\b\f\n\r\t\v", r):
			q := strconv.QuoteRune(r) // '\n'
			b.WriteString(q[1 : len(q)-1])
		case printable(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

// printable reports whether r may be written as it is.
func printable(r rune) bool { return r == ' ' || unicode.IsPrint(r) }

// runeWidth is the number of terminal columns r takes: 2 for East Asian
// wide and fullwidth characters (CJK ideographs, kana, hangul, fullwidth
// forms, most emoji), 0 for combining marks, 1 otherwise. Terminals differ
// on a few characters (ambiguous-width ones are counted as 1).
func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	if unicode.In(r, unicode.Mn, unicode.Me) {
		return 0
	}
	return 1
}

// textWidth is the number of terminal columns s takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// clipColumns shortens s to at most max terminal columns, ending it with "…" when
// it cuts.
func clipColumns(s string, max int) string {
	if textWidth(s) <= max {
		return s
	}
	used := 0
	for i, r := range s {
		w := runeWidth(r)
		if used+w > max-1 {
			return s[:i] + "…"
		}
		used += w
	}
	return s
}
