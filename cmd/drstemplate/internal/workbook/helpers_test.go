package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// book describes a workbook to build in a test: sheets in order, each with
// its cells by reference ("A1") and what else to do to it.
type book []page

// page is one sheet of a [book].
type page struct {
	name   string
	cells  map[string]any    // reference → value
	format map[string]string // reference → custom number format
	// formulas map a reference to a formula; the cell's value in cells (if
	// any) becomes the formula's cached result.
	formulas map[string]string
	merge    [][2]string // merged ranges
	hidden   bool
}

// build writes b as .xlsx bytes with excelize; the bytes depend only on b.
func (b book) build(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	// Fixed document dates make the bytes depend only on b.
	must(f.SetDocProps(&excelize.DocProperties{Created: "2025-07-03T09:44:12Z", Modified: "2025-07-03T09:44:12Z"}))
	for i, p := range b {
		if i == 0 {
			must(f.SetSheetName("Sheet1", p.name))
		} else {
			_, err := f.NewSheet(p.name)
			must(err)
		}
		// In reference order: the shared strings are numbered as written.
		for _, ref := range slices.Sorted(maps.Keys(p.cells)) {
			must(f.SetCellValue(p.name, ref, p.cells[ref]))
		}
		for _, ref := range slices.Sorted(maps.Keys(p.format)) {
			code := p.format[ref]
			style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
			must(err)
			must(f.SetCellStyle(p.name, ref, ref, style))
		}
		for _, ref := range slices.Sorted(maps.Keys(p.formulas)) {
			must(f.SetCellFormula(p.name, ref, p.formulas[ref]))
		}
		for _, m := range p.merge {
			must(f.MergeCell(p.name, m[0], m[1]))
		}
	}
	for _, p := range b {
		if p.hidden {
			must(f.SetSheetVisible(p.name, false))
		}
	}
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

// zipOf builds a zip archive of the named parts, in order.
func zipOf(tb testing.TB, parts ...[2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readBytes reads a workbook from memory.
func readBytes(data []byte) (*Workbook, error) {
	return Read(bytes.NewReader(data), int64(len(data)))
}

// rich is a workbook with a bit of everything: several sheets, CJK text,
// numbers, a date, a formula, empty rows and cells, merged cells, a hidden
// sheet and a sheet with only a header.
var rich = book{
	{name: "Task", cells: map[string]any{
		"A1": "Setting", "B1": "Value", "C1": "Note",
		"A2": "Task name", "B2": "订单迁移",
		"A3": "Port", "B3": 3306,
		"A4": "Ratio", "B4": 0.25,
		"A5": "Created", "B5": time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC),
		"A7": "Total", "B7": 3309, "C7": "B3+3",
		"A8": "空值", "C8": "after an empty cell",
		"A9": "Merged", "B9": "across B and C",
	},
		format:   map[string]string{"B4": "0.0%", "B5": "yyyy-mm-dd hh:mm"},
		formulas: map[string]string{"B7": "B3+3"},
		merge:    [][2]string{{"B9", "C9"}},
	},
	{name: "数据库", cells: map[string]any{
		"A1": "对象", "B1": "类型",
		"A2": "orders", "B2": "表",
		"A3": "customers", "B3": "表",
	}},
	{name: "Internal", hidden: true, cells: map[string]any{"A1": "secret-ish", "B1": true}},
	{name: "Header only", cells: map[string]any{"A1": "Key", "B1": "Value"}},
	{name: "Empty"},
}

// rawSheet is one sheet of a package written by hand with [rawBook].
type rawSheet struct {
	name   string // sheet name in xl/workbook.xml
	target string // relationship target, e.g. "worksheets/sheet1.xml"
	xml    string // part content; "" writes no part (for shared targets)
	state  string // "", "hidden" or "veryHidden"
}

// sheetXML wraps sheetData content in a worksheet element.
func sheetXML(sheetData string) string {
	return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		sheetData + `</sheetData></worksheet>`
}

// rawBook writes a minimal .xlsx package by hand, for shapes excelize
// would not write: shared parts, duplicate names, thousands of sheets.
func rawBook(tb testing.TB, sheets ...rawSheet) []byte {
	tb.Helper()
	var wbx, rels bytes.Buffer
	wbx.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	parts := [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	}
	for i, s := range sheets {
		id := fmt.Sprintf("rId%d", i+1)
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		fmt.Fprintf(&wbx, `<sheet name="%s" sheetId="%d" r:id="%s"%s/>`, html.EscapeString(s.name), i+1, id, state)
		fmt.Fprintf(&rels, `<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="%s"/>`, id, s.target)
		if s.xml != "" {
			parts = append(parts, [2]string{"xl/" + s.target, s.xml})
		}
	}
	wbx.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	parts = append(parts, [2]string{"xl/workbook.xml", wbx.String()}, [2]string{"xl/_rels/workbook.xml.rels", rels.String()})
	return zipOf(tb, parts...)
}

// zipReader opens data as a zip archive.
func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}
