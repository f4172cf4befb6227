//go:build unix

package auth

import (
	"os"
	"syscall"
)

// geteuid is os.Geteuid, replaceable by tests.
var geteuid = os.Geteuid

// openNoFollow opens path for reading, failing if it is a symbolic link
// (O_NOFOLLOW) and without blocking if it is a FIFO (O_NONBLOCK).
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// ownedByUser reports whether fi belongs to the effective user of the
// process.
func ownedByUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int64(st.Uid) == int64(geteuid())
}
