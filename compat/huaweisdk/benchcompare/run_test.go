//go:build unix

package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	var o options
	o.rounds = 2
	if err := parseFlags(&o, "10, 100", "0s,50ms", "naive,cli"); err != nil {
		t.Fatal(err)
	}
	if len(o.tasks) != 2 || o.tasks[1] != 100 || len(o.latencies) != 2 || o.latencies[1] != 50*time.Millisecond ||
		len(o.tools) != 2 || o.tools[1].name != cliTool || !strings.HasPrefix(o.root, "/") {
		t.Errorf("parsed %+v", o)
	}
	for _, bad := range [][3]string{{"0", "0s", "naive"}, {"x", "0s", "naive"}, {"10", "-1s", "naive"}, {"10", "fast", "naive"}, {"10", "0s", "curl"}} {
		o := options{rounds: 1}
		if err := parseFlags(&o, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
	if err := parseFlags(&options{}, "10", "0s", "naive"); err == nil {
		t.Error("0 rounds accepted")
	}
}

// TestRun runs the comparison end to end in its smallest cell: the three
// tools are built, each runs against a fake of its own, and the table has a
// row each with every file whole; the naive program's calls are exactly
// those of its four steps (the export succeeds at once).
func TestRun(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go tool to build the tools: %v", err)
	}
	o := options{root: "../../..", rounds: 1, command: "make bench-compare"} // export-duration 0
	if err := parseFlags(&o, "2", "0s", "naive,library,cli"); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), o, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"| 2 | 0 ms | naive SDK program |", "| 5 (1 / 1 / 1 / 2) | 2/2 |",
		"| 2 | 0 ms | `ExportAndDownload` |", "| 2 | 0 ms | `drstemplate export` |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, " | 2/2 |"); n != 3 {
		t.Errorf("%d rows with 2/2 files, want 3:\n%s", n, out)
	}
}
