package tasksfile

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		err      string // substring of the error; "" for none
	}{
		{"one per line", "a\nb\nc\n", []string{"a", "b", "c"}, ""},
		{"no final newline", "a\nb", []string{"a", "b"}, ""},
		{"comments and blanks", "# my tasks\n\n  a  # the first\n\t\n#b\nc\n", []string{"a", "c"}, ""},
		{"CRLF and BOM", "\uFEFFa\r\nb\r\n", []string{"a", "b"}, ""},
		{"uuid-like ids", "0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01\n", []string{"0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01"}, ""},
		{"space inside an id", "a\nb c\n", nil, `tasks.txt:2: "b c" has white space in it`},
		{"control character", "a\nb\x01\n", nil, `tasks.txt:2: "b\x01" has control`},
		{"repeat names both lines", "a\nb\n\n# x\na\n", nil, `tasks.txt:5: task "a" repeats line 1`},
		{"too long id", strings.Repeat("x", MaxIDLength+1), nil, "tasks.txt:1: "},
		{"invalid UTF-8", "\xff\n", nil, "not valid UTF-8"},
		{"empty", "", nil, "holds no task id"},
		{"only comments", "# nothing\n\n", nil, "holds no task id"},
		{"over-long line", "a\n" + strings.Repeat("#", MaxLineLength+10), nil, "tasks.txt:2: line longer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.in), "tasks.txt", false)
			if tc.err == "" {
				if err != nil || !slices.Equal(got, tc.want) {
					t.Fatalf("Parse = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse error = %v; want one containing %q and matching ErrInvalid", err, tc.err)
			}
		})
	}
}

func TestParseTooMany(t *testing.T) {
	var b strings.Builder
	for i := range MaxIDs + 1 {
		b.WriteString("t")
		b.WriteString(strings.Repeat("0", 1+i%3))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString("\n")
	}
	_, err := Parse(strings.NewReader(b.String()), "big", false)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("Parse of %d ids: %v", MaxIDs+1, err)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Parse(iotest.ErrReader(boom), "standard input", false)
	if !errors.Is(err, boom) || errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse error = %v; want the reader's, not ErrInvalid", err)
	}
}

func TestCheckArgs(t *testing.T) {
	for _, tc := range []struct {
		ids []string
		err string
	}{
		{[]string{"a", "b"}, ""},
		{nil, "no task ids"},
		{[]string{"a", ""}, `argument 2: "" is empty`},
		{[]string{"a", "b", "a"}, `argument 3: task "a" repeats argument 1`},
		{[]string{"a b"}, "argument 1: \"a b\" has white space"},
	} {
		err := CheckArgs(tc.ids, false)
		if tc.err == "" {
			if err != nil {
				t.Errorf("CheckArgs(%q) = %v", tc.ids, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CheckArgs(%q) = %v; want %q", tc.ids, err, tc.err)
		}
	}
}

// FuzzParse: no input makes Parse panic; what it accepts follows the rules
// (no id blank, repeated, spaced, over-long or holding '#'), and the ids
// written one per line parse back to themselves.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a\nb\n", "# c\n\n a # x\r\n", "\uFEFFa", "a\na", "a b", "\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ids, err := Parse(strings.NewReader(in), "fuzz", false)
		if err != nil {
			if ids != nil {
				t.Fatalf("ids %q with error %v", ids, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || len(id) > MaxIDLength || strings.ContainsAny(id, "# \t\r\n") || seen[id] {
				t.Fatalf("accepted id %q", id)
			}
			seen[id] = true
		}
		again, err := Parse(strings.NewReader(strings.Join(ids, "\n")), "again", false)
		if err != nil || !slices.Equal(again, ids) {
			t.Fatalf("round trip: %q, %v; want %q", again, err, ids)
		}
		if err := CheckArgs(ids, false); err != nil {
			t.Fatalf("CheckArgs refuses what Parse accepted: %v", err)
		}
	})
}

// TestShape: with shape asked, what cannot be a DRS task id is refused
// before any call, naming the argument or line and why.
func TestShape(t *testing.T) {
	const good = "0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01"
	for _, tc := range []struct {
		ids  []string
		want string
	}{
		{[]string{good}, ""},
		{[]string{good, "12345"}, `argument 2: "12345" is not a DRS task id: it has 5 characters, not 36`},
		{[]string{"a/b"}, `argument 1: "a/b" is not a DRS task id: it has '/' at character 2`},
		{[]string{good[:35]}, "it has 35 characters, not 36"},
		{[]string{good + ","}, "it has ',' at character 37"},
		{[]string{good, good}, `argument 2: task "` + good + `" repeats argument 1`},
	} {
		err := CheckArgs(tc.ids, true)
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckArgs(%q) = %v", tc.ids, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckArgs(%q) = %v; want %q", tc.ids, err, tc.want)
		}
		if err := CheckArgs(tc.ids, false); err != nil && !strings.Contains(tc.want, "repeats") {
			t.Errorf("CheckArgs(%q) without the shape = %v", tc.ids, err)
		}
	}
	_, err := Parse(strings.NewReader("# tasks\n"+good+"\n12345\n"), "tasks.txt", true)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `tasks.txt:3: "12345" is not a DRS task id`) || !strings.Contains(err.Error(), "--no-id-check") {
		t.Errorf("Parse with the shape: %v", err)
	}
}

// TestLongIDIsClipped: a message quotes an over-long id cut short, not
// whole (an id may be up to a line long).
func TestLongIDIsClipped(t *testing.T) {
	long := strings.Repeat("x", MaxIDLength+1)
	_, err := Parse(strings.NewReader(long+"\n"), "tasks.txt", false)
	want := `tasks.txt:1: "` + strings.Repeat("x", 61) + `…" `
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), long) {
		t.Fatalf("Parse error = %v; want one quoting the id cut short, %s", err, want)
	}
}
