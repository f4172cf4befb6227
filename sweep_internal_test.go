//go:build unix

package drstemplate

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/drs-tools/drstemplate/auth"
)

// TestSweepTemp leaves temporary files as a killed download would, and
// checks that only those whose writer is gone are removed.
func TestSweepTemp(t *testing.T) {
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true(1) to make a process that is gone")
	}
	dead := strconv.Itoa(gone.Process.Pid)
	here := ".drstemplate-" + hostTag() + "-"
	dir := t.TempDir()
	files := map[string]bool{ // name → kept
		here + dead + "-123.part":                    false,
		here + strconv.Itoa(os.Getpid()) + "-4.part": true, // this process's, maybe in use
		here + "1-5.part":                            true, // pid 1 runs
		".drstemplate-0badf00d-" + dead + "-7.part":  true, // another machine's writer
		".drstemplate-abc.part":                      true, // not ours to judge
		here + dead + "-6.tmp":                       true, // not a temporary download
		"a_mysql_20250101000000.xlsx":                true,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := New(WithEndpoint("http://127.0.0.1:1"), WithProjectID("0123456789abcdef0123456789abcdef"),
		WithCredentials(auth.StaticToken("t")))
	if err != nil {
		t.Fatal(err)
	}
	c.sweepTemp(t.Context(), dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	for name, kept := range files {
		if slices.Contains(left, name) != kept {
			t.Errorf("%s: kept %v, want %v", name, !kept, kept)
		}
	}
}
