package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestReadRich(t *testing.T) {
	wb, err := readBytes(rich.build(t))
	if err != nil {
		t.Fatal(err)
	}
	want := &Workbook{Sheets: []Sheet{
		{Name: "Task", Rows: [][]string{
			{"Setting", "Value", "Note"},
			{"Task name", "订单迁移"},
			{"Port", "3306"},
			{"Ratio", "25.0%"},
			{"Created", "2025-07-03 09:44"},
			{},
			{"Total", "3309", "B3+3"},
			{"空值", "", "after an empty cell"},
			{"Merged", "across B and C"},
		}},
		{Name: "数据库", Rows: [][]string{{"对象", "类型"}, {"orders", "表"}, {"customers", "表"}}},
		{Name: "Internal", Hidden: true, Rows: [][]string{{"secret-ish", "TRUE"}}},
		{Name: "Header only", Rows: [][]string{{"Key", "Value"}}},
		{Name: "Empty", Rows: [][]string{}},
	}}
	if diff := cmp.Diff(want, wb); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

// TestReadHandWritten covers package shapes excelize does not write.
func TestReadHandWritten(t *testing.T) {
	s1 := "worksheets/sheet1.xml"
	tests := []struct {
		name   string
		sheets []rawSheet
		want   []Sheet
	}{
		{"inline strings, gaps, very hidden",
			[]rawSheet{
				{name: "S", target: s1, xml: sheetXML(`<row r="2"><c r="B2" t="inlineStr"><is><t>hi</t></is></c><c r="D2"><v>1.5</v></c></row>`)},
				{name: "T", target: "worksheets/sheet2.xml", xml: sheetXML(""), state: "veryHidden"},
			},
			[]Sheet{{Name: "S", Rows: [][]string{{}, {"", "hi", "", "1.5"}}}, {Name: "T", Hidden: true, Rows: [][]string{}}}},
		{"rows and cells without references",
			[]rawSheet{{name: "S", target: s1, xml: sheetXML(`<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>`)}},
			[]Sheet{{Name: "S", Rows: [][]string{{"1", "2"}, {"x"}}}}},
		{"trailing empty and formatted cells and rows",
			[]rawSheet{{name: "S", target: s1, xml: sheetXML(`<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="0"/><c r="C1" t="inlineStr"><is><t></t></is></c></row><row r="9" ht="30" customHeight="1"/>`)}},
			[]Sheet{{Name: "S", Rows: [][]string{{"1"}}}}},
		{"shared string index out of range reads as empty",
			[]rawSheet{{name: "S", target: s1, xml: sheetXML(`<row r="1"><c r="A1" t="s"><v>99</v></c><c r="B1"><v>2</v></c></row>`)}},
			[]Sheet{{Name: "S", Rows: [][]string{{"", "2"}}}}},
		{"absolute target",
			[]rawSheet{{name: "S", target: "/xl/" + s1, xml: sheetXML(`<row r="1"><c r="A1"><v>7</v></c></row>`)}},
			nil}, // the target is written under xl/xl/…, so the sheet has no part
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := readBytes(rawBook(t, tt.sheets...))
			if tt.want == nil {
				if !errors.Is(err, ErrNotWorkbook) {
					t.Fatalf("Read = %v, %v; want ErrNotWorkbook", wb, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&Workbook{Sheets: tt.want}, wb); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xlsx")
	if err := os.WriteFile(good, rich.build(t), 0o600); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "login.xlsx")
	if err := os.WriteFile(html, []byte("<!DOCTYPE html><html><body>Sign in</body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if wb, err := Open(good); err != nil || len(wb.Sheets) != len(rich) {
		t.Errorf("Open(good) = %v, %v", wb, err)
	}
	tests := []struct {
		path string
		is   error
		msg  string
	}{
		{filepath.Join(dir, "missing.xlsx"), fs.ErrNotExist, "missing.xlsx"},
		{dir, ErrNotWorkbook, "not a regular file"},
		{html, ErrNotWorkbook, "login.xlsx: not an .xlsx workbook: it is an HTML page"},
	}
	for _, tt := range tests {
		_, err := Open(tt.path)
		if !errors.Is(err, tt.is) || err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Open(%s) = %v; want %v containing %q", tt.path, err, tt.is, tt.msg)
		}
	}
}

func TestReadShortReader(t *testing.T) {
	data := rich.build(t)
	_, err := Read(bytes.NewReader(data), int64(len(data))+10)
	if err == nil || errors.Is(err, ErrNotWorkbook) {
		t.Errorf("Read with a size past the end = %v; want a read error", err)
	}
	if _, err := Read(bytes.NewReader(data), -1); err == nil {
		t.Error("Read with a negative size succeeded")
	}
}

func TestNotWorkbook(t *testing.T) {
	good := rich.build(t)
	var xlsxZip bytes.Buffer
	zw := zip.NewWriter(&xlsxZip)
	for _, name := range []string{"t-1_mysql_20250703094412.xlsx", "t-2_mysql_20250703094412.xlsx"} {
		w, _ := zw.Create(name)
		_, _ = w.Write(good)
	}
	_ = zw.Close()
	ole := append(bytes.Clone(oleMagic), make([]byte, 504)...)
	tests := []struct {
		name string
		data []byte
		is   error
		msg  string // part of the message
	}{
		{"empty", nil, ErrNotWorkbook, "it is empty (0 bytes)"},
		{"HTML", []byte("\n  <!doctype html>\n<html><head><title>Login</title></head></html>"), ErrNotWorkbook, "an HTML page"},
		{"JSON error body", []byte(`{"error_code":"DRS.0001","error_msg":"x"}`), ErrNotWorkbook, "JSON data"},
		{"text", []byte("task-1\ntask-2\n"), ErrNotWorkbook, "plain text"},
		{"XML", []byte(`<?xml version="1.0"?><a/>`), ErrNotWorkbook, "an XML document"},
		{"Excel 2003 XML", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`), ErrNotWorkbook, "Excel 2003 XML"},
		{"PDF", []byte("%PDF-1.7\n"), ErrNotWorkbook, "a PDF document"},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), ErrNotWorkbook, "gzip"},
		{"binary", []byte{0, 1, 2, 3, 0xff}, ErrNotWorkbook, "binary data of an unknown kind (5 bytes)"},
		{"truncated workbook", good[:len(good)/2], ErrNotWorkbook, "a truncated or damaged zip archive"},
		{"zip of two templates", xlsxZip.Bytes(), ErrNotWorkbook,
			`a zip archive of 2 workbooks ("t-1_mysql_20250703094412.xlsx", "t-2_mysql_20250703094412.xlsx"): unzip it`},
		{"docx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w:document/>"}), ErrNotWorkbook, "a Word document (.docx)"},
		{"pptx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"ppt/presentation.xml", "<p/>"}), ErrNotWorkbook, "PowerPoint"},
		{"xlsb", zipOf(t, [2]string{"_rels/.rels", `<Relationships><Relationship Id="rId1" ` +
			`Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>`},
			[2]string{"xl/workbook.bin", "\x83\x01\x00"}), ErrNotWorkbook, "an Excel binary workbook (.xlsb)"},
		{"ods", zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, [2]string{"content.xml", "<x/>"}), ErrNotWorkbook, "OpenDocument"},
		{"plain zip", zipOf(t, [2]string{"notes.txt", "hi"}, [2]string{"dir/", ""}), ErrNotWorkbook, `a zip archive of 1 file ("notes.txt") without a workbook (xl/workbook.xml)`},
		{"many files", zipOf(t, [2]string{"a", ""}, [2]string{"b", ""}, [2]string{"c", ""}, [2]string{"d\x1b[31m", ""}), ErrNotWorkbook, `("a", "b", "c" and 1 more)`},
		{"hostile name", zipOf(t, [2]string{"\x1b]0;pwned\x07", ""}), ErrNotWorkbook, `"\x1b]0;pwned\a"`},
		{"empty zip", zipOf(t), ErrNotWorkbook, "an empty zip archive"},
		{"content types only", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}), ErrNotWorkbook, "without a workbook"},
		{"malformed workbook part", zipOf(t, [2]string{"xl/workbook.xml", "<workbook><sheets"}), ErrNotWorkbook, "a damaged workbook"},
		{"workbook without sheets", rawBook(t), ErrNotWorkbook, "lists no sheets"},
		{"legacy xls", append(bytes.Clone(ole), utf16LE("Workbook")...), ErrNotWorkbook, "legacy Excel 97-2003"},
		{"other OLE file", append(bytes.Clone(ole), utf16LE("WordDocument")...), ErrNotWorkbook, "an OLE compound file"},
		{"encrypted", encrypted(t), ErrEncrypted, "encrypted (password-protected)"},
		{"shared sheet part", rawBook(t,
			rawSheet{name: "A", target: "worksheets/sheet1.xml", xml: sheetXML("")},
			rawSheet{name: "B", target: "worksheets/../worksheets/sheet1.xml"}), ErrNotWorkbook, `sheets "A" and "B" share one part`},
		{"duplicate sheet names", rawBook(t,
			rawSheet{name: "Task", target: "worksheets/sheet1.xml", xml: sheetXML("")},
			rawSheet{name: "TASK", target: "worksheets/sheet2.xml", xml: sheetXML("")}), ErrNotWorkbook, `two sheets are named "TASK"`},
		{"control character reference in a cell", rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml",
			xml: sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>a&#27;[2J</t></is></c></row>`)}), ErrNotWorkbook, `sheet "S"`},
		{"sheet XML cut short", rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml",
			xml: `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2`}), ErrNotWorkbook, `sheet "S"`},
		{"sheet XML with mismatched tags", rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml",
			xml: sheetXML(`<row r="1"><c r="A1"><v>1</v></row>`)}), ErrNotWorkbook, `sheet "S"`},
		{"row past the format's limit", rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml",
			xml: sheetXML(`<row r="1048577"><c><v>1</v></c></row>`)}), ErrNotWorkbook, `sheet "S"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := readBytes(tt.data)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Read = %v, %v; want %v", wb, err, tt.is)
			}
			if wb != nil {
				t.Errorf("Read returned a workbook with error %v", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Read error %q does not say %q", err, tt.msg)
			}
			t.Log(err)
			if strings.ContainsAny(err.Error(), "\x1b\a") {
				t.Errorf("Read error %q carries control characters", err)
			}
		})
	}
}

// encrypted returns a password-protected workbook.
func encrypted(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetCellValue("Sheet1", "A1", "secret"); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "pw"}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestLimits(t *testing.T) {
	sheet := func(data string) []byte {
		return rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml", xml: sheetXML(data)})
	}
	row := func(n int, col string) string {
		return fmt.Sprintf(`<row r="%d"><c r="%s%d"><v>1</v></c></row>`, n, col, n)
	}
	var wide strings.Builder // 1,001 rows of 1,000 cells: one past MaxCells
	for n := 1; n <= MaxCells/1000+1; n++ {
		wide.WriteString(row(n, "ALL"))
	}
	many := make([]rawSheet, MaxSheets+1)
	for i := range many {
		many[i] = rawSheet{name: fmt.Sprintf("S%d", i), target: fmt.Sprintf("worksheets/sheet%d.xml", i), xml: sheetXML("")}
	}
	tests := []struct {
		name string
		data []byte
		is   error
	}{
		{"last allowed row", sheet(row(MaxRows, "A") + `<row r="1048576"/>`), nil},
		{"value past MaxRows", sheet(row(MaxRows+1, "A")), ErrTooLarge},
		{"more than MaxCells", sheet(wide.String()), ErrTooLarge},
		{"more than MaxSheets", rawBook(t, many...), ErrTooLarge},
		{"formulas far to the right", sheet(strings.Repeat(`<row><c r="XFD1"><f>""</f></c></row>`, MaxCells/16384+1)), ErrTooLarge},
		{"formula past MaxRows", sheet(fmt.Sprintf(`<row r="%d"><c r="A%[1]d"><f>""</f></c></row>`, MaxRows+1)), ErrTooLarge},
		{"shared strings over MaxOtherXMLSize", addPart(t, sheet(row(1, "A")), "xl/sharedStrings.xml",
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+
				strings.Repeat("<si><t>a</t></si>", MaxOtherXMLSize/17)+`</sst>`), ErrTooLarge},
		{"file over MaxFileSize", append([]byte("PK\x03\x04"), make([]byte, MaxFileSize)...), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := readBytes(tt.data)
			if !errors.Is(err, tt.is) || (err != nil) != (wb == nil) {
				t.Fatalf("Read = %v; want %v", err, tt.is)
			}
			if tt.is == nil && len(wb.Sheets[0].Rows) != MaxRows {
				t.Errorf("got %d rows, want %d", len(wb.Sheets[0].Rows), MaxRows)
			}
		})
	}
}

// bomb returns a workbook whose first sheet's XML inflates to more than n
// bytes from a few tens of kilobytes; if lie, the archive declares the part
// at 1 KiB. The deflate stream is built from one compressed 64 KiB block
// repeated, so building it costs little even under -race.
func bomb(tb testing.TB, n int, lie bool) []byte {
	tb.Helper()
	deflate := func(data []byte, final bool) []byte {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		_, _ = w.Write(data)
		if final {
			_ = w.Close()
		} else {
			_ = w.Flush() // byte-aligned, not final: the next piece may follow
		}
		return buf.Bytes()
	}
	head := []byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	chunk := bytes.Repeat([]byte(`<row/>`), 64<<10/6)
	tail := []byte(`</sheetData></worksheet>`)
	stream := deflate(head, false)
	crc := crc32.Update(0, crc32.IEEETable, head)
	size := len(head) + len(tail)
	chunkDeflated := deflate(chunk, false)
	for ; size <= n; size += len(chunk) {
		stream = append(stream, chunkDeflated...)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	stream = append(stream, deflate(tail, true)...)
	crc = crc32.Update(crc, crc32.IEEETable, tail)

	good := rawBook(tb, rawSheet{name: "S", target: "worksheets/sheet1.xml", xml: sheetXML("")})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(size)}
		if lie {
			hdr.UncompressedSize64 = 1024
		}
		w, err := zw.CreateRaw(hdr)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = w.Write(stream)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// corrupt returns a workbook with one byte of a part's stored data changed.
func corrupt(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/workbook.xml", Method: zip.Store})
	_, _ = w.Write([]byte("<workbook/>"))
	_ = zw.Close()
	data := buf.Bytes()
	i := bytes.Index(data, []byte("<workbook/>"))
	data[i+1] = 'W'
	return data
}

func TestZipBomb(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		is   error
	}{
		{"sheet XML past MaxUnzippedSize", bomb(t, MaxUnzippedSize, false), ErrTooLarge},
		{"the same construction under the limit reads", bomb(t, 1024, false), nil},
		{"part inflating past its declared size", bomb(t, MaxUnzippedSize, true), ErrNotWorkbook},
		{"corrupt part", corrupt(t), ErrNotWorkbook},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) > 1<<20 {
				t.Fatalf("the bomb is %d bytes, not a bomb", len(tt.data))
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			wb, err := readBytes(tt.data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.is) || (err == nil && len(wb.Sheets) != 1) {
				t.Fatalf("Read = %v, %v; want %v", wb, err, tt.is)
			}
			if err == nil {
				return
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
				t.Errorf("Read allocated %d bytes refusing a %d-byte bomb", grew, len(tt.data))
			}
		})
	}
}

func TestGuard(t *testing.T) {
	wb, err := guard(func() (*Workbook, error) {
		var rows [][]string
		_ = rows[3] // the kind of panic a malformed part can cause in a library
		return &Workbook{}, nil
	})
	if wb != nil || !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("guard = %v, %v; want ErrNotWorkbook saying what failed", wb, err)
	}
	want := &Workbook{}
	if wb, err := guard(func() (*Workbook, error) { return want, nil }); wb != want || err != nil {
		t.Errorf("guard without panic = %v, %v", wb, err)
	}
}

// TestReadChartSheet reads a chart sheet as a sheet without cells.
func TestReadChartSheet(t *testing.T) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, v := range []int{1, 2, 3} {
		if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i+1), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.AddChartSheet("Chart", &excelize.Chart{Type: excelize.Line,
		Series: []excelize.ChartSeries{{Name: "Sheet1!$A$1", Values: "Sheet1!$A$1:$A$3"}}}); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	wb, err := readBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := &Workbook{Sheets: []Sheet{{Name: "Sheet1", Rows: [][]string{{"1"}, {"2"}, {"3"}}}, {Name: "Chart", Rows: [][]string{}}}}
	if d := cmp.Diff(want, wb); d != "" {
		t.Errorf("Read (-want +got):\n%s", d)
	}
}
