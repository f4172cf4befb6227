package localfile

import (
	"archive/zip"
	"bytes"
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
