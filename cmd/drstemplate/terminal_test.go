//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// ptyWait bounds how long a terminal test waits for text to reach the
// screen: a safety net for a broken test, never reached when it passes.
const ptyWait = 30 * time.Second

// terminal is a pseudo-terminal for a test: what is written to tty is
// collected from the other end (ptmx) as the screen.
type terminal struct {
	tty, ptmx *os.File
	mu        sync.Mutex
	changed   *sync.Cond // broadcast on every read, and at the end
	buf       bytes.Buffer
	closed    bool
}

// openPTY opens a pseudo-terminal for the test. It skips the test where
// there is none.
func openPTY(t *testing.T) *terminal {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	_ = pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 140})
	term := &terminal{tty: tty, ptmx: ptmx}
	term.changed = sync.NewCond(&term.mu)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := ptmx.Read(b)
			term.mu.Lock()
			term.buf.Write(b[:n])
			term.closed = err != nil
			term.changed.Broadcast()
			term.mu.Unlock()
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
	return term
}

// waitFor waits until the screen shows want (or ptyWait passes, or the
// terminal closes) and returns the screen.
func (term *terminal) waitFor(want string) string {
	timer := time.AfterFunc(ptyWait, func() {
		term.mu.Lock()
		term.closed = true
		term.changed.Broadcast()
		term.mu.Unlock()
	})
	defer timer.Stop()
	term.mu.Lock()
	defer term.mu.Unlock()
	for !strings.Contains(term.buf.String(), want) && !term.closed {
		term.changed.Wait()
	}
	return term.buf.String()
}

// screen returns everything written to tty so far: it writes a marker to
// tty and waits for the marker to come out of the other end, so that what
// was written before it has too. The marker is not part of the screen.
func (term *terminal) screen() string {
	marker := "<<end of screen " + strconv.FormatInt(time.Now().UnixNano(), 36) + ">>"
	_, _ = io.WriteString(term.tty, marker)
	got := term.waitFor(marker)
	before, _, _ := strings.Cut(got, marker)
	return before
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
			term := openPTY(t)
			stdout, code := runWithStderr(t, strings.NewReader(""), term.tty, "export", "--out", t.TempDir(), "--poll-interval", "100ms", task1, task2)
			if code != exitOK {
				t.Fatalf("exit %d; terminal:\n%s", code, term.screen())
			}
			got := term.screen()
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

// TestProgressZeroColumns: a terminal that reports 0 columns gets the
// plain progress lines (a live display would show nothing there).
func TestProgressZeroColumns(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	term := openPTY(t)
	if err := pty.Setsize(term.ptmx, &pty.Winsize{Rows: 0, Cols: 0}); err != nil {
		t.Skipf("cannot set the terminal's size: %v", err)
	}
	_, code := runWithStderr(t, strings.NewReader(""), term.tty, "export", "--out", t.TempDir(), task1, task2)
	got := term.screen()
	if code != exitOK {
		t.Fatalf("exit %d; terminal:\n%s", code, got)
	}
	for _, want := range []string{"exporting 2 tasks", "done (2/2)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, got)
		}
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
	term := openPTY(t)
	typed := make(chan error, 1)
	go func() { // type the password once it is asked for and will not echo
		term.waitFor("IAM password for bob:")
		if err := waitEchoOff(term.tty); err != nil {
			typed <- err
			return
		}
		_, err := term.ptmx.Write([]byte(password + "\r"))
		typed <- err
	}()
	stdout, code := runWithStderr(t, term.tty, term.tty, "list", "--iam-account", "acct", "--iam-user", "bob", "--project-id", fake.ProjectID, "-o", "json")
	if err := <-typed; err != nil {
		t.Fatalf("typing the password: %v", err)
	}
	got := term.screen()
	if code != exitOK || !strings.Contains(stdout, `"templates"`) {
		t.Fatalf("exit %d, stdout %q; terminal:\n%q", code, stdout, got)
	}
	if !strings.Contains(got, "IAM password for bob:") || strings.Contains(got, password) || strings.Contains(stdout, password) {
		t.Errorf("terminal: %q", got)
	}
}

// waitEchoOff waits until tty no longer echoes what is typed (the prompt
// has turned echo off), polling its termios until ptyWait passes.
func waitEchoOff(tty *os.File) error {
	deadline := time.Now().Add(ptyWait)
	for {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios) //nolint:gosec // a file descriptor fits an int
		if err != nil {
			return err
		}
		if tio.Lflag&unix.ECHO == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("the terminal still echoes after " + ptyWait.String())
		}
		runtime.Gosched()
	}
}
