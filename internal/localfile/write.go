package localfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrExist is matched by the error of [Dir.Write] when the target is
// already there and [WriteOptions.Overwrite] is not set. It is
// [fs.ErrExist].
var ErrExist = fs.ErrExist

// WriteOptions say how [Dir.Write] writes a file.
type WriteOptions struct {
	// Overwrite replaces a file already there. Without it such a file
	// (even one that appeared while this one was written) is kept, and the
	// error matches [ErrExist].
	Overwrite bool
	// Mode is the file's permission bits; 0 means 0600.
	Mode fs.FileMode
	// Check, when set, is called with the complete temporary file and its
	// size before it is moved into place; an error keeps it out.
	Check func(f *os.File, size int64) error
}

// Written is what [Dir.Write] wrote.
type Written struct {
	// Path is where the file is: d's path joined with the name.
	Path string
	// Size is its length in bytes.
	Size int64
	// SHA256 is the hex SHA-256 of its contents.
	SHA256 string
}

// Write writes the file name into d whole or not at all: fill writes the
// contents into a temporary file in d, which is checked (o.Check), synced
// and then moved into place, and the directory is synced. Without
// o.Overwrite the move is a hard link, which refuses a file already there
// atomically; on file systems without links the name is checked first and
// then renamed. On any failure the temporary file is removed and an
// earlier file of that name is as it was.
func (d *Dir) Write(name string, o WriteOptions, fill func(w io.Writer) error) (Written, error) {
	path := d.Path(name)
	tmp, tmpName, err := d.CreateTemp()
	if err != nil {
		return Written{}, fmt.Errorf("writing %s: %w", path, err)
	}
	published := false
	defer func() {
		if !published {
			_ = tmp.Close()
			_ = d.root.Remove(tmpName)
		}
	}()
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(tmp, h)}
	if err := fill(cw); err != nil {
		return Written{}, err
	}
	if o.Check != nil {
		if err := o.Check(tmp, cw.n); err != nil {
			return Written{}, err
		}
	}
	mode := o.Mode
	if mode == 0 {
		mode = 0o600
	}
	if err := tmp.Chmod(mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return Written{}, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return Written{}, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return Written{}, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := d.publish(tmpName, name, o.Overwrite); err != nil {
		return Written{}, err
	}
	published = true
	d.sync()
	return Written{Path: path, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// publish moves the complete file tmp to name. Without overwrite it refuses
// an existing name atomically, with a hard link, where the file system has
// them; where it has not, it checks first and renames.
func (d *Dir) publish(tmp, name string, overwrite bool) error {
	if overwrite {
		if err := d.root.Rename(tmp, name); err != nil {
			return fmt.Errorf("writing %s: %w", d.Path(name), err)
		}
		return nil
	}
	err := d.root.Link(tmp, name)
	switch {
	case err == nil:
		_ = d.root.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: %s", ErrExist, d.Path(name))
	}
	if d.Exists(name) {
		return fmt.Errorf("%w: %s", ErrExist, d.Path(name))
	}
	if err := d.root.Rename(tmp, name); err != nil {
		return fmt.Errorf("writing %s: %w", d.Path(name), err)
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
