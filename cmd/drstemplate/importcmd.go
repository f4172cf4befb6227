package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

// batchReport is what `import`, `batch status` and `batch commit` print:
// the batch job, and for an import the file and the rows DRS refused.
type batchReport struct {
	File      string                  `json:"file,omitempty"`
	Size      int64                   `json:"size,omitempty"`
	ID        string                  `json:"id,omitempty"`
	Status    string                  `json:"status,omitempty"`
	Validated bool                    `json:"validated"`
	Committed bool                    `json:"committed"`
	Failed    bool                    `json:"failed"`
	ErrorCode string                  `json:"error_code,omitempty"`
	ErrorMsg  string                  `json:"error_msg,omitempty"`
	Rows      []drstemplate.ImportRow `json:"rows"`
}

// setStatus records the batch job's status.
func (r *batchReport) setStatus(s drstemplate.BatchStatus) {
	r.Status, r.Validated, r.Committed, r.Failed = string(s), s.Validated(), s.Committed(), s.Failed()
}

// writeText prints the refused rows as a table, or the batch job and its
// status.
func (r *batchReport) writeText(w io.Writer) error {
	if len(r.Rows) > 0 || r.ErrorCode != "" {
		rows := make([][]string, 0, len(r.Rows))
		for _, row := range r.Rows {
			rows = append(rows, []string{row.Sheet, row.Row, clipCell(row.Value), row.Message})
		}
		if _, err := fmt.Fprintf(w, "%s: refused by DRS: %s %s\n", escapeControl(r.File), escapeControl(r.ErrorCode), escapeControl(r.ErrorMsg)); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return table(w, []string{"SHEET", "ROW", "VALUE", "PROBLEM"}, rows)
	}
	status := r.Status
	if status == "" {
		status = "submitted"
	}
	_, err := fmt.Fprintf(w, "%s  %s\n", escapeControl(r.ID), escapeControl(status))
	return err
}

// clipCell shortens a refused value for the table (JSON has it whole).
func clipCell(v string) string {
	const limit = 40
	if r := []rune(v); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return v
}

// importFlags are the flags of `drstemplate import`.
type importFlags struct {
	cloud        cloudConfig
	kind         string
	noWait       bool
	commit       bool
	pollInterval time.Duration
}

func newImportCommand(g *globals) *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a filled workbook to create DRS tasks in bulk",
		Long: `Send a filled batch-import workbook (.xlsx: an exported template, or the blank
one of "drstemplate blank", filled in) to DRS, which answers with a batch job;
wait, with progress on stderr, while DRS validates it; and, only with --commit,
commit it: that creates the tasks, and starts their billing. Without --commit
nothing is created: commit later with "drstemplate batch commit ID".

The file is checked before anything is sent: a file that is not an .xlsx
workbook, or larger than 10 MiB, exits 2 and DRS sees nothing. Rows DRS
refuses are printed one by one (sheet, row, value, problem), and the command
exits 1; so does a batch job whose validation fails. With --no-wait it only
imports and prints the batch job's id: "drstemplate batch status ID --wait"
waits for it from anywhere.`,
		Example: `  drstemplate import tasks.xlsx --type migration
  drstemplate import tasks.xlsx --type migration --commit
  drstemplate import tasks.xlsx --no-wait -o json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case f.pollInterval < 0:
				return usagef("--poll-interval %v must not be negative", f.pollInterval)
			case f.noWait && f.commit:
				return usagef("--no-wait only imports: it cannot go with --commit (commit later with: drstemplate batch commit ID --wait)")
			}
			file, err := os.Open(args[0])
			if err != nil {
				return usagef("%w", err)
			}
			defer func() { _ = file.Close() }()
			return runCloud(cmd, g, &f.cloud, nil, func(ctx context.Context, c *drstemplate.Client, logTo *switchWriter) (output, error) {
				return runImport(ctx, cmd, g, c, logTo, f, args[0], file)
			})
		},
	}
	addCloudFlags(cmd, &f.cloud)
	fl := cmd.Flags()
	fl.StringVar(&f.kind, "type", "", "kind of tasks the workbook creates: migration, sync or cloudDataGuard (default: as the workbook says)")
	fl.BoolVar(&f.noWait, "no-wait", false, "only import, and print the batch job's id")
	fl.BoolVar(&f.commit, "commit", false, "commit the batch job once validated: creates the tasks (billed)")
	durationVar(fl, &f.pollInterval, "poll-interval", 0, "poll the batch job this often (default: 1s to 30s, growing with the time waited, with jitter)")
	return cmd
}

// runImport imports file, then waits and commits as the flags say.
func runImport(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, logTo *switchWriter, f *importFlags, path string, file *os.File) (output, error) {
	rep := &batchReport{File: path, Rows: []drstemplate.ImportRow{}}
	job, err := c.Import(ctx, filepath.Base(path), file, &drstemplate.ImportOptions{Type: f.kind})
	var refused *drstemplate.ImportError
	switch {
	case errors.As(err, &refused):
		rep.ID, rep.Size, rep.ErrorCode, rep.ErrorMsg = refused.JobID, job.Size, refused.Code, refused.Message
		rep.Rows = append(rep.Rows, refused.Rows...)
		return rep, err
	case err != nil:
		return nil, err
	}
	rep.ID, rep.Size = job.ID, job.Size
	if f.noWait {
		hint(cmd, g, "batch job %s created; wait for DRS to validate it with: drstemplate batch status %s --wait", job.ID, job.ID)
		return rep, nil
	}
	return waitAndCommit(ctx, cmd, g, c, logTo, rep, f.pollInterval, f.commit)
}

// waitAndCommit waits for the batch job of rep to be validated, and commits
// it when commit is set.
func waitAndCommit(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, logTo *switchWriter,
	rep *batchReport, every time.Duration, commit bool) (output, error) {
	st, err := waitBatch(ctx, cmd, g, c, logTo, rep.ID, every)
	rep.setStatus(st)
	switch {
	case err != nil && st.Failed():
		return rep, err // printed, and exit 1
	case err != nil:
		return nil, err
	case !st.Validated() || !commit:
		if st.Validated() {
			hint(cmd, g, "batch job %s validated; nothing is created until it is committed: drstemplate batch commit %s", rep.ID, rep.ID)
		}
		return rep, nil
	}
	st, err = c.CommitBatch(ctx, rep.ID)
	if err != nil {
		return nil, err
	}
	rep.setStatus(st)
	return rep, nil
}

// waitBatch waits for batch job id with progress lines on stderr.
func waitBatch(ctx context.Context, cmd *cobra.Command, g *globals, c *drstemplate.Client, logTo *switchWriter, id string, every time.Duration) (drstemplate.BatchStatus, error) {
	opts := waitOptions(every)
	if opts == nil {
		opts = &drstemplate.WaitOptions{}
	}
	p := newBatchProgress(g, cmd.ErrOrStderr())
	logTo.set(p)
	defer logTo.set(cmd.ErrOrStderr())
	opts.BatchProgress = func(s drstemplate.BatchStatus) { p.status(id, s) }
	return c.WaitBatch(ctx, id, opts)
}

// hint says on stderr what to do next, unless -q or -o json.
func hint(cmd *cobra.Command, g *globals, format string, args ...any) {
	if !g.quiet && !g.json() {
		_, _ = fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
	}
}

// batchProgress writes a line to stderr for each new status of a batch
// job, starting with the seconds since the start; nothing with -q. The
// client's debug log (-v) goes through it, a line at a time.
type batchProgress struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
	start time.Time
	last  drstemplate.BatchStatus
}

func newBatchProgress(g *globals, w io.Writer) *batchProgress {
	return &batchProgress{w: w, quiet: g.quiet, start: time.Now()}
}

func (p *batchProgress) status(id string, s drstemplate.BatchStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quiet || strings.EqualFold(string(p.last), string(s)) {
		return
	}
	p.last = s
	_, _ = fmt.Fprintf(p.w, "[%5.1fs] batch job %s: %s\n", time.Since(p.start).Seconds(), escapeControl(id), escapeControl(string(s)))
}

func (p *batchProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Write(b)
}
