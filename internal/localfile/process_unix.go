//go:build unix

package localfile

import (
	"errors"
	"syscall"
)

// processRuns reports whether a process with this id runs (or may: one of
// another user's counts as running).
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
