//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate/internal/benchproc"
)

// BenchmarkExportCommand runs `drstemplate export` as a process of its own
// against drstemplate fake-server in another, the CLI's counterpart of the
// library's BenchmarkExportAndDownload (same fake: AK/SK, exports that
// succeed at once, polled every 50 ms): 10, 100 and 1,000 tasks. It reports
// tasks/s, the command's CPU time per task (user + system, from its
// resource usage) and its peak resident memory; B/op and allocs/op are the
// benchmark's own, not the command's.
func BenchmarkExportCommand(b *testing.B) {
	bin := binary(b)
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			fake, err := benchproc.Start(b.Context(), benchproc.Config{Bin: bin, Tasks: n, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				if _, err := fake.Stop(); err != nil {
					b.Error(err)
				}
			})
			dir := b.TempDir()
			tasks := filepath.Join(dir, "tasks.txt")
			if err := os.WriteFile(tasks, []byte(strings.Join(fake.TaskIDs, "\n")+"\n"), 0o600); err != nil {
				b.Fatal(err)
			}
			env := append([]string{"HOME=" + dir}, fake.Env...)
			var used benchproc.Usage
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(dir, strconv.Itoa(i))
				cmd := exec.Command(bin, "export", "-q", "--tasks-file", tasks, "--out", out, "--poll-interval", "50ms")
				cmd.Env = env
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("drstemplate export: %v\n%s", err, msg)
				}
				u := benchproc.UsageOf(cmd.ProcessState)
				used.CPU += u.CPU
				used.MaxRSS = max(used.MaxRSS, u.MaxRSS)
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
			}
			done := float64(n * b.N)
			b.ReportMetric(done/b.Elapsed().Seconds(), "tasks/s")
			b.ReportMetric(float64(used.CPU.Microseconds())/done, "cpu-µs/task")
			b.ReportMetric(float64(used.MaxRSS), "maxrss-B")
		})
	}
}
