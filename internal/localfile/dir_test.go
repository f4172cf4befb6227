package localfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCreateAppend: the file is made afresh — never opened through what is
// there already under its name — and every write goes to its end, even
// after another writer made it longer.
func TestCreateAppend(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	f, err := d.CreateAppend("log", 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if _, err := f.WriteString("one\n"); err != nil {
		t.Fatal(err)
	}
	other, err := os.OpenFile(filepath.Join(dir, "log"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.WriteAt([]byte("12345678"), 0); err != nil {
		t.Fatal(err)
	}
	_ = other.Close()
	if _, err := f.WriteString("two\n"); err != nil {
		t.Fatal(err)
	}
	if got := content(t, filepath.Join(dir, "log")); got != "12345678two\n" {
		t.Errorf("the file holds %q; want the second line after the other writer's bytes", got)
	}

	if _, err := d.CreateAppend("log", 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateAppend over a file = %v; want ErrExist", err)
	}
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := d.CreateAppend("link", 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateAppend over a symbolic link = %v; want ErrExist", err)
	}
	if _, err := os.Lstat(outside); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CreateAppend made the link's target: %v", err)
	}
}
