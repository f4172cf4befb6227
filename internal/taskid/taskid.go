// Package taskid is the one rule for a DRS task id, shared by the client
// (before an export request), the command's task-list parser and its
// export manifest: 1 to [MaxLength] bytes of valid UTF-8, printable, without
// white space, and once in a list.
package taskid

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLength is the longest task id, in bytes.
const MaxLength = 128

// Problem says what is wrong with id ("is empty", "has white space in
// it", …), or returns "" when nothing is.
func Problem(id string) string {
	switch {
	case id == "":
		return "is empty"
	case !utf8.ValidString(id):
		return "is not valid UTF-8"
	case len(id) > MaxLength:
		return "is longer than " + strconv.Itoa(MaxLength) + " bytes"
	case strings.IndexFunc(id, unicode.IsSpace) >= 0:
		return "has white space in it"
	case strings.IndexFunc(id, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "has control or non-printable characters"
	}
	return ""
}

// Fault is the first thing wrong with a list of task ids.
type Fault struct {
	// Index is the position of the id at fault.
	Index int
	// Problem is what is wrong with it (see [Problem]), or "" when it
	// repeats the id at Repeats.
	Problem string
	// Repeats is the position of the earlier copy of a repeated id.
	Repeats int
}

// Check applies the rule to every id of a list, in order, and returns the
// first fault, or nil. The caller says where the list came from and how
// many ids it may hold.
func Check(ids []string) *Fault {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if why := Problem(id); why != "" {
			return &Fault{Index: i, Problem: why}
		}
		if j, dup := seen[id]; dup {
			return &Fault{Index: i, Repeats: j}
		}
		seen[id] = i
	}
	return nil
}
