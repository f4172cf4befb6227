package localfile

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
)

func TestCheckFree(t *testing.T) {
	dir := t.TempDir()
	if err := CheckFree(dir, 1); err != nil {
		t.Errorf("CheckFree of one byte: %v", err)
	}
	if err := CheckFree(dir, -1); err != nil {
		t.Errorf("CheckFree of an unknown size: %v", err)
	}
	err := CheckFree(dir, 1<<62)
	if runtime.GOOS == "windows" {
		return // the system does not say here
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("CheckFree of 4 EiB = %v; want ENOSPC", err)
	}
}
