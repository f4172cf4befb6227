//go:build unix

package auth

import (
	"os"
	"syscall"
)

// geteuid is os.Geteuid, replaceable by tests.
var geteuid = os.Geteuid

// ownedByUser reports whether fi belongs to the effective user of the
// process.
func ownedByUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int64(st.Uid) == int64(geteuid())
}
