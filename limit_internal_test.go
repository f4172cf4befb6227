package drstemplate

import (
	"archive/zip"
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate/auth"
)

// limitedClient returns a client of a server that answers every download
// with body, its bound on one file set to limit bytes.
func limitedClient(t *testing.T, body []byte, limit int64) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithEndpoint(srv.URL), WithProjectID("0123456789abcdef0123456789abcdef"),
		WithCredentials(auth.StaticToken("t")), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	c.maxFile = limit
	return c
}

// zipped returns a zip container of entries (name → contents), each
// stored with method.
func zipped(t *testing.T, method uint16, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDownloadSizeBound reaches the bound on one file, with a small bound
// set here: one byte over it is refused and nothing is kept; exactly at it
// passes.
func TestDownloadSizeBound(t *testing.T) {
	file := zipped(t, zip.Store, "xl/workbook.xml", strings.Repeat("x", 1000))
	size := int64(len(file))
	// Compressed, the bundle is smaller than one of its entries: only the
	// entries meet the bound.
	bundle := zipped(t, zip.Deflate, "a.xlsx", string(file), "b.xlsx", string(file))
	if int64(len(bundle)) >= size {
		t.Fatalf("the bundle (%d bytes) is not smaller than an entry (%d)", len(bundle), size)
	}
	for _, tc := range []struct {
		name  string
		body  []byte
		names []string
		says  string // the bound's message, not a cut-short file's
	}{
		{"one file", file, []string{"a.xlsx"}, "larger than"},
		{"a bundle's entries", bundle, []string{"a.xlsx", "b.xlsx"}, "expands past"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := limitedClient(t, tc.body, size-1).DownloadToDir(t.Context(), dir, tc.names, nil)
			if !errors.Is(err, ErrNotTemplate) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("%d bytes past a bound of %d: %+v, %v; want ErrNotTemplate saying %q", size, size-1, files, err, tc.says)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the refused download left %v", entries)
			}
			dir = t.TempDir()
			files, err = limitedClient(t, tc.body, size).DownloadToDir(t.Context(), dir, tc.names, nil)
			if err != nil || len(files) != len(tc.names) || files[0].Size != size {
				t.Fatalf("files of exactly the bound: %+v, %v", files, err)
			}
		})
	}
	t.Run("streamed", func(t *testing.T) {
		var w bytes.Buffer
		n, err := limitedClient(t, file, size-1).Download(t.Context(), "a.xlsx", &w)
		if !errors.Is(err, ErrNotTemplate) || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("Download past the bound = %d, %v; want ErrNotTemplate saying larger than", n, err)
		}
		w.Reset()
		if n, err := limitedClient(t, file, size).Download(t.Context(), "a.xlsx", &w); err != nil || n != size || !bytes.Equal(w.Bytes(), file) {
			t.Fatalf("Download at the bound = %d, %v", n, err)
		}
	})
}
