//go:build unix

package drstemplate_test

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/internal/benchproc"
)

const benchProject = "5237e10fe9aa4ad5b16b6a5245248314"

// startFakeServer builds the drstemplate command and runs its fake-server
// with n tasks in a process of its own, so that what the benchmark measures
// (time, CPU, allocations) is the client's alone. It returns the base URL
// and the task ids.
func startFakeServer(b *testing.B, n int, latency time.Duration) (string, []string) {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "drstemplate")
	if err := benchproc.Build(b.Context(), ".", bin); err != nil {
		b.Fatal(err)
	}
	fake, err := benchproc.Start(b.Context(), benchproc.Config{Bin: bin, Tasks: n, Latency: latency, Seed: 1,
		AccessKey: testAK, SecretKey: testSK, ProjectID: benchProject})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if _, err := fake.Stop(); err != nil {
			b.Error(err)
		}
	})
	return fake.URL, fake.TaskIDs
}

// cpuTime is the CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExportAndDownload runs the whole flow, with AK/SK signing,
// against drstemplate fake-server in a process of its own: 10, 100 and 1,000
// tasks, and 100 tasks with 50 ms added to every call. It reports tasks/s
// and the client's CPU time per task; B/op and allocs/op are the client's
// (divide by the tasks for per-task figures).
func BenchmarkExportAndDownload(b *testing.B) {
	for _, tc := range []struct {
		tasks   int
		latency time.Duration
	}{
		{10, 0}, {100, 0}, {1000, 0}, {100, 50 * time.Millisecond},
	} {
		b.Run(fmt.Sprintf("tasks=%d/latency=%s", tc.tasks, tc.latency), func(b *testing.B) {
			base, tasks := startFakeServer(b, tc.tasks, tc.latency)
			c, err := drstemplate.New(drstemplate.WithEndpoint(base), drstemplate.WithProjectID(benchProject),
				drstemplate.WithCredentials(auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: benchProject}))
			if err != nil {
				b.Fatal(err)
			}
			opts := &drstemplate.ExportAndDownloadOptions{Wait: &drstemplate.WaitOptions{MinDelay: 50 * time.Millisecond}}
			b.ReportAllocs()
			cpu := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
				if _, err := c.ExportAndDownload(b.Context(), dir, tasks, opts); err != nil {
					b.Fatal(err)
				}
			}
			done := float64(tc.tasks * b.N)
			b.ReportMetric(done/b.Elapsed().Seconds(), "tasks/s")
			b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/done, "cpu-µs/task")
			c.CloseIdleConnections()
		})
	}
}
