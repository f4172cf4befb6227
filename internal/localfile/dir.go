package localfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Dir is a directory that files are written into and read from by name.
// Every name is resolved inside it (an [os.Root]), so that neither "..",
// an absolute path nor a symbolic link leads out of it: keeping a file
// inside its directory is the structure, not a check made beforehand.
type Dir struct {
	root *os.Root
}

// OpenDir opens the directory at path, which must exist. Close it when
// done.
func OpenDir(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r}, nil
}

// Close releases the directory.
func (d *Dir) Close() error { return d.root.Close() }

// Path returns the path of name in d, for records and messages.
func (d *Dir) Path(name string) string { return filepath.Join(d.root.Name(), name) }

// Open opens the file name in d for reading.
func (d *Dir) Open(name string) (*os.File, error) { return d.root.Open(name) }

// Exists reports whether d has an entry named name (a symbolic link
// counts, whatever it points to).
func (d *Dir) Exists(name string) bool {
	_, err := d.root.Lstat(name)
	return err == nil
}

// CreateTemp creates a new temporary file in d, readable and writable by
// its owner only, named so that [Dir.Sweep] removes it once this process
// is gone. The caller removes it (with [Dir.Remove]) when done.
func (d *Dir) CreateTemp() (*os.File, string, error) {
	stem := tempStem()
	for range 100 {
		name := stem + strconv.FormatUint(uint64(rand.Uint32()), 10) + tempSuffix
		f, err := d.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		return f, name, nil
	}
	return nil, "", fmt.Errorf("no free temporary file name in %s", d.root.Name())
}

// CreateAppend creates the file name in d for appending (O_APPEND: every
// write goes to its end) with the permission bits mode, and syncs d so that
// the new name survives a crash. It fails if anything of that name is
// there already — a file, a symbolic link, a FIFO (O_EXCL) — so the file
// written is always a regular one this process made.
func (d *Dir) CreateAppend(name string, mode fs.FileMode) (*os.File, error) {
	f, err := d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, mode)
	if err != nil {
		return nil, err
	}
	d.sync()
	return f, nil
}

// Remove removes the file name from d.
func (d *Dir) Remove(name string) error { return d.root.Remove(name) }

// sync flushes d's entries, so that a file moved into place survives a
// crash. File systems that cannot sync a directory are left as they are.
func (d *Dir) sync() {
	if f, err := d.root.Open("."); err == nil {
		_ = f.Sync()
		_ = f.Close()
	}
}
