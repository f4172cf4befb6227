package drstemplate

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/internal/clip"
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

// maxLocalName bounds the length of a file name written to disk, in bytes;
// most file systems allow 255.
const maxLocalName = 200

// Temporary files: downloads are written to a hidden file in the target
// directory (so that the final rename stays on one file system) until they
// are complete, named after the machine and the process writing it:
// ".drstemplate-{host}-{pid}-{random}.part", host being a short hash of the
// host name. A process killed midway leaves its file behind; the next
// download into that directory on the same machine removes it once that
// process is gone. Files of other machines (a shared file system, another
// container) are left alone: their processes cannot be seen from here.
const (
	tempPrefix = ".drstemplate-"
	tempSuffix = ".part"
)

// tempPattern is the os.CreateTemp pattern of this process's temporary
// files.
func tempPattern() string {
	return tempPrefix + hostTag() + "-" + strconv.Itoa(os.Getpid()) + "-*" + tempSuffix
}

// hostTag is a short hash of the host name, for temporary file names.
func hostTag() string {
	name, _ := os.Hostname()
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:4])
}

// sweepTemp removes the temporary files in dir that processes of this
// machine which no longer run left behind (killed while downloading).
// Files of running processes, this one included, and of other machines
// are left alone; so is everything where it cannot tell whether the writer
// still runs (on systems other than Unix, that is every file).
func (c *Client) sweepTemp(ctx context.Context, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	host := hostTag()
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), tempPrefix+host+"-")
		if !ok || !strings.HasSuffix(rest, tempSuffix) || !e.Type().IsRegular() {
			continue
		}
		digits, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(digits)
		if err != nil || pid <= 0 || pid == os.Getpid() || processRuns(pid) {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			c.log.DebugContext(ctx, "drstemplate: removed a temporary file its killed writer left", "file", e.Name(), "pid", pid)
		}
	}
}

// safeName turns a file name chosen by the server into one that is safe to
// create in a directory: one path element, no separators, no control or
// invisible formatting characters, no characters Windows refuses, not
// hidden, not a device name, at most maxLocalName bytes (the extension
// kept). A name left empty is refused.
func safeName(name string) (string, error) {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	s := strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			return '_'
		}
		return r
	}, name)
	s = strings.TrimLeft(s, ". ")
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return "", fmt.Errorf("%w: file name %q cannot be used on disk", ErrInvalidInput, clip.String(name, 64))
	}
	if stem, _, _ := strings.Cut(s, "."); isDeviceName(stem) {
		s = "_" + s
	}
	if len(s) > maxLocalName {
		ext := filepath.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		stem := s[:maxLocalName-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		s = strings.TrimRight(stem, ". ") + ext
		if s == ext {
			return "", fmt.Errorf("%w: file name %q cannot be used on disk", ErrInvalidInput, clip.String(name, 64))
		}
	}
	return s, nil
}

// isDeviceName reports whether stem is a name Windows reserves for a
// device.
func isDeviceName(stem string) bool {
	switch strings.ToUpper(strings.TrimRight(stem, " ")) {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return true
	}
	return false
}

// writeFile writes a file named name (already safe) into dir without ever
// leaving a partial file there: fill writes the contents into a temporary
// file in dir, which is checked to be a whole zip container (an .xlsx),
// synced, and then moved into place. Unless overwrite
// is set, an existing file is kept and [ErrFileExists] returned. On any
// failure the temporary file is removed.
func writeFile(dir, name, listed string, overwrite bool, fill func(w io.Writer) (int64, error)) (File, error) {
	target := filepath.Join(dir, name)
	f, err := os.CreateTemp(dir, tempPattern())
	if err != nil {
		return File{}, fmt.Errorf("drstemplate: %w", err)
	}
	published := false
	defer func() {
		if !published {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := fill(io.MultiWriter(f, h))
	if err != nil {
		return File{}, err
	}
	// A body cut short when the server sent no length reads as complete:
	// only the zip's own directory, at its end, tells.
	if _, err := zip.NewReader(f, n); err != nil {
		return File{}, fmt.Errorf("%w: %w", ErrNotTemplate, &bodyError{err: fmt.Errorf("the file is cut short or damaged: %w", err)})
	}
	if err := f.Sync(); err != nil {
		return File{}, fmt.Errorf("drstemplate: writing %s: %w", target, err)
	}
	if err := f.Close(); err != nil {
		return File{}, fmt.Errorf("drstemplate: writing %s: %w", target, err)
	}
	if err := publish(f.Name(), target, overwrite); err != nil {
		return File{}, err
	}
	published = true
	syncDir(dir)
	return File{Name: listed, Path: target, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// publish moves the complete file tmp to target. Without overwrite it
// refuses an existing target atomically, with a hard link, where the file
// system has them; where it has not, it checks first and renames.
func publish(tmp, target string, overwrite bool) error {
	if overwrite {
		if err := os.Rename(tmp, target); err != nil {
			return fmt.Errorf("drstemplate: %w", err)
		}
		return nil
	}
	err := os.Link(tmp, target)
	switch {
	case err == nil:
		_ = os.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: %s", ErrFileExists, target)
	}
	if _, err := os.Lstat(target); err == nil {
		return fmt.Errorf("%w: %s", ErrFileExists, target)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("drstemplate: %w", err)
	}
	return nil
}

// syncDir flushes dir's entries, so that a renamed file survives a crash.
// File systems that cannot sync a directory are left as they are.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
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
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("drstemplate: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("drstemplate: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrInvalidInput, dir)
	}
	return nil
}
