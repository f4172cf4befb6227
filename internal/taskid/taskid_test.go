package taskid

import (
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"2e69ebb1-f06d-4eb2-a789-2883629jb204", ""},
		{"任务-1", ""},
		{strings.Repeat("a", MaxLength), ""},
		{"", "is empty"},
		{"a\xffb", "is not valid UTF-8"},
		{strings.Repeat("a", MaxLength+1), "is longer than 128 bytes"},
		{"a b", "has white space in it"},
		{" ", "has white space in it"},
		{"a\u00a0b", "has white space in it"},
		{"a\x1bb", "has control or non-printable characters"},
		{"a\u200bb", "has control or non-printable characters"},
	} {
		if got := Problem(tc.id); got != tc.want {
			t.Errorf("Problem(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		ids  []string
		want *Fault
	}{
		{[]string{"a", "b"}, nil},
		{nil, nil},
		{[]string{"a", "b", "a"}, &Fault{Index: 2, Repeats: 0}},
		{[]string{"a", "b c", "a"}, &Fault{Index: 1, Problem: "has white space in it"}},
		{[]string{"a", "b", "b", ""}, &Fault{Index: 2, Repeats: 1}},
	} {
		got := Check(tc.ids)
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("Check(%q) = %+v, want %+v", tc.ids, got, tc.want)
		}
	}
}
