package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// countingWriter counts what is written to it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// TestGzipAmplification serves a template gzip-compressed (the client asks
// for gzip) that decodes past MaxTemplateSize: about 100 KB on the wire.
// The download is refused, no more than MaxTemplateSize bytes are ever
// written, and nothing is kept.
func TestGzipAmplification(t *testing.T) {
	var wire bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&wire, gzip.BestCompression)
	zw := zip.NewWriter(gz)
	if _, err := zw.Create("xl/workbook.xml"); err != nil {
		t.Fatal(err)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range drstemplate.MaxTemplateSize>>20 + 1 {
		_, _ = w.Write(zeros)
	}
	_ = zw.Close()
	_ = gz.Close()
	if wire.Len() > 1<<20 {
		t.Fatalf("%d bytes on the wire: not an amplification", wire.Len())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Error("the client no longer asks for gzip: this test tests nothing")
		}
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(wire.Bytes())
	}))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)), drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	var cw countingWriter
	if _, err := c.Download(t.Context(), "a.xlsx", &cw); !errors.Is(err, drstemplate.ErrNotTemplate) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Download = %v; want ErrNotTemplate, larger than the bound", err)
	}
	if cw.n > drstemplate.MaxTemplateSize {
		t.Errorf("wrote %d bytes, more than MaxTemplateSize (%d)", cw.n, drstemplate.MaxTemplateSize)
	}
	dir := t.TempDir()
	if _, err := c.DownloadToDir(t.Context(), dir, []string{"a.xlsx"}, nil); !errors.Is(err, drstemplate.ErrNotTemplate) {
		t.Errorf("DownloadToDir = %v; want ErrNotTemplate", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the refused download left %v", entries)
	}
}
