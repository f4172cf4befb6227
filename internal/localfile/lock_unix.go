//go:build unix

package localfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile opens (creating it) the lock file at path without following a
// symbolic link or blocking on a FIFO, and takes its flock without
// waiting; a lock held elsewhere gives ErrLocked.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		if err == nil {
			err = fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))
		}
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return f, nil
}

// unlock removes the lock file, then releases its flock: a process that
// opened the file meanwhile finds, once it holds it, that it is gone.
func unlock(f *os.File, path string) error {
	err := os.Remove(path)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
