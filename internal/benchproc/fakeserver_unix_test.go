//go:build unix

package benchproc

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script standing in for the drstemplate
// command and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "drstemplate")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// A banner of one task, then waiting to be interrupted; stop is what the
// script does on SIGINT.
const (
	bannerOne = `echo '{"url":"http://127.0.0.1:1","project_id":"p","tasks":[{"id":"t1"}],"env":{"B":"2","A":"1"}}'` + "\n"
	waitLoop  = "while :; do sleep 0.02; done\n"
)

func TestStartStop(t *testing.T) {
	bin := script(t, `trap 'echo "drsfake: calls: ListTemplates=2" >&2; echo "drsfake: stopped" >&2; exit 0' INT
echo "$@" >&2
`+bannerOne+waitLoop)
	s, err := Start(t.Context(), Config{Bin: bin, Tasks: 1, Latency: 50 * time.Millisecond, Seed: 1,
		AccessKey: "AK", SecretKey: "SK", ProjectID: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if s.URL != "http://127.0.0.1:1" || s.ProjectID != "p" || !slices.Equal(s.TaskIDs, []string{"t1"}) ||
		!slices.Equal(s.Env, []string{"A=1", "B=2"}) {
		t.Errorf("Start read %+v", s)
	}
	calls, err := s.Stop()
	if err != nil || !maps.Equal(calls, Calls{"ListTemplates": 2}) {
		t.Errorf("Stop = %v, %v", calls, err)
	}
	args := s.stderr.String()
	for _, want := range []string{"fake-server -o json --addr 127.0.0.1:0 --tasks 1 --seed 1 --export-duration 0s --latency 50ms",
		"--ak AK --sk SK", "--project-id p"} {
		if !strings.Contains(args, want) {
			t.Errorf("the fake's arguments %q lack %q", args, want)
		}
	}
}

func TestStartFails(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		tasks      int
		want       string
	}{
		{"no banner", "echo 'cannot listen' >&2; exit 1\n", 1, "cannot listen"},
		{"too few tasks", "trap 'exit 0' INT\n" + bannerOne + waitLoop, 2, "1 tasks, want 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Start(t.Context(), Config{Bin: script(t, tc.body), Tasks: tc.tasks})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start = %v, want an error saying %q", err, tc.want)
			}
		})
	}
	t.Run("the start takes too long", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if _, err := Start(ctx, Config{Bin: script(t, waitLoop)}); err == nil {
			t.Error("Start returned without a banner")
		}
	})
}

func TestStopFails(t *testing.T) {
	for _, tc := range []struct{ name, trap, want string }{
		{"an exit status", `trap 'echo "stopping went wrong" >&2; exit 3' INT`, "stopping went wrong"},
		{"no calls line", `trap 'exit 0' INT`, "no \"drsfake: calls:\" line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(t.Context(), Config{Bin: script(t, tc.trap+"\n"+bannerOne+waitLoop), Tasks: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Stop(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Stop = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestBuildFails(t *testing.T) {
	if err := Build(t.Context(), t.TempDir(), filepath.Join(t.TempDir(), "bin")); err == nil {
		t.Error("Build succeeded in a directory without the module")
	}
}
