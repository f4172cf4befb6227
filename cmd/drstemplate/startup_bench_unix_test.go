//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// startupRun is one run of BenchmarkStartup: a command's arguments, and
// the exit code and the part of its error that show it got where it
// should.
type startupRun struct {
	name   string
	args   []string
	code   int
	stderr string // what stderr must contain; empty: anything
	client bool   // run testdata/clientonly, not the command
}

// startupRuns lists a run of every command. The cloud commands run until
// they look for credentials, and stop there (exit 4): everything before
// the first request — package initialisation, flags, configuration, the
// credential chain — is what they start with. inspect and diff read a real
// template; demo and fake-server, which serve until stopped, show their
// help, which links and initialises all they would. client-only is not a
// command: it is testdata/clientonly, a program that makes a client and
// links nothing else, for what a program importing the client pays.
func startupRuns(workbook string) []startupRun {
	const region, task, id = "cn-north-4", "11111111-aaaa-4bbb-8ccc-000000000jb1", "62a055ae-ce03-4232-beb6-46c83b8ef2b2"
	const noCreds = "no credentials configured"
	cloud := func(name string, args ...string) startupRun {
		return startupRun{name: name, args: append(args, "--region", region), code: exitAuth, stderr: noCreds}
	}
	return []startupRun{
		{name: "version", args: []string{"version"}},
		{name: "help", args: []string{"--help"}},
		cloud("list", "list"),
		cloud("export", "export", task, "--out", "out"),
		cloud("status", "status", id),
		cloud("download", "download", "x_mysql_20250703094510.xlsx", "--out", "out"),
		cloud("blank", "blank", "--engine", "mysql"),
		cloud("import", "import", workbook, "--type", "migration"),
		cloud("batch", "batch", "status", id),
		{name: "inspect", args: []string{"inspect", workbook}},
		{name: "diff", args: []string{"diff", workbook, workbook}},
		{name: "demo", args: []string{"demo", "--help"}},
		{name: "fake-server", args: []string{"fake-server", "--help"}},
		{name: "completion", args: []string{"completion", "bash"}},
		{name: "client-only", code: exitAuth, stderr: noCreds, client: true},
	}
}

// BenchmarkStartup runs the built command once per iteration for each of
// its commands, with GODEBUG=inittrace=1, from a clean environment. It
// reports, per run: ns/op, the wall time of the process from start to
// exit; cpu-ns/op, its user and system time (getrusage of the child);
// max-rss-KiB, its peak resident memory (through GNU time: see gnuTime);
// init-ns/op, init-B/op and init-allocs/op, the sums over every package
// initialisation the runtime traced. It logs the three costliest
// initialisations of each run.
func BenchmarkStartup(b *testing.B) {
	bin, err := cliBinary()
	if err != nil {
		b.Fatalf("go build: %v", err)
	}
	dir := b.TempDir()
	clientOnly := filepath.Join(dir, "clientonly")
	if out, err := exec.Command("go", "build", "-o", clientOnly, "./testdata/clientonly").CombinedOutput(); err != nil {
		b.Fatalf("go build ./testdata/clientonly: %v\n%s", err, out)
	}
	workbook := startupTemplate(b, dir)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GODEBUG=inittrace=1"}
	timer := gnuTime()
	if timer == "" {
		b.Log("no GNU time (/usr/bin/time): max-rss-KiB is not reported")
	}
	for _, r := range startupRuns(workbook) {
		b.Run(r.name, func(b *testing.B) {
			var (
				sum   initTotals
				cpu   time.Duration
				rss   int
				heavy []initLine
			)
			prog := bin
			if r.client {
				prog = clientOnly
			}
			for b.Loop() {
				cmd := exec.Command(prog, r.args...)
				if timer != "" {
					cmd = exec.Command(timer, append([]string{"-f", rusageFormat, prog}, r.args...)...)
				}
				cmd.Dir, cmd.Env = dir, env
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				code := cmd.ProcessState.ExitCode()
				trace, peak, rest := parseStartup(stderr.String())
				if code != r.code || !strings.Contains(rest, r.stderr) || timer != "" && peak == 0 {
					b.Fatalf("drstemplate %s: exit %d (want %d), %v; stderr:\n%s", strings.Join(r.args, " "), code, r.code, err, rest)
				}
				sum.add(trace)
				// The child's own and that of the children it waited for
				// (the command, under GNU time).
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				rss = max(rss, peak)
				if heavy == nil {
					heavy = slices.SortedFunc(slices.Values(trace), func(a, b initLine) int { return b.allocs - a.allocs })
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(cpu.Nanoseconds())/n, "cpu-ns/op")
			if timer != "" {
				b.ReportMetric(float64(rss), "max-rss-KiB")
			}
			b.ReportMetric(sum.clock.Seconds()*1e9/n, "init-ns/op")
			b.ReportMetric(float64(sum.bytes)/n, "init-B/op")
			b.ReportMetric(float64(sum.allocs)/n, "init-allocs/op")
			for _, l := range heavy[:min(3, len(heavy))] {
				b.Logf("%s: %s, %d bytes, %d allocs", l.pkg, l.clock, l.bytes, l.allocs)
			}
		})
	}
}

// rusageFormat is the line GNU time writes on stderr: the command's peak
// resident set, in KiB.
const rusageFormat = "drstemplate-startup-maxrss %M"

// gnuTime returns the path of GNU time, or "" if there is none. The peak
// memory of a child is read through it because getrusage of a child of
// this process overstates it: Go starts children with vfork (CLONE_VM),
// and Linux keeps, across the exec, the peak of the memory the child
// shared — this benchmark's. GNU time forks (no shared memory) and reports
// the rusage of its own child.
func gnuTime() string {
	const path = "/usr/bin/time"
	out, err := exec.Command(path, "--version").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("GNU")) {
		return ""
	}
	return path
}

// initLine is one line of GODEBUG=inittrace=1: a package's initialisation.
type initLine struct {
	pkg           string
	clock         time.Duration
	bytes, allocs int
}

// initTotals sums initLines.
type initTotals struct {
	clock         time.Duration
	bytes, allocs int
}

func (t *initTotals) add(lines []initLine) {
	for _, l := range lines {
		t.clock += l.clock
		t.bytes += l.bytes
		t.allocs += l.allocs
	}
}

// parseStartup splits stderr into the runtime's init lines, parsed, GNU
// time's peak memory (0 without its line), and the rest, which is the
// command's own.
//
//	init github.com/xuri/excelize/v2 @42 ms, 10 ms clock, 1338520 bytes, 21400 allocs
func parseStartup(stderr string) (lines []initLine, maxRSS int, rest string) {
	var other strings.Builder
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		var (
			l             initLine
			at, ms        float64
			bytes, allocs int
		)
		if n, _ := fmt.Sscanf(sc.Text(), "init %s @%g ms, %g ms clock, %d bytes, %d allocs", &l.pkg, &at, &ms, &bytes, &allocs); n == 5 {
			l.clock, l.bytes, l.allocs = time.Duration(ms*float64(time.Millisecond)), bytes, allocs
			lines = append(lines, l)
			continue
		}
		if n, _ := fmt.Sscanf(sc.Text(), rusageFormat[:strings.IndexByte(rusageFormat, '%')]+"%d", &maxRSS); n == 1 {
			continue
		}
		other.WriteString(sc.Text() + "\n")
	}
	return lines, maxRSS, other.String()
}

// startupTemplate exports one task's template from an in-process fake into
// dir, for inspect, diff and import to read, and returns its path.
func startupTemplate(b *testing.B, dir string) string {
	fake, err := drsfake.New(drsfake.WithTasks(testTasks()[0]), drsfake.WithAccessKey(testAK, testSK), drsfake.WithExportTimings(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	defer hs.Close()
	c, err := drstemplate.New(drstemplate.WithEndpoint(hs.URL),
		drstemplate.WithCredentials(auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: fake.ProjectIDs()[0]}))
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	res, err := c.ExportAndDownload(b.Context(), filepath.Join(dir, "templates"), []string{testTasks()[0].ID}, nil)
	if err != nil || len(res) != 1 || res[0].Err != nil {
		b.Fatalf("exporting a template: %v %+v", err, res)
	}
	return res[0].File.Path
}
