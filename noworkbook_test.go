package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
)

// TestDownloadRefusesZipWithoutWorkbook: a whole .zip that holds no
// workbook is not a template, alone or inside a bundle, and is not kept.
func TestDownloadRefusesZipWithoutWorkbook(t *testing.T) {
	var notes bytes.Buffer
	zw := zip.NewWriter(&notes)
	w, _ := zw.Create("notes.txt")
	_, _ = w.Write([]byte("not a workbook"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		build func(zw *zip.Writer)
		files []string
		kept  []string
	}{
		{"one file", func(zw *zip.Writer) { addEntry(t, zw, &zip.FileHeader{Name: "notes.txt"}, []byte("not a workbook")) },
			[]string{"a.xlsx"}, nil},
		{"in a bundle", func(zw *zip.Writer) {
			addEntry(t, zw, &zip.FileHeader{Name: "a.xlsx"}, notes.Bytes())
			addEntry(t, zw, &zip.FileHeader{Name: "b.xlsx"}, workbookBytes(t))
		}, []string{"b.xlsx", "a.xlsx"}, []string{"b.xlsx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bundleServer(t, tt.build)
			dir := t.TempDir()
			_, err := c.DownloadToDir(context.Background(), dir, tt.files, nil)
			if !errors.Is(err, drstemplate.ErrNotTemplate) || !strings.Contains(err.Error(), "without a workbook") {
				t.Fatalf("DownloadToDir = %v; want ErrNotTemplate saying there is no workbook", err)
			}
			if got := listDir(t, dir); strings.Join(got, ",") != strings.Join(tt.kept, ",") {
				t.Errorf("kept %v; want %v", got, tt.kept)
			}
		})
	}
}
