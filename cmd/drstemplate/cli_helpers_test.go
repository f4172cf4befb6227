package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ and the CLI reference in docs/cli/")

// Made-up credentials of the tests' fakes.
const (
	testAK = "TESTAKDRSTEMPLATE001"
	testSK = "test-secret-key-never-printed-0001"
)

// testTasks are the tasks of the tests' fakes; "fail" tasks' exports end
// failed.
func testTasks() []drsfake.Task {
	return []drsfake.Task{
		{ID: "11111111-aaaa-4bbb-8ccc-000000000jb1", Name: "orders", Engine: "mysql", SourceEndpoint: "10.0.0.1:3306", TargetEndpoint: "10.0.1.1:3306",
			Settings: map[string]string{"databases": "orders", "speed_limit_mbps": "50"}},
		{ID: "22222222-aaaa-4bbb-8ccc-000000000jb2", Name: "billing", Engine: "postgresql", SourceEndpoint: "10.0.0.2:5432", TargetEndpoint: "10.0.1.2:5432",
			Settings: map[string]string{"schemas": "public", "ddl_sync": "on"}},
		{ID: "33333333-aaaa-4bbb-8ccc-000000000jb3", Name: "ledger", Engine: "gaussdbv5", SourceEndpoint: "10.0.0.3:8000", TargetEndpoint: "10.0.1.3:8000"},
		{ID: "44444444-aaaa-4bbb-8ccc-000000000jb4", Name: "broken", Engine: "mongodb", SourceEndpoint: "10.0.0.4:8635", TargetEndpoint: "10.0.1.4:8635", FailExport: true},
	}
}

// Task ids of testTasks.
const (
	task1    = "11111111-aaaa-4bbb-8ccc-000000000jb1"
	task2    = "22222222-aaaa-4bbb-8ccc-000000000jb2"
	task3    = "33333333-aaaa-4bbb-8ccc-000000000jb3"
	taskFail = "44444444-aaaa-4bbb-8ccc-000000000jb4"
)

// fakeDRS is a drsfake behind a handler of the test's: it records the task
// ids of every export submitted, and can hold downloads midway.
type fakeDRS struct {
	URL       string
	ProjectID string
	srv       *drsfake.Server

	mu       sync.Mutex
	exported map[string]int // task id → times submitted
	imports  int            // import requests that reached the fake
	// holdDownloads, when set, makes downloads send half their body and
	// wait for the request to end; downloading is closed at the first.
	holdDownloads bool
	downloading   chan struct{}
	once          sync.Once
	// polled is closed at the first progress call: an export was accepted
	// and is being waited on.
	polled     chan struct{}
	polledOnce sync.Once
	// unavailable is how many of the next requests get a 503.
	unavailable int
}

// startFake starts a fake DRS service on loopback for the test, with AK/SK
// credentials testAK/testSK.
func startFake(t *testing.T, opts ...drsfake.Option) *fakeDRS {
	t.Helper()
	opts = append([]drsfake.Option{
		drsfake.WithTasks(testTasks()...),
		drsfake.WithAccessKey(testAK, testSK),
		drsfake.WithExportTimings(0, 0),
		drsfake.WithSeed(7),
	}, opts...)
	srv, err := drsfake.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeDRS{srv: srv, ProjectID: srv.ProjectIDs()[0], exported: map[string]int{}, downloading: make(chan struct{}), polled: make(chan struct{})}
	hs := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(hs.Close)
	f.URL = hs.URL
	return f
}

func (f *fakeDRS) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/jobs/template") {
		f.mu.Lock()
		f.imports++
		f.mu.Unlock()
	}
	if strings.HasSuffix(r.URL.Path, "/export/progress") {
		f.polledOnce.Do(func() { close(f.polled) })
	}
	f.mu.Lock()
	busy := f.unavailable > 0
	if busy {
		f.unavailable--
	}
	f.mu.Unlock()
	if busy {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error_code":"DRS.0503","error_msg":"the service is busy"}`)
		return
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/jobs/export/template") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct {
			Jobs []string `json:"jobs"`
		}
		if json.Unmarshal(body, &req) == nil {
			f.mu.Lock()
			for _, j := range req.Jobs {
				f.exported[j]++
			}
			f.mu.Unlock()
		}
	}
	f.mu.Lock()
	hold := f.holdDownloads
	f.mu.Unlock()
	if hold && strings.HasSuffix(r.URL.Path, "/templates/download") {
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		_, _ = w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		f.once.Do(func() { close(f.downloading) })
		<-r.Context().Done()
		return
	}
	f.srv.ServeHTTP(w, r)
}

// hold sets whether downloads hang midway.
func (f *fakeDRS) hold(on bool) {
	f.mu.Lock()
	f.holdDownloads = on
	f.mu.Unlock()
}

// importCount returns how many import requests reached the fake.
func (f *fakeDRS) importCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.imports
}

// exports returns how many times each task was submitted.
func (f *fakeDRS) exports() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.exported {
		out[k] = v
	}
	return out
}

// cleanEnv clears every variable that configures drstemplate and points
// HOME at an empty directory, so that no profile file of the machine is read.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "HUAWEICLOUD_SDK_") || strings.HasPrefix(k, "DRSTEMPLATE_") || k == "NO_COLOR" {
			t.Setenv(k, "")
			_ = os.Unsetenv(k) // t.Setenv restores it at the end
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
}

// useFake points the environment at f with its AK/SK.
func useFake(t *testing.T, f *fakeDRS) {
	t.Helper()
	cleanEnv(t)
	t.Setenv(auth.EnvAccessKey, testAK)
	t.Setenv(auth.EnvSecretKey, testSK)
	t.Setenv(auth.EnvProjectID, f.ProjectID)
	t.Setenv(envEndpoint, f.URL)
}

// result is what one run of the command gave.
type result struct {
	stdout, stderr string
	code           int
}

// run runs drstemplate in this process with args and an empty stdin.
func run(t *testing.T, args ...string) result {
	t.Helper()
	return runIn(t, context.Background(), "", args...)
}

// runIn runs drstemplate in this process with ctx and stdin.
func runIn(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := execute(ctx, args, strings.NewReader(stdin), &out, &errb)
	res := result{out.String(), errb.String(), code}
	for _, secret := range []string{testSK} {
		if strings.Contains(res.stdout+res.stderr, secret) {
			t.Errorf("drstemplate %s printed a secret", strings.Join(args, " "))
		}
	}
	return res
}

// Normalisation of what varies from run to run, for golden files.
var normalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "$UUID"},
	{regexp.MustCompile(`[0-9a-f]{64}`), "$SHA256"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "$TIME"},
	{regexp.MustCompile(`_\d{14}\.xlsx`), "_$STAMP.xlsx"},
	{regexp.MustCompile(`"size": \d+`), `"size": 0`},
	{regexp.MustCompile(`\d+(\.\d)? KiB`), "$SIZE"},
}

// normalise replaces what varies in s: the given literal strings (paths,
// URLs) by their names, then ids, hashes, times and sizes.
func normalise(s string, literals map[string]string) string {
	for lit, name := range literals {
		if lit != "" {
			s = strings.ReplaceAll(s, lit, name)
		}
	}
	for _, n := range normalisers {
		s = n.re.ReplaceAllLiteralString(s, n.with)
	}
	return s
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// startEnv is the environment the tests started with.
var startEnv = os.Environ()

// cliBuild is the drstemplate command built once per test run; TestMain
// removes its directory.
var cliBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// cliBinary builds the drstemplate command, once.
func cliBinary() (string, error) {
	cliBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "drstemplate-cli-test-")
		if err != nil {
			cliBuild.err = err
			return
		}
		cliBuild.dir = dir
		bin := filepath.Join(dir, "drstemplate")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Env = startEnv // tests change HOME, which would move the build cache
		if out, err := build.CombinedOutput(); err != nil {
			cliBuild.err = &buildError{err, string(out)}
			return
		}
		cliBuild.bin = bin
	})
	return cliBuild.bin, cliBuild.err
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// binary returns the built command, skipping the test without a go tool.
func binary(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go tool to build the command: %v", err)
	}
	bin, err := cliBinary()
	if err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// waitFor polls cond every 20ms until it holds or 30s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
