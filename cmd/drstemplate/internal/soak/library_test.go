package soak

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// soakTasks is the number of tasks of the soak; 0 skips it (make test).
var soakTasks = flag.Int("soak.tasks", 0, "run the soak tests with this many tasks (0: skip them)")

// badDay is the fault mix of the soak: 10% 500/503, 10% 429 with
// Retry-After, 5% connection resets, 2% truncated bodies, and half the calls
// 200 ms late.
var badDay = drsfake.FaultRates{
	InternalError: 0.05, Unavailable: 0.05, Throttle: 0.10, Reset: 0.05, Truncate: 0.02,
	Latency: 200 * time.Millisecond, LatencyRate: 0.5,
}

// Distinctive made-up credentials of the soaks: no log line, error, output,
// manifest or file may show them.
const (
	soakAK = "SOAKAKNEVERPRINTED00"
	soakSK = "soak-secret-key-never-printed-0123456789"
)

// startBadDay starts a fake of n tasks with the soak's faults and a rate
// limit of 40 calls a second (bursts of 20) per project.
func startBadDay(t *testing.T, n int) *drsfaketest.Server {
	return drsfaketest.Start(t,
		drsfake.WithAccessKey(soakAK, soakSK),
		drsfake.WithGeneratedTasks(n),
		drsfake.WithSeed(2026),
		drsfake.WithExportTimings(500*time.Millisecond, 1500*time.Millisecond),
		drsfake.WithFaults(drsfake.Faults{All: badDay, RetryAfter: time.Second}),
		drsfake.WithRateLimit(40, 20),
	)
}

// retryLog counts the client's retries by what caused them, and the log
// records that show a secret.
type retryLog struct {
	mu      sync.Mutex
	counts  map[string]int
	leaks   int
	records int
}

func (l *retryLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *retryLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *retryLog) WithGroup(string) slog.Handler            { return l }

func (l *retryLog) Handle(_ context.Context, r slog.Record) error {
	var text strings.Builder
	_ = slog.NewTextHandler(&text, nil).Handle(context.Background(), r)
	l.mu.Lock()
	l.records++
	if strings.Contains(text.String(), soakSK) || strings.Contains(text.String(), "Signature=") {
		l.leaks++
	}
	l.mu.Unlock()
	var kind string
	switch r.Message {
	case "drstemplate: retrying":
		kind = "call retried"
	case "drstemplate: download broke off, downloading again":
		kind = "download restarted"
	case "drstemplate: trying again":
		kind = "step repeated"
	default:
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "error" {
			kind += ": " + cause(a.Value.String())
		}
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[kind]++
	return nil
}

// cause names the fault behind an error message.
func cause(msg string) string {
	for _, c := range []struct{ in, name string }{
		{"HTTP 500", "500"}, {"HTTP 503", "503"}, {"HTTP 429", "429"}, {" 500 ", "500"}, {" 503 ", "503"}, {" 429 ", "429"},
		{"connection reset", "reset"}, {"unexpected EOF", "truncated"}, {"EOF", "closed"},
	} {
		if strings.Contains(msg, c.in) {
			return c.name
		}
	}
	return "other: " + msg
}

func (l *retryLog) report() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var lines []string
	for k, n := range l.counts {
		lines = append(lines, fmt.Sprintf("%6d  %s", n, k))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestSoakLibrary runs ExportAndDownload of soakTasks tasks against the bad
// day. Every task must get its template, byte for byte what the fake serves,
// with no temporary file left and no goroutine behind.
func TestSoakLibrary(t *testing.T) {
	if *soakTasks == 0 {
		t.Skip("make soak runs the soak (-soak.tasks=N)")
	}
	defer goleak.VerifyNone(t)
	fake := startBadDay(t, *soakTasks)
	retries := &retryLog{}
	c, err := drstemplate.New(
		drstemplate.WithEndpoint(fake.URL),
		drstemplate.WithProjectID(fake.ProjectID),
		drstemplate.WithCredentials(auth.AccessKey{ID: soakAK, Secret: soakSK, ProjectID: fake.ProjectID}),
		drstemplate.WithLogger(slog.New(retries)),
		drstemplate.WithMaxTasksPerExport(20),
		drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 8, MinDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}),
	)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	results, err := c.ExportAndDownload(ctx, dir, fake.TaskIDs, &drstemplate.ExportAndDownloadOptions{
		Wait: &drstemplate.WaitOptions{MinDelay: 200 * time.Millisecond, MaxDelay: 2 * time.Second},
	})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("%v\nretries:\n%s", err, retries.report())
	}
	t.Logf("%d tasks in %s; retries by cause:\n%s", len(results), took.Round(time.Millisecond), retries.report())
	if retries.leaks > 0 {
		t.Errorf("%d of %d log records show the secret key or a signature", retries.leaks, retries.records)
	}

	// The fake's own bytes, fetched again on a good day.
	if err := fake.SetFaults(drsfake.Faults{}); err != nil {
		t.Fatal(err)
	}
	if err := fake.SetRateLimit(0, 0); err != nil {
		t.Fatal(err)
	}
	checkTemplates(t, c, dir, fake.TaskIDs, results)
	c.CloseIdleConnections()
	fake.Close()
}

// checkTemplates checks that dir holds exactly one file per task, as its
// result says, with the bytes the fake serves for it.
func checkTemplates(t *testing.T, c *drstemplate.Client, dir string, tasks []string, results []drstemplate.Result) {
	t.Helper()
	if len(results) != len(tasks) {
		t.Fatalf("%d results for %d tasks", len(results), len(tasks))
	}
	var want []string
	for i, r := range results {
		if r.TaskID != tasks[i] || r.Err != nil {
			t.Errorf("task %s: %v", tasks[i], r.Err)
			continue
		}
		data, err := os.ReadFile(r.File.Path)
		if err != nil {
			t.Error(err)
			continue
		}
		var fresh bytes.Buffer
		if _, err := c.Download(context.Background(), r.File.Name, &fresh); err != nil {
			t.Errorf("%s: %v", r.File.Name, err)
			continue
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != r.File.SHA256 || !bytes.Equal(data, fresh.Bytes()) {
			t.Errorf("%s differs from what the fake serves", r.File.Name)
		}
		want = append(want, filepath.Base(r.File.Path))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the directory holds %d entries, not the %d templates (temporary files left?)", len(got), len(want))
	}
}
