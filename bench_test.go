package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// rawProgress makes the ShowExportProgress call with net/http and
// encoding/json alone: the floor the client is measured against.
func rawProgress(ctx context.Context, hc *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", testToken)
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var p drsapi.ExportProgress
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return "", err
	}
	return p.ProcessStatus, nil
}

// cannedServer answers the three read calls with fixed bodies, doing as
// little as a server can, so that the allocations measured are the client's.
func cannedServer(b *testing.B, workbook []byte) *httptest.Server {
	progress := []byte(`{"process_status":"success"}`)
	list := []byte(`{"count":1,"export_report_obs_files":[{"file_name":"2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx","last_modified":"2025-07-03T09:44:12Z"}]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		switch {
		case strings.HasSuffix(r.URL.Path, pathProgress):
			h["Content-Type"] = []string{"application/json"}
			_, _ = w.Write(progress)
		case strings.HasSuffix(r.URL.Path, pathDownload):
			_, _ = io.Copy(io.Discard, r.Body)
			h["Content-Type"] = []string{drsfake.XLSXContentType}
			_, _ = w.Write(workbook)
		default:
			h["Content-Type"] = []string{"application/json"}
			_, _ = w.Write(list)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkOperations measures each read call through the client — with an
// IAM token and with AK/SK signing — against ShowExportProgress made with
// net/http and encoding/json alone, all on one in-process server that
// answers with canned bodies.
func BenchmarkOperations(b *testing.B) {
	srv := cannedServer(b, workbookBytes(b))
	ctx := b.Context()
	b.Run("ShowExportProgress/raw", func(b *testing.B) {
		hc := srv.Client()
		url := srv.URL + "/v5/" + testProject + "/jobs/62a055ae-ce03-4232-beb6-46c83b8ef2b2/export/progress"
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rawProgress(ctx, hc, url); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, aksk := range []bool{false, true} {
		creds, name := auth.StaticToken(testToken), "token"
		if aksk {
			creds, name = auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject}, "aksk"
		}
		c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
			drstemplate.WithCredentials(creds), drstemplate.WithTransport(srv.Client().Transport))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("ShowExportProgress/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Poll(ctx, "62a055ae-ce03-4232-beb6-46c83b8ef2b2"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ListTemplates/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, err := range c.Templates(ctx) {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("DownloadCreateTemplate/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Download(ctx, "2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx", io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigTemplate serves a workbook-shaped .zip: a workbook part, then one
// stored (uncompressed) entry of n bytes, written as it is sent.
func bigTemplate(n int64) http.Handler {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", drsfake.XLSXContentType)
		zw := zip.NewWriter(w)
		if _, err := zw.Create("xl/workbook.xml"); err != nil {
			return
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store})
		if err != nil {
			return
		}
		for left := n; left > 0; {
			k, err := f.Write(chunk[:min(left, int64(len(chunk)))])
			if err != nil {
				return
			}
			left -= int64(k)
		}
		_ = zw.Close()
	})
}

// BenchmarkDownload64MiB downloads a 64 MiB file to io.Discard and to a
// directory, and reports the bytes allocated per download (B/op): the
// download is streamed, so it stays far below the file's size.
func BenchmarkDownload64MiB(b *testing.B) {
	const size = 48 << 20 // under MaxTemplateSize
	srv := httptest.NewServer(bigTemplate(size))
	b.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("writer", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Download(b.Context(), "big.xlsx", io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dir", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		dir := b.TempDir()
		for b.Loop() {
			if _, err := c.DownloadToDir(b.Context(), dir, []string{"big.xlsx"}, &drstemplate.DownloadOptions{Overwrite: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDownloadMemoryIsFlat checks that a 64 MiB download allocates less
// than 1 MiB: nothing is held whole.
func TestDownloadMemoryIsFlat(t *testing.T) {
	const size = 48 << 20 // under MaxTemplateSize
	srv := httptest.NewServer(bigTemplate(size))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"writer", "dir"} {
		dir := t.TempDir()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if to == "writer" {
			_, err = c.Download(t.Context(), "big.xlsx", io.Discard)
		} else {
			_, err = c.DownloadToDir(t.Context(), dir, []string{"big.xlsx"}, nil)
		}
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		// The whole process allocates here, the test server included.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: a %d MiB download allocated %d KiB", to, size>>20, grew>>10)
		}
	}
}
