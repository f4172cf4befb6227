//go:build unix

package auth

import (
	"os"
	"syscall"
)

// geteuid is os.Geteuid, replaceable by tests.
var geteuid = os.Geteuid

// openFile opens path for reading without blocking if it is a FIFO
// (O_NONBLOCK), and — unless follow is set — failing if it is a symbolic
// link (O_NOFOLLOW).
func openFile(path string, follow bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	return os.OpenFile(path, flags, 0)
}

// ownedByUser reports whether fi belongs to the effective user of the
// process.
func ownedByUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int64(st.Uid) == int64(geteuid())
}
