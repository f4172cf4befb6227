// Package taskid is the one rule for a DRS task id, shared by the client
// (before an export request), the command's task-list parser and its
// export manifest: 1 to [MaxLength] bytes of valid UTF-8, printable, without
// white space, and once in a list ([Check]).
//
// On top of it, [CheckShape] also asks for the shape every DRS task id in
// Huawei's documentation and SDKs has ([ShapeProblem]): that shape is
// observed, not documented, so whoever applies it keeps a way to skip it
// (the command's --no-id-check).
package taskid

import (
	"fmt"
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

// ShapeLength is the length of a task id of the DRS shape.
const ShapeLength = 36

// ShapeExample is a task id of the DRS shape, from Huawei's documentation
// (its last group is not hexadecimal: the shape is not a UUID's).
const ShapeExample = "2e69ebb1-f06d-4eb2-a789-2883629jb204"

// ShapeProblem says how id departs from the DRS shape — 36 characters,
// groups of 8, 4, 4, 4 and 12 lower-case ASCII letters or digits joined by
// '-' — or returns "" when it has it.
func ShapeProblem(id string) string {
	for i, r := range id {
		if r != '-' && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			what := "only lower-case letters, digits and '-' belong in a task id"
			if r >= 'A' && r <= 'Z' {
				what = "DRS task ids are lower-case"
			}
			// Every character before this one is ASCII: i counts them.
			return fmt.Sprintf("has %q at character %d: %s", r, i+1, what)
		}
	}
	if len(id) != ShapeLength {
		return fmt.Sprintf("has %d characters, not %d", len(id), ShapeLength)
	}
	for i := range len(id) {
		dash := i == 8 || i == 13 || i == 18 || i == 23
		if dash != (id[i] == '-') {
			return "is not in groups of 8-4-4-4-12 characters joined by '-'"
		}
	}
	return ""
}

// CheckShape is [Check] that also asks every id for the DRS shape
// ([ShapeProblem]).
func CheckShape(ids []string) *Fault {
	if f := Check(ids); f != nil {
		return f
	}
	for i, id := range ids {
		if why := ShapeProblem(id); why != "" {
			return &Fault{Index: i, Problem: why}
		}
	}
	return nil
}
