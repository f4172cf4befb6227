package manifest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate"
)

const (
	endpoint = "https://drs.cn-north-4.myhuaweicloud.com"
	project  = "0123456789abcdef0123456789abcdef"
)

var accepted = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// writeFile writes a template-like file into dir and returns its record.
func writeFile(t *testing.T, dir, name, content string) drstemplate.File {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	return drstemplate.File{Name: name, Path: path, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
}

// zipOf returns a whole zip container holding one file with content.
func zipOf(t *testing.T, content string) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("xl/workbook.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e1", RequestStatus: "SUCCESS", Accepted: accepted, TaskIDs: []string{"t1", "t2"}}})
	f := writeFile(t, dir, "t1_mysql_20260301100001.xlsx", "PK one")
	m.Apply(drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1", File: f}})
	if err := m.Write(dir, accepted.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Fatalf("read back (-wrote +read):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	if st, _ := os.Stat(Path(dir)); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

func TestReadMissing(t *testing.T) {
	if _, err := Read(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Read of an empty dir: %v", err)
	}
}

func TestParseDamaged(t *testing.T) {
	good := func() map[string]any {
		return map[string]any{
			"version": 1, "endpoint": endpoint, "project_id": project, "tasks": []string{"t1", "t2"},
			"exports": []map[string]any{{"id": "e1", "status": "SUCCESS", "accepted": accepted, "task_ids": []string{"t1"}}},
			"state":   map[string]any{"t1": map[string]any{"export_id": "e1"}},
		}
	}
	enc := func(v any) []byte { b, _ := json.Marshal(v); return b }
	if _, err := Parse(enc(good())); err != nil {
		t.Fatalf("the good manifest: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(map[string]any)
		raw    string
		want   string
	}{
		{name: "not JSON", raw: "<html>", want: "invalid character"},
		{name: "truncated", raw: `{"version": 1, "tasks": [`, want: "unexpected end"},
		{name: "empty", raw: "", want: "unexpected end"},
		{name: "other version", change: func(m map[string]any) { m["version"] = 2 }, want: "format version 2"},
		{name: "no tasks", change: func(m map[string]any) { m["tasks"] = []string{} }, want: "no tasks"},
		{name: "repeated task", change: func(m map[string]any) { m["tasks"] = []string{"t1", "t1"} }, want: "repeated"},
		{name: "task with a space", change: func(m map[string]any) { m["tasks"] = []string{"t 1"} }, want: "invalid"},
		{name: "export of another task", change: func(m map[string]any) {
			m["exports"] = []map[string]any{{"id": "e1", "task_ids": []string{"zz"}}}
		}, want: "not in the task list"},
		{name: "export without tasks", change: func(m map[string]any) { m["exports"] = []map[string]any{{"id": "e1"}} }, want: "invalid"},
		{name: "state of another task", change: func(m map[string]any) { m["state"] = map[string]any{"zz": map[string]any{}} }, want: "not in the task list"},
		{name: "null state", change: func(m map[string]any) { m["state"] = map[string]any{"t1": nil} }, want: "null state"},
		{name: "unknown export", change: func(m map[string]any) { m["state"] = map[string]any{"t1": map[string]any{"export_id": "e9"}} }, want: "not among the exports"},
		{name: "file with a path", change: func(m map[string]any) {
			m["state"] = map[string]any{"t1": map[string]any{"file": map[string]any{"name": "../x", "path": "..", "size": 1, "sha256": strings.Repeat("a", 64)}}}
		}, want: "invalid file record"},
		{name: "file without sha256", change: func(m map[string]any) {
			m["state"] = map[string]any{"t1": map[string]any{"file": map[string]any{"name": "a.xlsx", "path": "d/a.xlsx", "size": 1, "sha256": "abc"}}}
		}, want: "invalid file record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(tc.raw)
			if tc.change != nil {
				m := good()
				tc.change(m)
				b = enc(m)
			}
			_, err := Parse(b)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse: %v; want ErrDamaged with %q", err, tc.want)
			}
		})
	}
}

func TestSameService(t *testing.T) {
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	for _, tc := range []struct {
		name     string
		ep, proj string
		ok       bool
	}{
		{"same", endpoint, project, true},
		{"other endpoint", "http://127.0.0.1:1", project, false},
		{"other project", endpoint, strings.Repeat("f", 32), false},
	} {
		err := m.SameService(tc.ep, tc.proj)
		if tc.ok != (err == nil) || err != nil && (!errors.Is(err, ErrOtherService) || !strings.Contains(err.Error(), tc.ep)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestAdd: a later export's tasks join the list, once each, in order; the
// earlier tasks and their state stay.
func TestAdd(t *testing.T) {
	m := New(endpoint, project, []string{"t1", "t2"})
	m.State["t1"] = &Task{ExportID: "e1"}
	if got := m.Add([]string{"t3", "t1", "t4", "t3"}); !slices.Equal(got, []string{"t3", "t4"}) {
		t.Errorf("Add returned %q", got)
	}
	if !slices.Equal(m.Tasks, []string{"t1", "t2", "t3", "t4"}) || m.State["t1"].ExportID != "e1" {
		t.Errorf("after Add: %q, %+v", m.Tasks, m.State)
	}
}

// TestPlan covers every state a task can be in when a run resumes.
func TestPlan(t *testing.T) {
	dir := t.TempDir()
	tasks := []string{"done", "changed", "gone", "waiting", "failed", "cancelled", "fresh", "split", "landed", "cut"}
	m := New(endpoint, project, tasks)
	exp := func(id string, ts ...string) {
		m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: id, RequestStatus: "SUCCESS", Accepted: accepted, TaskIDs: ts}})
	}
	done := func(task, export string, f drstemplate.File, err error) {
		m.Apply(drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: task, ExportID: export, File: f, Err: err}})
	}
	exp("e1", "done", "changed", "gone")
	exp("e2", "waiting", "failed", "cancelled")
	exp("e3", "split")
	exp("e4", "split") // the same task again (an export split in halves)
	exp("e5", "landed", "cut")
	// A download whose file landed before the run was killed, and one
	// that was cut short (no file: downloads are renamed into place).
	downloading := func(task, name string) {
		m.Apply(drstemplate.Event{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: task, ExportID: "e5", File: drstemplate.File{Name: name}}})
	}
	// The listed name has a safe local form of its own: the download wrote
	// there, and recovery must look there.
	downloading("landed", "landed_my:sql.xlsx")
	fLanded := writeFile(t, dir, "landed_my_sql.xlsx", zipOf(t, "landed"))
	fLanded.Name = "landed_my:sql.xlsx"
	downloading("cut", "cut.xlsx")
	fDone := writeFile(t, dir, "done.xlsx", "PK done")
	done("done", "e1", fDone, nil)
	fChanged := writeFile(t, dir, "changed.xlsx", "PK changed")
	done("changed", "e1", fChanged, nil)
	// The same size with other bytes: only the SHA-256 tells.
	_ = os.WriteFile(fChanged.Path, []byte("PK CHANGED"), 0o644)
	fGone := writeFile(t, dir, "gone.xlsx", "PK gone")
	done("gone", "e1", fGone, nil)
	_ = os.Remove(fGone.Path)
	done("failed", "e2", drstemplate.File{}, fmt.Errorf("task failed: %w", drstemplate.ErrExportFailed))
	done("cancelled", "e2", drstemplate.File{}, context.Canceled)

	p, err := m.Plan(dir, m.Tasks)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Done) != 2 || p.Done[0].TaskID != "done" || p.Done[0].File.SHA256 != fDone.SHA256 ||
		p.Done[1].TaskID != "landed" || p.Done[1].File != fLanded {
		t.Errorf("Done = %+v", p.Done)
	}
	if diff := cmp.Diff([]string{"landed"}, p.Recovered); diff != "" {
		t.Errorf("Recovered (-want +got):\n%s", diff)
	}
	if st := m.State["landed"]; st.File == nil || st.Downloading != "" {
		t.Errorf("the recovered file is not recorded: %+v", st)
	}
	if diff := cmp.Diff([]string{"changed", "gone", "waiting", "failed", "cancelled", "fresh", "split", "cut"}, p.ToDo); diff != "" {
		t.Errorf("ToDo (-want +got):\n%s", diff)
	}
	var sub []string
	for _, e := range p.Submitted {
		sub = append(sub, e.ID+":"+strings.Join(e.TaskIDs, ","))
		if !e.Accepted.Equal(accepted) {
			t.Errorf("export %s lost its acceptance time", e.ID)
		}
	}
	if diff := cmp.Diff([]string{"e1:changed,gone", "e2:waiting,cancelled", "e4:split", "e5:cut"}, sub); diff != "" {
		t.Errorf("Submitted (-want +got):\n%s", diff)
	}
	if !strings.Contains(p.Unverified["changed"], "differs") || !strings.Contains(p.Unverified["gone"], "no such file") {
		t.Errorf("Unverified = %q", p.Unverified)
	}
	// What Plan works on survives a write and a read.
	if err := m.Write(dir, accepted); err != nil {
		t.Fatal(err)
	}
	again, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := again.Plan(dir, again.Tasks)
	p.Recovered = nil // recorded by the first Plan: a plain file now
	if err != nil || !cmp.Equal(p, p2) {
		t.Errorf("the plan after a round trip differs: %v\n%s", err, cmp.Diff(p, p2))
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts writes back
// to a manifest that parses to the same thing.
func FuzzParse(f *testing.F) {
	m := New(endpoint, project, []string{"t1", "t2"})
	m.Apply(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: "e1", Accepted: accepted, TaskIDs: []string{"t1"}}})
	m.Apply(drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: "e1",
		File: drstemplate.File{Name: "a.xlsx", Path: "d/a.xlsx", Size: 3, SHA256: strings.Repeat("0", 64)}}})
	good, _ := json.Marshal(m)
	f.Add(good)
	f.Add([]byte(`{"version":1,"tasks":["a"]}`))
	f.Add([]byte(`{"version":1,"tasks":["a"],"state":{"a":null}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("error not matching ErrDamaged: %v", err)
			}
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("a parsed manifest does not parse again: %v\n%s", err, out)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
		if _, err := m.Plan(t.TempDir(), m.Tasks); err != nil {
			t.Fatalf("Plan of an accepted manifest: %v", err)
		}
	})
}

// TestFilesAtTheirSafeLocalNames checks that the manifest looks for a
// recorded file where a download writes it, its name's safe local form,
// and refuses what is not there or not a workbook.
func TestFilesAtTheirSafeLocalNames(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "a_1.xlsx", zipOf(t, "a"))
	f.Name = "a:1.xlsx"
	if got := LocalPath(dir, f); got != filepath.Join(dir, "a_1.xlsx") {
		t.Errorf("LocalPath = %q", got)
	}
	if got, err := Verify(dir, f); err != nil || got.Path != f.Path {
		t.Errorf("Verify = %+v, %v", got, err)
	}
	unsafe := drstemplate.File{Name: "..", Size: f.Size, SHA256: f.SHA256}
	if got := LocalPath(dir, unsafe); got != "" {
		t.Errorf("LocalPath of a name without a safe form = %q", got)
	}
	if _, err := Verify(dir, unsafe); !errors.Is(err, errMismatch) {
		t.Errorf("Verify of a name without a safe form = %v", err)
	}
	writeFile(t, dir, "t_my_sql.xlsx", zipOf(t, "t"))
	if _, err := recoverDownload(dir, "t", "t_my:sql.xlsx"); err != nil {
		t.Errorf("recovering the task's workbook: %v", err)
	}
	// What a tampered manifest may name as the task's download.
	otherZip := func() string {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("notes.txt")
		_, _ = w.Write([]byte("not a workbook"))
		_ = zw.Close()
		return b.String()
	}()
	for name, content := range map[string]string{
		"t_text.xlsx":  "just text",
		"t_cut.xlsx":   zipOf(t, "cut")[:30],
		"t_other.zip":  otherZip,      // a whole zip, no workbook in it
		"u_other.xlsx": zipOf(t, "u"), // another task's template
	} {
		writeFile(t, dir, name, content)
		if _, err := recoverDownload(dir, "t", name); !errors.Is(err, errMismatch) {
			t.Errorf("recovering %s for task t = %v, want a mismatch", name, err)
		}
	}
	if _, err := recoverDownload(dir, "t", "t_missing.xlsx"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("recovering a missing file = %v", err)
	}
	if err := RemoveStale(dir); err != nil {
		t.Errorf("RemoveStale: %v", err)
	}
	if _, err := Verify(dir, f); err != nil {
		t.Errorf("RemoveStale touched a file: %v", err)
	}
	if err := RemoveStale(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("RemoveStale of a missing directory = %v", err)
	}
	if err := New(endpoint, project, []string{"t1"}).Write(filepath.Join(dir, "missing"), accepted); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
}

// TestVerifiedAndPlanOfSome: Verified counts the tasks whose recorded file
// is there unchanged; Plan covers only the tasks asked for, in their order.
func TestVerifiedAndPlanOfSome(t *testing.T) {
	dir := t.TempDir()
	m := New(endpoint, project, []string{"t1", "t2", "t3"})
	f1 := writeFile(t, dir, "t1_mysql_20260301100001.xlsx", "PK one")
	f2 := writeFile(t, dir, "t2_mysql_20260301100001.xlsx", "PK two")
	m.State["t1"] = &Task{File: &f1}
	m.State["t2"] = &Task{File: &f2}
	if err := os.WriteFile(f2.Path, []byte("PK 2wo"), 0o644); err != nil { // same size, other bytes
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tasks []string
		want  int
	}{{[]string{"t1", "t2", "t3"}, 1}, {[]string{"t2", "t3"}, 0}, {nil, 0}} {
		if got := m.Verified(dir, tc.tasks); got != tc.want {
			t.Errorf("Verified(%q) = %d, want %d", tc.tasks, got, tc.want)
		}
	}
	p, err := m.Plan(dir, []string{"t3", "t2"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.ToDo, []string{"t3", "t2"}) || len(p.Done) != 0 || p.Unverified["t2"] == "" {
		t.Errorf("Plan of t3, t2: %+v", p)
	}
}
