//go:build unix

package localfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOpenRegular opens what is not a regular file: a FIFO without a
// writer (an open that would block for ever), a directory, a symbolic link.
func TestOpenRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		follow     bool
		is         error // nil: opened
		says       string
	}{
		{"a regular file", file, false, nil, ""},
		{"a FIFO", fifo, true, ErrNotRegular, "a FIFO"},
		{"a directory", dir, true, ErrNotRegular, "a directory"},
		{"a symbolic link, followed", link, true, nil, ""},
		{"a symbolic link, not followed", link, false, ErrNotRegular, "a symbolic link"},
		{"a dangling symbolic link, not followed", dangling, false, ErrNotRegular, "a symbolic link"},
		{"a loop of links, followed", loop, true, syscall.ELOOP, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fi, err := OpenRegular(tt.path, tt.follow)
			if !errors.Is(err, tt.is) || (err == nil) != (f != nil) {
				t.Fatalf("OpenRegular = %v, %v; want %v", f, err, tt.is)
			}
			if err != nil {
				if tt.says != "" && !strings.Contains(err.Error(), tt.says) {
					t.Errorf("OpenRegular = %v; want it to say %q", err, tt.says)
				}
				return
			}
			defer func() { _ = f.Close() }()
			if !fi.Mode().IsRegular() || fi.Size() != 1 {
				t.Errorf("OpenRegular's info: %v, %d bytes", fi.Mode(), fi.Size())
			}
		})
	}
}
