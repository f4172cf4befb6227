package manifest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
)

// TestFailedTaskKeepsItsExportWhileOfUse: a failed task keeps its export,
// to be waited on by --resume, unless the export can no longer give its
// file. A one-error slip in that rule either submits again an export DRS
// still works on, or has every resume wait on an export of no use.
func TestFailedTaskKeepsItsExportWhileOfUse(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		keep bool
	}{
		{"export failed", fmt.Errorf("e1: %w", drstemplate.ErrExportFailed), false},
		{"export unknown to DRS", fmt.Errorf("e1: %w", drstemplate.ErrNotFound), false},
		{"ended without the task's file", fmt.Errorf("e1: %w", drstemplate.ErrNoTemplate), false},
		{"file not a template", fmt.Errorf("t1.xlsx: %w", drstemplate.ErrNotTemplate), false},
		{"interrupted", context.Canceled, true},
		{"timed out", fmt.Errorf("waiting: %w", context.DeadlineExceeded), true},
		{"interrupted while DRS said not found", errors.Join(drstemplate.ErrNotFound, context.Canceled), true},
		{"timed out while DRS said not found", errors.Join(drstemplate.ErrNotFound, context.DeadlineExceeded), true},
		{"a call failed for a while", errors.New("503 Service Unavailable"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(endpoint, project, []string{"t1"})
			m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e1", Accepted: time.Now(), TaskIDs: []string{"t1"}}})
			if !m.Apply(drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", Err: tc.err}}) {
				t.Fatal("a failure is not recorded")
			}
			st := m.State["t1"]
			if kept := st.ExportID == "e1"; kept != tc.keep {
				t.Errorf("export kept = %v, want %v (state %+v)", kept, tc.keep, st)
			}
			if st.Error != tc.err.Error() {
				t.Errorf("Error = %q, want %q", st.Error, tc.err.Error())
			}
			p, err := m.Plan(t.TempDir(), m.Tasks)
			if err != nil {
				t.Fatal(err)
			}
			if waited := len(p.Submitted) == 1; waited != tc.keep {
				t.Errorf("resume waits on the export = %v, want %v", waited, tc.keep)
			}
		})
	}
}

// TestPlanTakesOnlyRegularFiles: where a task's file should be, something
// the client never writes — a symbolic link (here to a copy with the very
// bytes recorded), a directory — is not the task's file, recorded or
// recovered: the task is done again, and the rest of the plan stands.
func TestPlanTakesOnlyRegularFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir, elsewhere := t.TempDir(), t.TempDir()
	tasks := []string{"linked", "dir", "recovered-link", "recovered-dir", "fine"}
	m := New(endpoint, project, tasks)
	book := zipOf(t, "a workbook")
	for _, task := range []string{"linked", "dir", "fine"} {
		f := writeFile(t, dir, task+"_mysql.xlsx", book)
		m.State[task] = &Task{File: &f}
	}
	// A symbolic link to a copy elsewhere, and a directory, where the
	// recorded files were.
	copied := writeFile(t, elsewhere, "copy.xlsx", book)
	mustDo(t, os.Remove(filepath.Join(dir, "linked_mysql.xlsx")))
	mustDo(t, os.Symlink(copied.Path, filepath.Join(dir, "linked_mysql.xlsx")))
	mustDo(t, os.Remove(filepath.Join(dir, "dir_mysql.xlsx")))
	mustDo(t, os.Mkdir(filepath.Join(dir, "dir_mysql.xlsx"), 0o755))
	// The same at the names of downloads a run was killed in.
	m.State["recovered-link"] = &Task{Downloading: "recovered-link_mysql.xlsx"}
	mustDo(t, os.Symlink(copied.Path, filepath.Join(dir, "recovered-link_mysql.xlsx")))
	m.State["recovered-dir"] = &Task{Downloading: "recovered-dir_mysql.xlsx"}
	mustDo(t, os.Mkdir(filepath.Join(dir, "recovered-dir_mysql.xlsx"), 0o755))

	p, err := m.Plan(dir, tasks)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if len(p.Done) != 1 || p.Done[0].TaskID != "fine" || len(p.Recovered) != 0 {
		t.Errorf("Done = %+v, Recovered = %q; want only fine, none recovered", p.Done, p.Recovered)
	}
	if want := []string{"linked", "dir", "recovered-link", "recovered-dir"}; !slices.Equal(p.ToDo, want) {
		t.Errorf("ToDo = %q, want %q", p.ToDo, want)
	}
	for _, task := range []string{"linked", "dir"} {
		if p.Unverified[task] == "" {
			t.Errorf("task %s: no reason given for doing it again", task)
		}
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
