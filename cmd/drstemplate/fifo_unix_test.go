//go:build unix

package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
)

// TestFIFOs gives the command FIFOs where it reads files: opening one
// without a writer blocks for ever, and a blocked open ignores SIGINT and
// SIGTERM. Each run must end, refusing the FIFO.
func TestFIFOs(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	mkfifo := func(path string) string {
		t.Helper()
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		return path
	}
	out := t.TempDir()
	mkfifo(manifest.Path(out))
	journaled := t.TempDir()
	if err := manifest.New("http://127.0.0.1:1", "p", []string{task1}).Write(journaled, time.Now()); err != nil {
		t.Fatal(err)
	}
	mkfifo(filepath.Join(journaled, manifest.JournalName))
	book := mkfifo(filepath.Join(t.TempDir(), "template.xlsx"))
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"export into a directory whose manifest is a FIFO", []string{"export", "--out", out, task1}, exitFailed, "not a regular file (a FIFO)"},
		{"export --resume", []string{"export", "--resume", "--out", out, task1}, exitFailed, "not a regular file (a FIFO)"},
		{"export --resume where the manifest's journal is a FIFO", []string{"export", "--resume", "--out", journaled, task1}, exitFailed, "not a regular file (a FIFO)"},
		{"inspect a FIFO", []string{"inspect", book}, exitFailed, "not a regular file (a FIFO)"},
		{"diff with a FIFO", []string{"diff", book, book}, exitFailed, "not a regular file (a FIFO)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan result, 1)
			go func() { done <- runIn(t, context.Background(), "", tt.args...) }()
			var res result
			select {
			case res = <-done:
			case <-time.After(30 * time.Second): // a hang, not a timing
				t.Fatal("the command still runs: it blocked opening the FIFO")
			}
			if res.code != tt.code || !strings.Contains(res.stderr, tt.says) {
				t.Errorf("exit %d, %q; want exit %d saying %q", res.code, res.stderr, tt.code, tt.says)
			}
		})
	}
}
