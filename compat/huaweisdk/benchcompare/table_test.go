package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/internal/benchproc"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		want int64
	}{
		{nil, 0}, {[]int64{5}, 5}, {[]int64{9, 1, 5}, 5}, {[]int64{4, 1, 3, 2}, 2}, {[]int64{10, 20}, 15},
	} {
		in := append([]int64(nil), tc.in...)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %d, want %d", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Fatalf("median sorted its argument: %v", in)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{thousands(0), "0"}, {thousands(999), "999"}, {thousands(1000), "1,000"}, {thousands(1234567), "1,234,567"},
		{thousands(-1000), "-1,000"},
		{seconds(1050 * time.Millisecond), "1.05 s"}, {seconds(62900 * time.Millisecond), "62.9 s"},
		{latency(50 * time.Millisecond), "50 ms"}, {latency(0), "0 ms"},
		{plural(1, "round"), "round"}, {plural(3, "round"), "rounds"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestTable: a row per tool and cell with the medians of the successful
// runs, the wall time against the naive program's, the calls broken down,
// and the fewest whole files of any run with the failed runs counted.
func TestTable(t *testing.T) {
	calls := func(progress int64) benchproc.Calls {
		return benchproc.Calls{"ExportCreationTemplate": 1, "ShowExportProgress": progress, "ListTemplates": 10, "DownloadCreateTemplate": 1000}
	}
	run := func(wall, cpu time.Duration, progress int64) result {
		return result{wall: wall, usage: benchproc.Usage{CPU: cpu, MaxRSS: 20 << 20}, calls: calls(progress), filesOK: 1000}
	}
	tb := &table{tools: allTools()}
	c := tb.cell(1000, 50*time.Millisecond)
	for _, r := range []result{run(12*time.Second, time.Second, 4), run(10*time.Second, 2*time.Second, 3), run(11*time.Second, 3*time.Second, 5)} {
		c.add("naive", r)
	}
	c.add("library", run(5*time.Second, time.Second, 7))
	c.add("library", result{wall: time.Second, filesOK: 998, err: errors.New("broken")})
	c.add("cli", result{err: errors.New("exit 1")})
	var b strings.Builder
	o := options{rounds: 3, exportDuration: 5 * time.Second, command: "make bench-compare COMPARE_TASKS=1000"}
	if err := tb.write(&b, machine{date: "2026-12-06", goVersion: "go1.26.8", cpu: "a CPU", nproc: 2}, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Measured 2026-12-06 on a CPU (2 CPUs, ", "go1.26.8; the fake: --export-duration 5s --seed 1; medians of 3 rounds.",
		"make bench-compare COMPARE_TASKS=1000\n",
		"| 1,000 | 50 ms | naive SDK program | 11.0 s | 1.00× | 2.00 s | 20 MiB | 1,015 (1 / 4 / 10 / 1,000) | 1,000/1,000 |\n",
		"| 1,000 | 50 ms | `ExportAndDownload` | 5.00 s | 0.45× | 1.00 s | 20 MiB | 1,018 (1 / 7 / 10 / 1,000) | 998/1,000 (1 of 2 runs failed) |\n",
		"| 1,000 | 50 ms | `drstemplate export` | — | — | — | — | — | 0/1,000 (1 of 1 runs failed) |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}
