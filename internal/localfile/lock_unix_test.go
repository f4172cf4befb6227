//go:build unix

package localfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLockRefusesAFIFO finds the lock file's name taken by a FIFO: Lock
// neither blocks on it nor takes it as a lock, but refuses it as not a
// regular file, and leaves it there.
func TestLockRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	l, err := Lock(dir)
	if !errors.Is(err, ErrNotRegular) {
		t.Errorf("Lock with a FIFO for its lock file = %v; want ErrNotRegular", err)
	}
	if fi, ferr := os.Lstat(path); ferr != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO after Lock: %v, %v; want it kept", fi, ferr)
	}
	if err == nil {
		_ = l.Unlock()
	}
}

// TestLockRefusesASymlink finds the lock file's name taken by a symbolic
// link: Lock neither creates the file it points to nor truncates one that
// is there, and refuses the link.
func TestLockRefusesASymlink(t *testing.T) {
	for _, name := range []string{"dangling", "a file"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(t.TempDir(), "target")
			if name == "a file" {
				if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink(target, filepath.Join(dir, LockFileName)); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			l, err := Lock(dir)
			if err == nil {
				_ = l.Unlock()
				t.Fatal("Lock through a symbolic link succeeded")
			}
			b, rerr := os.ReadFile(target)
			switch {
			case name == "dangling" && !errors.Is(rerr, os.ErrNotExist):
				t.Errorf("Lock created the link's target: %v", rerr)
			case name == "a file" && string(b) != "keep me":
				t.Errorf("the link's target after Lock = %q, %v; want it as it was", b, rerr)
			}
		})
	}
}
