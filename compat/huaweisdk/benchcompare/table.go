package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// callColumns returns the operations the calls column breaks the total
// into.
func callColumns() []string {
	return []string{"ExportCreationTemplate", "ShowExportProgress", "ListTemplates", "DownloadCreateTemplate"}
}

// table collects the results of every cell.
type table struct {
	tools []tool
	cells []*cell
}

// cell is the results of one number of tasks and one latency, per tool.
type cell struct {
	tasks   int
	latency time.Duration
	runs    map[string][]result
}

// cell returns a new cell of t.
func (t *table) cell(tasks int, latency time.Duration) *cell {
	c := &cell{tasks: tasks, latency: latency, runs: map[string][]result{}}
	t.cells = append(t.cells, c)
	return c
}

func (c *cell) add(tool string, r result) { c.runs[tool] = append(c.runs[tool], r) }

// summary is a tool's row in a cell: medians of its successful runs.
type summary struct {
	runs, failed int
	filesOK      int // the fewest of any run
	wall, cpu    time.Duration
	rss          int64
	calls        map[string]int64 // per operation, and "" for the total
}

func summarise(runs []result) summary {
	s := summary{runs: len(runs), filesOK: -1, calls: map[string]int64{}}
	var walls, cpus []time.Duration
	var rss []int64
	calls := map[string][]int64{}
	for _, r := range runs {
		if s.filesOK < 0 || r.filesOK < s.filesOK {
			s.filesOK = r.filesOK
		}
		if r.err != nil {
			s.failed++
			continue
		}
		walls, cpus, rss = append(walls, r.wall), append(cpus, r.usage.CPU), append(rss, r.usage.MaxRSS)
		calls[""] = append(calls[""], r.calls.Total())
		for _, op := range callColumns() {
			calls[op] = append(calls[op], r.calls[op])
		}
	}
	s.wall, s.cpu, s.rss = median(walls), median(cpus), median(rss)
	for op, v := range calls {
		s.calls[op] = median(v)
	}
	return s
}

// median is the middle value of v (the mean of the two middle ones for an
// even count); zero for none.
func median[T time.Duration | int64](v []T) T {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	mid := len(v) / 2
	if len(v)%2 == 1 {
		return v[mid]
	}
	return (v[mid-1] + v[mid]) / 2
}

// machine describes where the figures were measured.
type machine struct {
	date, goVersion, cpu string
	nproc                int
}

// describeMachine describes this machine: the date, the Go toolchain, the
// CPU model and the number of CPUs.
func describeMachine() machine {
	m := machine{date: time.Now().UTC().Format("2006-01-02"), goVersion: runtime.Version(), cpu: "unknown CPU", nproc: runtime.NumCPU()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer func() { _ = f.Close() }()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.Join(strings.Fields(v), " ")
				break
			}
		}
	}
	return m
}

// write prints the heading and the markdown table.
func (t *table) write(w io.Writer, m machine, o options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s (%d CPUs, %s/%s), %s; the fake: --export-duration %s --seed 1; medians of %d %s.\n\n",
		m.date, m.cpu, m.nproc, runtime.GOOS, runtime.GOARCH, m.goVersion, o.exportDuration, o.rounds, plural(o.rounds, "round"))
	fmt.Fprintf(&b, "```sh\n%s\n```\n\n", o.command)
	b.WriteString("| tasks | latency | tool | wall | wall ÷ naive | CPU (user+sys) | peak RSS | calls: total (export / progress / list / download) | files OK |\n")
	b.WriteString("| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, c := range t.cells {
		naive, hasNaive := c.runs["naive"]
		var naiveWall time.Duration
		if hasNaive {
			naiveWall = summarise(naive).wall
		}
		for _, tl := range t.tools {
			s := summarise(c.runs[tl.name])
			ratio := "—"
			if naiveWall > 0 && s.wall > 0 {
				ratio = fmt.Sprintf("%.2f×", s.wall.Seconds()/naiveWall.Seconds())
			}
			wall, cpu, rss, calls := "—", "—", "—", "—"
			if s.failed < s.runs {
				wall, cpu = seconds(s.wall), seconds(s.cpu)
				rss = fmt.Sprintf("%.0f MiB", float64(s.rss)/(1<<20))
				var parts []string
				for _, op := range callColumns() {
					parts = append(parts, thousands(s.calls[op]))
				}
				calls = thousands(s.calls[""]) + " (" + strings.Join(parts, " / ") + ")"
			}
			files := thousands(int64(s.filesOK)) + "/" + thousands(int64(c.tasks))
			if s.failed > 0 {
				files += fmt.Sprintf(" (%d of %d runs failed)", s.failed, s.runs)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				thousands(int64(c.tasks)), latency(c.latency), tl.label, wall, ratio, cpu, rss, calls, files)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// seconds formats d in seconds: two decimals below 10 s, one above.
func seconds(d time.Duration) string {
	prec := 1
	if d < 10*time.Second {
		prec = 2
	}
	return strconv.FormatFloat(d.Seconds(), 'f', prec, 64) + " s"
}

// latency formats a latency in milliseconds.
func latency(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + " ms" }

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// plural is noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
