package localfile

import (
	"errors"
	"fmt"
	"os"
)

// ErrNotRegular is matched by the error of [OpenRegular] for a path that is
// not a regular file: a FIFO, a device, a socket, a directory, or (unless
// links are followed) a symbolic link.
var ErrNotRegular = errors.New("not a regular file")

// errSymlink is OpenRegular's error for a symbolic link it does not follow.
var errSymlink = fmt.Errorf("%w (a symbolic link)", ErrNotRegular)

// isSymlink reports whether path itself is a symbolic link.
func isSymlink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}

// OpenRegular opens the file at path for reading if it is a regular file,
// and returns it with its information. It never blocks on what is not one:
// a FIFO is opened without waiting for a writer (O_NONBLOCK where the
// system has it) and refused, like a device, a socket or a directory, with
// an error matching [ErrNotRegular]. The check is made on the opened file,
// so that the path cannot be swapped between check and read. Unless follow
// is set, a symbolic link is refused too, with an error matching
// [ErrNotRegular]. It is the one way this module
// opens a file it did not write itself: the profile file, the token cache,
// an export's manifest, a workbook to inspect.
func OpenRegular(path string, follow bool) (*os.File, os.FileInfo, error) {
	f, err := openFile(path, follow)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// kind names the type of a file that is not regular, for a message.
func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "of mode " + m.Type().String()
}
