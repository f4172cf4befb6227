package drstemplate

import (
	"slices"
	"testing"
	"time"
)

// TestFindTakesTheNewest checks the choice of a task's file among several,
// listed in either order: last_modified first, then the time in the name,
// then the name; and the bound of the export's acceptance less the skew.
func TestFindTakesTheNewest(t *testing.T) {
	const task = "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a"
	accepted := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	file := func(name string, modified, created time.Time) Template {
		return Template{Name: name, TaskID: task, Engine: "mysql", Created: created, LastModified: modified}
	}
	at := func(d time.Duration) time.Time { return accepted.Add(d) }
	for _, tc := range []struct {
		name  string
		files []Template
		want  string // "" for none
	}{
		{"the later last_modified, whatever the names' times",
			[]Template{file("old", at(time.Second), at(time.Hour)), file("new", at(2*time.Second), at(0))}, "new"},
		{"the same last_modified: the later time in the name",
			[]Template{file("old", at(time.Second), at(0)), file("new", at(time.Second), at(time.Second))}, "new"},
		{"the same times: the greater name",
			[]Template{file("a", at(time.Second), at(0)), file("b", at(time.Second), at(0))}, "b"},
		{"modified at the bound, acceptance less the skew",
			[]Template{file("edge", at(-time.Minute), at(0))}, "edge"},
		{"modified before the bound",
			[]Template{file("early", at(-time.Minute-time.Second), at(0))}, ""},
		{"another task's file",
			[]Template{{Name: "other", TaskID: "other", LastModified: at(time.Second)}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &flow{o: ExportAndDownloadOptions{ClockSkew: time.Minute}}
			exp := Export{ID: "e", Accepted: accepted, TaskIDs: []string{task}}
			reversed := slices.Clone(tc.files)
			slices.Reverse(reversed)
			for _, files := range [][]Template{tc.files, reversed} {
				got := f.find(exp, files)[task].Name
				if got != tc.want {
					t.Errorf("find(%v) took %q, want %q", names(files), got, tc.want)
				}
			}
		})
	}
}

// names lists the names of files.
func names(files []Template) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}
