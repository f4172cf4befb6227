package auth

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// openTrusted opens a file that holds credentials — the token cache, the
// profile file — and checks, on the opened file (so that it cannot be
// swapped between the check and the read), that it can be trusted: a
// regular file (opening a FIFO does not block), owned by this user, that
// group and others can neither read nor write (on Unix). Unless follow is
// set, a symbolic link is refused too. The error says what is wrong, for a
// message.
func openTrusted(path string, follow bool) (*os.File, os.FileInfo, error) {
	f, fi, err := localfile.OpenRegular(path, follow)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case !ownedByUser(fi):
		err = errors.New("owned by another user")
	case !private(fi):
		err = fmt.Errorf("group or others can access it (mode %#o); make it private to you (chmod 600)", fi.Mode().Perm())
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// private reports whether a file is accessible to its owner only (always
// true on Windows, where modes do not say).
func private(fi os.FileInfo) bool {
	return runtime.GOOS == "windows" || fi.Mode().Perm()&0o077 == 0
}
