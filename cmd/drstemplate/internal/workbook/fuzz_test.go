package workbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are inputs for FuzzRead: small valid workbooks and broken
// variants of them.
func fuzzSeeds(tb testing.TB) [][]byte {
	small := book{{name: "Task", cells: map[string]any{"A1": "Setting", "B1": "Value", "A2": "Engine", "B2": "mysql", "A3": "Port", "B3": 3306}}}.build(tb)
	hand := rawBook(tb, rawSheet{name: "S", target: "worksheets/sheet1.xml",
		xml: sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>k</t></is></c><c r="B1"><v>1.5</v></c></row>`)})
	flipped := bytes.Clone(small)
	flipped[len(flipped)/2] ^= 0xff
	return [][]byte{
		small,
		hand,
		small[:len(small)/2],
		small[:len(small)-22], // without the end of central directory
		flipped,
		zipOf(tb),
		zipOf(tb, [2]string{"xl/workbook.xml", "<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"}),
		[]byte("<!DOCTYPE html><html></html>"),
		append(bytes.Clone(oleMagic), utf16LE("EncryptedPackage")...),
		{},
	}
}

// checkRead checks what Read returns for any input: a typed error, or a
// workbook that keeps the package's promises and renders cleanly.
func checkRead(t *testing.T, data []byte) {
	wb, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if wb != nil {
			t.Fatal("a workbook and an error")
		}
		if !errors.Is(err, ErrNotWorkbook) && !errors.Is(err, ErrEncrypted) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error of no documented kind: %v", err)
		}
		if strings.ContainsFunc(err.Error(), func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Fatalf("error carries control characters: %q", err)
		}
		return
	}
	cells := 0
	for _, s := range wb.Sheets {
		if s.Rows == nil {
			t.Fatalf("sheet %q: nil rows", s.Name)
		}
		if n := len(s.Rows); n > 0 && len(s.Rows[n-1]) == 0 {
			t.Fatalf("sheet %q ends in an empty row", s.Name)
		}
		for _, r := range s.Rows {
			if r == nil || (len(r) > 0 && r[len(r)-1] == "") {
				t.Fatalf("sheet %q: row %q is nil or ends in an empty cell", s.Name, r)
			}
			cells += len(r)
		}
	}
	if len(wb.Sheets) == 0 || len(wb.Sheets) > MaxSheets || cells > MaxCells {
		t.Fatalf("%d sheets, %d cells", len(wb.Sheets), cells)
	}
	var text bytes.Buffer
	if err := WriteText(&text, wb); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(text.Bytes()) || bytes.ContainsFunc(text.Bytes(), func(r rune) bool { return r != '\n' && (r < ' ' || r == 0x7f) }) {
		t.Fatalf("WriteText wrote a control character or invalid UTF-8: %q", text.String())
	}
	if d := Diff(wb, wb); !d.Empty() {
		t.Fatalf("a workbook differs from itself: %+v", d)
	}
	if _, err := json.Marshal(wb); err != nil {
		t.Fatal(err)
	}
}

// FuzzRead reads arbitrary bytes. Most mutations of a zip break a
// checksum and stop early; FuzzReadSheet reaches the XML.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkRead)
}

// FuzzReadSheet reads a well-formed package whose sheet and shared strings
// parts are arbitrary, so the fuzzer works on what the workbook library
// parses rather than on zip checksums.
func FuzzReadSheet(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>3306</v></c></row><row r="3"><c r="C3" t="b"><v>1</v></c></row>`,
		`<sst><si><t>Engine</t></si></sst>`)
	f.Add(`<row><c t="inlineStr"><is><t>x</t></is></c><c r="XFD1"><v>1</v></c></row>`, ``)
	f.Add(`<row r="2"><c r="A2" s="1"><v>45000.5</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2"><f>A2+1</f><v>45001.5</v></c></row>`, `<sst/>`)
	f.Add(`<row r="1048576"><c r="A1048576" t="s"><v>7</v></c></row>`, `<sst><si><r><t>rich</t></r><r><t> text</t></r></si></sst>`)
	f.Fuzz(func(t *testing.T, sheetData, sst string) {
		data := rawBook(t, rawSheet{name: "S", target: "worksheets/sheet1.xml", xml: sheetXML(sheetData)})
		if sst != "" {
			data = addPart(t, data, "xl/sharedStrings.xml", sst)
		}
		checkRead(t, data)
	})
}

// addPart returns the zip archive data with one more part.
func addPart(tb testing.TB, data []byte, name, content string) []byte {
	tb.Helper()
	parts := [][2]string{}
	zr, err := zipReader(data)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		_ = rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		parts = append(parts, [2]string{f.Name, b.String()})
	}
	return zipOf(tb, append(parts, [2]string{name, content})...)
}

// TestFuzzCorpus keeps the committed seed corpus of FuzzRead in step with
// fuzzSeeds: -update rewrites testdata/fuzz/FuzzRead/.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for i, s := range fuzzSeeds(t) {
		path := filepath.Join(dir, fmt.Sprintf("seed-%02d", i))
		want := "go test fuzz v1\n[]byte(" + strconv.Quote(string(s)) + ")\n"
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale (%v): run go test -update", path, err)
		}
	}
}
