package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/drs-tools/drstemplate"
)

// runEvents are the events of a run over t1…t3 that changes every kind of
// record: an export accepted, a file written, a download started, an
// interruption (the export kept) and an export DRS failed (dropped), then
// that task exported again.
func runEvents(dir string) []drstemplate.Event {
	file := func(task string) drstemplate.File {
		name := task + "_mysql_20260301100001.xlsx"
		return drstemplate.File{Name: name, Path: filepath.Join(dir, name), Size: 6, SHA256: strings.Repeat("ab", 32)}
	}
	return []drstemplate.Event{
		{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e1", RequestStatus: "SUCCESS", Accepted: accepted, TaskIDs: []string{"t1", "t2"}}},
		{Kind: drstemplate.EventStatus, Export: drstemplate.Export{ID: "e1"}, Status: "running"},
		{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e2", Accepted: accepted, TaskIDs: []string{"t3"}}},
		{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", File: drstemplate.File{Name: file("t1").Name}}},
		{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", File: file("t1")}},
		{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: "t2", ExportID: "e1", File: drstemplate.File{Name: file("t2").Name}}},
		{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t2", ExportID: "e1", Err: context.Canceled}},
		{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t3", ExportID: "e2", Err: fmt.Errorf("e2: %w", drstemplate.ErrExportFailed)}},
		{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e3", Accepted: accepted.Add(time.Minute), TaskIDs: []string{"t3"}}},
		{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: "t3", ExportID: "e3", File: drstemplate.File{Name: file("t3").Name}}},
	}
}

// recordRun records events as the export command does: the first change
// writes the manifest whole and starts the journal, the others are
// appended. It returns the manifest in memory; the journal is left open
// (closed at the test's end), as a kill leaves it.
func recordRun(t *testing.T, dir string, m *Manifest, events []drstemplate.Event) *Manifest {
	t.Helper()
	var j *Journal
	for _, e := range events {
		if !m.Apply(e) {
			continue
		}
		var err error
		if j == nil {
			j, err = m.StartJournal(dir, accepted)
		} else {
			err = j.Append(e)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if j != nil {
		t.Cleanup(func() { _ = j.Close() })
	}
	return m
}

// sameRecord compares two manifests but for when they were written.
func sameRecord(t *testing.T, want, got *Manifest) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Manifest{}, "Updated")); diff != "" {
		t.Fatalf("the record read differs (-want +got):\n%s", diff)
	}
}

// TestJournalReadsAsTheRunRecorded: what a run recorded — the manifest
// written at its first change, the rest in the journal — reads back as
// the manifest it kept in memory, and writing it whole folds the journal
// in and removes it.
func TestJournalReadsAsTheRunRecorded(t *testing.T) {
	dir := t.TempDir()
	m := recordRun(t, dir, New(endpoint, project, []string{"t1", "t2", "t3"}), runEvents(dir))
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, m, got)
	if st := got.State["t3"]; st.ExportID != "e3" || st.Downloading == "" || st.Error != "" {
		t.Errorf("t3, failed with e2 then exported again with e3: %+v", st)
	}
	if st := got.State["t2"]; st.ExportID != "e1" || st.Error == "" {
		t.Errorf("t2, interrupted: its export kept: %+v", st)
	}
	if err := got.Write(dir, accepted); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, JournalName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the journal is still there after the manifest was written whole: %v", err)
	}
	again, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, m, again)
}

// TestJournalCutAnywhere cuts the journal at every byte, as a kill -9 mid-
// append (or a crash losing its unsynced end) would: every cut reads, as
// the manifest with the whole lines before the cut applied.
func TestJournalCutAnywhere(t *testing.T) {
	dir := t.TempDir()
	tasks := []string{"t1", "t2", "t3"}
	events := runEvents(dir)
	recordRun(t, dir, New(endpoint, project, tasks), events)
	journal, err := os.ReadFile(filepath.Join(dir, JournalName))
	if err != nil {
		t.Fatal(err)
	}
	// The manifest was written at the first event; the journal has the
	// changes of the others, a line each after its header.
	var changes []drstemplate.Event
	for _, e := range events[1:] {
		if e.Kind != drstemplate.EventStatus {
			changes = append(changes, e)
		}
	}
	if lines := bytes.Count(journal, []byte("\n")); lines != 1+len(changes) {
		t.Fatalf("%d lines in the journal; want a header and %d changes:\n%s", lines, len(changes), journal)
	}
	for cut := range len(journal) + 1 {
		if err := os.WriteFile(filepath.Join(dir, JournalName), journal[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Read(dir)
		if err != nil {
			t.Fatalf("the journal cut at byte %d: %v", cut, err)
		}
		want := New(endpoint, project, tasks)
		want.Apply(events[0])
		whole := bytes.Count(journal[:cut], []byte("\n")) - 1 // lines after the header
		for _, e := range changes[:max(whole, 0)] {
			want.Apply(e)
		}
		sameRecord(t, want, got)
	}
}

// TestJournalStates reads the record in the states a crash, a kill or a
// person can leave a directory in.
func TestJournalStates(t *testing.T) {
	tasks := []string{"t1", "t2", "t3"}
	for _, tc := range []struct {
		name string
		// prepare leaves dir in the state to read and returns the record
		// Read must give (nil: an error, with want in it).
		prepare func(t *testing.T, dir string) *Manifest
		want    error
		msg     string
	}{{
		name: "a torn last line is left out",
		prepare: func(t *testing.T, dir string) *Manifest {
			events := runEvents(dir)
			recordRun(t, dir, New(endpoint, project, tasks), events[:len(events)-1])
			m, _ := Read(dir)
			appendTo(t, dir, `{"event":"downloading","task":"t3","export_id":"e3","na`)
			return m
		},
	}, {
		name: "a corrupt line in the middle is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:4])
			appendTo(t, dir, "{\"event\":\"downloading\",\"task\":\"t1\",\x00\n")
			appendTo(t, dir, `{"event":"done","task":"t2","export_id":"e1","error":"x"}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: "journal line 4",
	}, {
		name: "a journal without a manifest is not read",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir))
			if err := os.Remove(Path(dir)); err != nil {
				t.Fatal(err)
			}
			return nil
		},
		want: fs.ErrNotExist,
	}, {
		name: "a new run over a journal without a manifest starts afresh",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir))
			if err := os.Remove(Path(dir)); err != nil {
				t.Fatal(err)
			}
			events := runEvents(dir)
			return recordRun(t, dir, New(endpoint, project, tasks), events[:1])
		},
	}, {
		name: "a crash between the manifest written whole and the journal removed",
		prepare: func(t *testing.T, dir string) *Manifest {
			m := recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir))
			journal, err := os.ReadFile(filepath.Join(dir, JournalName))
			if err != nil {
				t.Fatal(err)
			}
			// The manifest changes after the journal's last line: a file
			// recovered by Plan, say. Replaying the old journal over it
			// would undo that.
			m.State["t3"] = &Task{ExportID: "e3", File: &drstemplate.File{Name: "t3_x.xlsx", Path: filepath.Join(dir, "t3_x.xlsx"), SHA256: strings.Repeat("cd", 32)}}
			if err := m.Write(dir, accepted.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, JournalName), journal, 0o644); err != nil {
				t.Fatal(err)
			}
			return m
		},
	}, {
		name: "an event for a task not in the manifest is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:2])
			appendTo(t, dir, `{"event":"downloading","task":"t9","export_id":"e1","name":"t9_a.xlsx"}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: `task "t9", not in the manifest's task list`,
	}, {
		name: "an export of a task not in the manifest is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:2])
			appendTo(t, dir, `{"event":"submitted","export":{"id":"e9","accepted":"2026-03-01T10:00:00Z","task_ids":["t1","t9"]}}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: `covers task "t9"`,
	}, {
		name: "an event naming an unknown export is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:2])
			appendTo(t, dir, `{"event":"downloading","task":"t1","export_id":"e9","name":"t1_a.xlsx"}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: "not among the exports",
	}, {
		name: "a file record with a path is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:2])
			appendTo(t, dir, `{"event":"done","task":"t1","export_id":"e1","file":{"name":"../x","path":"..","size":1,"sha256":"`+strings.Repeat("a", 64)+`"}}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: "journal line 2: a done event of task t1 with the wrong fields",
	}, {
		name: "an unknown event is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:2])
			appendTo(t, dir, `{"event":"deleted","task":"t1"}`+"\n")
			return nil
		},
		want: ErrDamaged, msg: `unknown event "deleted"`,
	}, {
		name: "a damaged header is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:1])
			if err := os.WriteFile(filepath.Join(dir, JournalName), []byte("{\"version\":2}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return nil
		},
		want: ErrDamaged, msg: "line 1 is not the header",
	}, {
		name: "a header cut short is an empty journal",
		prepare: func(t *testing.T, dir string) *Manifest {
			m := recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:1])
			if err := os.WriteFile(filepath.Join(dir, JournalName), []byte(`{"version":1,"manifest_sha`), 0o644); err != nil {
				t.Fatal(err)
			}
			return m
		},
	}, {
		name: "a journal over MaxSize is refused",
		prepare: func(t *testing.T, dir string) *Manifest {
			recordRun(t, dir, New(endpoint, project, tasks), runEvents(dir)[:1])
			f, err := os.OpenFile(filepath.Join(dir, JournalName), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			if err := f.Truncate(MaxSize + 1); err != nil {
				t.Fatal(err)
			}
			return nil
		},
		want: ErrDamaged, msg: "larger than",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			want := tc.prepare(t, dir)
			got, err := Read(dir)
			if want == nil {
				if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.msg) {
					t.Fatalf("Read: %v; want %v with %q", err, tc.want, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameRecord(t, want, got)
		})
	}
}

// appendTo appends s to the journal in dir.
func appendTo(t *testing.T, dir, s string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, JournalName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestReplayIsIdempotent applies a run's journal to a manifest that has
// any number of its lines already: the record is the same as applying it
// once.
func TestReplayIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	events := runEvents(dir)
	want := New(endpoint, project, []string{"t1", "t2", "t3"})
	var lines []string
	for _, e := range events {
		if want.Apply(e) {
			lines = append(lines, string(mustLine(t, e)))
		}
	}
	for k := range len(lines) + 1 {
		m := New(endpoint, project, []string{"t1", "t2", "t3"})
		sum := strings.Repeat("0", 64)
		for _, journal := range []string{strings.Join(lines[:k], ""), strings.Join(lines, "")} {
			if err := m.applyJournal([]byte(`{"version":1,"manifest_sha256":"`+sum+"\"}\n"+journal), sum); err != nil {
				t.Fatal(err)
			}
		}
		sameRecord(t, want, m)
	}
}

// mustLine is e's line in a journal.
func mustLine(t *testing.T, e drstemplate.Event) []byte {
	t.Helper()
	c, _ := changeOf(e)
	line, err := marshalLine(c)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// TestJournalBounded: at its bound, the journal is folded into the
// manifest and begun again, so that Read never meets one over MaxSize.
func TestJournalBounded(t *testing.T) {
	dir := t.TempDir()
	events := runEvents(dir)
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	m.Apply(events[0])
	j, err := m.StartJournal(dir, accepted)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = j.Close() }()
	j.max = 400
	starts := 0
	for _, e := range events[1:] {
		before := j.size
		if m.Apply(e) {
			if err := j.Append(e); err != nil {
				t.Fatal(err)
			}
		}
		if j.size > j.max {
			t.Fatalf("the journal has %d bytes, over its bound %d", j.size, j.max)
		}
		if j.size < before {
			starts++
		}
	}
	if starts == 0 {
		t.Fatal("the journal never reached its bound: make it smaller")
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, m, got)
}

// TestJournalRefusesWhatIsInItsWay: a journal is created afresh, never
// opened through a link or a FIFO of its name.
func TestJournalRefusesWhatIsInItsWay(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(target, filepath.Join(dir, JournalName)); err != nil {
		t.Skip("no symbolic links:", err)
	}
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	m.Apply(runEvents(dir)[0])
	j, err := m.StartJournal(dir, accepted) // removes the link with the stale journal
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = j.Close() }()
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the journal was written through the link: %v", err)
	}
	if fi, err := os.Lstat(filepath.Join(dir, JournalName)); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the journal is not a regular file: %v %v", fi, err)
	}
}

// FuzzJournal: no journal makes its reader panic; one it refuses is
// refused as damaged, and what it accepts is a record that passes the
// manifest's checks and writes to a manifest that parses back the same.
func FuzzJournal(f *testing.F) {
	dir := f.TempDir()
	var lines []byte
	for _, e := range runEvents(dir)[1:] {
		if c, ok := changeOf(e); ok {
			line, _ := marshalLine(c)
			lines = append(lines, line...)
		}
	}
	f.Add(lines)
	f.Add([]byte("{\"event\":\"failed\",\"task\":\"t1\"}\n{\"event\":\"done\"}"))
	f.Add([]byte("\n\n"))
	f.Add([]byte(`{"event":"submitted","export":{"id":"e9","task_ids":["t1","t1"]}}` + "\n"))
	sum := strings.Repeat("0", 64)
	header := `{"version":1,"manifest_sha256":"` + sum + "\"}\n"
	f.Fuzz(func(t *testing.T, journal []byte) {
		m := New(endpoint, project, []string{"t1", "t2", "t3"})
		m.Apply(runEvents("d")[0])
		if err := m.applyJournal(append([]byte(header), journal...), sum); err != nil {
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("error not matching ErrDamaged: %v", err)
			}
			return
		}
		if err := m.check(); err != nil {
			t.Fatalf("an accepted journal makes an inconsistent record: %v", err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("an accepted record does not parse back: %v\n%s", err, b)
		}
		sameRecord(t, m, back)
		if _, err := m.Plan(t.TempDir(), m.Tasks); err != nil {
			t.Fatalf("Plan of an accepted record: %v", err)
		}
	})
}

// TestChangeCheck: a journal line is applied only if it is a change of
// one kind with that kind's fields, of tasks and exports the manifest has.
func TestChangeCheck(t *testing.T) {
	tasks := map[string]bool{"t1": true, "t2": true}
	exports := map[string]bool{"e1": true}
	file := &drstemplate.File{Name: "t1_a.xlsx", Path: "d/t1_a.xlsx", Size: 1, SHA256: strings.Repeat("ab", 32)}
	export := &drstemplate.Export{ID: "e2", TaskIDs: []string{"t1"}}
	for _, tc := range []struct {
		name string
		c    change
		want string // "" for accepted
	}{
		{"an export", change{Event: changeSubmitted, Export: export}, ""},
		{"an export without an id", change{Event: changeSubmitted, Export: &drstemplate.Export{TaskIDs: []string{"t1"}}}, "without an id or tasks"},
		{"an export without tasks", change{Event: changeSubmitted, Export: &drstemplate.Export{ID: "e2"}}, "without an id or tasks"},
		{"an export line without the export", change{Event: changeSubmitted}, "without an id or tasks"},
		{"an export with a task's fields", change{Event: changeSubmitted, Export: export, Task: "t1"}, "fields of another event"},
		{"an export with a loss", change{Event: changeSubmitted, Export: export, Lost: true}, "fields of another event"},
		{"a download", change{Event: changeDownloading, Task: "t1", ExportID: "e1", Name: "t1_a.xlsx"}, ""},
		{"a download without a name", change{Event: changeDownloading, Task: "t1", ExportID: "e1"}, "wrong fields"},
		{"a download with a file", change{Event: changeDownloading, Task: "t1", Name: "n", File: file}, "wrong fields"},
		{"a download with an export", change{Event: changeDownloading, Task: "t1", Name: "n", Export: export}, "with an export"},
		{"a file", change{Event: changeDone, Task: "t1", ExportID: "e1", File: file}, ""},
		{"a file without its record", change{Event: changeDone, Task: "t1", ExportID: "e1"}, "wrong fields"},
		{"a file with an error", change{Event: changeDone, Task: "t1", File: file, Error: "x"}, "wrong fields"},
		{"a failure", change{Event: changeFailed, Task: "t2", ExportID: "e1", Error: "x", Lost: true}, ""},
		{"a failure without an export", change{Event: changeFailed, Task: "t2", Error: "x"}, ""},
		{"a failure with a file", change{Event: changeFailed, Task: "t1", File: file}, "wrong fields"},
		{"a failure with a name", change{Event: changeFailed, Task: "t1", Name: "n"}, "wrong fields"},
		{"a task not in the manifest", change{Event: changeFailed, Task: "t9"}, "not in the manifest's task list"},
		{"no task", change{Event: changeFailed}, "not in the manifest's task list"},
		{"an unknown export", change{Event: changeFailed, Task: "t1", ExportID: "e9"}, "not among the exports"},
		{"no event", change{Task: "t1"}, "unknown event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.check(tasks, exports)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("check: %v; want %q", err, tc.want)
			}
		})
	}
}

// TestApplyWithoutState: a change to a task the manifest has no state for
// gives it one (Apply takes events as they come; a download or a result
// is never lost for want of an earlier record).
func TestApplyWithoutState(t *testing.T) {
	file := drstemplate.File{Name: "t1_a.xlsx", Path: "d/t1_a.xlsx", Size: 1, SHA256: strings.Repeat("ab", 32)}
	for _, tc := range []struct {
		name string
		e    drstemplate.Event
		want Task
	}{
		{"a download", drstemplate.Event{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", File: drstemplate.File{Name: "t1_a.xlsx"}}},
			Task{ExportID: "e1", Downloading: "t1_a.xlsx"}},
		{"a file", drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", File: file}},
			Task{ExportID: "e1", File: &file}},
		{"a failure", drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", Err: errors.New("boom")}},
			Task{Error: "boom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(endpoint, project, []string{"t1"})
			if !m.Apply(tc.e) {
				t.Fatal("Apply took no change")
			}
			if diff := cmp.Diff(&tc.want, m.State["t1"]); diff != "" {
				t.Errorf("state (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJournalMisuse: a journal that cannot start says why, and one closed
// records nothing more.
func TestJournalMisuse(t *testing.T) {
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	if _, err := m.StartJournal(filepath.Join(t.TempDir(), "missing"), accepted); err == nil {
		t.Error("StartJournal into a missing directory succeeded")
	}
	dir := t.TempDir()
	events := runEvents(dir)
	m.Apply(events[0])
	j, err := m.StartJournal(dir, accepted)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	m.Apply(events[2])
	if err := j.Append(events[2]); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Append after Close: %v", err)
	}
	j.max = 1 // at its bound, a closed journal is not begun again either
	if err := j.Append(events[2]); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Append after Close, at the bound: %v", err)
	}
	if j.f != nil {
		t.Error("Append after Close began a new journal")
	}
	if err := j.Append(events[1]); err != nil {
		t.Errorf("Append of an event that changes nothing: %v", err)
	}
}

// TestJournalStopsAtAFailedWrite: after a write fails (a full disk, say),
// nothing more is appended, so that a line it cut short stays the last.
func TestJournalStopsAtAFailedWrite(t *testing.T) {
	dir := t.TempDir()
	events := runEvents(dir)
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	m.Apply(events[0])
	j, err := m.StartJournal(dir, accepted)
	if err != nil {
		t.Fatal(err)
	}
	good := j.f
	_ = good.Close() // the next write fails
	m.Apply(events[2])
	if err := j.Append(events[2]); err == nil {
		t.Fatal("Append to a closed file succeeded")
	}
	j.f, err = os.OpenFile(filepath.Join(dir, JournalName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = j.f.Close() }()
	before, _ := os.ReadFile(filepath.Join(dir, JournalName))
	m.Apply(events[3])
	if err := j.Append(events[3]); err == nil {
		t.Error("Append after a failed write succeeded")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, JournalName)); !bytes.Equal(before, after) {
		t.Errorf("a line was appended after a failed write:\n%s", after)
	}
}

// TestFailedWriteKeepsTheJournal: the journal is removed only once the
// manifest that folds it in is in place; a whole write that fails (or a
// kill before its rename) leaves the manifest and the journal that
// continues it, which read as the run recorded.
func TestFailedWriteKeepsTheJournal(t *testing.T) {
	dir := t.TempDir()
	m := recordRun(t, dir, New(endpoint, project, []string{"t1", "t2", "t3"}), runEvents(dir))
	manifest, err := os.ReadFile(Path(dir))
	if err != nil {
		t.Fatal(err)
	}
	journal, err := os.ReadFile(filepath.Join(dir, JournalName))
	if err != nil {
		t.Fatal(err)
	}
	// A directory in the manifest's place: the rename into it fails.
	if err := os.Remove(Path(dir)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(Path(dir), "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := m.Write(dir, accepted.Add(time.Hour)); err == nil {
		t.Fatal("Write over a directory succeeded")
	}
	if after, err := os.ReadFile(filepath.Join(dir, JournalName)); err != nil || !bytes.Equal(after, journal) {
		t.Fatalf("the journal after a failed whole write: %v\n%s", err, after)
	}
	if err := os.RemoveAll(Path(dir)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(Path(dir), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, m, got)
}

// syncSeen is a journal file that tells what was written since its last
// sync, in lines.
type syncSeen struct {
	syncFile
	unsynced int // lines written since the last sync
	atClose  int // unsynced when closed; -1 before
}

func (s *syncSeen) Write(b []byte) (int, error) {
	n, err := s.syncFile.Write(b)
	s.unsynced += bytes.Count(b[:n], []byte("\n"))
	return n, err
}

func (s *syncSeen) Sync() error {
	s.unsynced = 0
	return s.syncFile.Sync()
}

func (s *syncSeen) Close() error {
	s.atClose = s.unsynced
	return s.syncFile.Close()
}

// TestJournalSyncs: what a crash of the machine may lose is bounded — an
// accepted export's line is synced before Append returns, the others
// within syncEvery lines, and Close syncs what is left.
func TestJournalSyncs(t *testing.T) {
	dir := t.TempDir()
	tasks := make([]string, 3*syncEvery)
	for i := range tasks {
		tasks[i] = fmt.Sprintf("t%d", i)
	}
	m := New(endpoint, project, tasks)
	first := drstemplate.Export{ID: "e0", Accepted: accepted, TaskIDs: tasks[:1]}
	m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: first})
	j, err := m.StartJournal(dir, accepted)
	if err != nil {
		t.Fatal(err)
	}
	seen := &syncSeen{syncFile: j.f, atClose: -1}
	j.f = seen
	record := func(e drstemplate.Event) {
		t.Helper()
		m.Apply(e)
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
		if seen.unsynced > syncEvery {
			t.Fatalf("%d lines unsynced; at most %d may be", seen.unsynced, syncEvery)
		}
	}
	for i, task := range tasks {
		name := task + "_mysql_20260301100001.xlsx"
		record(drstemplate.Event{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: task, ExportID: "e0", File: drstemplate.File{Name: name}}})
		if i == 3 {
			record(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e1", Accepted: accepted, TaskIDs: []string{task}}})
			if seen.unsynced != 0 {
				t.Fatalf("an accepted export's line is not synced: %d lines unsynced", seen.unsynced)
			}
		}
	}
	if seen.unsynced == 0 {
		t.Fatal("every line was synced: the test needs lines left for Close")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if seen.atClose != 0 {
		t.Errorf("Close closed the journal with %d lines unsynced", seen.atClose)
	}
}

// TestJournalSyncsWithinSyncAfter: a line is not left unsynced for longer
// than syncAfter when another line follows, however few lines there are
// (a long wait between two downloads).
func TestJournalSyncsWithinSyncAfter(t *testing.T) {
	dir := t.TempDir()
	tasks := []string{"t0", "t1", "t2"}
	m := New(endpoint, project, tasks)
	m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e0", Accepted: accepted, TaskIDs: tasks}})
	j, err := m.StartJournal(dir, accepted)
	if err != nil {
		t.Fatal(err)
	}
	clock := accepted
	j.now, j.synced = func() time.Time { return clock }, clock
	seen := &syncSeen{syncFile: j.f, atClose: -1}
	j.f = seen
	for i, step := range []time.Duration{0, syncAfter / 2, syncAfter / 2} {
		clock = clock.Add(step)
		e := drstemplate.Event{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: tasks[i], ExportID: "e0", File: drstemplate.File{Name: tasks[i] + "_mysql_20260301100001.xlsx"}}}
		m.Apply(e)
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 2, 0}[i]; seen.unsynced != want {
			t.Fatalf("after line %d, %s on: %d lines unsynced, want %d", i+1, clock.Sub(accepted), seen.unsynced, want)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}
