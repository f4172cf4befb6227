package drstemplate

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// FuzzParseName checks that a listed name either parses into parts that
// make it up again, or does not parse, and never panics.
func FuzzParseName(f *testing.F) {
	for _, s := range []string{
		"2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx",
		"a_b_c_mysql_20250101000000.xlsx", "x.xlsx", "_mysql_20250101000000.xlsx", "a__20250101000000.xlsx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		task, engine, created, ok := parseName(name)
		if !ok {
			if task != "" || engine != "" || !created.IsZero() {
				t.Fatalf("%q: parts %q %q %v without ok", name, task, engine, created)
			}
			return
		}
		if task == "" || engine == "" || strings.Contains(engine, "_") {
			t.Fatalf("%q: parts %q %q", name, task, engine)
		}
		if again := task + "_" + engine + "_" + created.Format(nameTimeLayout) + ".xlsx"; again != name {
			t.Fatalf("%q parsed into parts that make %q", name, again)
		}
	})
}

func TestWaitDelay(t *testing.T) {
	o := WaitOptions{MinDelay: time.Second, MaxDelay: 30 * time.Second}
	for _, tc := range []struct {
		elapsed  time.Duration
		low, top time.Duration
	}{
		{0, time.Second, time.Second},                           // at once: MinDelay
		{4 * time.Second, time.Second, time.Second},             // a quarter of 4s is MinDelay
		{6 * time.Second, time.Second, 1500 * time.Millisecond}, // half the ceiling is below MinDelay
		{20 * time.Second, 2500 * time.Millisecond, 5 * time.Second},
		{100 * time.Second, 12500 * time.Millisecond, 25 * time.Second},
		{2 * time.Minute, 15 * time.Second, 30 * time.Second}, // the ceiling reaches MaxDelay
		{time.Hour, 15 * time.Second, 30 * time.Second},
		{1 << 62, 15 * time.Second, 30 * time.Second},
	} {
		if got := o.delay(tc.elapsed, 0); got != tc.low {
			t.Errorf("delay(%s, 0) = %s, want %s", tc.elapsed, got, tc.low)
		}
		if got := o.delay(tc.elapsed, 0.999999999); got < tc.top-time.Millisecond || got > tc.top {
			t.Errorf("delay(%s, ~1) = %s, want just under %s", tc.elapsed, got, tc.top)
		}
	}
	// A MaxDelay below twice MinDelay keeps every delay within the two.
	narrow := WaitOptions{MinDelay: time.Second, MaxDelay: 1500 * time.Millisecond}
	for _, u := range []float64{0, 0.5, 0.999} {
		if got := narrow.delay(time.Hour, u); got < narrow.MinDelay || got > narrow.MaxDelay {
			t.Errorf("narrow delay(1h, %v) = %s, outside [%s, %s]", u, got, narrow.MinDelay, narrow.MaxDelay)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"3600", time.Hour},
		{"999999999999", 24 * time.Hour},
		{"soon", 0},
		{now.Add(10 * time.Second).UTC().Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
		{now.Add(100 * 24 * time.Hour).UTC().Format(http.TimeFormat), 24 * time.Hour},
	} {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		got := parseRetryAfter(h)
		if d := got - tc.want; d < -time.Second || d > time.Second {
			t.Errorf("Retry-After %q = %s, want %s", tc.value, got, tc.want)
		}
	}
}

// FuzzExtractBundle feeds any bytes to the .zip extraction of
// DownloadToDir: it never panics, never writes outside its directory, and
// writes only the names asked for, each a workbook.
func FuzzExtractBundle(f *testing.F) {
	var ok bytes.Buffer
	zw := zip.NewWriter(&ok)
	for _, name := range []string{"a.xlsx", "../b.xlsx", "c.xlsx"} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(localfile.ZipMagic + "not really a workbook"))
	}
	_ = zw.Close()
	f.Add(ok.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	names := []string{"a.xlsx", "c.xlsx"}
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		d, err := localfile.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = d.Close() }()
		files, err := extractBundle(context.Background(), bytes.NewReader(data), int64(len(data)), d, names, names, false, MaxTemplateSize)
		if err != nil && !errors.Is(err, ErrNotTemplate) && !errors.Is(err, ErrFileExists) {
			t.Fatalf("error %v matches no sentinel", err)
		}
		for _, f := range files {
			if !slices.Contains(names, f.Name) || f.Path != filepath.Join(dir, f.Name) {
				t.Fatalf("wrote %+v", f)
			}
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			t.Fatalf("something was written beside the directory: %v", entries)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !slices.Contains(names, e.Name()) {
				t.Fatalf("wrote %q", e.Name())
			}
		}
	})
}
