package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestExportLocksItsDirectory starts a second export into the directory of
// one that is downloading: it must stop before touching anything, saying
// who holds the directory, and the first must finish as if alone.
func TestExportLocksItsDirectory(t *testing.T) {
	fake := startFake(t)
	fake.hold(true)
	useFake(t, fake)
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan result, 1)
	go func() { first <- runIn(t, ctx, "", "export", "-q", "--out", out, task1) }()
	<-fake.downloading

	for _, args := range [][]string{
		{"export", "-q", "--out", out, task1},
		{"export", "-q", "--resume", "--out", out, task1},
	} {
		// Without the lock, the second run would download as well, held
		// like the first: the deadline only bounds that hang.
		ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
		res := runIn(t, ctx2, "", args...)
		cancel2()
		host, _ := os.Hostname()
		if res.code != exitFailed || !strings.Contains(res.stderr, "another drstemplate is writing into the directory") ||
			!strings.Contains(res.stderr, fmt.Sprintf("pid %d on host %s", os.Getpid(), host)) {
			t.Errorf("%s while another export runs: exit %d, %q", strings.Join(args, " "), res.code, res.stderr)
		}
	}

	fake.hold(false)
	cancel() // the held download ends; the first run stops, interrupted
	<-first
	res := run(t, "export", "-q", "--resume", "--out", out, task1)
	if res.code != exitOK {
		t.Fatalf("resume once the first run ended: exit %d, %s", res.code, res.stderr)
	}
	if xlsx := noPartialFiles(t, out); len(xlsx) != 1 {
		t.Errorf("files: %v", xlsx)
	}
}

// TestDanglingOut gives --out as a symbolic link to nothing.
func TestDanglingOut(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	fake := startFake(t)
	useFake(t, fake)
	out := filepath.Join(t.TempDir(), "out")
	if err := os.Symlink(filepath.Join(t.TempDir(), "gone"), out); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "--out", out, task1},
		{"download", "--out", out, "x_mysql_20260301100001.xlsx"},
		{"blank", "--out", out},
	} {
		res := run(t, args...)
		if res.code != exitUsage || !strings.Contains(res.stderr, "a symbolic link to nothing") || strings.Contains(res.stderr, "file exists") {
			t.Errorf("%s: exit %d, %q; want exit %d naming the dangling link", args[0], res.code, res.stderr, exitUsage)
		}
	}
}
