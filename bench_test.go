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

// The bodies the canned answers of BenchmarkOperations carry, and the
// calls' parameters.
const (
	benchExport = "62a055ae-ce03-4232-beb6-46c83b8ef2b2"
	benchFile   = "2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx"
	benchList   = `{"count":1,"export_report_obs_files":[{"file_name":"` + benchFile + `","last_modified":"2025-07-03T09:44:12Z"}]}`
)

// canned answers the three read calls with fixed bodies, doing as little
// as an answer can: the same for the client and for the raw calls.
type canned struct{ progress, list, workbook []byte }

func newCanned(b *testing.B) canned {
	return canned{progress: []byte(`{"process_status":"success"}`), list: []byte(benchList), workbook: workbookBytes(b)}
}

// answer is the body and Content-Type of the answer to a request for path.
func (c canned) answer(path string) ([]byte, string) {
	switch {
	case strings.HasSuffix(path, pathProgress):
		return c.progress, "application/json"
	case strings.HasSuffix(path, pathDownload):
		return c.workbook, drsfake.XLSXContentType
	}
	return c.list, "application/json"
}

// server is an in-process loopback server of c's answers.
func (c canned) server(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		body, ctype := c.answer(r.URL.Path)
		w.Header()["Content-Type"] = []string{ctype}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// memTransport is an http.RoundTripper that answers with c's bodies in
// memory: no server, no socket. Under it, the time and the allocations
// measured are the caller's, plus this answer's few (the same for every
// caller: a Response, its Header and its Body).
type memTransport struct{ canned }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	body, ctype := m.answer(r.URL.Path)
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": []string{ctype}},
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(bytes.NewReader(body)),
		Request:       r,
	}, nil
}

// rawGet makes a GET with net/http alone, with the headers the client
// sends (a token), and decodes its JSON answer into v with encoding/json:
// the floor the client's reads are measured against.
func rawGet(ctx context.Context, hc *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", testToken)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// rawDownload makes the DownloadCreateTemplate call with net/http and
// encoding/json alone, copying the file to io.Discard.
func rawDownload(ctx context.Context, hc *http.Client, url, name string) error {
	body, err := json.Marshal(drsapi.DownloadTemplateRequest{Files: []string{name}})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", testToken)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// BenchmarkOperations measures each read call through the client — with an
// IAM token and with AK/SK signing — against the same call made with
// net/http and encoding/json alone (raw). Under loopback/ the calls go to an
// in-process server over a socket, so the allocations include the server's
// and the connection's; under memory/ the base transport answers in memory
// (memTransport), so they are the client's own: the generated request
// builder, the retry loop, the stall guard and auth.Transport.
func BenchmarkOperations(b *testing.B) {
	c := newCanned(b)
	srv := c.server(b)
	b.Run("loopback", func(b *testing.B) { benchOperations(b, srv.URL, srv.Client().Transport) })
	b.Run("memory", func(b *testing.B) { benchOperations(b, "http://127.0.0.1", memTransport{c}) })
}

// benchOperations runs the rows of BenchmarkOperations against endpoint
// through the base transport rt.
func benchOperations(b *testing.B, endpoint string, rt http.RoundTripper) {
	ctx := b.Context()
	hc := &http.Client{Transport: rt}
	base := endpoint + "/v5/" + testProject
	b.Run("ShowExportProgress/raw", func(b *testing.B) {
		url := base + "/jobs/" + benchExport + "/export/progress"
		b.ReportAllocs()
		for b.Loop() {
			var p drsapi.ExportProgress
			if err := rawGet(ctx, hc, url, &p); err != nil || p.ProcessStatus == "" {
				b.Fatal(err, p)
			}
		}
	})
	b.Run("ListTemplates/raw", func(b *testing.B) {
		url := base + "/templates?offset=0&limit=100"
		b.ReportAllocs()
		for b.Loop() {
			var page drsapi.TemplateList
			if err := rawGet(ctx, hc, url, &page); err != nil || len(page.ExportReportObsFiles) != 1 {
				b.Fatal(err, page)
			}
		}
	})
	b.Run("DownloadCreateTemplate/raw", func(b *testing.B) {
		url := base + "/templates/download"
		b.ReportAllocs()
		for b.Loop() {
			if err := rawDownload(ctx, hc, url, benchFile); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, aksk := range []bool{false, true} {
		creds, name := auth.StaticToken(testToken), "token"
		if aksk {
			creds, name = auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject}, "aksk"
		}
		c, err := drstemplate.New(drstemplate.WithEndpoint(endpoint), drstemplate.WithProjectID(testProject),
			drstemplate.WithCredentials(creds), drstemplate.WithTransport(rt))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("ShowExportProgress/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Poll(ctx, benchExport); err != nil {
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
				if _, err := c.Download(ctx, benchFile, io.Discard); err != nil {
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
