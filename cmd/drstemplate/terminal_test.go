package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// openPTY opens a pseudo-terminal for the test; everything written to tty
// is collected from the other end. It skips the test where there is none.
func openPTY(t *testing.T) (tty *os.File, screen func() string, ptmx *os.File) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no pty on Windows")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	_ = pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 140})
	var mu sync.Mutex
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := ptmx.Read(b)
			mu.Lock()
			buf.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = tty.Close()
		_ = ptmx.Close()
		<-done
	})
	return tty, func() string {
		time.Sleep(100 * time.Millisecond) // let the reader catch up
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}, ptmx
}

// runWithStderr runs drstemplate in this process with stderr going to w.
func runWithStderr(t *testing.T, stdin io.Reader, stderr io.Writer, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	code := execute(context.Background(), args, stdin, &out, stderr)
	return out.String(), code
}

// TestProgressTerminal: on a terminal, export draws live progress (mpb):
// the whole run's bar with tasks done/total and a line per task with its
// state, coloured unless NO_COLOR is set; stdout is unchanged.
func TestProgressTerminal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		noColor bool
	}{{"colour", false}, {"NO_COLOR", true}} {
		t.Run(tc.name, func(t *testing.T) {
			fake := startFake(t, drsfake.WithExportTimings(0, 600*time.Millisecond))
			useFake(t, fake)
			t.Setenv("TERM", "xterm-256color")
			if tc.noColor {
				t.Setenv("NO_COLOR", "1")
			}
			tty, screen, _ := openPTY(t)
			stdout, code := runWithStderr(t, strings.NewReader(""), tty, "export", "--out", t.TempDir(), "--poll-interval", "100ms", task1, task2)
			if code != exitOK {
				t.Fatalf("exit %d; terminal:\n%s", code, screen())
			}
			got := screen()
			for _, want := range []string{"export", "2/2 tasks", "100 %", task1, task2, "done"} {
				if !strings.Contains(got, want) {
					t.Errorf("the terminal lacks %q:\n%q", want, got)
				}
			}
			if strings.Contains(got, "[  0.0s]") {
				t.Errorf("plain log lines on a terminal:\n%q", got)
			}
			if colored := strings.Contains(got, "\x1b[32m"); colored == tc.noColor {
				t.Errorf("colour codes shown: %t, NO_COLOR set: %t", colored, tc.noColor)
			}
			if !strings.Contains(stdout, "2 tasks: 2 exported") || strings.Contains(stdout, "\x1b") {
				t.Errorf("stdout: %q", stdout)
			}
		})
	}
}

// TestProgressNotTerminal: without a terminal, progress is plain lines on
// stderr, nothing with -q, and -v adds the client's debug lines.
func TestProgressNotTerminal(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	var stderr bytes.Buffer
	if _, code := runWithStderr(t, strings.NewReader(""), &stderr, "export", "--out", t.TempDir(), task1); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"exporting 1 task", "accepted: 1 task", ": success", "task " + task1 + ": done (1/1)"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "\x1b") {
		t.Errorf("escape sequences in plain output: %q", stderr.String())
	}
	stderr.Reset()
	if _, code := runWithStderr(t, strings.NewReader(""), &stderr, "export", "-q", "--out", t.TempDir(), task1); code != exitOK || stderr.Len() != 0 {
		t.Errorf("-q: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if _, code := runWithStderr(t, strings.NewReader(""), &stderr, "export", "-v", "--out", t.TempDir(), task1); code != exitOK {
		t.Fatalf("-v: exit %d", code)
	}
	for _, want := range []string{"level=DEBUG", "ExportCreationTemplate", "request_id"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-v lacks %q:\n%s", want, stderr.String())
		}
	}
	for _, secret := range []string{testSK, "Authorization", "SDK-HMAC-SHA256 Access"} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("-v shows %q", secret)
		}
	}
}

// TestPasswordPrompt: a password login without its password asks on the
// terminal without echo, and the password never shows.
func TestPasswordPrompt(t *testing.T) {
	const password = "pty-typed-password-0001"
	fake := startFake(t, drsfake.WithUser("acct", "bob", password))
	cleanEnv(t)
	t.Setenv(envEndpoint, fake.URL)
	t.Setenv(auth.EnvIAMEndpoint, fake.URL)
	tty, screen, ptmx := openPTY(t)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, _ = ptmx.Write([]byte(password + "\r"))
	}()
	stdout, code := runWithStderr(t, tty, tty, "list", "--iam-account", "acct", "--iam-user", "bob", "--project-id", fake.ProjectID, "-o", "json")
	got := screen()
	if code != exitOK || !strings.Contains(stdout, `"templates"`) {
		t.Fatalf("exit %d, stdout %q; terminal:\n%q", code, stdout, got)
	}
	if !strings.Contains(got, "IAM password for bob:") || strings.Contains(got, password) || strings.Contains(stdout, password) {
		t.Errorf("terminal: %q", got)
	}
}
