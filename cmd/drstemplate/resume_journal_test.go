package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
)

// TestResumeFoldsTheJournal: a resume with nothing left to do still folds
// the journal a kill left into the manifest, so that the manifest read
// after the run — the file, not only its record through --resume — has
// every file, and no journal stays behind.
func TestResumeFoldsTheJournal(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, rep, _ := exportTo(t, exitOK, task1, task2)
	done, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	// What a kill after the last download, before the run's end, leaves:
	// the manifest as first written (the exports accepted), the files in
	// the journal.
	m := manifest.New(done.Endpoint, done.ProjectID, done.Tasks)
	for _, e := range done.Exports {
		m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: e})
	}
	j, err := m.StartJournal(out, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range rep.Tasks {
		e := drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: task.TaskID, ExportID: task.ExportID, File: *task.File}}
		m.Apply(e)
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	res := run(t, "export", "--resume", "-o", "json", "--out", out)
	if res.code != exitOK || !strings.Contains(res.stdout, `"skipped": 2`) {
		t.Fatalf("resume: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, manifest.JournalName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the journal is still there after the resume: %v", err)
	}
	b, err := os.ReadFile(manifest.Path(out))
	if err != nil {
		t.Fatal(err)
	}
	written, err := manifest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{task1, task2} {
		if st := written.State[task]; st == nil || st.File == nil {
			t.Errorf("the manifest written has no file for task %s: %+v", task, st)
		}
	}
}

// TestResumeRecordsALostExport: a resume that waits on a recorded export
// DRS no longer knows, and does nothing else, still records that the
// export is lost; otherwise every later resume would wait on it again and
// fail the same way, and the task would never be exported afresh.
func TestResumeRecordsALostExport(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, rep, _ := exportTo(t, exitOK, task1)
	done, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(rep.Tasks[0].File.Path); err != nil {
		t.Fatal(err)
	}
	// The record of a run killed while it waited on an export that DRS has
	// forgotten since.
	const lost = "feedbeef-0000-4000-8000-000000000000"
	m := manifest.New(done.Endpoint, done.ProjectID, done.Tasks)
	m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{
		ID: lost, RequestStatus: "SUCCESS", Accepted: time.Now().Add(-time.Hour), TaskIDs: []string{task1}}})
	if err := m.Write(out, time.Now()); err != nil {
		t.Fatal(err)
	}

	res := run(t, "export", "--resume", "--out", out)
	if res.code != exitFailed {
		t.Fatalf("resume on a lost export: exit %d, want %d\n%s\n%s", res.code, exitFailed, res.stdout, res.stderr)
	}
	after, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if st := after.State[task1]; st == nil || st.ExportID != "" || st.Error == "" {
		t.Fatalf("the manifest still sends a resume to the lost export: %+v", st)
	}
	before := fake.exports()[task1]
	if res := run(t, "export", "--resume", "--out", out); res.code != exitOK {
		t.Fatalf("second resume: exit %d\n%s", res.code, res.stderr)
	}
	if got := fake.exports()[task1]; got != before+1 {
		t.Errorf("task %s submitted %d times by the second resume, want once", task1, got-before)
	}
}

// TestFailedRunNamesTheManifestThere: a run that records nothing, into a
// directory whose manifest records earlier exports, still names that
// manifest (and, stopped, says how to go on): it does not say that no
// manifest is there.
func TestFailedRunNamesTheManifestThere(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, _, _ := exportTo(t, exitOK, task1)
	// A task DRS does not know: its export is refused, nothing is recorded.
	const unknown = "99999999-aaaa-4bbb-8ccc-000000000jb9"
	res := run(t, "export", "-o", "json", "--out", out, unknown)
	var rep exportReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("export of an unknown task: exit %d, %v\n%s\n%s", res.code, err, res.stdout, res.stderr)
	}
	if res.code != exitFailed || rep.Failed != 1 || rep.Manifest != manifest.Path(out) {
		t.Errorf("export of an unknown task beside a manifest: exit %d, %+v; want exit %d naming %s", res.code, rep, exitFailed, manifest.Path(out))
	}
}
