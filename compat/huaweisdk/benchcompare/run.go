//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/benchproc"
)

// The fake's fixed credentials and project: made up, as every fake's.
const (
	fakeAccessKey = "BENCHCOMPARE00000001"
	fakeSecretKey = "BenchCompareSecretKeyMadeUp0123456789abc"
	fakeProject   = "0b1e9c7d5a3f4e2d8c6b4a2918273645"
)

// run compares o.tools in every cell of o and writes the table to stdout,
// progress to stderr.
func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	work := o.work
	if work == "" {
		dir, err := os.MkdirTemp("", "benchcompare-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		work = dir
	}
	m := describeMachine()
	_, _ = fmt.Fprintln(stderr, "benchcompare: building the tools")
	bins, err := build(ctx, o, filepath.Join(work, "bin"))
	if err != nil {
		return err
	}
	t := &table{tools: o.tools}
	failed := false
	for _, n := range o.tasks {
		for _, lat := range o.latencies {
			c := t.cell(n, lat)
			for round := range o.rounds {
				for i := range o.tools {
					// Each round in another order, so that no tool always runs first.
					tl := o.tools[(i+round)%len(o.tools)]
					if err := ctx.Err(); err != nil {
						return err
					}
					dir := filepath.Join(work, fmt.Sprintf("%d-%s-%d-%s", n, lat, round, tl.name))
					r := measure(ctx, o, bins, tl, n, lat, dir)
					c.add(tl.name, r)
					status := "ok"
					if r.err != nil {
						status, failed = r.err.Error(), true
					}
					_, _ = fmt.Fprintf(stderr, "benchcompare: %d tasks, %s, round %d/%d, %s: wall %s, CPU %s, %d calls, %d/%d files: %s\n",
						n, lat, round+1, o.rounds, tl.name, r.wall.Round(time.Millisecond), r.usage.CPU.Round(time.Millisecond),
						r.calls.Total(), r.filesOK, n, status)
				}
			}
		}
	}
	if err := t.write(stdout, m, o); err != nil {
		return err
	}
	if failed {
		return errors.New("some runs failed: see the table and the lines above")
	}
	return nil
}

// build compiles the drstemplate command (the CLI and the fake) and the
// programs of the tools into dir, and returns their paths by tool name
// ("drstemplate" for the command).
func build(ctx context.Context, o options, dir string) (map[string]string, error) {
	bins := map[string]string{"drstemplate": filepath.Join(dir, "drstemplate")}
	if err := benchproc.Build(ctx, o.root, bins["drstemplate"]); err != nil {
		return nil, err
	}
	for _, t := range o.tools {
		if t.pkg == "" {
			bins[t.name] = bins["drstemplate"]
			continue
		}
		bins[t.name] = filepath.Join(dir, t.name)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bins[t.name], t.pkg)
		cmd.Dir = filepath.Join(o.root, "compat", "huaweisdk")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", t.pkg, err, out)
		}
	}
	return bins, nil
}

// result is one run of a tool.
type result struct {
	wall    time.Duration
	usage   benchproc.Usage
	calls   benchproc.Calls
	filesOK int
	err     error // the tool failed, or wrote missing or broken files
}

// measure runs tool t once for n tasks against a fake of its own adding
// latency lat, in dir (removed at the end).
func measure(ctx context.Context, o options, bins map[string]string, t tool, n int, lat time.Duration, dir string) result {
	defer func() { _ = os.RemoveAll(dir) }()
	home, out := filepath.Join(dir, "home"), filepath.Join(dir, "out")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return result{err: err}
	}
	fake, err := benchproc.Start(ctx, benchproc.Config{Bin: bins["drstemplate"], Tasks: n, Latency: lat,
		ExportDuration: o.exportDuration, Seed: 1, AccessKey: fakeAccessKey, SecretKey: fakeSecretKey, ProjectID: fakeProject})
	if err != nil {
		return result{err: err}
	}
	tasksFile := filepath.Join(dir, "tasks.txt")
	if err := os.WriteFile(tasksFile, []byte(strings.Join(fake.TaskIDs, "\n")+"\n"), 0o600); err != nil {
		_, _ = fake.Stop()
		return result{err: err}
	}
	cmd := exec.CommandContext(ctx, bins[t.name], t.args(tasksFile, out)...)
	cmd.Env = append([]string{"HOME=" + home}, fake.Env...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	start := time.Now()
	runErr := cmd.Run()
	r := result{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		r.usage = benchproc.UsageOf(cmd.ProcessState)
	}
	calls, stopErr := fake.Stop()
	r.calls = calls
	ok, problems := checkFiles(out, fake.TaskIDs)
	r.filesOK = ok
	switch {
	case runErr != nil:
		r.err = fmt.Errorf("%s: %w: %s", t.name, runErr, lastLine(output.String()))
	case stopErr != nil:
		r.err = stopErr
	case len(problems) > 0:
		r.err = fmt.Errorf("%d problems with the files, the first: %s", len(problems), problems[0])
	}
	return r
}

// lastLine is the last line of a tool's output, for an error message.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strconv.Quote(lines[len(lines)-1])
}
