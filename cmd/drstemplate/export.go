package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/tasksfile"
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
the bad line. Large lists are exported in chunks (--max-per-export), several
at a time; one task that DRS cannot export does not cost the others their
templates: their files are written and reported, and the exit code is 1.

As it goes, export keeps a manifest, ` + manifest.FileName + `, in --out: the task
list, the exports DRS accepted, and each file's size and SHA-256. After a
crash, a kill or Ctrl-C, run the same command with --resume: tasks whose files
are there and verified are skipped, exports already accepted are waited on
rather than submitted again, and the rest are exported. Without --resume, a
manifest already in --out is an error (exit 2): nothing is overwritten.

With --no-wait, export only submits and prints the export id (JSON: the
export); "drstemplate status EXPORT_ID --wait" waits for it from anywhere.`,
		Example: `  drstemplate export 0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01 --region cn-north-4 --out templates
  drstemplate export --tasks-file tasks.txt --out templates -o json > result.json
  drstemplate export --tasks-file tasks.txt --out templates --resume
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
	fl.IntVar(&f.maxPerExport, "max-per-export", 0, "most tasks one export request carries, 1 to 1000 (default: the client's, 100)")
	fl.IntVar(&f.exports, "exports", drstemplate.DefaultExports, "exports in progress at once")
	fl.IntVar(&f.downloads, "downloads", drstemplate.DefaultDownloads, "downloads at once")
	fl.DurationVar(&f.pollInterval, "poll-interval", 0, "poll the export's progress this often (default: from 1s backing off to 30s, with jitter)")
	return cmd
}

// taskIDs reads and checks the task ids: arguments or --tasks-file.
func (f *exportFlags) taskIDs(cmd *cobra.Command, args []string) ([]string, error) {
	switch {
	case f.noWait && (f.resume || f.overwrite):
		return nil, usagef("--no-wait only submits: it cannot go with --resume or --overwrite")
	case f.exports < 1:
		return nil, usagef("--exports %d: want at least 1", f.exports)
	case f.downloads < 1:
		return nil, usagef("--downloads %d: want at least 1", f.downloads)
	case f.maxPerExport < 0 || f.maxPerExport > 1000 || f.maxPerExport == 0 && cmd.Flags().Changed("max-per-export"):
		return nil, usagef("--max-per-export %d: want 1 to 1000", f.maxPerExport)
	case f.pollInterval < 0:
		return nil, usagef("--poll-interval %v must not be negative", f.pollInterval)
	case f.out == "":
		return nil, usagef("--out must not be empty")
	case f.tasksFile != "" && len(args) > 0:
		return nil, usagef("task ids come either as arguments or from --tasks-file, not both")
	case f.tasksFile == "" && len(args) == 0:
		return nil, &usageError{err: errors.New("no task ids: give them as arguments or with --tasks-file"), hint: cmd.CommandPath()}
	}
	if f.tasksFile == "" {
		if err := tasksfile.CheckArgs(args); err != nil {
			return nil, err
		}
		return args, nil
	}
	if f.tasksFile == "-" {
		return tasksfile.Parse(cmd.InOrStdin(), "standard input")
	}
	file, err := os.Open(f.tasksFile)
	if err != nil {
		return nil, usagef("--tasks-file: %w", err)
	}
	defer func() { _ = file.Close() }()
	return tasksfile.Parse(file, f.tasksFile)
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
	Dir      string       `json:"dir"`
	Manifest string       `json:"manifest"`
	Tasks    []taskReport `json:"tasks"`
	Exported int          `json:"exported"`
	Skipped  int          `json:"skipped"`
	Failed   int          `json:"failed"`
}

// taskReport is what became of one task.
type taskReport struct {
	TaskID   string            `json:"task_id"`
	Status   string            `json:"status"` // "exported", "skipped" (verified from an earlier run) or "failed"
	ExportID string            `json:"export_id,omitempty"`
	File     *drstemplate.File `json:"file,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// runExport is the whole export with c: the manifest read or started, the
// client's ExportAndDownload run with the manifest kept as events come,
// and the report (nil when nothing was tried). The client's log (logTo)
// goes through the progress display while it is up. demo calls it too.
func runExport(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, logTo *switchWriter, f *exportFlags, tasks []string) (*exportReport, error) {
	project, err := c.ProjectID(ctx)
	if err != nil {
		return nil, err
	}
	m, err := openManifest(f, c.Endpoint(), project, tasks)
	if err != nil {
		return nil, err
	}
	plan, err := m.Plan(f.out)
	if err != nil {
		return nil, err
	}
	if !g.quiet {
		for _, t := range m.Tasks {
			if why, ok := plan.Unverified[t]; ok {
				_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "drstemplate: task %s is done again: %s\n", t, escapeControl(why))
			}
		}
		for _, t := range plan.Recovered {
			_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "drstemplate: task %s: its file was downloaded before the run stopped; recorded now\n", t)
		}
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	if err := manifest.RemoveStale(f.out); err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	if err := m.Write(f.out, time.Now()); err != nil {
		return nil, err
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
				// The manifest first: what the display says is recorded.
				if m.Apply(e) && writeErr == nil {
					writeErr = m.Write(f.out, time.Now())
				}
				rep.event(e)
			},
		})
		logTo.set(cmd.ErrOrStderr())
		rep.end()
	}
	if err := m.Write(f.out, time.Now()); err != nil && writeErr == nil {
		writeErr = err
	}
	report := newExportReport(f.out, m, plan.Done, results)
	if results == nil && flowErr != nil {
		return nil, errors.Join(flowErr, writeErr) // nothing was tried: no report
	}
	return report, errors.Join(flowErr, writeErr)
}

// openManifest reads the manifest in --out for --resume, or starts one.
func openManifest(f *exportFlags, endpoint, project string, tasks []string) (*manifest.Manifest, error) {
	m, err := manifest.Read(f.out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return manifest.New(endpoint, project, tasks), nil
	case err != nil:
		return nil, err
	case !f.resume:
		return nil, usagef("%s holds the manifest of an earlier export: add --resume to go on with it, or choose another --out", manifest.Path(f.out))
	}
	if err := m.Matches(endpoint, project, tasks); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest.Path(f.out), err)
	}
	return m, nil
}

// newExportReport puts the verified files and the run's results in the
// task list's order.
func newExportReport(dir string, m *manifest.Manifest, done, results []drstemplate.Result) *exportReport {
	r := &exportReport{Dir: dir, Manifest: manifest.Path(dir), Tasks: []taskReport{}}
	by := map[string]taskReport{}
	for _, d := range done {
		file := d.File
		by[d.TaskID] = taskReport{TaskID: d.TaskID, Status: "skipped", ExportID: d.ExportID, File: &file}
	}
	for _, res := range results {
		t := taskReport{TaskID: res.TaskID, ExportID: res.ExportID, Status: "exported"}
		if res.Err != nil {
			t.Status, t.Error = "failed", res.Err.Error()
		} else {
			file := res.File
			t.File = &file
		}
		by[res.TaskID] = t
	}
	for _, id := range m.Tasks {
		t, ok := by[id]
		if !ok {
			continue
		}
		switch t.Status {
		case "exported":
			r.Exported++
		case "skipped":
			r.Skipped++
		default:
			r.Failed++
		}
		r.Tasks = append(r.Tasks, t)
	}
	return r
}

// writeText prints the report: a table and a summary line.
func (r *exportReport) writeText(w io.Writer) error {
	rows := make([][]string, 0, len(r.Tasks))
	for _, t := range r.Tasks {
		switch {
		case t.File != nil:
			rows = append(rows, []string{t.TaskID, t.Status, t.File.Path, humanSize(t.File.Size)})
		default:
			msg := t.Error
			if len(msg) > 120 {
				msg = msg[:120] + "…"
			}
			rows = append(rows, []string{t.TaskID, t.Status, msg, ""})
		}
	}
	if err := table(w, []string{"TASK", "STATUS", "FILE", "SIZE"}, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s: %d exported, %d already there, %d failed; manifest %s\n",
		plural(len(r.Tasks), "task"), r.Exported, r.Skipped, r.Failed, escapeControl(r.Manifest))
	return err
}
