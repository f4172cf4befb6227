package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate/auth"
)

// TestOutIsAFile: --out naming a file, or a path through one, gets the
// same exit code (2) and message from export and download, before any
// call.
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
		for _, args := range [][]string{{"export", task1}, {"download", "x.xlsx"}} {
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
