package localfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// ErrDanglingLink is matched by the error of [MakeDir] for a path that is a
// symbolic link to nothing.
var ErrDanglingLink = errors.New("a symbolic link to nothing")

// MakeDir makes the directory dir, with its parents, unless it is there
// (os.MkdirAll). A symbolic link to nothing is refused with an error
// matching [ErrDanglingLink] that names its target, where os.MkdirAll
// would say only "file exists".
func MakeDir(dir string, perm fs.FileMode) error {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(dir)
			return fmt.Errorf("%q is %w: it points to %q, which does not exist",
				clip.String(dir, 200), ErrDanglingLink, clip.String(target, 200))
		}
	}
	return os.MkdirAll(dir, perm)
}
