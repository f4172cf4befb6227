package localfile

import (
	"archive/zip"
	"io"
	"strings"
)

// ZipMagic starts every zip container that holds at least one file: an
// .xlsx, or a .zip of several.
const ZipMagic = "PK\x03\x04"

// IsZip reports whether head, the first bytes of a file, starts like a zip
// container that holds at least one file.
func IsZip(head []byte) bool {
	return strings.HasPrefix(string(head), ZipMagic)
}

// CheckZip checks that the size bytes of r are a whole zip container: its
// central directory, at the end, is there and readable. A body cut short
// (by a server that closed the connection without having said its length)
// starts like a zip but fails here.
func CheckZip(r io.ReaderAt, size int64) error {
	_, err := zip.NewReader(r, size)
	return err
}
