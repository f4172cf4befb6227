package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/compat/huaweisdk/internal/sdkhome"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// TestMain runs the tests with a throw-away home directory (see sdkhome).
func TestMain(m *testing.M) { os.Exit(sdkhome.Run(m)) }

// TestRun: the program exports in chunks, one after another, waits for
// each, lists every page and downloads each task's template once, one file
// per call; the files are whole workbooks named after their tasks.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name         string
		tasks, chunk int
		pageLimit    int // the fake's most files per page
		exports      int64
		lists        int64
	}{
		{"one export, one page", 3, 1000, 100, 1, 1},
		{"two chunks", 5, 3, 100, 2, 1},
		{"pages the fake cuts short", 5, 1000, 2, 1, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := drsfaketest.Start(t, drsfake.WithGeneratedTasks(tc.tasks), drsfake.WithPageSizeLimit(tc.pageLimit),
				drsfake.WithExportTimings(5*time.Millisecond, 5*time.Millisecond))
			dir := t.TempDir()
			tasksFile := filepath.Join(dir, "tasks.txt")
			if err := os.WriteFile(tasksFile, []byte(strings.Join(fake.TaskIDs, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			n, err := run(settings{endpoint: fake.URL, ak: fake.AccessKey, sk: fake.SecretKey, projectID: fake.ProjectID,
				tasksFile: tasksFile, out: out, poll: 5 * time.Millisecond, chunk: tc.chunk})
			if err != nil || n != tc.tasks {
				t.Fatalf("run = %d, %v; want %d files", n, err, tc.tasks)
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				task, _, _ := strings.Cut(e.Name(), "_")
				got = append(got, task)
				data, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if err := localfile.CheckWorkbook(strings.NewReader(string(data)), int64(len(data))); err != nil {
					t.Errorf("%s: %v", e.Name(), err)
				}
			}
			if want := slices.Sorted(slices.Values(fake.TaskIDs)); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
				t.Errorf("files of tasks %v, want one of each of %v", got, want)
			}
			calls := fake.Calls()
			if calls[drsfake.OpShowExportProgress] < tc.exports {
				t.Errorf("%d progress calls for %d exports", calls[drsfake.OpShowExportProgress], tc.exports)
			}
			delete(calls, drsfake.OpShowExportProgress)
			want := map[drsfake.Operation]int64{drsfake.OpExportCreationTemplate: tc.exports,
				drsfake.OpListTemplates: tc.lists, drsfake.OpDownloadCreateTemplate: int64(tc.tasks)}
			if !maps.Equal(calls, want) {
				t.Errorf("calls %v, want %v", calls, want)
			}
		})
	}
}

// TestRunExportFails: an export that ends failed is an error.
func TestRunExportFails(t *testing.T) {
	fake := drsfaketest.Start(t, drsfake.WithGeneratedTasks(0),
		drsfake.WithTasks(drsfake.Task{ID: "0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01", Engine: "mysql", Name: "x", FailExport: true}),
		drsfake.WithExportTimings(5*time.Millisecond, 5*time.Millisecond))
	dir := t.TempDir()
	tasksFile := filepath.Join(dir, "tasks.txt")
	if err := os.WriteFile(tasksFile, []byte(fake.TaskIDs[0]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := run(settings{endpoint: fake.URL, ak: fake.AccessKey, sk: fake.SecretKey, projectID: fake.ProjectID,
		tasksFile: tasksFile, out: filepath.Join(dir, "out"), poll: 5 * time.Millisecond, chunk: maxJobsPerExport})
	if err == nil || !strings.Contains(err.Error(), "failed") {
		t.Errorf("run = %v, want the failed export", err)
	}
}
