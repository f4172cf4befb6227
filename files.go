package drstemplate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// File is a template file written to disk.
type File struct {
	// Name is the file's name as DRS lists it.
	Name string `json:"name"`
	// Path is where it was written: the directory joined with Name made
	// safe for a file system (see [Client.DownloadToDir]).
	Path string `json:"path"`
	// Size is its length in bytes.
	Size int64 `json:"size"`
	// SHA256 is the hex SHA-256 of its contents.
	SHA256 string `json:"sha256"`
}

// sweepTemp removes the temporary files in dir that processes of this
// machine which no longer run left behind (killed while downloading); see
// localfile.Dir.Sweep for whose files are left alone.
func (c *Client) sweepTemp(ctx context.Context, dir string) {
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return
	}
	defer func() { _ = d.Close() }()
	for _, name := range d.Sweep() {
		c.log.DebugContext(ctx, "drstemplate: removed a temporary file its killed writer left", "file", name)
	}
}

// safeName is localfile.SafeName, its refusal matching ErrInvalidInput.
func safeName(name string) (string, error) {
	s, err := localfile.SafeName(name)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	return s, nil
}

// writeFile writes a file named name (already safe) into dir without ever
// leaving a partial file there (see localfile.Dir.Write): fill writes the
// contents, which are checked to be a whole workbook (an .xlsx) before
// the file is kept. Unless overwrite is set, an existing file, even one that
// appeared meanwhile, is kept and [ErrFileExists] returned.
func writeFile(dir, name, listed string, overwrite bool, fill func(w io.Writer) (int64, error)) (File, error) {
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return File{}, err
	}
	defer func() { _ = d.Close() }()
	return writeInto(d, name, listed, overwrite, fill)
}

// writeInto is writeFile into an open directory.
func writeInto(d *localfile.Dir, name, listed string, overwrite bool, fill func(w io.Writer) (int64, error)) (File, error) {
	w, err := d.Write(name, localfile.WriteOptions{Overwrite: overwrite, Check: wholeZip},
		func(w io.Writer) error { _, err := fill(w); return err })
	switch {
	case errors.Is(err, localfile.ErrExist):
		return File{}, fmt.Errorf("%w: %s", ErrFileExists, d.Path(name))
	case err != nil:
		return File{}, err
	}
	return File{Name: listed, Path: w.Path, Size: w.Size, SHA256: w.SHA256}, nil
}

// wholeZip refuses a written file that is not a whole workbook: a body cut
// short when the server sent no length reads as complete, and only the
// zip's own directory, at its end, tells (a body error: downloaded again);
// a whole zip container without a workbook in it is no template either.
func wholeZip(f *os.File, size int64) error {
	err := localfile.CheckWorkbook(f, size)
	switch {
	case errors.Is(err, localfile.ErrNoWorkbook):
		return fmt.Errorf("%w: it is %w", ErrNotTemplate, err)
	case err != nil:
		return fmt.Errorf("%w: %w", ErrNotTemplate, &bodyError{err: fmt.Errorf("the file is cut short or damaged: %w", err)})
	}
	return nil
}

// checkAbsent fails with ErrFileExists when dir already has a file named
// name, so that a download that could not be kept is not made.
func checkAbsent(dir, name string) error {
	p := filepath.Join(dir, name)
	if _, err := os.Lstat(p); err == nil {
		return fmt.Errorf("%w: %s", ErrFileExists, p)
	}
	return nil
}

// ensureDir makes dir if it does not exist and checks that it is a
// directory.
func ensureDir(dir string) error {
	if dir == "" {
		return fmt.Errorf("%w: no directory given", ErrInvalidInput)
	}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		err := localfile.MakeDir(dir, 0o750)
		switch {
		case errors.Is(err, localfile.ErrDanglingLink):
			return fmt.Errorf("%w: %w", ErrInvalidInput, err)
		case err != nil:
			return err
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrInvalidInput, dir)
	}
	return nil
}
