package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the real drstemplate command into a temporary
// directory of the test. It skips the test if there is no go tool.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build the command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "drstemplate")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestMainStopsOnSignal runs the real command (main's signal handling
// included) and stops it with SIGINT and SIGTERM, also while a request is
// held by --latency: it must stop at once (so without Shutdown's timeout),
// print "drsfake: stopped" and exit 0, and the held request gets no answer.
func TestMainStopsOnSignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Process.Signal cannot send SIGINT or SIGTERM on Windows")
	}
	bin := buildBinary(t)
	for _, tc := range []struct {
		name     string
		sig      syscall.Signal
		inFlight bool // a request held by --latency 1m when the signal comes
	}{
		{"SIGINT", syscall.SIGINT, false},
		{"SIGTERM", syscall.SIGTERM, false},
		{"SIGINT with a request in flight", syscall.SIGINT, true},
		{"SIGTERM with a request in flight", syscall.SIGTERM, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"fake-server", "--addr", "127.0.0.1:0", "--export-duration", "0s"}
			if tc.inFlight {
				args = append(args, "--latency", "1m")
			}
			cmd := exec.Command(bin, args...)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// One goroutine reads stdout line by line to its end, then
			// waits for the process and closes done.
			lines := make(chan string, 64)
			done := make(chan struct{})
			var waitErr error
			go func() {
				defer close(done)
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
				waitErr = cmd.Wait()
			}()
			t.Cleanup(func() {
				select {
				case <-done:
				default:
					_ = cmd.Process.Kill()
					for range lines { // let the reader reach the end
						continue
					}
					<-done
				}
			})
			base, project, token, taskID := readBanner(t, lines)

			answered := make(chan error, 1)
			if tc.inFlight {
				// An export sent with Expect: 100-continue: the fake reads
				// its body — and so invites it with 100 Continue — once the
				// token is checked, right before it waits out the latency.
				// Got100Continue is the sign that the request is in flight.
				inHandler := make(chan struct{})
				ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
					Got100Continue: func() { close(inHandler) },
				})
				body := `{"jobs":["` + taskID + `"]}`
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v5/"+project+"/jobs/export/template", strings.NewReader(body))
				req.Header.Set("X-Auth-Token", token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Expect", "100-continue")
				client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}, Timeout: 30 * time.Second}
				defer client.CloseIdleConnections()
				go func() {
					resp, err := client.Do(req)
					if err == nil {
						_ = resp.Body.Close()
						err = errors.New("answered " + resp.Status)
					}
					answered <- err
				}()
				select {
				case <-inHandler:
				case err := <-answered:
					t.Fatalf("the request ended before the fake held it: %v", err)
				}
			}

			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			stopped := false
			deadline := time.After(20 * time.Second)
		read:
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						break read
					}
					stopped = stopped || line == "drsfake: stopped"
				case <-deadline:
					t.Fatalf("still running 20s after %v", tc.sig)
				}
			}
			<-done
			// Stopping is prompt or not at all: fake-server gives Shutdown 5
			// seconds, and a request it did not cut off would make that fail
			// with an error and exit 1.
			if waitErr != nil || !stopped {
				t.Errorf("after %v: exit %v (want 0), \"drsfake: stopped\" printed: %t; stderr: %q", tc.sig, waitErr, stopped, stderr.String())
			}
			if tc.inFlight {
				if err := <-answered; err == nil || strings.HasPrefix(err.Error(), "answered") {
					t.Errorf("the request held by --latency: %v; want its connection closed without an answer", err)
				}
			}
		})
	}
}

// readBanner reads the command's banner up to "Press Ctrl-C to stop." and
// returns the base URL, project id, token and first task id it printed.
func readBanner(t *testing.T, lines <-chan string) (base, project, token, taskID string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	inTasks := false
	for {
		var line string
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the command ended without printing its banner")
			}
			line = l
		case <-timeout:
			t.Fatal("no banner after 30s")
		}
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		v = strings.TrimSpace(v)
		switch {
		case line == "Tasks:":
			inTasks = true
		case inTasks && strings.HasPrefix(line, "  "):
			if taskID == "" {
				taskID = strings.Fields(line)[0]
			}
		case k == "Base URL":
			base = v
		case k == "Project ID" && project == "":
			project = v
		case k == "X-Auth-Token":
			token = v
		case strings.HasPrefix(line, "Press Ctrl-C"):
			if base == "" || project == "" || token == "" || taskID == "" {
				t.Fatal("the banner lacks the base URL, the project id, the token or a task")
			}
			return base, project, token, taskID
		}
		if !strings.HasPrefix(line, "  ") && line != "Tasks:" {
			inTasks = false
		}
	}
}
