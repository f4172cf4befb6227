//go:build unix

package localfile

import (
	"os"
	"syscall"
)

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
