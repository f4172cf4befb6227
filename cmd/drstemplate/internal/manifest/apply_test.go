package manifest

import (
	"context"
	"errors"
	"fmt"
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
