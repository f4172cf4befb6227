package localfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// open opens dir as a Dir closed at the end of the test.
func open(t *testing.T, dir string) *Dir {
	t.Helper()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// content reads a file, "" when it is missing.
func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fillWith(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	w, err := d.Write("a.xlsx", WriteOptions{}, fillWith("new contents"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("new contents"))
	want := Written{Path: filepath.Join(dir, "a.xlsx"), Size: 12, SHA256: hex.EncodeToString(sum[:])}
	if w != want {
		t.Errorf("Write = %+v, want %+v", w, want)
	}
	if got := content(t, w.Path); got != "new contents" {
		t.Errorf("the file holds %q", got)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"a.xlsx"}) {
		t.Errorf("the directory holds %q, want the file alone", got)
	}
	if runtime.GOOS != "windows" {
		for _, tc := range []struct {
			name string
			mode fs.FileMode
			want fs.FileMode
		}{{"private", 0, 0o600}, {"shared", 0o644, 0o644}} {
			if _, err := d.Write(tc.name, WriteOptions{Mode: tc.mode}, fillWith("x")); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(d.Path(tc.name)); err != nil || fi.Mode().Perm() != tc.want {
				t.Errorf("%s: mode %v, %v; want %v", tc.name, fi.Mode().Perm(), err, tc.want)
			}
		}
	}
}

// TestWriteFailureLeavesNoPartialFile fails the write midway, in fill and
// in Check, with and without a file already there: the old file (or none)
// is what is left, never part of the new one, and no temporary file
// remains. A write that wrote the target in place and removed it on
// failure would lose the old file here.
func TestWriteFailureLeavesNoPartialFile(t *testing.T) {
	broken := errors.New("the connection broke")
	for _, tc := range []struct {
		name      string
		old       string // "" for no file
		overwrite bool
		failFill  bool
	}{
		{"fill fails, no file before", "", false, true},
		{"fill fails, a file before, overwrite", "old contents", true, true},
		{"check fails, no file before", "", true, false},
		{"check fails, a file before, overwrite", "old contents", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "a.xlsx")
			if tc.old != "" {
				if err := os.WriteFile(target, []byte(tc.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			d := open(t, dir)
			o := WriteOptions{Overwrite: tc.overwrite}
			if !tc.failFill {
				o.Check = func(*os.File, int64) error { return broken }
			}
			_, err := d.Write("a.xlsx", o, func(w io.Writer) error {
				if _, err := io.WriteString(w, "part of the new"); err != nil {
					return err
				}
				if got := content(t, target); got != tc.old {
					t.Errorf("while writing, the target holds %q, want %q", got, tc.old)
				}
				if tc.failFill {
					return broken
				}
				return nil
			})
			if !errors.Is(err, broken) {
				t.Fatalf("Write = %v, want the failure", err)
			}
			if got := content(t, target); got != tc.old {
				t.Errorf("after the failure the target holds %q, want %q", got, tc.old)
			}
			want := []string(nil)
			if tc.old != "" {
				want = []string{"a.xlsx"}
			}
			if got := names(t, dir); !slices.Equal(got, want) {
				t.Errorf("the directory holds %q, want %q (no temporary file)", got, want)
			}
		})
	}
}

// TestWriteKeepsAFileThatAppearedMeanwhile makes the target appear while
// the file is written: without Overwrite, Write must not clobber it.
func TestWriteKeepsAFileThatAppearedMeanwhile(t *testing.T) {
	for _, overwrite := range []bool{false, true} {
		dir := t.TempDir()
		target := filepath.Join(dir, "a.xlsx")
		d := open(t, dir)
		_, err := d.Write("a.xlsx", WriteOptions{Overwrite: overwrite}, func(w io.Writer) error {
			if err := os.WriteFile(target, []byte("another writer's"), 0o600); err != nil {
				return err
			}
			_, err := io.WriteString(w, "ours")
			return err
		})
		want, got := "ours", content(t, target)
		if !overwrite {
			want = "another writer's"
			if !errors.Is(err, ErrExist) || !strings.Contains(err.Error(), target) {
				t.Errorf("without overwrite: Write = %v, want ErrExist naming %s", err, target)
			}
		} else if err != nil {
			t.Errorf("with overwrite: %v", err)
		}
		if got != want {
			t.Errorf("overwrite %v: the target holds %q, want %q", overwrite, got, want)
		}
		if got := names(t, dir); !slices.Equal(got, []string{"a.xlsx"}) {
			t.Errorf("overwrite %v: the directory holds %q (a temporary file left?)", overwrite, got)
		}
	}
}

// TestDirKeepsNamesInside checks that no name leads out of the directory,
// whatever a caller passes: containment is the os.Root's, not a check.
func TestDirKeepsNamesInside(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(parent, "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	d := open(t, dir)
	for _, name := range []string{"../escaped", outside, "link/x"} {
		if _, err := d.Write(name, WriteOptions{Overwrite: true}, fillWith("x")); err == nil {
			t.Errorf("Write(%q) succeeded", name)
		}
	}
	if f, err := d.Open("link"); err == nil {
		_ = f.Close()
		t.Error("Open followed a link out of the directory")
	}
	if got := content(t, outside); got != "secret" {
		t.Errorf("the file outside holds %q", got)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out", "secret"}) {
		t.Errorf("beside the directory: %q", got)
	}
	if !d.Exists("link") || d.Exists("missing") {
		t.Error("Exists does not see the link, or sees a missing name")
	}
}

func TestOpenDirMissing(t *testing.T) {
	if _, err := OpenDir(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenDir of a missing directory = %v", err)
	}
}
