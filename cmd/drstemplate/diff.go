package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

// errDiffer is diff --exit-code's error when the workbooks differ: exit 1.
var errDiffer = errors.New("the workbooks differ")

// diffTrouble is an error of diff --exit-code other than a difference (a
// file missing or not a workbook): exit 2, as diff(1) does, so that a
// script can tell it from "they differ".
type diffTrouble struct{ err error }

func (e *diffTrouble) Error() string { return e.err.Error() }
func (e *diffTrouble) Unwrap() error { return e.err }

func newDiffCommand(g *globals) *cobra.Command {
	var exitCode bool
	var ignore []string
	cmd := &cobra.Command{
		Use:   "diff OLD.xlsx NEW.xlsx",
		Short: "Show what changed between two templates, setting by setting",
		Long: `Compare two workbooks by the values they display: sheets by name; in each
sheet, columns by the names in its first row and rows by their first column
(the setting's name, in a DRS template). Reordered sheets, rows or columns
make no difference. Any .xlsx works, not only DRS's layout.

One change a line: "+" added, "-" removed, "~" changed, then the sheet, the
row's key and the column. Identical workbooks print nothing (and "no
differences" on stderr). -o json prints the changes as data; see
docs/cli-json.md.

--ignore SETTING leaves out the rows whose key (first column: the setting's
name) is SETTING, in every sheet; repeat it for several. Two tasks' templates
always differ in the rows that identify the task and its export ("Task ID",
"Template file", "Exported at (UTC)"): to compare what the tasks are, ignore
those. How many changes were left out is said on stderr; they are neither
printed nor counted by --exit-code.

diff exits 0 whether or not they differ (and 1 if it cannot read a file);
with --exit-code it exits as diff(1) does: 0 the same, 1 different, 2
trouble (a file missing, unreadable or not a workbook).`,
		Example: `  drstemplate diff old/task_mysql_20260101000000.xlsx new/task_mysql_20260301000000.xlsx
  drstemplate diff a.xlsx b.xlsx --exit-code -q && echo same
  drstemplate diff --ignore "Task ID" --ignore "Template file" --ignore "Exported at (UTC)" a.xlsx b.xlsx`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := runDiff(cmd, g, args[0], args[1], ignore)
			if exitCode && err != nil && !errors.Is(err, errDiffer) {
				return &diffTrouble{err}
			}
			if !exitCode && errors.Is(err, errDiffer) {
				return nil
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit as diff(1): 0 the same, 1 different, 2 trouble")
	cmd.Flags().StringArrayVar(&ignore, "ignore", nil, "leave out the rows whose first column is this setting's name (repeatable)")
	return cmd
}

// runDiff compares the workbooks at paths a and b and prints the changes,
// but for the rows keyed by a setting of ignore (counted on stderr); it
// returns errDiffer when there are some.
func runDiff(cmd *cobra.Command, g *globals, pathA, pathB string, ignore []string) error {
	a, err := workbook.Open(pathA)
	if err != nil {
		return err
	}
	b, err := workbook.Open(pathB)
	if err != nil {
		return err
	}
	changes, ignored := workbook.Diff(a, b).Split(func(key string) bool { return slices.Contains(ignore, key) })
	if err := changes.CheckSize(); err != nil {
		return err
	}
	if n := ignored.Count(); n > 0 && !g.quiet {
		_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "%s in rows left out by --ignore\n", plural(n, "change"))
	}
	if g.json() {
		err = writeJSON(cmd.OutOrStdout(), changes)
	} else {
		err = workbook.WriteDiff(cmd.OutOrStdout(), changes)
		if changes.Empty() && !g.quiet {
			_, _ = fmt.Fprintln(cmd.ErrOrStderr(), "no differences")
		}
	}
	if err != nil {
		return err
	}
	if !changes.Empty() {
		return errDiffer
	}
	return nil
}
