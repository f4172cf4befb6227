//go:build !unix

package auth

import (
	"errors"
	"os"
)

// openNoFollow opens path for reading, failing if it is a symbolic link.
// Without O_NOFOLLOW, it checks the path before opening it and that the file
// opened is the one checked.
func openNoFollow(path string) (*os.File, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if before.Mode()&os.ModeSymlink != 0 {
		return nil, errors.New("auth: the cache file is a symbolic link")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err != nil || !os.SameFile(before, after) {
		_ = f.Close()
		return nil, errors.New("auth: the cache file changed while it was opened")
	}
	return f, nil
}

// ownedByUser reports true: file ownership is not checked on this system
// (on Windows, the user's cache directory is private to the user by its
// access control list).
func ownedByUser(os.FileInfo) bool { return true }
