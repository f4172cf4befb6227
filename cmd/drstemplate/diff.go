package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

// errDiffer is diff --exit-code's error when the workbooks differ.
var errDiffer = errors.New("the workbooks differ")

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

diff exits 0 whether or not they differ; with --exit-code, 1 when they do.`,
		Example: `  drstemplate diff old/task_mysql_20260101000000.xlsx new/task_mysql_20260301000000.xlsx
  drstemplate diff a.xlsx b.xlsx --exit-code -q && echo same`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := workbook.Open(args[0])
			if err != nil {
				return err
			}
			b, err := workbook.Open(args[1])
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
			if exitCode && !changes.Empty() {
				return errDiffer
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit 1 when the workbooks differ, as diff(1) does")
	return cmd
}
