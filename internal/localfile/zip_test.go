package localfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"
)

func TestIsZip(t *testing.T) {
	for _, tc := range []struct {
		head string
		want bool
	}{
		{"PK\x03\x04rest", true},
		{"PK\x03\x04", true},
		{"PK\x03", false},     // cut short
		{"PK\x05\x06", false}, // an empty zip: no file in it
		{"<html>", false},
		{"", false},
	} {
		if got := IsZip([]byte(tc.head)); got != tc.want {
			t.Errorf("IsZip(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func TestCheckZip(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("xl/workbook.xml")
	_, _ = w.Write([]byte("<workbook/>"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	whole := b.Bytes()
	if err := CheckZip(bytes.NewReader(whole), int64(len(whole))); err != nil {
		t.Errorf("a whole zip: %v", err)
	}
	cut := whole[:len(whole)-10]
	if err := CheckZip(bytes.NewReader(cut), int64(len(cut))); err == nil {
		t.Error("a zip cut short passed")
	}
}

func TestCheckWorkbook(t *testing.T) {
	zipOf := func(names ...string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range names {
			w, _ := zw.Create(n)
			_, _ = w.Write([]byte("<x/>"))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		data []byte
		is   error // nil: a workbook
	}{
		{"a workbook", zipOf("[Content_Types].xml", "xl/workbook.xml"), nil},
		{"written with backslashes and capitals", zipOf(`XL\Workbook.xml`), nil},
		{"a zip of a text file", zipOf("readme.txt"), ErrNoWorkbook},
		{"a zip of two workbooks", zipOf("a.xlsx", "b.xlsx"), ErrNoWorkbook},
		{"a Word document", zipOf("[Content_Types].xml", "word/document.xml"), ErrNoWorkbook},
		// The part's whole name, not a prefix, suffix or part of it.
		{"a backup of the workbook part", zipOf("xl/workbook.xml.bak"), ErrNoWorkbook},
		{"a workbook part in a subfolder", zipOf("old/xl/workbook.xml"), ErrNoWorkbook},
		{"the folder of a workbook part", zipOf("xl/"), ErrNoWorkbook},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckWorkbook(bytes.NewReader(tc.data), int64(len(tc.data))); !errors.Is(err, tc.is) {
				t.Errorf("CheckWorkbook = %v, want %v", err, tc.is)
			}
		})
	}
	cut := zipOf("xl/workbook.xml")
	cut = cut[:len(cut)-10]
	if err := CheckWorkbook(bytes.NewReader(cut), int64(len(cut))); err == nil || errors.Is(err, ErrNoWorkbook) {
		t.Errorf("a workbook cut short: %v, want the zip reader's error", err)
	}
}
