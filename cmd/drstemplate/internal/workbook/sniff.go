package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// Magic numbers of the containers a workbook may come in.
var (
	emptyZipMagic = []byte("PK\x05\x06")
	oleMagic      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// notWorkbook returns an error matching [ErrNotWorkbook] that says what the
// file is instead.
func notWorkbook(format string, args ...any) error {
	return fmt.Errorf("%w: it is %s", ErrNotWorkbook, fmt.Sprintf(format, args...))
}

// sniffContainer refuses data that is not a zip archive, saying what it is.
// It returns nil for a zip archive (which may still hold no workbook).
func sniffContainer(data []byte) error {
	switch {
	case len(data) == 0:
		return notWorkbook("empty (0 bytes)")
	case localfile.IsZip(data), bytes.HasPrefix(data, emptyZipMagic):
		return nil
	case bytes.HasPrefix(data, oleMagic):
		return sniffOLE(data)
	}
	return notWorkbook("%s", describeContent(data))
}

// sniffOLE tells an encrypted .xlsx (an OLE compound file holding an
// EncryptedPackage stream) from a legacy .xls and other OLE files, by the
// stream names of its directory, which are stored in UTF-16LE.
func sniffOLE(data []byte) error {
	switch {
	case bytes.Contains(data, utf16LE("EncryptedPackage")):
		return fmt.Errorf("%w: save a copy without the password to read it", ErrEncrypted)
	case bytes.Contains(data, utf16LE("Workbook")), bytes.Contains(data, utf16LE("Book")):
		return notWorkbook("a legacy Excel 97-2003 workbook (.xls): save it as .xlsx first")
	}
	return notWorkbook("an OLE compound file (a legacy Office document)")
}

// utf16LE encodes s the way OLE directory entries store names.
func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// describeContent names the kind of a file that is not a zip archive.
func describeContent(data []byte) string {
	head := data[:min(len(data), 512)]
	kind := http.DetectContentType(head)
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	switch {
	case strings.HasPrefix(kind, "text/html"):
		return "an HTML page (perhaps a login, proxy or error page saved instead of the file)"
	case strings.HasPrefix(kind, "text/xml"):
		if bytes.Contains(data, []byte("urn:schemas-microsoft-com:office:spreadsheet")) {
			return "an Excel 2003 XML spreadsheet: save it as .xlsx first"
		}
		return "an XML document"
	case strings.HasPrefix(kind, "text/plain") && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		return "JSON data (perhaps an API answer saved instead of the file)"
	case strings.HasPrefix(kind, "text/plain"):
		return "plain text"
	case kind == "application/x-gzip":
		return "gzip-compressed data"
	case kind == "application/pdf":
		return "a PDF document"
	case kind == "application/octet-stream":
		return fmt.Sprintf("binary data of an unknown kind (%d bytes)", len(data))
	}
	return "data of type " + kind
}

// describeZip says what a zip archive is when it holds no workbook part
// (xl/workbook.xml, or the part the package's relationships name), or
// returns "" when it does.
func describeZip(parts map[string]*zip.File) string {
	wb := workbookPath(parts)
	switch {
	case strings.EqualFold(path.Ext(wb), ".bin") && parts[wb] != nil:
		return "an Excel binary workbook (.xlsb): save it as .xlsx first"
	case parts[wb] != nil, parts["xl/workbook.xml"] != nil:
		return ""
	}
	var names []string
	has := make(map[string]bool, len(parts))
	for name := range parts {
		has[strings.ToLower(name)] = true
		if !strings.HasSuffix(name, "/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	switch {
	case len(names) == 0:
		return "an empty zip archive"
	case has["word/document.xml"]:
		return "a Word document (.docx)"
	case has["ppt/presentation.xml"]:
		return "a PowerPoint presentation (.pptx)"
	case has["mimetype"] && has["content.xml"]:
		return "an OpenDocument file (.ods, .odt, …): save it as .xlsx first"
	}
	inner := 0
	for _, n := range names {
		switch strings.ToLower(path.Ext(n)) {
		case ".xlsx", ".xlsm", ".xls":
			inner++
		}
	}
	if inner == len(names) {
		return fmt.Sprintf("a zip archive of %d %s (%s): unzip it and read each one",
			inner, plural(inner, "workbook", "workbooks"), listNames(names))
	}
	return fmt.Sprintf("a zip archive of %d %s (%s) without a workbook (xl/workbook.xml)",
		len(names), plural(len(names), "file", "files"), listNames(names))
}

// listNames quotes the first few names (quoting escapes any control
// characters a hostile archive may carry).
func listNames(names []string) string {
	const shown = 3
	var b strings.Builder
	for i, n := range names[:min(len(names), shown)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", clip.String(n, 60))
	}
	if len(names) > shown {
		fmt.Fprintf(&b, " and %d more", len(names)-shown)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
