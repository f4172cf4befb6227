package main

import (
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate/auth"
)

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
