//go:build !linux

package catalogue

import "testing"

// mountSmallDisk skips the case: a small tmpfs is mounted only on Linux.
func mountSmallDisk(t *testing.T, _ *env) {
	t.Helper()
	t.Skip("the full-disk case mounts a small tmpfs, which only Linux has")
}
