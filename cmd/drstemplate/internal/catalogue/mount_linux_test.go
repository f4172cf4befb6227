package catalogue

import (
	"errors"
	"io/fs"
	"syscall"
	"testing"
)

// mountSmallDisk mounts a 16 KiB tmpfs on the case's output directory, or
// skips the case where the system does not let this process mount one.
func mountSmallDisk(t *testing.T, e *env) {
	t.Helper()
	if err := syscall.Mount("tmpfs", e.out, "tmpfs", 0, "size=16k,mode=0700"); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v): the full-disk case needs root or CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(e.out, 0); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("unmount: %v", err)
		}
	})
}
