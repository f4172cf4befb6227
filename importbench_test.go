package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// uploadSize is the workbook the upload benchmark sends: 10 MB, just
// under MaxImportSize.
const uploadSize = 10_000_000

// bigWorkbook returns a zip container of size bytes that passes the
// client's checks (an Office workbook's two parts), padded with a stored
// entry of random bytes.
func bigWorkbook(tb testing.TB, size int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = io.WriteString(w, "<x/>")
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/padding.bin", Method: zip.Store})
	if err != nil {
		tb.Fatal(err)
	}
	pad := make([]byte, size-buf.Len()-300) // the rest of the zip is about 300 bytes
	r := rand.NewChaCha8([32]byte{})
	_, _ = r.Read(pad)
	_, _ = w.Write(pad)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// uploadSink answers every import with a batch job, reading and discarding
// the form: the allocations measured are the client's (and net/http's).
func uploadSink(tb testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=") {
			http.Error(w, `{"error_code":"DRS.M00007","error_msg":"not a form"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"async_job_id":"dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456"}`)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// uploadClients are a client with an IAM token and one that signs with
// AK/SK: the signer needs nothing of the body (UNSIGNED-PAYLOAD).
func uploadClients(tb testing.TB, url string) map[string]*drstemplate.Client {
	clients := map[string]*drstemplate.Client{}
	for name, creds := range map[string]auth.Credentials{
		"token": auth.StaticToken(testToken),
		"aksk":  auth.AccessKey{ID: testAK, Secret: testSK},
	} {
		c, err := drstemplate.New(drstemplate.WithEndpoint(url), drstemplate.WithProjectID(testProject), drstemplate.WithCredentials(creds))
		if err != nil {
			tb.Fatal(err)
		}
		clients[name] = c
	}
	return clients
}

// BenchmarkImport10MB uploads a 10 MB workbook, from a sized reader and
// from a plain stream, with a token and signed with AK/SK, and reports the
// bytes allocated per upload (B/op): the form is streamed, never held
// whole, so it stays far below the workbook's size.
func BenchmarkImport10MB(b *testing.B) {
	book := bigWorkbook(b, uploadSize)
	srv := uploadSink(b)
	for _, auth := range []string{"token", "aksk"} {
		c := uploadClients(b, srv.URL)[auth]
		for _, kind := range []string{"sized", "stream"} {
			b.Run(auth+"/"+kind, func(b *testing.B) {
				b.SetBytes(int64(len(book)))
				b.ReportAllocs()
				for b.Loop() {
					var r io.Reader = bytes.NewReader(book)
					if kind == "stream" {
						r = onlyReader{r}
					}
					if _, err := c.Import(b.Context(), "big.xlsx", r, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestImportMemoryIsFlat checks that uploading a 10 MB workbook allocates
// less than 1 MiB, signed or not: nothing is buffered.
func TestImportMemoryIsFlat(t *testing.T) {
	book := bigWorkbook(t, uploadSize)
	srv := uploadSink(t)
	for name, c := range uploadClients(t, srv.URL) {
		for _, kind := range []string{"sized", "stream"} {
			var r io.Reader = bytes.NewReader(book)
			if kind == "stream" {
				r = onlyReader{r}
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			job, err := c.Import(t.Context(), "big.xlsx", r, nil)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if job.Size != int64(len(book)) {
				t.Errorf("%s/%s: sent %d bytes, want %d", name, kind, job.Size, len(book))
			}
			// The whole process allocates here, the test server included.
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Errorf("%s/%s: a %d MB upload allocated %d KiB", name, kind, len(book)/1e6, grew>>10)
			}
		}
	}
}
