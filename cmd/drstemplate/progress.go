package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/drs-tools/drstemplate"
)

// reporter shows how an export or a wait goes, on stderr. Its methods are
// called one at a time (the client never reports events concurrently).
type reporter interface {
	// begin announces the tasks to do; skipped are already done.
	begin(tasks []string, skipped int)
	// event reports a step of ExportAndDownload.
	event(e drstemplate.Event)
	// status reports a status seen while waiting on one export.
	status(exportID string, s drstemplate.Status)
	// log is where -v debug lines go while the reporter runs.
	log() io.Writer
	// end stops the display; nothing is written after it.
	end()
}

// maxTaskLines is the most tasks shown a line each; larger batches show a
// line per export instead.
const maxTaskLines = 12

// newReporter picks the display: none with -q, a live one (mpb) when
// stderr is a terminal that reports its width, plain lines otherwise (a
// terminal reporting 0 columns, as some CI consoles and serial lines do,
// would show nothing of a live display).
func newReporter(g *globals, stderr io.Writer) reporter {
	switch {
	case g.quiet:
		return nopReporter{stderr}
	case isTerminal(stderr) && terminalColumns(stderr) > 0:
		return newBarReporter(stderr, colorAllowed())
	}
	return &lineReporter{w: stderr, start: time.Now(), seen: map[string]drstemplate.Status{}}
}

// nopReporter shows nothing (-q).
type nopReporter struct{ w io.Writer }

func (nopReporter) begin([]string, int)               {}
func (nopReporter) event(drstemplate.Event)           {}
func (nopReporter) status(string, drstemplate.Status) {}
func (r nopReporter) log() io.Writer                  { return r.w }
func (nopReporter) end()                              {}

// lineReporter writes a plain line per step, for logs and pipes: each
// line starts with the seconds since the start.
type lineReporter struct {
	mu    sync.Mutex // its lines and the debug log's, written one at a time
	w     io.Writer
	start time.Time
	seen  map[string]drstemplate.Status // last status per export
	done  int
	total int
}

func (r *lineReporter) printf(format string, args ...any) {
	line := fmt.Sprintf("[%5.1fs] %s\n", time.Since(r.start).Seconds(), escapeControl(fmt.Sprintf(format, args...)))
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = io.WriteString(r.w, line)
}

func (r *lineReporter) begin(tasks []string, skipped int) {
	r.total = len(tasks)
	msg := "exporting " + plural(len(tasks), "task")
	if skipped > 0 {
		msg += fmt.Sprintf(" (%d already done: files verified)", skipped)
	}
	r.printf("%s", msg)
}

func (r *lineReporter) event(e drstemplate.Event) {
	switch e.Kind {
	case drstemplate.EventSubmitted:
		r.printf("export %s accepted: %s", e.Export.ID, plural(len(e.Export.TaskIDs), "task"))
	case drstemplate.EventStatus:
		r.status(e.Export.ID, e.Status)
	case drstemplate.EventDownloading:
		r.printf("task %s: downloading %s", e.Result.TaskID, e.Result.File.Name)
	case drstemplate.EventDone:
		r.done++
		if how := stoppedHow(e.Result.Err); how != "" {
			r.printf("task %s: %s (%d/%d)%s", e.Result.TaskID, how, r.done, r.total, acceptedNote(e.Result.ExportID))
			return
		}
		if e.Result.Err != nil {
			r.printf("task %s: failed (%d/%d): %v", e.Result.TaskID, r.done, r.total, e.Result.Err)
			return
		}
		r.printf("task %s: done (%d/%d): %s, %s", e.Result.TaskID, r.done, r.total, e.Result.File.Path, humanSize(e.Result.File.Size))
	}
}

func (r *lineReporter) status(id string, s drstemplate.Status) {
	if prev, ok := r.seen[id]; ok && strings.EqualFold(string(prev), string(s)) {
		return
	}
	r.seen[id] = s
	r.printf("export %s: %s", id, s)
}

// log returns a writer that takes turns with the reporter's own lines: the
// client logs from the goroutines of its calls.
func (r *lineReporter) log() io.Writer { return &lockedWriter{mu: &r.mu, w: r.w} }

// lockedWriter writes to w holding mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
func (r *lineReporter) end() {}

// barReporter draws live progress with mpb: a line for the whole run
// (tasks done/total, elapsed time) and a line per task — or, for more than
// maxTaskLines tasks, per export — with its state and elapsed time.
type barReporter struct {
	p       *mpb.Progress
	color   bool
	overall *mpb.Bar
	perTask bool
	lines   map[string]*progressLine // by task id, or by export id
	waiting map[string]*progressLine // status lines of status --wait
	ofTask  map[string]string        // task id → its export (per-export lines)
}

// progressLine is one line of the display; the decorators read it while
// the reporter writes it, hence the lock.
type progressLine struct {
	bar   *mpb.Bar
	mu    sync.Mutex
	state string
	start time.Time
	took  time.Duration // set when finished
	left  int           // tasks not done (per-export lines)
}

func (l *progressLine) set(state string) {
	l.mu.Lock()
	l.state = state
	l.mu.Unlock()
}

func (l *progressLine) finish(state string) {
	l.mu.Lock()
	l.state, l.took = state, time.Since(l.start)
	l.mu.Unlock()
}

func (l *progressLine) read() (string, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.took > 0 {
		return l.state, l.took
	}
	return l.state, time.Since(l.start)
}

func newBarReporter(w io.Writer, color bool) *barReporter {
	return &barReporter{
		p:     mpb.New(mpb.WithOutput(w), mpb.WithRefreshRate(120*time.Millisecond), mpb.WithAutoRefresh()),
		color: color, lines: map[string]*progressLine{}, waiting: map[string]*progressLine{}, ofTask: map[string]string{},
	}
}

// paint colours a state word by what it means, unless colour is off.
func (r *barReporter) paint(s string) string {
	if !r.color {
		return s
	}
	word, _, _ := strings.Cut(s, " ")
	code := "33" // yellow: in progress
	switch word {
	case "done", "success", "succeeded", "completed":
		code = "32"
	case "failed", "error", "interrupted", "timed":
		code = "31"
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// addLine adds a line named name to the display.
func (r *barReporter) addLine(name, state string) *progressLine {
	l := &progressLine{state: state, start: time.Now()}
	l.bar = r.p.New(1, mpb.SpinnerStyle().PositionLeft(), mpb.BarWidth(1),
		mpb.BarFillerClearOnComplete(), mpb.BarFillerClearOnAbort(),
		mpb.PrependDecorators(decor.Name("  "+escapeControl(name), decor.WCSyncSpaceR)),
		mpb.AppendDecorators(
			decor.Meta(decor.Any(func(decor.Statistics) string { s, _ := l.read(); return escapeControl(s) }, decor.WCSyncWidthR), r.paint),
			decor.Any(func(decor.Statistics) string { _, d := l.read(); return " " + clock(d) }),
		),
	)
	return l
}

// clock renders a duration as m:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func (r *barReporter) begin(tasks []string, skipped int) {
	suffix := " tasks"
	if skipped > 0 {
		suffix = fmt.Sprintf(" tasks (%d already done)", skipped)
	}
	start := time.Now()
	r.overall = r.p.AddBar(int64(len(tasks)), mpb.BarWidth(40),
		mpb.PrependDecorators(decor.Name("export", decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d"+suffix, decor.WCSyncSpaceR)),
		mpb.AppendDecorators(
			decor.Any(func(decor.Statistics) string { return " " + clock(time.Since(start)) }),
			decor.Percentage(decor.WC{W: 6}),
		),
	)
	r.perTask = len(tasks) <= maxTaskLines
	if r.perTask {
		for _, t := range tasks {
			r.lines[t] = r.addLine(t, "queued")
		}
	}
}

func (r *barReporter) event(e drstemplate.Event) {
	switch e.Kind {
	case drstemplate.EventSubmitted:
		if r.perTask {
			for _, t := range e.Export.TaskIDs {
				if l := r.lines[t]; l != nil {
					l.set("submitted")
				}
			}
			return
		}
		l := r.addLine("export "+e.Export.ID, "submitted")
		l.left = len(e.Export.TaskIDs)
		r.lines[e.Export.ID] = l
		for _, t := range e.Export.TaskIDs {
			r.ofTask[t] = e.Export.ID
		}
	case drstemplate.EventStatus:
		if r.perTask {
			for _, t := range e.Export.TaskIDs {
				if l := r.lines[t]; l != nil {
					l.set(string(e.Status))
				}
			}
			return
		}
		if l := r.lines[e.Export.ID]; l != nil {
			l.set(string(e.Status))
		}
	case drstemplate.EventDownloading:
		if l := r.taskLine(e.Result.TaskID); l != nil && r.perTask {
			l.set("downloading")
		}
	case drstemplate.EventDone:
		r.overall.Increment()
		l := r.taskLine(e.Result.TaskID)
		if l == nil {
			return
		}
		if r.perTask {
			r.close(l, e.Result.Err)
			return
		}
		l.left--
		if l.left <= 0 {
			r.close(l, e.Result.Err)
		}
	}
}

// taskLine is the line that shows task t.
func (r *barReporter) taskLine(t string) *progressLine {
	if r.perTask {
		return r.lines[t]
	}
	return r.lines[r.ofTask[t]]
}

// close finishes a line: done, interrupted, timed out, or failed with the
// start of the reason.
func (r *barReporter) close(l *progressLine, err error) {
	if how := stoppedHow(err); how != "" {
		l.finish(how)
		l.bar.Abort(false)
		return
	}
	if err != nil {
		msg := err.Error()
		if len(msg) > 60 {
			msg = msg[:60] + "…"
		}
		l.finish("failed: " + msg)
		l.bar.Abort(false)
		return
	}
	l.finish("done")
	l.bar.SetTotal(-1, true)
}

func (r *barReporter) status(id string, s drstemplate.Status) {
	l := r.waiting[id]
	if l == nil {
		l = r.addLine("export "+id, string(s))
		r.waiting[id] = l
	}
	switch {
	case s.Failed():
		l.finish(string(s))
		l.bar.Abort(false)
	case s.Done():
		l.finish(string(s))
		l.bar.SetTotal(-1, true)
	default:
		l.set(string(s))
	}
}

func (r *barReporter) log() io.Writer { return r.p }

func (r *barReporter) end() {
	for _, l := range r.lines {
		if !l.bar.Completed() && !l.bar.Aborted() {
			l.finish("interrupted")
			l.bar.Abort(false)
		}
	}
	for _, l := range r.waiting {
		if !l.bar.Completed() && !l.bar.Aborted() {
			l.finish("stopped")
			l.bar.Abort(false)
		}
	}
	if r.overall != nil && !r.overall.Completed() {
		r.overall.Abort(false)
	}
	r.p.Wait()
}

// stoppedHow says how err stopped a task short of failing: "interrupted"
// (Ctrl-C or SIGTERM cancelled the run) or "timed out" (--timeout); "" for
// any other error, or none.
func stoppedHow(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return ""
}

// acceptedNote says, for a task a run stopped, whether DRS had accepted
// its export: then export --resume waits on it rather than submitting it
// again.
func acceptedNote(exportID string) string {
	if exportID == "" {
		return ": not submitted yet"
	}
	return ": its export " + exportID + " was accepted; export --resume goes on with it"
}
