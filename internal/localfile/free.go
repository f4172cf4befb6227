package localfile

import (
	"fmt"
	"syscall"
)

// CheckFree fails with an error matching syscall.ENOSPC when the file
// system of dir has, by what the system says, fewer than need bytes free
// for this user; need <= 0 (a size not known) and a system that does not
// say pass. It is checked before a large write, so that it fails at once
// rather than once the disk is full.
func CheckFree(dir string, need int64) error {
	if need <= 0 {
		return nil
	}
	free, ok := freeSpace(dir)
	if !ok || free >= uint64(need) {
		return nil
	}
	return fmt.Errorf("%s has %d bytes free, %d needed: %w", dir, free, need, syscall.ENOSPC)
}
