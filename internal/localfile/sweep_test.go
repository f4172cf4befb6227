//go:build unix

package localfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestSweep leaves temporary files as a killed writer would, and checks
// that only those whose writer is gone are removed.
func TestSweep(t *testing.T) {
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
		here + dead + "-6.tmp":                       true, // not a temporary file of ours
		"a_mysql_20250101000000.xlsx":                true,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, here+dead+"-8.part"), 0o700); err != nil {
		t.Fatal(err)
	}
	files[here+dead+"-8.part"] = true // a directory is never a temporary file
	d := open(t, dir)
	removed := d.Sweep()
	if !slices.Equal(removed, []string{here + dead + "-123.part"}) {
		t.Errorf("Sweep removed %q", removed)
	}
	left := names(t, dir)
	for name, kept := range files {
		if slices.Contains(left, name) != kept {
			t.Errorf("%s: kept %v, want %v", name, !kept, kept)
		}
	}
}

// TestSweepFindsWhatAKilledWriteLeaves checks that the temporary file of
// Write is one Sweep recognises: a writer killed in fill leaves a file
// named like this process's, which Sweep keeps while the process runs.
func TestSweepFindsWhatAKilledWriteLeaves(t *testing.T) {
	d := open(t, t.TempDir())
	f, name, err := d.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if got := d.Sweep(); len(got) != 0 {
		t.Fatalf("Sweep removed %q, the file of a running process", got)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true(1) to make a process that is gone")
	}
	// The same name as if a process that is gone had written it.
	dead := ".drstemplate-" + hostTag() + "-" + strconv.Itoa(gone.Process.Pid) + name[len(tempStem())-1:]
	if err := os.Rename(d.Path(name), d.Path(dead)); err != nil {
		t.Fatal(err)
	}
	if got := d.Sweep(); !slices.Equal(got, []string{dead}) {
		t.Fatalf("Sweep removed %q, want %q", got, dead)
	}
}
