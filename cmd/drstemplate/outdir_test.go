package main

import (
	"bytes"
	"context"
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

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/drsfake"
)

// TestFailedExportLeavesNothing: a run that submitted nothing (here DRS
// refuses the secret key) leaves no manifest and no --out it made, and a
// manifest already there as it was; the corrected command then just works.
func TestFailedExportLeavesNothing(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out := filepath.Join(t.TempDir(), "out")

	t.Setenv(auth.EnvSecretKey, "a-wrong-secret-key")
	res := run(t, "export", "--out", out, task1)
	if res.code != exitAuth {
		t.Fatalf("export with a wrong SK: exit %d, want %d\n%s", res.code, exitAuth, res.stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a run that submitted nothing left --out behind: %v", err)
	}

	t.Setenv(auth.EnvSecretKey, testSK)
	if res := run(t, "export", "-q", "--out", out, task1); res.code != exitOK {
		t.Fatalf("the corrected command: exit %d\n%s", res.code, res.stderr)
	}
	before, err := os.ReadFile(manifest.Path(out))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(auth.EnvSecretKey, "a-wrong-secret-key")
	if res := run(t, "export", "--out", out, task2); res.code != exitAuth {
		t.Fatalf("export with a wrong SK: exit %d\n%s", res.code, res.stderr)
	}
	if after, _ := os.ReadFile(manifest.Path(out)); !bytes.Equal(before, after) {
		t.Errorf("a run that submitted nothing changed the manifest:\n%s\n→\n%s", before, after)
	}
}

// TestExportIntoUsedDir: a new export into a directory with a manifest
// adds its tasks to it and keeps the earlier files, saying so; --resume
// without ids goes on with the manifest's tasks, and with a new id exports
// it too; a manifest of another endpoint is refused before any export.
func TestExportIntoUsedDir(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, first, _ := exportTo(t, exitOK, task1)

	res := run(t, "export", "-o", "json", "--out", out, task2)
	if res.code != exitOK {
		t.Fatalf("a second export into --out: exit %d\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "records earlier exports of 1 task; this run exports 1 task afresh and records it there too; the earlier files stay") {
		t.Errorf("the second export does not say what it does with the manifest:\n%s", res.stderr)
	}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Tasks, " ") != task1+" "+task2 || m.State[task1] == nil || m.State[task1].File == nil {
		t.Fatalf("manifest after the second export: %q, %+v", m.Tasks, m.State)
	}
	if _, err := manifest.Verify(out, *first.Tasks[0].File); err != nil {
		t.Errorf("the first export's file: %v", err)
	}

	// --resume without ids: the manifest's tasks, both there.
	res = run(t, "export", "--resume", "-o", "json", "--out", out)
	var rep exportReport
	if res.code != exitOK || json.Unmarshal([]byte(res.stdout), &rep) != nil || rep.Skipped != 2 || len(rep.Tasks) != 2 {
		t.Fatalf("--resume without ids: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	// --resume with a task new to the manifest: exported, the others skipped.
	res = run(t, "export", "--resume", "-o", "json", "--out", out, task1, task3)
	rep = exportReport{}
	if res.code != exitOK || json.Unmarshal([]byte(res.stdout), &rep) != nil || rep.Skipped != 1 || rep.Exported != 1 ||
		!strings.Contains(res.stderr, "1 task, new to "+manifest.Path(out)+", is exported afresh") {
		t.Fatalf("--resume with a new task: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if ex := fake.exports(); ex[task1] != 1 || ex[task2] != 1 || ex[task3] != 1 {
		t.Errorf("exports per task: %v; want 1 each", ex)
	}

	// Another endpoint's manifest: exit 2 before any export.
	other := startFake(t)
	t.Setenv(envEndpoint, other.URL)
	t.Setenv(auth.EnvProjectID, fake.ProjectID)
	res = run(t, "export", "--out", out, task1)
	if res.code != exitUsage || !strings.Contains(res.stderr, "it records exports at "+fake.URL) || !strings.Contains(res.stderr, "choose another --out") {
		t.Errorf("a manifest of another endpoint: exit %d\n%s", res.code, res.stderr)
	}
	if len(other.exports()) != 0 {
		t.Errorf("exports were submitted: %v", other.exports())
	}

	// --resume without ids and no manifest: exit 2, saying what to give.
	res = run(t, "export", "--resume", "--out", filepath.Join(t.TempDir(), "empty"))
	if res.code != exitUsage || !strings.Contains(res.stderr, "there is none: give the task ids") {
		t.Errorf("--resume without ids into an empty --out: exit %d\n%s", res.code, res.stderr)
	}
}

// TestStoppedExport: Ctrl-C (the context cancelled) and --timeout stop an
// export waiting for DRS: each task says "interrupted" or "timed out" — in
// the table, the summary and JSON — never "failed" or "context canceled",
// and the error says what was done and that export --resume goes on; the
// exit codes stay 130 and 3.
func TestStoppedExport(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		cancel bool
		code   int
		status string // in JSON
		words  string // in the text and the error
	}{
		{"interrupted", nil, true, exitInterrupted, statusInterrupted, "interrupted"},
		// A wait gives up when no progress call fits before the deadline,
		// before the context ends: still "timed out".
		{"timed out", []string{"--timeout", "1s", "--poll-interval", "250ms"}, false, exitTimeout, statusTimedOut, "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				fake := startFake(t, drsfake.WithExportTimings(0, time.Hour))
				useFake(t, fake)
				out := filepath.Join(t.TempDir(), "out")
				ctx, cancel := context.WithCancel(context.Background())
				if tc.cancel {
					go func() { <-fake.polled; cancel() }()
				}
				args := append([]string{"export", "-o", format, "--out", out, "--poll-interval", "20ms", task1, task2}, tc.args...)
				res := runIn(t, ctx, "", args...)
				cancel()
				if res.code != tc.code {
					t.Fatalf("%s: exit %d, want %d\n%s", format, res.code, tc.code, res.stderr)
				}
				all := res.stdout + res.stderr
				for _, bad := range []string{"failed:", "context canceled", "deadline exceeded", "1 failed", "2 failed"} {
					if strings.Contains(all, bad) {
						t.Errorf("%s: the output says %q:\n%s", format, bad, all)
					}
				}
				wantErr := "drstemplate: " + tc.words
				if !strings.Contains(res.stderr, wantErr) || !strings.Contains(res.stderr, "drstemplate export --resume --out "+out) ||
					!strings.Contains(res.stderr, "accepted the exports of 2 of them") {
					t.Errorf("%s: the error does not say what was done and how to go on:\n%s", format, res.stderr)
				}
				if format == "json" {
					var rep exportReport
					if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
						t.Fatal(err)
					}
					if rep.Tasks[0].Status != tc.status || rep.Tasks[1].Status != tc.status || rep.Failed != 0 || rep.Interrupted+rep.TimedOut != 2 {
						t.Errorf("JSON report: %+v", rep)
					}
					continue
				}
				if !strings.Contains(res.stdout, "0 failed, 2 "+tc.words) || strings.Count(res.stdout, "  "+tc.words+"  ") != 2 {
					t.Errorf("text report:\n%s", res.stdout)
				}
				if !strings.Contains(res.stderr, tc.words+" (2/2): its export") {
					t.Errorf("progress lines:\n%s", res.stderr)
				}
			}
		})
	}
}

// TestStopCause: a run whose tasks ended on context.DeadlineExceeded while
// the context, with its deadline still ahead, had not ended yet (a wait
// gives up once no call fits) was stopped by --timeout all the same;
// without a deadline such an error is a task's own failure.
func TestStopCause(t *testing.T) {
	timedOut := []drstemplate.Result{{TaskID: task1, Err: fmt.Errorf("waiting for export e1: %w", context.DeadlineExceeded)}}
	withDeadline, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		results []drstemplate.Result
		want    error
	}{
		{"deadline ahead, a task timed out", withDeadline, timedOut, context.DeadlineExceeded},
		{"deadline ahead, nothing timed out", withDeadline, []drstemplate.Result{{TaskID: task1}}, nil},
		{"no deadline", context.Background(), timedOut, nil},
		{"cancelled", cancelled, nil, context.Canceled},
	} {
		if got := stopCause(tc.ctx, tc.results); !errors.Is(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestReportOfAStoppedRun: in a run that Ctrl-C or --timeout stopped, a
// task that the stop cut short is interrupted or timed out, but one that
// had failed on its own before still says failed, and why; done and
// verified tasks keep their status. The report is in the order asked.
func TestReportOfAStoppedRun(t *testing.T) {
	file := drstemplate.File{Name: "t1.xlsx", Path: "out/t1.xlsx", Size: 10}
	failed := fmt.Errorf("export e1: %w", drstemplate.ErrExportFailed)
	results := []drstemplate.Result{
		{TaskID: task3, ExportID: "e2", Err: fmt.Errorf("waiting for export e2: %w", context.Canceled)},
		{TaskID: task1, ExportID: "e1", File: file},
		{TaskID: taskFail, ExportID: "e1", Err: failed},
	}
	done := []drstemplate.Result{{TaskID: task2, ExportID: "e0", File: file}}
	tasks := []string{task1, task2, task3, taskFail}
	for _, tc := range []struct {
		name                          string
		stopped                       error
		cut                           string // the status of the task the stop cut short
		failed, interrupted, timedOut int
	}{
		{"interrupted", context.Canceled, statusInterrupted, 1, 1, 0},
		{"timed out", context.DeadlineExceeded, statusTimedOut, 1, 0, 1},
		{"not stopped", nil, statusFailed, 2, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := slices.Clone(results)
			if tc.stopped != nil {
				rs[0].Err = fmt.Errorf("waiting for export e2: %w", tc.stopped)
			}
			r := newExportReport("out", tasks, done, rs, tc.stopped)
			var got []string
			for _, tr := range r.Tasks {
				got = append(got, tr.TaskID+" "+tr.Status)
			}
			want := []string{task1 + " exported", task2 + " skipped", task3 + " " + tc.cut, taskFail + " failed"}
			if !slices.Equal(got, want) {
				t.Errorf("statuses:\n got %q\nwant %q", got, want)
			}
			if e := r.Tasks[3].Error; e != failed.Error() {
				t.Errorf("the failed task's error = %q, want %q", e, failed.Error())
			}
			if r.Exported != 1 || r.Skipped != 1 || r.Failed != tc.failed || r.Interrupted != tc.interrupted || r.TimedOut != tc.timedOut {
				t.Errorf("counts: %+v", r)
			}
		})
	}
}

// TestStoppedSays: the error of a stopped run counts what was done, what
// the stop cut short and, of that, what DRS had accepted (what --resume
// waits on rather than submits again), and says how to go on only where a
// manifest is.
func TestStoppedSays(t *testing.T) {
	r := &exportReport{
		Tasks: []taskReport{
			{TaskID: task1, Status: statusExported, ExportID: "e1"},
			{TaskID: task2, Status: statusInterrupted, ExportID: "e1"},
			{TaskID: task3, Status: statusInterrupted},
			{TaskID: taskFail, Status: statusFailed, ExportID: "e1"},
		},
		Exported: 1, Interrupted: 2, Failed: 1,
		Manifest: "out/" + manifest.FileName,
	}
	err := stopped(context.Canceled, r, "out")
	want := "interrupted: 1 of 4 tasks done, 2 stopped (DRS had accepted the exports of 1 of them); to go on where it stopped: drstemplate export --resume --out out"
	if err == nil || err.Error() != want || !errors.Is(err, context.Canceled) {
		t.Errorf("stopped = %v\nwant %s", err, want)
	}
	r.Manifest = ""
	if err := stopped(context.Canceled, r, "out"); err == nil || strings.Contains(err.Error(), "--resume") {
		t.Errorf("without a manifest: %v", err)
	}
	if err := stopped(nil, r, "out"); err != nil {
		t.Errorf("not stopped: %v", err)
	}
}
