package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
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

// Path suffixes of the batch-import operations, for callLog.count.
const (
	pathBlank      = "/jobs/template"
	pathBatchJobs  = "/batch-async-jobs"
	pathCommitTail = "/commit"
)

// taskSheet is the rows of a task sheet the fake accepts: a task named
// name whose source is host:3306.
func taskSheet(name, host string) [][]string {
	return [][]string{{"Setting", "Value"}, {"Task name", name}, {"Task type", "migration"},
		{"Engine", "mysql"}, {"Source endpoint", host + ":3306"}, {"Target endpoint", "10.9.9.9:3306"}}
}

// workbookOf writes a workbook with one sheet per entry of sheets, in
// order, each named "Task1", "Task2"…
func workbookOf(t testing.TB, sheets ...[][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, rows := range sheets {
		name := "Task" + string(rune('1'+i))
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// editWorkbook returns book with the cell of sheet set to value.
func editWorkbook(book []byte, sheet, cell, value string) []byte {
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		panic(err)
	}
	defer func() { _ = f.Close() }()
	if err := f.SetCellStr(sheet, cell, value); err != nil {
		panic(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// zipWith returns a zip container of one entry.
func zipWith(t testing.TB, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, content); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// paddedWorkbook returns a whole workbook of exactly size bytes: book with
// an entry of padding stored uncompressed.
func paddedWorkbook(t testing.TB, book []byte, size int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	build := func(pad int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "padding.bin", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, pad)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	padded := build(size - len(build(0)))
	if len(padded) != size {
		t.Fatalf("padded workbook of %d bytes, want %d", len(padded), size)
	}
	return padded
}

// onlyReader hides every method of r but Read: a stream of unknown size.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestBlankTemplate: the blank template of each engine is streamed whole,
// a zip holding a workbook; an engine DRS refuses is an *APIError.
func TestBlankTemplate(t *testing.T) {
	e := newEnv(t, envConfig{})
	ctx := context.Background()
	for _, engine := range []string{"", "postgresql"} {
		var buf bytes.Buffer
		n, err := e.client.BlankTemplate(ctx, engine, &buf)
		if err != nil {
			t.Fatalf("engine %q: %v", engine, err)
		}
		if n != int64(buf.Len()) {
			t.Errorf("engine %q: returned %d, wrote %d", engine, n, buf.Len())
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("engine %q: not a whole zip: %v", engine, err)
		}
		want := drsfake.BlankTemplateName(cmpOr(engine, "mysql")) + ".xlsx"
		if len(zr.File) != 1 || zr.File[0].Name != want {
			t.Errorf("engine %q: entries %v, want %s", engine, zr.File, want)
		}
	}
	var buf bytes.Buffer
	_, err := e.client.BlankTemplate(ctx, "oracle", &buf)
	var apiErr *drstemplate.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != drsfake.CodeTemplateDownloadFailed || buf.Len() != 0 {
		t.Errorf("engine oracle: %v (wrote %d bytes), want an *APIError %s and nothing written", err, buf.Len(), drsfake.CodeTemplateDownloadFailed)
	}
	if _, err := e.client.BlankTemplate(ctx, "my\nsql", &buf); !errors.Is(err, drstemplate.ErrInvalidInput) {
		t.Errorf("engine with a newline: %v, want ErrInvalidInput", err)
	}
}

// TestBlankTemplateNotZip: an answer that is not a zip is refused before a
// byte is written, whatever its Content-Type says.
func TestBlankTemplateNotZip(t *testing.T) {
	e := newEnv(t, envConfig{wrap: rewrite(pathBlank, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		rec.Body.Reset()
		rec.Body.WriteString("<html>maintenance</html>")
	})})
	var buf bytes.Buffer
	_, err := e.client.BlankTemplate(context.Background(), "", &buf)
	if !errors.Is(err, drstemplate.ErrNotTemplate) || buf.Len() != 0 {
		t.Errorf("got %v and %d bytes, want ErrNotTemplate and nothing written", err, buf.Len())
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestImportRefusedBeforeSending: files that are not workbooks are refused
// before any request, whether the reader knows its size or not.
func TestImportRefusedBeforeSending(t *testing.T) {
	big := make([]byte, drstemplate.MaxImportSize+1)
	copy(big, workbookOf(t, taskSheet("a", "10.0.0.1")))
	cases := []struct {
		name string
		data []byte
		// streamed: refused before sending even as a plain io.Reader (the
		// sized reader is refused for all).
		streamed bool
	}{
		{"empty", nil, true},
		{"text", []byte("Setting,Value\nTask name,a\n"), true},
		{"html", []byte("<html><body>not a workbook</body></html>"), true},
		{"zip without a workbook", zipWith(t, "notes.txt", "hello"), false},
		{"a workbook part without [Content_Types].xml", zipWith(t, "xl/workbook.xml", "<workbook/>"), false},
		{"[Content_Types].xml without a workbook part", zipWith(t, "[Content_Types].xml", "<Types/>"), false},
		{"zip cut short", workbookOf(t, taskSheet("a", "10.0.0.1"))[:200], false},
		{"larger than the bound", big, false},
		{"a whole workbook one byte over the bound", paddedWorkbook(t, workbookOf(t, taskSheet("a", "10.0.0.1")), drstemplate.MaxImportSize+1), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envConfig{})
			readers := map[string]io.Reader{"sized": bytes.NewReader(tc.data)}
			if tc.streamed {
				readers["stream"] = onlyReader{bytes.NewReader(tc.data)}
			}
			for kind, r := range readers {
				job, err := e.client.Import(context.Background(), "tasks.xlsx", r, nil)
				if !errors.Is(err, drstemplate.ErrNotWorkbook) || !errors.Is(err, drstemplate.ErrInvalidInput) || job.ID != "" {
					t.Errorf("%s: %+v, %v; want ErrNotWorkbook and ErrInvalidInput", kind, job, err)
				}
			}
			if n := e.calls.count("", pathBlank); n != 0 {
				t.Errorf("%d requests reached the fake, want none", n)
			}
		})
	}
}

// TestImportStreamTooLarge: a stream that grows past the bound is cut off
// and refused; the fake creates no batch job.
func TestImportStreamTooLarge(t *testing.T) {
	e := newEnv(t, envConfig{})
	data := make([]byte, drstemplate.MaxImportSize+100)
	copy(data, workbookOf(t, taskSheet("a", "10.0.0.1")))
	_, err := e.client.Import(context.Background(), "tasks.xlsx", onlyReader{bytes.NewReader(data)}, nil)
	if !errors.Is(err, drstemplate.ErrNotWorkbook) {
		t.Fatalf("got %v, want ErrNotWorkbook", err)
	}
	if n := e.calls.countStatus(http.MethodPost, pathBlank, http.StatusOK); n != 0 {
		t.Errorf("the fake accepted %d imports, want none", n)
	}
}

// TestImportInput: arguments refused before anything is read or sent.
func TestImportInput(t *testing.T) {
	e := newEnv(t, envConfig{})
	book := workbookOf(t, taskSheet("a", "10.0.0.1"))
	for _, tc := range []struct {
		name, file string
		r          io.Reader
		opts       *drstemplate.ImportOptions
	}{
		{"no name", "", bytes.NewReader(book), nil},
		{"a path", "dir/tasks.xlsx", bytes.NewReader(book), nil},
		{"a control character", "tasks\n.xlsx", bytes.NewReader(book), nil},
		{"nil reader", "tasks.xlsx", nil, nil},
		{"unknown type", "tasks.xlsx", bytes.NewReader(book), &drstemplate.ImportOptions{Type: "backup"}},
	} {
		if _, err := e.client.Import(context.Background(), tc.file, tc.r, tc.opts); !errors.Is(err, drstemplate.ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", tc.name, err)
		}
	}
	if n := e.calls.count("", pathBlank); n != 0 {
		t.Errorf("%d requests reached the fake, want none", n)
	}
}

// TestImportRefusedRows: the fake's refusal comes back as an *ImportError
// listing every row, with the 400's code; an *APIError too.
func TestImportRefusedRows(t *testing.T) {
	e := newEnv(t, envConfig{})
	bad := taskSheet("a", "10.0.0.1")
	bad[3][1] = "oracle-ish"   // Engine, row 4
	bad[4][1] = "no-port-here" // Source endpoint, row 5
	book := workbookOf(t, bad, taskSheet("b", "10.0.0.2"))
	for kind, r := range map[string]io.Reader{"sized": bytes.NewReader(book), "stream": onlyReader{bytes.NewReader(book)}} {
		job, err := e.client.Import(context.Background(), "tasks.xlsx", r, nil)
		var refused *drstemplate.ImportError
		if !errors.As(err, &refused) {
			t.Fatalf("%s: %v, want an *ImportError", kind, err)
		}
		if job.ID != "" || refused.Code != drsfake.CodeImportParseFailed || refused.API == nil || refused.API.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: job %+v, refusal %+v", kind, job, refused)
		}
		var apiErr *drstemplate.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != drsfake.CodeImportParseFailed {
			t.Errorf("%s: errors.As *APIError: %v", kind, apiErr)
		}
		var got []string
		for _, row := range refused.Rows {
			got = append(got, row.Sheet+"/"+row.Row+"="+row.Value)
			if row.Message == "" {
				t.Errorf("%s: row %+v has no message", kind, row)
			}
		}
		if want := "Task1/4=oracle-ish Task1/5=no-port-here"; strings.Join(got, " ") != want {
			t.Errorf("%s: rows %v, want %s", kind, got, want)
		}
		if !strings.Contains(err.Error(), "2 rows refused") || !strings.Contains(err.Error(), `"oracle-ish"`) {
			t.Errorf("%s: message %q does not name the rows", kind, err)
		}
	}
	if n := e.calls.countStatus(http.MethodPost, pathBlank, http.StatusOK); n != 0 {
		t.Errorf("the fake accepted %d imports, want none", n)
	}
}

// TestImportFile: an *os.File is sent whole, with its length, and the
// batch job it creates is reported.
func TestImportFile(t *testing.T) {
	e := newEnv(t, envConfig{aksk: true})
	path := filepath.Join(t.TempDir(), "tasks.xlsx")
	book := workbookOf(t, taskSheet("a", "10.0.0.1"))
	if err := os.WriteFile(path, book, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if _, err := f.Seek(100, io.SeekStart); err != nil { // read from its start all the same
		t.Fatal(err)
	}
	job, err := e.client.Import(context.Background(), "tasks.xlsx", f, &drstemplate.ImportOptions{Type: "migration"})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID == "" || job.File != "tasks.xlsx" || job.Size != int64(len(book)) {
		t.Errorf("job %+v", job)
	}
}

// dialFailsOnce is a transport whose first request fails as a connection
// that was never made would.
type dialFailsOnce struct {
	next   http.RoundTripper
	failed atomic.Bool
}

func (d *dialFailsOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.failed.CompareAndSwap(false, true) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return d.next.RoundTrip(r)
}

// TestImportAndCommitRetries: the import and the commit are not
// idempotent: sent again only where DRS cannot have acted on them — the
// gateway throttled them (429) or the connection was never made — and an
// import read from a stream never, as its body is gone.
func TestImportAndCommitRetries(t *testing.T) {
	book := workbookOf(t, taskSheet("a", "10.0.0.1"))
	const attempts = 6 // newEnv's RetryPolicy
	cases := []struct {
		name  string
		rates drsfake.FaultRates
		dial  bool
		// attempts of a sized import, a streamed one, a commit
		sized, stream, commit int
	}{
		{name: "429", rates: drsfake.FaultRates{Throttle: 1}, sized: attempts, stream: 1, commit: attempts},
		{name: "500", rates: drsfake.FaultRates{InternalError: 1}, sized: 1, stream: 1, commit: 1},
		{name: "503", rates: drsfake.FaultRates{Unavailable: 1}, sized: 1, stream: 1, commit: 1},
		{name: "reset", rates: drsfake.FaultRates{Reset: 1}, sized: 1, stream: 1, commit: 1},
		{name: "dial", dial: true, sized: 1, stream: 0, commit: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				faults := drsfake.Faults{RetryAfter: time.Second, PerOperation: map[drsfake.Operation]drsfake.FaultRates{
					drsfake.OpImportBatchCreateJobs: tc.rates, drsfake.OpCommitAsyncJob: tc.rates,
				}}
				var dialer *dialFailsOnce
				cfg := envConfig{fake: []drsfake.Option{drsfake.WithFaults(faults), drsfake.WithImportValidation(0)}}
				if tc.dial {
					cfg.fake = cfg.fake[1:]
					cfg.httpClient = func(rt http.RoundTripper) *http.Client {
						dialer = &dialFailsOnce{next: rt}
						return &http.Client{Transport: dialer}
					}
				}
				e := newEnv(t, cfg)
				ctx := context.Background()

				job, err := e.client.Import(ctx, "a.xlsx", bytes.NewReader(book), nil)
				// The fake records a call when its handler returns, which may be
				// after the client saw the connection break: let it settle.
				synctest.Wait()
				if got := e.calls.count(http.MethodPost, pathBlank); got != tc.sized {
					t.Errorf("sized import: %d attempts reached the fake, want %d (%v)", got, tc.sized, err)
				}
				if tc.dial {
					if err != nil {
						t.Fatalf("sized import after a failed dial: %v", err)
					}
					dialer.failed.Store(false)
				}
				_, err = e.client.Import(ctx, "a.xlsx", onlyReader{bytes.NewReader(book)}, nil)
				synctest.Wait()
				if got := e.calls.count(http.MethodPost, pathBlank) - tc.sized; got != tc.stream {
					t.Errorf("streamed import: %d attempts reached the fake, want %d (%v)", got, tc.stream, err)
				}
				if tc.dial && err == nil {
					t.Error("streamed import after a failed dial succeeded: it cannot have been sent")
				}
				if tc.rates.Throttle > 0 && !errors.Is(err, drstemplate.ErrThrottled) {
					t.Errorf("streamed import: %v, want the answer it got (ErrThrottled)", err)
				}
				if !tc.dial {
					if err := e.fake.SetFaults(drsfake.Faults{}); err != nil {
						t.Fatal(err)
					}
					if job, err = e.client.Import(ctx, "a.xlsx", bytes.NewReader(book), nil); err != nil {
						t.Fatal(err)
					}
					if err := e.fake.SetFaults(faults); err != nil {
						t.Fatal(err)
					}
				} else {
					dialer.failed.Store(false)
				}
				if _, err := e.client.WaitBatch(ctx, job.ID, nil); err != nil {
					t.Fatal(err)
				}
				if tc.dial {
					dialer.failed.Store(false)
				}
				_, err = e.client.CommitBatch(ctx, job.ID)
				synctest.Wait()
				if got := e.calls.count(http.MethodPost, pathCommitTail); got != tc.commit {
					t.Errorf("commit: %d attempts reached the fake, want %d (%v)", got, tc.commit, err)
				}
			})
		})
	}
}

// TestImportAnswersOffContract: a 400 that is not the import's JSON is an
// *APIError (not an *ImportError); a 200 without a batch job is
// ErrUnexpectedResponse.
func TestImportAnswersOffContract(t *testing.T) {
	book := workbookOf(t, taskSheet("a", "10.0.0.1"))
	for _, tc := range []struct {
		name   string
		status int
		body   string
		check  func(error) bool
	}{
		{"an HTML 400", http.StatusBadRequest, "<html>Bad Request</html>", func(err error) bool {
			var apiErr *drstemplate.APIError
			var refused *drstemplate.ImportError
			return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && !errors.As(err, &refused)
		}},
		{"a 200 without a batch job", http.StatusOK, `{}`, func(err error) bool { return errors.Is(err, drstemplate.ErrUnexpectedResponse) }},
	} {
		e := newEnv(t, envConfig{wrap: rewrite(pathBlank, func(_ *http.Request, rec *httptest.ResponseRecorder) {
			rec.Code = tc.status
			rec.Body.Reset()
			rec.Body.WriteString(tc.body)
		})})
		job, err := e.client.Import(context.Background(), "a.xlsx", bytes.NewReader(book), nil)
		if !tc.check(err) || job.ID != "" {
			t.Errorf("%s: %+v, %v", tc.name, job, err)
		}
	}
}

// TestImportAfterTokenRevoked: when DRS refuses a password login's token,
// the auth transport logs in again and resends the request — which an
// upload from a sized reader allows (GetBody opens it afresh) and one from
// a plain stream does not: that one gets the refusal.
func TestImportAfterTokenRevoked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clearEnv(t)
		const password = "Pa55word-never-printed"
		fake, err := drsfake.New(drsfake.WithUser("acct", "user", password))
		if err != nil {
			t.Fatal(err)
		}
		tr := servePipe(t, fake)
		creds, err := auth.NewPassword(auth.PasswordLogin{
			IAMEndpoint: &url.URL{Scheme: "http", Host: "127.0.0.1"}, Account: "acct", User: "user", Password: password,
			ProjectName: fake.Region(), HTTPClient: &http.Client{Transport: tr},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := drstemplate.New(drstemplate.WithEndpoint("http://127.0.0.1"), drstemplate.WithTransport(tr), drstemplate.WithCredentials(creds))
		if err != nil {
			t.Fatal(err)
		}
		revoke := func() {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1", nil)
			if err := creds.Authenticate(req, nil, time.Now()); err != nil {
				t.Fatal(err)
			}
			fake.RevokeToken(req.Header.Get(auth.HeaderAuthToken))
		}
		book := workbookOf(t, taskSheet("a", "10.0.0.1"))
		revoke()
		if _, err := c.Import(t.Context(), "a.xlsx", bytes.NewReader(book), nil); err != nil {
			t.Errorf("a sized upload after the token was revoked: %v", err)
		}
		revoke()
		if _, err := c.Import(t.Context(), "a.xlsx", onlyReader{bytes.NewReader(book)}, nil); !errors.Is(err, auth.ErrTokenRejected) {
			t.Errorf("a streamed upload after the token was revoked: %v, want the refusal", err)
		}
	})
}
