package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// templateNames exports the env's tasks and returns their file names.
func templateNames(t *testing.T, e *env) []string {
	t.Helper()
	exportAll(t, e, e.tasks...)
	var names []string
	for _, tpl := range collect(t, e.client) {
		names = append(names, tpl.Name)
	}
	slices.Sort(names)
	return names
}

// checkWorkbook checks that data is a workbook whose task sheet names task.
func checkWorkbook(t *testing.T, data []byte, task string) {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer func() { _ = wb.Close() }()
	rows, err := wb.GetRows(drsfake.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if slices.Contains(row, task) {
			return
		}
	}
	t.Errorf("the workbook does not name task %s: %v", task, rows)
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestDownload(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)}})
		name := templateNames(t, e)[0]
		var buf bytes.Buffer
		n, err := e.client.Download(t.Context(), name, &buf)
		if err != nil || n != int64(buf.Len()) {
			t.Fatalf("Download = %d, %v (%d bytes)", n, err, buf.Len())
		}
		checkWorkbook(t, buf.Bytes(), e.tasks[0])

		dir := t.TempDir()
		files, err := e.client.DownloadToDir(t.Context(), dir, []string{name}, nil)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := drstemplate.File{Name: name, Path: filepath.Join(dir, name), Size: int64(len(data)), SHA256: sha(data)}
		if len(files) != 1 || files[0] != want || !bytes.Equal(data, buf.Bytes()) {
			t.Errorf("DownloadToDir = %+v, want %+v and the bytes Download gave", files, want)
		}
		if slices.Compare(listDir(t, dir), []string{name}) != 0 {
			t.Errorf("dir holds %v", listDir(t, dir))
		}
	})
}

func TestDownloadToDirSeveral(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(4)}})
		names := templateNames(t, e)
		dir := t.TempDir()
		files, err := e.client.DownloadToDir(t.Context(), dir, names, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := e.calls.count(http.MethodPost, pathDownload); n != 1 {
			t.Errorf("%d download calls, want one for all four files", n)
		}
		for i, f := range files {
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			if f.Name != names[i] || f.Path != filepath.Join(dir, names[i]) || f.SHA256 != sha(data) || f.Size != int64(len(data)) {
				t.Errorf("file %d = %+v", i, f)
			}
			var one bytes.Buffer
			if _, err := e.client.Download(t.Context(), names[i], &one); err != nil || !bytes.Equal(one.Bytes(), data) {
				t.Errorf("%s from the .zip differs from its single download (%v)", names[i], err)
			}
		}
		if got := listDir(t, dir); slices.Compare(got, names) != 0 {
			t.Errorf("dir holds %v, want %v", got, names)
		}
	})
}

func TestDownloadToDirKeepsExistingFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)}})
		name := templateNames(t, e)[0]
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := e.client.DownloadToDir(t.Context(), dir, []string{name}, nil)
		if !errors.Is(err, drstemplate.ErrFileExists) {
			t.Errorf("err = %v, want ErrFileExists", err)
		}
		if data, _ := os.ReadFile(path); string(data) != "mine" {
			t.Error("the existing file was changed")
		}
		if n := e.calls.count(http.MethodPost, pathDownload); n != 0 {
			t.Errorf("%d downloads made for a file that could not be kept", n)
		}
		files, err := e.client.DownloadToDir(t.Context(), dir, []string{name}, &drstemplate.DownloadOptions{Overwrite: true})
		if err != nil || len(files) != 1 {
			t.Fatalf("overwrite: %v", err)
		}
		if data, _ := os.ReadFile(path); !bytes.HasPrefix(data, []byte("PK")) {
			t.Error("the file was not overwritten")
		}
		noTempFiles(t, dir)
	})
}

func TestDownloadRefusesWhatIsNotATemplate(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType, want string
	}{
		{"empty", "", "application/octet-stream", "empty"},
		{"HTML", "<html>Sign in to the proxy</html>", "text/html", "text/html"},
		{"JSON", `{"error_code":"x"}`, "application/json", "not a zip container"},
		{"empty zip", "PK\x05\x06" + strings.Repeat("\x00", 18), "application/zip", "not a zip container"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{
					fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)},
					wrap: rewrite(pathDownload, func(_ *http.Request, rec *httptest.ResponseRecorder) {
						rec.Body.Reset()
						rec.Body.WriteString(tc.body)
						rec.Header().Set("Content-Type", tc.contentType)
					}),
				})
				name := templateNames(t, e)[0]
				var buf bytes.Buffer
				if _, err := e.client.Download(t.Context(), name, &buf); !errors.Is(err, drstemplate.ErrNotTemplate) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Download: err = %v, want ErrNotTemplate saying %q", err, tc.want)
				}
				if buf.Len() != 0 {
					t.Errorf("Download wrote %d bytes of it", buf.Len())
				}
				dir := t.TempDir()
				if _, err := e.client.DownloadToDir(t.Context(), dir, []string{name}, nil); !errors.Is(err, drstemplate.ErrNotTemplate) {
					t.Errorf("DownloadToDir: err = %v", err)
				}
				if got := listDir(t, dir); len(got) != 0 {
					t.Errorf("dir holds %v", got)
				}
			})
		})
	}
}

func TestDownloadRetriesBrokenBodies(t *testing.T) {
	for _, fault := range []struct {
		name  string
		rates drsfake.FaultRates
	}{
		{"truncated", drsfake.FaultRates{Truncate: 0.3}},
		{"reset", drsfake.FaultRates{Reset: 0.3}},
	} {
		t.Run(fault.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(6), drsfake.WithSeed(3)}})
				names := templateNames(t, e)
				if err := e.fake.SetFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
					drsfake.OpDownloadCreateTemplate: fault.rates,
				}}); err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				for _, name := range names {
					files, err := e.client.DownloadToDir(t.Context(), dir, []string{name}, nil)
					if err != nil {
						t.Fatalf("%s: %v\n%s", name, err, e.logs.text())
					}
					data, _ := os.ReadFile(files[0].Path)
					if sha(data) != files[0].SHA256 {
						t.Errorf("%s: SHA-256 differs", name)
					}
				}
				if calls := e.calls.count(http.MethodPost, pathDownload); calls <= len(names) {
					t.Errorf("%d download calls for %d files: the fault never struck", calls, len(names))
				}
				noTempFiles(t, dir)
			})
		})
	}
}

func TestDownloadCancelledLeavesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The server sends half the file, then stalls.
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)},
			wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !strings.HasSuffix(r.URL.Path, pathDownload) {
						h.ServeHTTP(w, r)
						return
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, r)
					w.WriteHeader(http.StatusOK)
					_, _ = w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
					_ = http.NewResponseController(w).Flush()
					<-r.Context().Done()
				})
			},
		})
		name := templateNames(t, e)[0]
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Minute, cancel)
		_, err := e.client.DownloadToDir(ctx, dir, []string{name}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if got := listDir(t, dir); len(got) != 0 {
			t.Errorf("a cancelled download left %v", got)
		}
	})
}

// bundleServer answers every download with the .zip that build makes.
func bundleServer(t *testing.T, build func(w *zip.Writer)) *drstemplate.Client {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	build(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)), drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// workbookBytes is the smallest data that passes for a workbook here.
func workbookBytes(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func addEntry(t *testing.T, zw *zip.Writer, h *zip.FileHeader, data []byte) {
	t.Helper()
	w, err := zw.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadToDirHostileBundles(t *testing.T) {
	wb := workbookBytes(t)
	names := []string{"a_mysql_20250101000000.xlsx", "b_mysql_20250101000000.xlsx"}
	for _, tc := range []struct {
		name    string
		build   func(t *testing.T, zw *zip.Writer)
		want    string   // in the error; "" for success
		written []string // files in the directory afterwards
	}{
		{
			name: "entries not asked for are never written",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: "../" + names[0], Method: zip.Deflate}, wb)
				addEntry(t, zw, &zip.FileHeader{Name: "/etc/" + names[1], Method: zip.Deflate}, wb)
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, wb)
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
			},
			written: names,
		},
		{
			name: "a link",
			build: func(t *testing.T, zw *zip.Writer) {
				h := &zip.FileHeader{Name: names[0]}
				h.SetMode(os.ModeSymlink | 0o777)
				addEntry(t, zw, h, []byte("/etc/passwd"))
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
			},
			want: "not a regular file",
		},
		{
			name: "a zip bomb",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, append(slices.Clone(wb), make([]byte, 8<<20)...))
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
			},
			want: "zip bomb",
		},
		{
			name: "a missing file",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
			},
			want:    "lacks " + names[0],
			written: names[1:],
		},
		{
			name: "a file twice",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, wb)
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, wb)
			},
			want: "twice",
		},
		{
			name: "more entries than a bundle holds",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, wb)
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
				for i := range 10_000 {
					addEntry(t, zw, &zip.FileHeader{Name: "x/" + strconv.Itoa(i)}, nil)
				}
			},
			want: "10002 entries, more than 10000",
		},
		{
			name: "an entry that is not a workbook",
			build: func(t *testing.T, zw *zip.Writer) {
				addEntry(t, zw, &zip.FileHeader{Name: names[0], Method: zip.Deflate}, []byte("just text"))
				addEntry(t, zw, &zip.FileHeader{Name: names[1], Method: zip.Deflate}, wb)
			},
			want: "is not a workbook",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := bundleServer(t, func(zw *zip.Writer) { tc.build(t, zw) })
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			files, err := c.DownloadToDir(t.Context(), dir, names, nil)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.want != "" && (!errors.Is(err, drstemplate.ErrNotTemplate) || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want ErrNotTemplate saying %q", err, tc.want)
			}
			if got := listDir(t, dir); slices.Compare(got, tc.written) != 0 {
				t.Errorf("dir holds %v, want %v", got, tc.written)
			}
			if got := listDir(t, parent); slices.Compare(got, []string{"out"}) != 0 {
				t.Errorf("something was written beside the directory: %v", got)
			}
			for _, f := range files {
				if data, _ := os.ReadFile(f.Path); !bytes.Equal(data, wb) {
					t.Errorf("%s is not the workbook", f.Path)
				}
			}
		})
	}
}

func TestDownloadToDirRefusesBadInput(t *testing.T) {
	c := bundleServer(t, func(*zip.Writer) {})
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		dir   string
		names []string
	}{
		{"no names", t.TempDir(), nil},
		{"empty name", t.TempDir(), []string{""}},
		{"only dots", t.TempDir(), []string{".."}},
		{"two names, one file", t.TempDir(), []string{"a/b.xlsx", "a\\b.xlsx"}},
		{"no directory", "", []string{"a.xlsx"}},
		{"a file as directory", file, []string{"a.xlsx"}},
	} {
		if _, err := c.DownloadToDir(t.Context(), tc.dir, tc.names, nil); !errors.Is(err, drstemplate.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", tc.name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := c.Download(t.Context(), "", io.Writer(&buf)); !errors.Is(err, drstemplate.ErrInvalidInput) {
		t.Errorf("Download(\"\"): err = %v", err)
	}
}

// cutThenWhole answers the first `cut` requests with the start of body and
// then a closed connection — no Content-Length, so nothing but the bytes
// can tell — and later ones with the whole body.
func cutThenWhole(cut int, body []byte, keep int) (http.Handler, *atomic.Int64) {
	var calls atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) > int64(cut) {
			_, _ = w.Write(body)
			return
		}
		conn, bw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
		_, _ = bw.Write(body[:keep])
		_ = bw.Flush()
		_ = conn.Close()
	}), &calls
}

func TestDownloadToDirDownloadsCutBodiesAgain(t *testing.T) {
	wb := workbookBytes(t)
	var bundle bytes.Buffer
	zw := zip.NewWriter(&bundle)
	addEntry(t, zw, &zip.FileHeader{Name: "a.xlsx", Method: zip.Deflate}, wb)
	addEntry(t, zw, &zip.FileHeader{Name: "b.xlsx", Method: zip.Deflate}, wb)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		names []string
		body  []byte
		keep  int
	}{
		{"one file, half of it", []string{"a.xlsx"}, wb, len(wb) / 2},
		{"one file, two bytes", []string{"a.xlsx"}, wb, 2},
		{"a .zip of two, half of it", []string{"a.xlsx", "b.xlsx"}, bundle.Bytes(), bundle.Len() / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, calls := cutThenWhole(2, tc.body, tc.keep)
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
				drstemplate.WithCredentials(auth.StaticToken(testToken)),
				drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			files, err := c.DownloadToDir(t.Context(), dir, tc.names, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if data, _ := os.ReadFile(f.Path); !bytes.Equal(data, wb) {
					t.Errorf("%s is not the whole workbook", f.Path)
				}
			}
			if n := calls.Load(); n != 3 {
				t.Errorf("%d calls, want two cut short and a whole one", n)
			}
			noTempFiles(t, dir)

			// Cut short every time: the error says so, and nothing is left.
			h, _ = cutThenWhole(1000, tc.body, tc.keep)
			srv2 := httptest.NewServer(h)
			defer srv2.Close()
			c2, _ := drstemplate.New(drstemplate.WithEndpoint(srv2.URL), drstemplate.WithProjectID(testProject),
				drstemplate.WithCredentials(auth.StaticToken(testToken)),
				drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			dir2 := t.TempDir()
			if _, err := c2.DownloadToDir(t.Context(), dir2, tc.names, nil); err == nil || !strings.Contains(err.Error(), tc.names[0]) && !strings.Contains(err.Error(), ".zip") {
				t.Errorf("err = %v, want one naming what was downloaded", err)
			}
			if got := listDir(t, dir2); len(got) != 0 {
				t.Errorf("left %v", got)
			}
		})
	}
}

// TestDownloadToDirBundleWritesSafeNames asks for names whose safe local
// forms differ from them: each entry of the .zip is found by the listed
// name and written at the safe one, never at the server's.
func TestDownloadToDirBundleWritesSafeNames(t *testing.T) {
	wb := workbookBytes(t)
	names := []string{".a:1_mysql_20250101000000.xlsx", "b?_mysql_20250101000000.xlsx"}
	safe := []string{"a_1_mysql_20250101000000.xlsx", "b__mysql_20250101000000.xlsx"}
	c := bundleServer(t, func(zw *zip.Writer) {
		for _, n := range names {
			addEntry(t, zw, &zip.FileHeader{Name: n, Method: zip.Deflate}, wb)
		}
	})
	dir := t.TempDir()
	files, err := c.DownloadToDir(t.Context(), dir, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); !slices.Equal(got, safe) {
		t.Errorf("dir holds %q, want %q", got, safe)
	}
	for i, f := range files {
		if f.Name != names[i] || f.Path != filepath.Join(dir, safe[i]) || f.SHA256 != sha(wb) {
			t.Errorf("file %d = %+v, want %s written at %s", i, f, names[i], safe[i])
		}
	}
}
