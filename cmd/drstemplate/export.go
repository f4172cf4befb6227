package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/tasksfile"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// exportFlags are the flags of `drstemplate export`.
type exportFlags struct {
	cloud        cloudConfig
	tasksFile    string
	out          string
	resume       bool
	noWait       bool
	overwrite    bool
	maxPerExport int
	exports      int
	downloads    int
	pollInterval time.Duration
	noIDCheck    bool
}

func newExportCommand(g *globals) *cobra.Command {
	f := &exportFlags{}
	cmd := &cobra.Command{
		Use:   "export [TASK_ID...]",
		Short: "Export the templates of DRS tasks and download them",
		Long: `Export the creation templates of DRS tasks: submit the export, wait for it
with progress on stderr, and download one .xlsx per task into --out.

Task ids come as arguments or from --tasks-file (one per line, '#' comments,
'-' for standard input); they are checked before any call, and an error names
the bad argument or line and says why. A DRS task id has 36 characters in
groups of 8-4-4-4-12 lower-case letters and digits: that shape is what DRS
shows, not a documented rule, so --no-id-check skips it.

Large lists are spread over several exports (--exports at once, of at most
--max-per-export tasks each): up to 10,000 tasks, all are submitted at once;
one task that DRS cannot export does not cost the others their templates:
their files are written and reported, and the exit code is 1.

As it goes, export keeps a manifest, ` + manifest.FileName + `, in --out: the task
list, the exports DRS accepted, and each file's size and SHA-256. It is
written once DRS has accepted an export: a run that submitted nothing (a bad
credential, no connection) leaves nothing behind. While the run goes on,
each step is appended to ` + manifest.JournalName + ` beside it, which
the manifest takes in when the run ends (after a kill, when the next run
resumes or records something). After a crash, a kill, Ctrl-C or --timeout, run
export --resume (the task ids may be left out: the
manifest's are used): tasks whose files are there and verified are skipped,
exports already accepted are waited on rather than submitted again, and the
rest are exported. Without --resume, the tasks are exported afresh; a manifest
already in --out records them alongside its earlier tasks, whose files stay.
A manifest of another endpoint or project is an error (exit 2).

With --no-wait, export only submits and prints the export id (JSON: the
export); "drstemplate status EXPORT_ID --wait" waits for it from anywhere.`,
		Example: `  drstemplate export 0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01 --region cn-north-4 --out templates
  drstemplate export --tasks-file tasks.txt --out templates -o json > result.json
  drstemplate export --out templates --resume
  grep -v '^#' tasks.txt | drstemplate export --tasks-file - --out templates
  drstemplate export TASK_ID --no-wait`,
		RunE: func(cmd *cobra.Command, args []string) error {
			tasks, err := f.taskIDs(cmd, args)
			if err != nil {
				return err
			}
			return runCloud(cmd, g, &f.cloud, f.clientOptions(), func(ctx context.Context, c *drstemplate.Client, logTo *switchWriter) (output, error) {
				if f.noWait {
					return submitOnly(ctx, cmd, g, c, tasks)
				}
				rep, err := runExport(ctx, cmd, g, c, logTo, f, tasks)
				if rep == nil {
					return nil, err // nothing was tried: no report
				}
				return rep, err
			})
		},
	}
	addCloudFlags(cmd, &f.cloud)
	fl := cmd.Flags()
	fl.StringVar(&f.tasksFile, "tasks-file", "", "read task ids from this file, one per line ('-' for standard input)")
	fl.StringVar(&f.out, "out", ".", "directory to download the templates into (made if missing); the manifest is kept there")
	fl.BoolVar(&f.resume, "resume", false, "go on with the export recorded in --out's manifest: skip verified files, wait on submitted exports")
	fl.BoolVar(&f.noWait, "no-wait", false, "only submit the export and print its export id")
	fl.BoolVar(&f.overwrite, "overwrite", false, "replace files already in --out (without it such a task fails and the file is kept)")
	fl.IntVar(&f.maxPerExport, "max-per-export", 0, "most tasks one export request carries, 1 to 1000 (default: the client's, 1000)")
	fl.IntVar(&f.exports, "exports", 0, "exports in progress at once (default: the client's, 10)")
	fl.IntVar(&f.downloads, "downloads", 0, "downloads at once (default: the client's, 8)")
	durationVar(fl, &f.pollInterval, "poll-interval", 0, "poll the export's progress this often (default: 1s to 30s, growing with the time waited, with jitter)")
	fl.BoolVar(&f.noIDCheck, "no-id-check", false, "send task ids that are not in DRS's 8-4-4-4-12 shape (only the basic checks remain)")
	return cmd
}

// taskIDs reads and checks the task ids: arguments or --tasks-file.
func (f *exportFlags) taskIDs(cmd *cobra.Command, args []string) ([]string, error) {
	switch {
	case f.noWait && (f.resume || f.overwrite):
		return nil, usagef("--no-wait only submits: it cannot go with --resume or --overwrite")
	case f.exports < 0 || f.exports == 0 && cmd.Flags().Changed("exports"):
		return nil, usagef("--exports %d: want at least 1", f.exports)
	case f.downloads < 0 || f.downloads == 0 && cmd.Flags().Changed("downloads"):
		return nil, usagef("--downloads %d: want at least 1", f.downloads)
	case f.maxPerExport < 0 || f.maxPerExport > 1000 || f.maxPerExport == 0 && cmd.Flags().Changed("max-per-export"):
		return nil, usagef("--max-per-export %d: want 1 to 1000", f.maxPerExport)
	case f.pollInterval < 0:
		return nil, usagef("--poll-interval %v must not be negative", f.pollInterval)
	case f.tasksFile != "" && len(args) > 0:
		return nil, usagef("task ids come either as arguments or from --tasks-file, not both")
	}
	if err := checkOut(f.out); err != nil {
		return nil, err
	}
	switch {
	case f.tasksFile == "" && len(args) == 0 && f.resume:
		return nil, nil // the manifest's
	case f.tasksFile == "" && len(args) == 0:
		return nil, &usageError{err: errors.New("no task ids: give them as arguments or with --tasks-file"), hint: cmd.CommandPath()}
	}
	shape := !f.noIDCheck
	if f.tasksFile == "" {
		if err := tasksfile.CheckArgs(args, shape); err != nil {
			return nil, err
		}
		return args, nil
	}
	if f.tasksFile == "-" {
		return tasksfile.Parse(cmd.InOrStdin(), "standard input", shape)
	}
	file, err := os.Open(f.tasksFile)
	if err != nil {
		return nil, usagef("--tasks-file: %w", err)
	}
	defer func() { _ = file.Close() }()
	return tasksfile.Parse(file, f.tasksFile, shape)
}

// clientOptions are the client options of the flags: --max-per-export,
// when given (else the client's default).
func (f *exportFlags) clientOptions() []drstemplate.Option {
	if f.maxPerExport == 0 {
		return nil
	}
	return []drstemplate.Option{drstemplate.WithMaxTasksPerExport(f.maxPerExport)}
}

// waitOptions are the polling options of --poll-interval.
func waitOptions(every time.Duration) *drstemplate.WaitOptions {
	if every == 0 {
		return nil
	}
	return &drstemplate.WaitOptions{MinDelay: every, MaxDelay: every}
}

// submitOnly is export --no-wait: one export request; the export is
// printed (its export id, as text) and how to wait for it said on stderr.
func submitOnly(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, tasks []string) (output, error) {
	exp, err := c.Export(ctx, tasks...)
	if err != nil {
		return nil, err
	}
	if !g.quiet && !g.json() {
		_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "export id %s accepted for %s; wait for it with: drstemplate status %s --wait\n",
			exp.ID, plural(len(exp.TaskIDs), "task"), exp.ID)
	}
	return (*acceptedExport)(&exp), nil
}

// acceptedExport is what export --no-wait prints: the drstemplate.Export
// as JSON, its export id as text.
type acceptedExport drstemplate.Export

// writeText prints the export id.
func (e *acceptedExport) writeText(w io.Writer) error {
	_, err := fmt.Fprintln(w, e.ID)
	return err
}

// exportReport is the result of an export run: what -o json prints.
type exportReport struct {
	Dir string `json:"dir"`
	// Manifest is the manifest's path, "" when the run left none (it
	// submitted nothing into a directory without one).
	Manifest    string       `json:"manifest,omitempty"`
	Tasks       []taskReport `json:"tasks"`
	Exported    int          `json:"exported"`
	Skipped     int          `json:"skipped"`
	Failed      int          `json:"failed"`
	Interrupted int          `json:"interrupted"`
	TimedOut    int          `json:"timed_out"`
}

// Statuses of a task in the report.
const (
	statusExported    = "exported"
	statusSkipped     = "skipped" // verified from an earlier run
	statusFailed      = "failed"
	statusInterrupted = "interrupted" // Ctrl-C or SIGTERM stopped the run first
	statusTimedOut    = "timed_out"   // --timeout stopped the run first
)

// taskReport is what became of one task.
type taskReport struct {
	TaskID   string            `json:"task_id"`
	Status   string            `json:"status"` // one of the status constants
	ExportID string            `json:"export_id,omitempty"`
	File     *drstemplate.File `json:"file,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// runExport is the whole export with c: the manifest read or started, the
// client's ExportAndDownload run with the manifest kept as events come,
// and the report (nil when nothing was tried). tasks nil (--resume without
// ids) means the manifest's. The client's log (logTo) goes through the
// progress display while it is up. demo calls it too.
func runExport(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, logTo *switchWriter, f *exportFlags, tasks []string) (*exportReport, error) {
	project, err := c.ProjectID(ctx)
	if err != nil {
		return nil, err
	}
	_, statErr := os.Stat(f.out)
	if err := makeOutDir(f.out); err != nil {
		return nil, err
	}
	lock, err := localfile.Lock(f.out)
	if err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	defer func() {
		_ = lock.Unlock()
		if errors.Is(statErr, fs.ErrNotExist) {
			_ = os.Remove(f.out) // made by this run: removed if it put nothing in it
		}
	}()
	m, existed, err := openManifest(f.out, c.Endpoint(), project)
	if err != nil {
		return nil, err
	}
	if tasks == nil {
		if !existed {
			return nil, usagef("--resume without task ids goes on with the tasks of %s, and there is none: give the task ids", manifest.Path(f.out))
		}
		tasks = slices.Clone(m.Tasks)
	}
	known := make(map[string]bool, len(m.Tasks))
	for _, t := range m.Tasks {
		known[t] = true
	}
	added := m.Add(tasks)
	var plan manifest.Plan
	if f.resume {
		if plan, err = m.Plan(f.out, tasks); err != nil {
			return nil, err
		}
	} else {
		plan = manifest.Plan{ToDo: tasks}
	}
	if !g.quiet {
		sayManifest(cmd.ErrOrStderr(), f, m, tasks, added, existed, plan)
	}
	if err := manifest.RemoveStale(f.out); err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	// The manifest is written once there is something to record: an export
	// accepted, a file, a recovered download, or — resuming — news of a
	// task it already had, or a journal a kill left (folded in now, so that
	// the manifest is the whole record even when nothing is left to do). A
	// run that submitted nothing leaves it as it was otherwise.
	// From then on each change is appended to its journal, and the manifest
	// is written whole again at the end, the journal folded in.
	var journal *manifest.Journal
	record := func(e *drstemplate.Event) error {
		if journal == nil {
			var err error
			journal, err = m.StartJournal(f.out, time.Now())
			return err // the manifest written holds e
		}
		return journal.Append(*e)
	}
	keep := len(plan.Recovered) > 0 || f.resume && existed && manifest.HasJournal(f.out)
	if keep {
		if err := record(nil); err != nil {
			return nil, err
		}
	}

	var results []drstemplate.Result
	var flowErr, writeErr error
	if len(plan.ToDo) > 0 {
		rep := newReporter(g, cmd.ErrOrStderr())
		rep.begin(plan.ToDo, len(plan.Done))
		logTo.set(rep.log())
		results, flowErr = c.ExportAndDownload(ctx, f.out, plan.ToDo, &drstemplate.ExportAndDownloadOptions{
			Wait:      waitOptions(f.pollInterval),
			Exports:   f.exports,
			Downloads: f.downloads,
			Overwrite: f.overwrite,
			Submitted: plan.Submitted,
			Events: func(e drstemplate.Event) {
				// The record first: what the display says is recorded.
				if m.Apply(e) {
					keep = keep || e.Kind != drstemplate.EventDone || e.Result.Err == nil || f.resume && known[e.Result.TaskID]
					if keep && writeErr == nil {
						writeErr = record(&e)
					}
				}
				rep.event(e)
			},
		})
		logTo.set(cmd.ErrOrStderr())
		rep.end()
	}
	if journal != nil {
		if err := journal.Close(); err != nil && writeErr == nil {
			writeErr = err
		}
	}
	if keep {
		if err := m.Write(f.out, time.Now()); err != nil && writeErr == nil {
			writeErr = err
		}
	}
	if results == nil && flowErr != nil {
		return nil, errors.Join(flowErr, writeErr) // nothing was tried: no report
	}
	cause := stopCause(ctx, results)
	report := newExportReport(f.out, tasks, plan.Done, results, cause)
	if keep || existed {
		report.Manifest = manifest.Path(f.out)
	}
	if stop := stopped(cause, report, f.out); stop != nil {
		// The table shows every task, the failed ones with their reasons:
		// the error says what stopped the run, not each task's "context
		// canceled" again.
		return report, errors.Join(stop, writeErr)
	}
	return report, errors.Join(flowErr, writeErr)
}

// makeOutDir makes the output directory dir, with its parents, unless it
// is there; a symbolic link to nothing is a usage error that says so.
func makeOutDir(dir string) error {
	err := localfile.MakeDir(dir, 0o755)
	switch {
	case errors.Is(err, localfile.ErrDanglingLink):
		return usagef("--out: %w", err)
	case err != nil:
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// sayManifest tells, on stderr, what the run does with a manifest already
// in --out, and which recorded files it does not trust.
func sayManifest(w io.Writer, f *exportFlags, m *manifest.Manifest, tasks, added []string, existed bool, plan manifest.Plan) {
	path := escapeControl(manifest.Path(f.out))
	switch {
	case existed && !f.resume:
		msg := fmt.Sprintf("drstemplate: %s records earlier exports of %s; this run exports %s afresh and records %s there too; the earlier files stay",
			path, plural(len(m.Tasks)-len(added), "task"), plural(len(tasks), "task"), map[bool]string{true: "it", false: "them"}[len(tasks) == 1])
		if n := m.Verified(f.out, tasks); n > 0 {
			msg += fmt.Sprintf("; %d of them have their file there already and are exported again (--resume would skip them)", n)
		}
		_, _ = fmt.Fprintln(w, msg)
	case existed && len(added) > 0:
		_, _ = fmt.Fprintf(w, "drstemplate: %s, new to %s, %s exported afresh\n",
			plural(len(added), "task"), path, map[bool]string{true: "is", false: "are"}[len(added) == 1])
	}
	for _, t := range tasks {
		if why, ok := plan.Unverified[t]; ok {
			_, _ = fmt.Fprintf(w, "drstemplate: task %s is done again: %s\n", t, escapeControl(why))
		}
	}
	for _, t := range plan.Recovered {
		_, _ = fmt.Fprintf(w, "drstemplate: task %s: its file was downloaded before the run stopped; recorded now\n", t)
	}
}

// openManifest reads the manifest in dir, or starts one; existed says
// which. A manifest of another endpoint or project is an error.
func openManifest(dir, endpoint, project string) (m *manifest.Manifest, existed bool, err error) {
	m, err = manifest.Read(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return manifest.New(endpoint, project, nil), false, nil
	case err != nil:
		return nil, false, err
	}
	if err := m.SameService(endpoint, project); err != nil {
		return nil, false, fmt.Errorf("%s: %w; choose another --out", manifest.Path(dir), err)
	}
	return m, true, nil
}

// newExportReport puts the verified files and the run's results in the
// order of tasks. stopped is what stopped the run (stopCause): a task it
// stopped is "interrupted" or "timed_out", not "failed".
func newExportReport(dir string, tasks []string, done, results []drstemplate.Result, stopped error) *exportReport {
	r := &exportReport{Dir: dir, Tasks: []taskReport{}}
	by := map[string]taskReport{}
	for _, d := range done {
		file := d.File
		by[d.TaskID] = taskReport{TaskID: d.TaskID, Status: statusSkipped, ExportID: d.ExportID, File: &file}
	}
	for _, res := range results {
		t := taskReport{TaskID: res.TaskID, ExportID: res.ExportID, Status: statusExported}
		switch {
		case res.Err == nil:
			file := res.File
			t.File = &file
		case stopped != nil && errors.Is(res.Err, stopped):
			t.Status = statusInterrupted
			if errors.Is(stopped, context.DeadlineExceeded) {
				t.Status = statusTimedOut
			}
		default:
			t.Status, t.Error = statusFailed, res.Err.Error()
		}
		by[res.TaskID] = t
	}
	for _, id := range tasks {
		t, ok := by[id]
		if !ok {
			continue
		}
		switch t.Status {
		case statusExported:
			r.Exported++
		case statusSkipped:
			r.Skipped++
		case statusInterrupted:
			r.Interrupted++
		case statusTimedOut:
			r.TimedOut++
		default:
			r.Failed++
		}
		r.Tasks = append(r.Tasks, t)
	}
	return r
}

// stopCause is what stopped the run, if anything: ctx's error — or
// context.DeadlineExceeded when ctx has a deadline and a task ended on it:
// a wait gives up once no progress call fits before the deadline, a
// moment before ctx ends.
func stopCause(ctx context.Context, results []drstemplate.Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		return nil
	}
	for _, r := range results {
		if errors.Is(r.Err, context.DeadlineExceeded) {
			return context.DeadlineExceeded
		}
	}
	return nil
}

// stopError is the error of an export run that Ctrl-C, SIGTERM or
// --timeout stopped: it says what was done and how to go on, and matches
// the context's error (context.Canceled or context.DeadlineExceeded), which
// sets the exit code.
type stopError struct {
	msg string
	ctx error
}

func (e *stopError) Error() string { return e.msg }
func (e *stopError) Unwrap() error { return e.ctx }

// stopped is the stopError of a run stopped by ctxErr, nil if it was not.
func stopped(ctxErr error, r *exportReport, out string) error {
	if ctxErr == nil {
		return nil
	}
	how := "interrupted"
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		how = "timed out (--timeout)"
	}
	accepted := 0
	for _, t := range r.Tasks {
		if (t.Status == statusInterrupted || t.Status == statusTimedOut) && t.ExportID != "" {
			accepted++
		}
	}
	msg := fmt.Sprintf("%s: %d of %s done", how, r.Exported+r.Skipped, plural(len(r.Tasks), "task"))
	if left := r.Interrupted + r.TimedOut; left > 0 {
		msg += fmt.Sprintf(", %d stopped (DRS had accepted the exports of %d of them)", left, accepted)
	}
	if r.Manifest != "" {
		msg += fmt.Sprintf("; to go on where it stopped: drstemplate export --resume --out %s", escapeControl(out))
	}
	return &stopError{msg: msg, ctx: ctxErr}
}

// writeText prints the report: a table, why each failed task failed, and
// a summary line.
func (r *exportReport) writeText(w io.Writer) error {
	rows := make([][]string, 0, len(r.Tasks))
	var why []string
	for _, t := range r.Tasks {
		status := strings.ReplaceAll(t.Status, "_", " ")
		switch {
		case t.File != nil:
			rows = append(rows, []string{t.TaskID, status, t.File.Path, humanSize(t.File.Size)})
		default:
			rows = append(rows, []string{t.TaskID, status, "-", "-"})
			if t.Error != "" {
				why = append(why, "task "+t.TaskID+": "+t.Error)
			}
		}
	}
	if err := table(w, []string{"TASK", "STATUS", "FILE", "SIZE"}, rows); err != nil {
		return err
	}
	for _, line := range why {
		if _, err := fmt.Fprintln(w, escapeControl(line)); err != nil {
			return err
		}
	}
	counts := fmt.Sprintf("%d exported, %d already there, %d failed", r.Exported, r.Skipped, r.Failed)
	if r.Interrupted > 0 {
		counts += fmt.Sprintf(", %d interrupted", r.Interrupted)
	}
	if r.TimedOut > 0 {
		counts += fmt.Sprintf(", %d timed out", r.TimedOut)
	}
	where := "no manifest written: nothing was submitted"
	if r.Manifest != "" {
		where = "manifest " + escapeControl(r.Manifest)
	}
	_, err := fmt.Fprintf(w, "%s: %s; %s\n", plural(len(r.Tasks), "task"), counts, where)
	return err
}
