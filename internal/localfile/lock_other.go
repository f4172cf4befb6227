//go:build !unix

package localfile

import (
	"errors"
	"os"
)

// lockFile creates the lock file at path, failing with ErrLocked if it
// is there: without flock, the file itself is the lock.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	return f, err
}

// unlock closes the lock file, then removes it (an open file cannot be
// removed everywhere).
func unlock(f *os.File, path string) error {
	err := f.Close()
	if rerr := os.Remove(path); err == nil {
		err = rerr
	}
	return err
}
