package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// TestRun: with the environment fake-server prints (AK/SK, project), the
// program writes a template per task.
func TestRun(t *testing.T) {
	fake := drsfaketest.Start(t, drsfake.WithGeneratedTasks(3), drsfake.WithExportTimings(0, time.Millisecond))
	t.Setenv("HOME", t.TempDir())
	t.Setenv(auth.EnvAccessKey, fake.AccessKey)
	t.Setenv(auth.EnvSecretKey, fake.SecretKey)
	t.Setenv(auth.EnvProjectID, fake.ProjectID)
	dir := t.TempDir()
	tasksFile := filepath.Join(dir, "tasks.txt")
	if err := os.WriteFile(tasksFile, []byte(strings.Join(fake.TaskIDs, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if n, err := run(t.Context(), fake.URL, tasksFile, out); err != nil || n != 3 {
		t.Fatalf("run = %d, %v; want 3", n, err)
	}
	if entries, err := os.ReadDir(out); err != nil || len(entries) != 3 {
		t.Errorf("%d files in the directory (%v), want 3", len(entries), err)
	}
}
