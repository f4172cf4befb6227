package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// Limits on what [Read] accepts. A file past one of them is refused with an
// error matching [ErrTooLarge] before it can use much memory or time. A DRS
// template is a few kilobytes; the limits leave room for any workbook a
// person would review as text.
const (
	// MaxFileSize is the largest file read, in bytes (16 MiB).
	MaxFileSize = 16 << 20
	// MaxUnzippedSize is the largest total size of the workbook's parts
	// once unzipped, in bytes (16 MiB): a zip bomb stops here, before
	// anything is decompressed. It also bounds the time a hostile sheet
	// takes to parse (under 4 s on 2 cores for 16 MiB of empty elements,
	// 18 KB zipped).
	MaxUnzippedSize = 16 << 20
	// MaxOtherXMLSize is the largest total size, unzipped, of the XML parts
	// other than worksheets (shared strings, styles, the workbook part,
	// relationships…), in bytes (8 MiB). The workbook library parses them
	// whole into memory, at up to about 25 times their size for a file
	// made of tiny elements; worksheets are read as a stream.
	MaxOtherXMLSize = 8 << 20
	// MaxSheets is the largest number of sheets.
	MaxSheets = 256
	// MaxRows is the largest row number of a cell with a value or a
	// formula, per sheet.
	MaxRows = 100_000
	// MaxCells is the largest number of cells read in the whole workbook:
	// cells with a value or a formula, and the empty cells before them in
	// their rows.
	MaxCells = 1_000_000
	// MaxTextSize is the largest total size of the cells' text as
	// displayed, in bytes (16 MiB). The shared strings table lets one long
	// string be shown by every cell that refers to it: a workbook of a few
	// kilobytes would otherwise expand to gigabytes of text, and the
	// outputs of inspect and diff with it.
	MaxTextSize = 16 << 20
)

// Open reads the workbook in the file at path; see [Read]. Its errors name
// the file (escaped: a file name may hold control characters too).
func Open(path string) (*Workbook, error) {
	f, fi, err := localfile.OpenRegular(path, true)
	if errors.Is(err, localfile.ErrNotRegular) {
		return nil, fmt.Errorf("%s: %w: it is %w", escape(path), ErrNotWorkbook, err)
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	wb, err := Read(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", escape(path), err)
	}
	return wb, nil
}

// Read reads the .xlsx workbook of size bytes in r: every sheet, with its
// cells as displayed. It refuses what is not a workbook with an error
// matching [ErrNotWorkbook] that says what the data is instead, an
// encrypted workbook with [ErrEncrypted], and one past the package's limits
// with [ErrTooLarge]. It never panics, whatever the bytes.
func Read(r io.ReaderAt, size int64) (*Workbook, error) {
	if size < 0 {
		return nil, fmt.Errorf("workbook: negative size %d", size)
	}
	if size > MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, size, MaxFileSize)
	}
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); n < len(data) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("workbook: reading: %w", err)
	}
	return guard(func() (*Workbook, error) { return read(data) })
}

// guard runs read and turns a panic in it (the workbook library may panic
// on malformed input) into an error matching [ErrNotWorkbook].
func guard(read func() (*Workbook, error)) (wb *Workbook, err error) {
	defer func() {
		if p := recover(); p != nil {
			msg := clip.String(escape(fmt.Sprint(p)), 200)
			wb, err = nil, fmt.Errorf("%w: it is damaged (the reader failed: %s)", ErrNotWorkbook, msg)
		}
	}()
	return read()
}

// read does Read's work on the file's bytes.
func read(data []byte) (*Workbook, error) {
	if err := sniffContainer(data); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notWorkbook("a truncated or damaged zip archive (%v)", err)
	}
	if err := checkSizes(zr); err != nil {
		return nil, err
	}
	parts := packageParts(zr)
	if what := describeZip(parts); what != "" {
		return nil, notWorkbook("%s", what)
	}
	sheetPart := sheetParts(parts)
	if err := checkOtherXML(parts, sheetPart); err != nil {
		return nil, err
	}
	if err := checkIntegrity(zr); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzippedSize,
		// As large as the whole: no part is ever spilled to a temporary file.
		UnzipXMLSizeLimit: MaxUnzippedSize,
	})
	if err != nil {
		return nil, damaged(err)
	}
	defer func() { _ = f.Close() }()
	return readSheets(f, parts, sheetPart)
}

// damaged wraps an error of the workbook library.
func damaged(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // "EOF" alone would puzzle a reader
	}
	return fmt.Errorf("%w: it is a damaged workbook (%w)", ErrNotWorkbook, err)
}

// damagedSheet wraps an error of the workbook library about one sheet.
func damagedSheet(sheet string, err error) error {
	return fmt.Errorf("%w: it is a damaged workbook (sheet %q: %w)", ErrNotWorkbook, sheet, err)
}

// checkSizes refuses an archive whose parts declare more than
// MaxUnzippedSize in all, before anything is inflated (the zip reader fails
// on a part that inflates past its declared size, so the declared sizes
// bound the work).
func checkSizes(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzippedSize || total > MaxUnzippedSize {
			return fmt.Errorf("%w: its parts unzip to more than %d bytes", ErrTooLarge, MaxUnzippedSize)
		}
	}
	return nil
}

// checkIntegrity inflates every part once: the zip reader fails on a part
// that inflates past its declared size or does not match its checksum,
// which the workbook library would take silently as a shorter part.
func checkIntegrity(zr *zip.Reader) error {
	for _, f := range zr.File {
		if err := checkPart(f); err != nil {
			return notWorkbook("a damaged zip archive (part %q: %v)", clip.String(f.Name, 60), err)
		}
	}
	return nil
}

// checkOtherXML refuses a package whose XML parts other than worksheets
// (sheetPart's values) declare more than MaxOtherXMLSize in all. When the
// sheets are unknown, every XML part counts.
func checkOtherXML(parts map[string]*zip.File, sheetPart map[string]string) error {
	sheets := make(map[string]bool, len(sheetPart))
	for _, p := range sheetPart {
		sheets[p] = true
	}
	var total uint64
	for name, f := range parts {
		ext := strings.ToLower(path.Ext(name))
		if sheets[name] || (ext != ".xml" && ext != ".rels") {
			continue
		}
		if total += f.UncompressedSize64; total > MaxOtherXMLSize {
			return fmt.Errorf("%w: its XML parts other than worksheets (shared strings, styles…) unzip to more than %d bytes",
				ErrTooLarge, MaxOtherXMLSize)
		}
	}
	return nil
}

// checkPart inflates one part, to nowhere.
func checkPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return err
}

// readSheets reads every sheet of f, whose package parts are parts;
// sheetPart maps relationship ids to part names.
func readSheets(f *excelize.File, parts map[string]*zip.File, sheetPart map[string]string) (*Workbook, error) {
	names := f.GetSheetList()
	switch {
	case len(names) == 0:
		return nil, notWorkbook("a damaged workbook that lists no sheets")
	case len(names) > MaxSheets:
		return nil, fmt.Errorf("%w: %d sheets, over the limit of %d", ErrTooLarge, len(names), MaxSheets)
	}
	if err := checkSheetsDistinct(f, sheetPart); err != nil {
		return nil, err
	}
	wb := &Workbook{Sheets: make([]Sheet, 0, len(names))}
	var n counts
	shared, sharedText := sharedStringSizes(parts[sharedStringsPart]), 0
	for _, s := range f.WorkBook.Sheets.Sheet {
		if part := parts[sheetPart[s.ID]]; part != nil {
			err := wellFormed(part, shared, &sharedText)
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			if err != nil {
				return nil, damagedSheet(s.Name, err)
			}
		}
		rows, err := readRows(f, s.Name, &n)
		if err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, Sheet{
			Name:   s.Name,
			Hidden: s.State != "" && s.State != "visible",
			Rows:   rows,
		})
	}
	return wb, nil
}

// checkSheetsDistinct refuses a workbook two of whose sheets have the same
// name (compared without case, as the library looks sheets up) or the same
// part (parts maps relationship ids to part names): the library would parse
// one part for both, once per sheet, which a hostile file could repeat
// MaxSheets times.
func checkSheetsDistinct(f *excelize.File, parts map[string]string) error {
	sheets := f.WorkBook.Sheets.Sheet
	seen := make(map[string]string, len(sheets))
	for i, s := range sheets {
		for _, t := range sheets[:i] {
			if strings.EqualFold(s.Name, t.Name) {
				return notWorkbook("a damaged workbook: two sheets are named %q", s.Name)
			}
		}
		p, ok := parts[s.ID]
		if !ok {
			continue
		}
		if other, dup := seen[p]; dup {
			return notWorkbook("a damaged workbook: sheets %q and %q share one part", other, s.Name)
		}
		seen[p] = s.Name
	}
	return nil
}

// sharedStringsPart is the shared strings part's name, where the workbook
// library always looks for it.
const sharedStringsPart = "xl/sharedStrings.xml"

// counts are what [Read] has read so far, for its limits.
type counts struct {
	cells int // cells read, empty ones before a value included
	text  int // bytes of the cells' displayed text
}

// readRows reads the displayed values of sheet, trimmed, adding what it
// read to *n.
func readRows(f *excelize.File, sheet string, n *counts) (_ [][]string, err error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, damagedSheet(sheet, err)
	}
	defer func() {
		if cerr := it.Close(); err == nil && cerr != nil {
			err = damagedSheet(sheet, cerr)
		}
	}()
	rows := [][]string{}
	for r := 1; it.Next(); r++ {
		row, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("%w: it is a damaged workbook (sheet %q, row %d: %w)", ErrNotWorkbook, sheet, r, err)
		}
		if len(row) == 0 {
			continue
		}
		if r > MaxRows {
			return nil, fmt.Errorf("%w: sheet %q has a value in row %d, past the limit of %d rows", ErrTooLarge, sheet, r, MaxRows)
		}
		// Counted before trimming: formulas showing "" cost as much to read.
		if n.cells += len(row); n.cells > MaxCells {
			return nil, fmt.Errorf("%w: more than %d cells", ErrTooLarge, MaxCells)
		}
		for _, c := range row {
			if n.text += len(c); n.text > MaxTextSize {
				return nil, fmt.Errorf("%w: its cells show more than %d bytes of text (sheet %q, row %d)",
					ErrTooLarge, MaxTextSize, sheet, r)
			}
		}
		if row = trimRow(row); len(row) == 0 {
			continue
		}
		for len(rows) < r-1 {
			rows = append(rows, []string{})
		}
		rows = append(rows, row)
	}
	if err := it.Error(); err != nil {
		return nil, damagedSheet(sheet, err)
	}
	return rows, nil
}

// trimRow drops the empty cells at the end of row.
func trimRow(row []string) []string {
	end := len(row)
	for end > 0 && row[end-1] == "" {
		end--
	}
	return row[:end:end]
}
