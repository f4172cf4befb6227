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
