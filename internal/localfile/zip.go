package localfile

import (
	"archive/zip"
	"errors"
	"fmt"
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

// ErrNoWorkbook is matched by the error of [CheckWorkbook] for a whole zip
// container that holds no workbook.
var ErrNoWorkbook = errors.New("a zip container without a workbook (xl/workbook.xml)")

// WorkbookPart is the part every .xlsx workbook holds: its workbook part,
// where Excel, LibreOffice and the libraries that write DRS's templates
// put it.
const WorkbookPart = "xl/workbook.xml"

// ContentTypesPart is the part every Office Open XML package holds at its
// root: the media types of its other parts.
const ContentTypesPart = "[Content_Types].xml"

// CheckWorkbook checks, as [CheckZip] does, that the size bytes of r are a
// whole zip container, and that it is a workbook: it holds [WorkbookPart]
// (see [HasPart]). A .zip of other files — or of several workbooks — gives
// an error matching [ErrNoWorkbook].
func CheckWorkbook(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return err
	}
	if !HasPart(zr, WorkbookPart) {
		return fmt.Errorf("%w: %d entries, none a workbook part", ErrNoWorkbook, len(zr.File))
	}
	return nil
}

// HasPart reports whether zr holds the part name, compared as the workbook
// library compares part names: backslashes as slashes, without case.
func HasPart(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			return true
		}
	}
	return false
}
