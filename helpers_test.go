package drstemplate_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// Made-up credentials of the fakes of these tests. They are distinctive so
// that TestNoSecretsInOutput can look for them.
const (
	testToken = "MIItest-token-6f1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3"
	testAK    = "TESTAKNOSECRET000001"
	testSK    = "TestSecretKeyNeverPrinted0123456789abcdX"
)

// env is a drsfake served on an in-memory network and a client of it. Made
// inside a testing/synctest bubble, both run on the bubble's fake time.
type env struct {
	fake    *drsfake.Server
	client  *drstemplate.Client
	project string
	tasks   []string
	calls   *callLog
	logs    *logRecorder
}

// envConfig says how newEnv builds an env.
type envConfig struct {
	fake   []drsfake.Option
	client []drstemplate.Option
	// wrap, when set, puts a handler of the test's in front of the fake.
	wrap func(http.Handler) http.Handler
	// aksk signs requests with the AK/SK pair instead of sending the token.
	aksk bool
	// httpClient, when set, makes the client of the *http.Client it returns
	// for the transport to the fake (WithHTTPClient), not WithTransport.
	httpClient func(http.RoundTripper) *http.Client
}

// newEnv starts a fake and a client as cfg says. The client retries
// quickly (the delays are fake time in a bubble, real time outside).
func newEnv(t testing.TB, cfg envConfig) *env {
	t.Helper()
	fake, err := drsfake.New(append([]drsfake.Option{drsfake.WithToken(testToken), drsfake.WithAccessKey(testAK, testSK)}, cfg.fake...)...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{fake: fake, project: fake.ProjectIDs()[0], calls: &callLog{}, logs: &logRecorder{}}
	for _, task := range fake.Tasks() {
		e.tasks = append(e.tasks, task.ID)
	}
	var h http.Handler = fake
	if cfg.wrap != nil {
		h = cfg.wrap(h)
	}
	h = e.calls.wrap(h)
	creds := auth.StaticToken(testToken)
	if cfg.aksk {
		creds = auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: e.project}
	}
	opts := append([]drstemplate.Option{
		drstemplate.WithEndpoint("http://127.0.0.1"),
		drstemplate.WithProjectID(e.project),
		drstemplate.WithCredentials(creds),
		withTransport(servePipe(t, h), cfg.httpClient),
		drstemplate.WithLogger(slog.New(e.logs)),
		drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 6, MinDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}),
	}, cfg.client...)
	e.client, err = drstemplate.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// withTransport is WithTransport(rt), or WithHTTPClient of hc(rt).
func withTransport(rt http.RoundTripper, hc func(http.RoundTripper) *http.Client) drstemplate.Option {
	if hc != nil {
		return drstemplate.WithHTTPClient(hc(rt))
	}
	return drstemplate.WithTransport(rt)
}

// callLog records the requests that reach the fake (or the test's wrapper).
type callLog struct {
	mu    sync.Mutex
	calls []call
}

type call struct {
	method, path string
	status       int
}

func (l *callLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		l.mu.Lock()
		l.calls = append(l.calls, call{r.Method, r.URL.Path, sw.status})
		l.mu.Unlock()
	})
}

// count returns how many requests had a path ending in suffix and, if
// method is not empty, that method.
func (l *callLog) count(method, suffix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.calls {
		if strings.HasSuffix(c.path, suffix) && (method == "" || c.method == method) {
			n++
		}
	}
	return n
}

// countStatus returns how many requests with method and a path ending in
// suffix were answered with status.
func (l *callLog) countStatus(method, suffix string, status int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.calls {
		if strings.HasSuffix(c.path, suffix) && c.method == method && c.status == status {
			n++
		}
	}
	return n
}

// Path suffixes of the four operations, for callLog.count.
const (
	pathExport   = "/jobs/export/template"
	pathProgress = "/export/progress"
	pathList     = "/templates"
	pathDownload = "/templates/download"
)

// statusWriter remembers the status a handler wrote. It passes Hijack and
// Flush through (the fake's faults need them).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// rewrite returns a wrapper that passes requests whose path ends in suffix
// to the fake, then lets edit change the recorded answer before it is sent.
func rewrite(suffix string, edit func(r *http.Request, rec *httptest.ResponseRecorder)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, suffix) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			edit(r, rec)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	}
}

// logRecorder is a slog.Handler that keeps every record, at every level.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// count returns how many records have the message msg.
func (l *logRecorder) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if r.Message == msg {
			n++
		}
	}
	return n
}

// text renders every record as text, for searching.
func (l *logRecorder) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b bytes.Buffer
	h := slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})
	for _, r := range l.records {
		_ = h.Handle(context.Background(), r)
	}
	return b.String()
}

// listDir returns the names of the entries of dir.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// noTempFiles fails the test if dir holds a temporary download file.
func noTempFiles(t testing.TB, dir string) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, ".drstemplate-*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(matches) > 0 {
		t.Errorf("temporary files left in %s: %v", dir, matches)
	}
}
