//go:build unix

package manifest

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
)

// BenchmarkJournal records the events of a whole run as the export command
// does — per chunk of 100 tasks an export accepted and a status seen, per
// task its download starting and done — into a directory on disk: the
// manifest written at the first change and at the end, each change between
// appended to the journal. The cost per task — wall time (ns/task, mostly
// waiting on the disk's syncs), CPU time (cpu-ns/task, through getrusage)
// and allocations — must stay flat from 10 to 10,000 tasks once a run's
// fixed cost (two whole writes, the journal made) is spread; rewriting the
// manifest on every change made it grow with the tasks.
func BenchmarkJournal(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			tasks := make([]string, n)
			for i := range tasks {
				tasks[i] = fmt.Sprintf("%08x-2b61-4b4c-9d3a-2c5c0a8fjb01", i)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			allocs, cpu := ms.Mallocs, cpuTime(b)
			for b.Loop() {
				recordWholeRun(b, b.TempDir(), tasks)
			}
			runtime.ReadMemStats(&ms)
			done := float64(n * b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/done, "ns/task")
			b.ReportMetric(float64((cpuTime(b)-cpu).Nanoseconds())/done, "cpu-ns/task")
			b.ReportMetric(float64(ms.Mallocs-allocs)/done, "allocs/task")
		})
	}
}

// recordWholeRun records the events of a run over tasks into dir.
func recordWholeRun(b *testing.B, dir string, tasks []string) {
	m := New(endpoint, project, tasks)
	var j *Journal
	record := func(e drstemplate.Event) {
		if !m.Apply(e) {
			return
		}
		var err error
		if j == nil {
			j, err = m.StartJournal(dir, accepted)
		} else {
			err = j.Append(e)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	sum := strings.Repeat("5e", 32)
	for start := 0; start < len(tasks); start += 100 {
		chunk := tasks[start:min(start+100, len(tasks))]
		exp := drstemplate.Export{ID: fmt.Sprintf("d4dfe659-1486-4b54-b0d1-%012d", start), RequestStatus: "SUCCESS", Accepted: accepted, TaskIDs: chunk}
		record(drstemplate.Event{Kind: drstemplate.EventSubmitted, Export: exp})
		record(drstemplate.Event{Kind: drstemplate.EventStatus, Export: exp, Status: "success"})
		for _, t := range chunk {
			name := t + "_mysql_20260301100001.xlsx"
			record(drstemplate.Event{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: t, ExportID: exp.ID, File: drstemplate.File{Name: name}}})
			record(drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: t, ExportID: exp.ID,
				File: drstemplate.File{Name: name, Path: filepath.Join(dir, name), Size: 6597, SHA256: sum}}})
		}
	}
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	if err := m.Write(dir, accepted); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
