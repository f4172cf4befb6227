package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

// identityRows are the rows of a template that identify its task and its
// export: they differ between the templates of any two tasks, however
// alike, so the round trip's diff leaves them out (diff --ignore) and shows
// them apart.
var identityRows = []string{"Task ID", "Template file", "Exported at (UTC)"}

// roundTripDir is the subdirectory of the demo's --out the round trip
// writes into.
const roundTripDir = "roundtrip"

// demoEdit is one of the round trip's edits: a setting and its new value.
type demoEdit struct{ Setting, Old, New string }

// roundTripReport is the round trip's part of `demo -o json`.
type roundTripReport struct {
	Original string           `json:"original"`
	Edited   string           `json:"edited"`
	BatchJob string           `json:"batch_job"`
	Statuses []string         `json:"statuses"`
	Task     string           `json:"task"`
	Exported string           `json:"exported"`
	Changes  workbook.Changes `json:"changes"`
	Identity workbook.Changes `json:"identity"`
}

// roundTrip takes the template of task orig (written at path) all the way
// round: it edits a copy (the task's name and one setting), imports it,
// waits for the validation, commits, exports the new task's template and
// diffs it with the original. say prints the steps.
func (d *demoFake) roundTrip(ctx context.Context, cmd *cobra.Command, g *globals, out, path string, say func(string, ...any)) (*roundTripReport, error) {
	dir := filepath.Join(out, roundTripDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	wb, err := workbook.Open(path) // the original, read once: its settings, then the diff
	if err != nil {
		return nil, err
	}
	name := settingOf(wb, "Task name")
	edits := []demoEdit{
		{Setting: "Task name", Old: name, New: name + "-copy"},
		{Setting: "speed_limit_mbps", Old: settingOf(wb, "speed_limit_mbps"), New: "80"},
	}
	rep := &roundTripReport{Original: path, Edited: filepath.Join(dir, name+"-copy.xlsx"), Statuses: []string{}}
	say("\n5. the round trip: a copy of %s's template, edited, imported, committed, exported again\n", name)
	if err := editTemplate(path, rep.Edited, edits); err != nil {
		return nil, err
	}
	say("   edited a copy, %s:\n", rep.Edited)
	for _, e := range edits {
		say("     %s %q → %q\n", e.Setting, e.Old, e.New)
	}

	logTo := &switchWriter{w: cmd.ErrOrStderr()}
	cfg := d.cloudConfig()
	c, err := cfg.newClient(cmd, g, logTo)
	if err != nil {
		return nil, err
	}
	say("   drstemplate import %s --type migration --commit\n", rep.Edited)
	file, err := os.Open(rep.Edited)
	if err != nil {
		return nil, err
	}
	defer func() { _ = file.Close() }()
	job, err := c.Import(ctx, filepath.Base(rep.Edited), file, &drstemplate.ImportOptions{Type: "migration"})
	if err != nil {
		return nil, err
	}
	rep.BatchJob = job.ID
	p := newBatchProgress(g, cmd.ErrOrStderr())
	_, err = c.WaitBatch(ctx, job.ID, &drstemplate.WaitOptions{MinDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond,
		BatchProgress: func(s drstemplate.BatchStatus) {
			p.status(job.ID, s)
			if n := len(rep.Statuses); n == 0 || rep.Statuses[n-1] != string(s) {
				rep.Statuses = append(rep.Statuses, string(s))
			}
		}})
	if err != nil {
		return nil, err
	}
	st, err := c.CommitBatch(ctx, job.ID)
	if err != nil {
		return nil, err
	}
	rep.Statuses = append(rep.Statuses, string(st))
	tasks, err := c.BatchTasks(ctx, job.ID)
	if err != nil {
		return nil, err
	}
	if len(tasks) != 1 {
		return nil, fmt.Errorf("demo: the batch job lists %d tasks, want 1", len(tasks))
	}
	rep.Task = tasks[0].ID
	say("   batch job %s: %s; task %s created\n", job.ID, strings.Join(rep.Statuses, " → "), rep.Task)

	say("   drstemplate export %s --out %s\n", rep.Task, dir)
	results, err := c.ExportAndDownload(ctx, dir, []string{rep.Task}, &drstemplate.ExportAndDownloadOptions{
		Wait: &drstemplate.WaitOptions{MinDelay: 300 * time.Millisecond, MaxDelay: 300 * time.Millisecond},
	})
	if err != nil {
		return nil, err
	}
	rep.Exported = results[0].File.Path

	exported, err := workbook.Open(rep.Exported)
	if err != nil {
		return nil, err
	}
	rep.Changes, rep.Identity = workbook.Diff(wb, exported).Split(func(key string) bool { return slices.Contains(identityRows, key) })
	ignore := make([]string, len(identityRows))
	for i, r := range identityRows {
		ignore[i] = "--ignore " + strconv.Quote(r)
	}
	say("   drstemplate diff %s %s %s\n\n", strings.Join(ignore, " "), rep.Original, rep.Exported)
	if !g.json() {
		if err := workbook.WriteDiff(cmd.OutOrStdout(), rep.Changes); err != nil {
			return nil, err
		}
		say("\n   left out by --ignore: the rows that identify a task and its export, which differ for any two tasks:\n")
		if err := workbook.WriteDiff(cmd.OutOrStdout(), rep.Identity); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// settingOf is the value of setting in the first sheet of wb (column B of
// the row whose column A is setting), or "".
func settingOf(wb *workbook.Workbook, setting string) string {
	if len(wb.Sheets) == 0 {
		return ""
	}
	for _, r := range wb.Sheets[0].Rows {
		if len(r) > 1 && r[0] == setting {
			return r[1]
		}
	}
	return ""
}

// editTemplate writes a copy of the template at from to to, with the
// settings of edits (rows of its first sheet, by column A) set to their new
// values.
func editTemplate(from, to string, edits []demoEdit) error {
	f, err := excelize.OpenFile(from)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer func() { _ = f.Close() }()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, e := range edits {
		i := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == e.Setting })
		if i < 0 {
			return fmt.Errorf("demo: %s has no row %q", from, e.Setting)
		}
		if err := f.SetCellStr(sheet, "B"+strconv.Itoa(i+1), e.New); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := f.SaveAs(to); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
