//go:build unix

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	var o options
	var tasks, latencies, tools string
	flag.StringVar(&o.root, "root", "../..", "the repository's root (the drstemplate module)")
	flag.StringVar(&tasks, "tasks", "10,100,1000", "numbers of tasks, comma-separated")
	flag.StringVar(&latencies, "latencies", "0s,50ms", "latencies the fake adds to every request, comma-separated")
	flag.IntVar(&o.rounds, "rounds", 3, "runs of each tool in each cell (the table shows medians)")
	flag.DurationVar(&o.exportDuration, "export-duration", 5*time.Second, "the fake's time from an export to its success")
	flag.StringVar(&tools, "tools", strings.Join(toolNames(), ","), "tools to run, comma-separated")
	flag.StringVar(&o.work, "work", "", "directory for the binaries and the runs (default: a temporary one, removed at the end)")
	flag.Parse()
	err := parseFlags(&o, tasks, latencies, tools)
	if err == nil {
		o.command = "make bench-compare COMPARE_TASKS=" + tasks + " COMPARE_LATENCIES=" + latencies +
			" COMPARE_ROUNDS=" + strconv.Itoa(o.rounds)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		err = run(ctx, o, os.Stdout, os.Stderr)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

// options are what the comparison is told.
type options struct {
	root           string
	tasks          []int
	latencies      []time.Duration
	rounds         int
	exportDuration time.Duration
	tools          []tool
	work           string
	command        string // the command that reruns it, for the table's heading
}

// parseFlags fills in o's lists from the comma-separated flags.
func parseFlags(o *options, tasks, latencies, tools string) error {
	for f := range strings.SplitSeq(tasks, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-tasks: %q is not a positive number", f)
		}
		o.tasks = append(o.tasks, n)
	}
	for f := range strings.SplitSeq(latencies, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d < 0 {
			return fmt.Errorf("-latencies: %q is not a duration of at least 0s", f)
		}
		o.latencies = append(o.latencies, d)
	}
	for f := range strings.SplitSeq(tools, ",") {
		t, ok := toolNamed(strings.TrimSpace(f))
		if !ok {
			return fmt.Errorf("-tools: %q is none of %s", f, strings.Join(toolNames(), ", "))
		}
		o.tools = append(o.tools, t)
	}
	if o.rounds < 1 {
		return errors.New("-rounds: at least 1")
	}
	if o.exportDuration < 0 {
		return errors.New("-export-duration: negative")
	}
	root, err := filepath.Abs(o.root)
	if err != nil {
		return err
	}
	o.root = root
	return nil
}
