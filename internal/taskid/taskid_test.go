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

func TestShapeProblem(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{ShapeExample, ""},
		{"0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01", ""},
		{"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", ""}, // not hex, and still the shape
		{"12345", "has 5 characters, not 36"},
		{"2e69ebb1-f06d-4eb2-a789-2883629jb20", "has 35 characters, not 36"},
		{ShapeExample + ",", `has ',' at character 37: only lower-case letters, digits and '-' belong in a task id`},
		{"a/b", `has '/' at character 2`},
		{"2E69ebb1-f06d-4eb2-a789-2883629jb204", `has 'E' at character 2: DRS task ids are lower-case`},
		{"2e69ebb1f-06d-4eb2-a789-2883629jb204", "is not in groups of 8-4-4-4-12 characters joined by '-'"},
		{"2e69ebb1-f06d-4eb2-a7892883629jb204-", "is not in groups of 8-4-4-4-12"},
		{"任务-1", `has '任' at character 1`},
	} {
		if got := ShapeProblem(tc.id); got != tc.want && (tc.want == "" || !strings.HasPrefix(got, tc.want)) {
			t.Errorf("ShapeProblem(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestCheckShape(t *testing.T) {
	for _, tc := range []struct {
		ids  []string
		want *Fault
	}{
		{[]string{ShapeExample}, nil},
		{[]string{ShapeExample, "t1"}, &Fault{Index: 1, Problem: "has 2 characters, not 36"}},
		{[]string{ShapeExample, ShapeExample}, &Fault{Index: 1, Repeats: 0}},
		{[]string{"a b", "t1"}, &Fault{Index: 0, Problem: "has white space in it"}},
	} {
		got := CheckShape(tc.ids)
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("CheckShape(%q) = %+v, want %+v", tc.ids, got, tc.want)
		}
	}
}
