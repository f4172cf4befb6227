// Package tasksfile reads the list of DRS task ids that `drstemplate export
// --tasks-file` takes, and checks task ids given any other way with the same
// rules, so that an error names the line (or argument) at fault before any
// call is made.
//
// The format: one task id per line; '#' starts a comment that runs to the
// end of the line; white space around an id and blank lines are ignored; a
// UTF-8 byte order mark and CRLF line ends are accepted. An id is 1 to
// MaxIDLength bytes of printable characters without white space, and appears
// once; with shape set, it also has the DRS shape (36 characters in groups
// of 8-4-4-4-12 lower-case letters and digits; internal/taskid), which the
// command checks unless --no-id-check.
package tasksfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/taskid"
)

// Limits on what Parse accepts.
const (
	// MaxIDLength is the longest task id in bytes, the client library's bound.
	MaxIDLength = taskid.MaxLength
	// MaxIDs is the most ids one list may hold.
	MaxIDs = 100_000
	// MaxLineLength is the longest line in bytes, comments included.
	MaxLineLength = 4096
)

// ErrInvalid is matched (errors.Is) by every error about the contents of a
// list: a bad id, a repeated one, an over-long line, too many ids, no ids.
var ErrInvalid = errors.New("invalid task list")

// Parse reads a task list from r. name says where it comes from in
// messages ("tasks.txt", "standard input"): an error reads
// "tasks.txt:3: ...". shape asks each id for the DRS shape. It returns the
// ids in their order.
func Parse(r io.Reader, name string, shape bool) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), MaxLineLength+2) // room for "\r\n"
	var ids []string
	var lines []int // lines[i] is the line of ids[i]
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		id := strings.TrimSpace(text)
		if id == "" {
			continue
		}
		if len(ids) == MaxIDs {
			return nil, fmt.Errorf("%w: %s:%d: more than %d task ids", ErrInvalid, name, line, MaxIDs)
		}
		ids = append(ids, id)
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%w: %s:%d: line longer than %d bytes", ErrInvalid, name, line+1, MaxLineLength)
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: %s holds no task id", ErrInvalid, name)
	}
	at := func(i int) string { return name + ":" + strconv.Itoa(lines[i]) }
	short := func(i int) string { return "line " + strconv.Itoa(lines[i]) }
	if err := check(ids, shape, at, short); err != nil {
		return nil, err
	}
	return ids, nil
}

// CheckArgs checks task ids given as command-line arguments with the rules
// of Parse; an error names the argument by position ("argument 2").
func CheckArgs(ids []string, shape bool) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: no task ids", ErrInvalid)
	}
	if len(ids) > MaxIDs {
		return fmt.Errorf("%w: %d task ids, more than %d", ErrInvalid, len(ids), MaxIDs)
	}
	arg := func(i int) string { return "argument " + strconv.Itoa(i+1) }
	return check(ids, shape, arg, arg)
}

// check applies the task-id rule (internal/taskid), with the DRS shape if
// asked, and finds repeats; at(i) names where ids[i] came from
// ("tasks.txt:3"), short(i) the same place within its source ("line 3"),
// for the message about a repeat.
func check(ids []string, shape bool, at, short func(int) string) error {
	f := taskid.Check(ids)
	if f == nil && shape {
		if f = taskid.CheckShape(ids); f != nil {
			return fmt.Errorf("%w: %s: %s is not a DRS task id: it %s (a task id looks like %s; --no-id-check skips this check)",
				ErrInvalid, at(f.Index), quote(ids[f.Index]), f.Problem, taskid.ShapeExample)
		}
	}
	switch {
	case f == nil:
		return nil
	case f.Problem != "":
		return fmt.Errorf("%w: %s: %s %s", ErrInvalid, at(f.Index), quote(ids[f.Index]), f.Problem)
	}
	return fmt.Errorf("%w: %s: task %s repeats %s", ErrInvalid, at(f.Index), quote(ids[f.Index]), short(f.Repeats))
}

// quote shows id in a message: cut to a readable length (internal/clip,
// the module's one truncation rule) and quoted with Go's rules, so that
// control characters cannot reach the terminal.
func quote(id string) string { return strconv.Quote(clip.String(id, 64)) }
