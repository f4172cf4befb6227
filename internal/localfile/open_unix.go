//go:build unix

package localfile

import (
	"errors"
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
	f, err := os.OpenFile(path, flags, 0)
	if !follow && errors.Is(err, syscall.ELOOP) && isSymlink(path) {
		return nil, errSymlink
	}
	return f, err
}
