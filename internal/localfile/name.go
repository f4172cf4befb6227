package localfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// MaxName bounds the length of a file name [SafeName] returns, in bytes;
// most file systems allow 255.
const MaxName = 200

// ErrUnsafeName is matched by the error of [SafeName] for a name that
// leaves nothing usable.
var ErrUnsafeName = errors.New("file name cannot be used on disk")

// SafeName turns a file name chosen by a server into one that is safe to
// create in a directory: one path element, no separators, no control or
// invisible formatting characters, no characters Windows refuses, not
// hidden, not a device name, at most [MaxName] bytes (the extension kept).
// It is the one rule for the local name of a listed file: a download
// writes there, and crash recovery looks there. A name left empty is
// refused with [ErrUnsafeName].
func SafeName(name string) (string, error) {
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
	s = strings.Trim(s, ". ")
	if s == "" {
		return "", unsafeName(name)
	}
	if stem, _, _ := strings.Cut(s, "."); isDeviceName(stem) {
		s = "_" + s
	}
	if len(s) > MaxName {
		ext := filepath.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		stem := s[:MaxName-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		s = strings.TrimRight(stem, ". ") + ext
		if s == ext {
			return "", unsafeName(name)
		}
	}
	return s, nil
}

// unsafeName is the error of SafeName for name.
func unsafeName(name string) error {
	return fmt.Errorf("%w: %q", ErrUnsafeName, clip.String(name, 64))
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
