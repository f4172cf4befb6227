//go:build unix

package drstemplate_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

const benchProject = "5237e10fe9aa4ad5b16b6a5245248314"

// startFakeServer builds the drstemplate command and runs its fake-server
// with n tasks in a process of its own, so that what the benchmark measures
// (time, CPU, allocations) is the client's alone. It returns the base URL
// and the task ids.
func startFakeServer(b *testing.B, n int, latency time.Duration) (string, []string) {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "drstemplate")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/drstemplate").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "fake-server", "--addr", "127.0.0.1:0", "--tasks", fmt.Sprint(n), "--seed", "1",
		"--export-duration", "0s", "--ak", testAK, "--sk", testSK, "--project-id", benchProject,
		"--latency", latency.String())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	sc := bufio.NewScanner(stdout)
	var base string
	for base == "" && sc.Scan() {
		base = url.FindString(sc.Text())
	}
	if base == "" {
		b.Fatal("fake-server printed no URL")
	}
	go func() { // keep draining its output
		for sc.Scan() {
		}
	}()
	// The fake's tasks come from its seed: the same in this process.
	fake, err := drsfake.New(drsfake.WithGeneratedTasks(n), drsfake.WithSeed(1), drsfake.WithProjectID(benchProject))
	if err != nil {
		b.Fatal(err)
	}
	var tasks []string
	for _, t := range fake.Tasks() {
		tasks = append(tasks, t.ID)
	}
	return base, tasks
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
