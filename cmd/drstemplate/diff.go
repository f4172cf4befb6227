package main

import (
	"errors"
	"fmt"

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

diff exits 0 whether or not they differ (and 1 if it cannot read a file);
with --exit-code it exits as diff(1) does: 0 the same, 1 different, 2
trouble (a file missing, unreadable or not a workbook).`,
		Example: `  drstemplate diff old/task_mysql_20260101000000.xlsx new/task_mysql_20260301000000.xlsx
  drstemplate diff a.xlsx b.xlsx --exit-code -q && echo same`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := runDiff(cmd, g, args[0], args[1])
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
	return cmd
}

// runDiff compares the workbooks at paths a and b and prints the changes;
// it returns errDiffer when there are some.
func runDiff(cmd *cobra.Command, g *globals, pathA, pathB string) error {
	a, err := workbook.Open(pathA)
	if err != nil {
		return err
	}
	b, err := workbook.Open(pathB)
	if err != nil {
		return err
	}
	changes := workbook.Diff(a, b)
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
