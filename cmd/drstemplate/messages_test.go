package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
)

// TestOutIsAFile: --out naming a file, or a path through one, gets the
// same exit code (2) and message from export, download and blank, before
// any call.
func TestOutIsAFile(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	file := filepath.Join(t.TempDir(), "notes")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ out, want string }{
		{file, "drstemplate: --out " + file + " is a file, not a directory\n"},
		{filepath.Join(file, "sub"), "drstemplate: --out " + filepath.Join(file, "sub") + ": a part of the path is a file, not a directory\n"},
	} {
		for _, args := range [][]string{{"export", task1}, {"download", "x.xlsx"}, {"blank"}} {
			res := run(t, append(args, "--out", tc.out)...)
			if res.code != exitUsage || res.stderr != tc.want {
				t.Errorf("%s --out %s: exit %d, %q; want %d, %q", args[0], tc.out, res.code, res.stderr, exitUsage, tc.want)
			}
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Error("the file was changed")
	}
	if len(fake.exports()) != 0 {
		t.Errorf("exports were submitted: %v", fake.exports())
	}
}

// TestNoProjectIDSpeaksCLI: without a project id the command names its
// flag, variable and file — not the library's option — and -v says which
// endpoint it calls.
func TestNoProjectIDSpeaksCLI(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	t.Setenv(auth.EnvProjectID, "")
	t.Setenv(auth.EnvAccessKey, "")
	t.Setenv(auth.EnvSecretKey, "")
	t.Setenv(auth.EnvToken, "a-token")
	res := run(t, "list")
	if res.code != exitUsage || !strings.Contains(res.stderr, "no project id: give --project-id, set "+auth.EnvProjectID+", or put project_id in the profile file") ||
		strings.Contains(res.stderr, "WithProjectID") {
		t.Errorf("list without a project id: exit %d\n%s", res.code, res.stderr)
	}

	useFake(t, fake)
	res = run(t, "list", "-v")
	if res.code != exitOK || !strings.Contains(res.stderr, "drstemplate: DRS endpoint "+fake.URL) {
		t.Errorf("list -v: exit %d\n%s", res.code, res.stderr)
	}
}

// TestRetryNotices: without -v, a call about to be tried again says so on
// stderr, with why and when; -q keeps it quiet.
func TestRetryNotices(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	fake.mu.Lock()
	fake.unavailable = 1
	fake.mu.Unlock()
	res := run(t, "list")
	if res.code != exitOK || !strings.Contains(res.stderr, "drstemplate: ListTemplates: ") ||
		!strings.Contains(res.stderr, "503") || !strings.Contains(res.stderr, "; trying again in ") {
		t.Errorf("list after a 503: exit %d\n%s", res.code, res.stderr)
	}
	fake.mu.Lock()
	fake.unavailable = 1
	fake.mu.Unlock()
	if res := run(t, "list", "-q"); res.code != exitOK || res.stderr != "" {
		t.Errorf("list -q after a 503: exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestRetryNoticesHandler: only records of a call about to be tried again
// (an error and a delay) make a line; the others are dropped.
func TestRetryNoticesHandler(t *testing.T) {
	var b strings.Builder
	log := slog.New(retryNotices{&b})
	log.Debug("drstemplate: call", "operation", "ListTemplates", "attempt", 1, "status", 200)
	log.Debug("drstemplate: export status", "export_id", "e1", "status", "running")
	log.Debug("drstemplate: retrying", "operation", "ShowExportProgress", "attempt", 2, "delay", 1234*time.Millisecond,
		"error", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"))
	log.Debug("drstemplate: download broke off, downloading again", "file", "a.xlsx", "delay", time.Second, "error", errors.New("unexpected EOF\x1b[2J"))
	want := "drstemplate: ShowExportProgress: dial tcp 127.0.0.1:1: connect: connection refused; trying again in 1.2s (attempt 2)\n" +
		`drstemplate: downloading a.xlsx: unexpected EOF\x1b[2J; trying again in 1s` + "\n"
	if b.String() != want {
		t.Errorf("notices:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestDNSHint: a host built from the region that does not resolve gets a
// hint to check --region or give --endpoint; with --endpoint, no hint.
func TestDNSHint(t *testing.T) {
	cleanEnv(t)
	t.Setenv(auth.EnvToken, "a-token")
	t.Setenv(auth.EnvProjectID, "0123456789abcdef0123456789abcdef")
	// Every name fails to resolve, without a DNS server (the package's tests
	// do not run in parallel: swapping the default resolver is safe here).
	saved := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS in this test")
	}}
	t.Cleanup(func() { net.DefaultResolver = saved })

	res := run(t, "list", "-q", "--region", "xx-nowhere-9")
	if res.code != exitFailed || !strings.Contains(res.stderr,
		`drstemplate: drs.xx-nowhere-9.myhuaweicloud.com did not resolve: check the region "xx-nowhere-9" (--region or DRSTEMPLATE_REGION`) ||
		!strings.Contains(res.stderr, "or give the DRS host with --endpoint") {
		t.Errorf("list in an unknown region: exit %d\n%s", res.code, res.stderr)
	}
	res = run(t, "list", "-q", "--timeout", "1s", "--endpoint", "https://drs.example.invalid")
	if res.code == exitOK || strings.Contains(res.stderr, "did not resolve") {
		t.Errorf("list with an --endpoint that does not resolve: exit %d\n%s", res.code, res.stderr)
	}
}

// TestFailedTaskTable: a failed task's row has no error text in its FILE
// column; the reason follows the table on a line of its own.
func TestFailedTaskTable(t *testing.T) {
	useFake(t, startFake(t))
	res := run(t, "export", "-q", "--out", t.TempDir(), task1, taskFail)
	if res.code != exitFailed {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	var row, reason string
	for line := range strings.SplitSeq(res.stdout, "\n") {
		switch {
		case strings.HasPrefix(line, taskFail+" "):
			row = line
		case strings.HasPrefix(line, "task "+taskFail+": "):
			reason = line
		}
	}
	if strings.Join(strings.Fields(row), " ") != taskFail+" failed - -" || !strings.Contains(reason, "failed") {
		t.Errorf("the failed task's row %q and reason %q:\n%s", row, reason, res.stdout)
	}
}
