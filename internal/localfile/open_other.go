//go:build !unix

package localfile

import (
	"errors"
	"os"
)

// openFile opens path for reading, failing — unless follow is set — if it
// is a symbolic link. Without O_NOFOLLOW, it checks the path before opening
// it and that the file opened is the one checked.
func openFile(path string, follow bool) (*os.File, error) {
	stat := os.Lstat
	if follow {
		stat = os.Stat
	}
	before, err := stat(path)
	if err != nil {
		return nil, err
	}
	if before.Mode()&os.ModeSymlink != 0 {
		return nil, errSymlink
	}
	if !before.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err != nil || !os.SameFile(before, after) {
		_ = f.Close()
		return nil, errors.New("the file changed while it was opened")
	}
	return f, nil
}
