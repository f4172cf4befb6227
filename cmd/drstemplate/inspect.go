package main

import (
	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

func newInspectCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect FILE.xlsx",
		Short: "Show a template's contents as readable text (or JSON)",
		Long: `Show the contents of a workbook: every sheet as a table of the values a
spreadsheet program displays, so that a template can be read, reviewed and
kept in git without Excel. Any .xlsx works, not only DRS's layout; a file
that is not one (HTML, a .zip of several templates, a legacy .xls, an
encrypted workbook) is refused with what it is instead (exit 1).

-o json prints {"sheets": [{"name", "hidden", "rows": [[cells...]...]}]};
see docs/cli-json.md.`,
		Example: `  drstemplate inspect templates/0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01_mysql_20260301100001.xlsx
  drstemplate inspect template.xlsx -o json | jq '.sheets[0].rows'`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			wb, err := workbook.Open(args[0])
			if err != nil {
				return err
			}
			if g.json() {
				return writeJSON(cmd.OutOrStdout(), wb)
			}
			return workbook.WriteText(cmd.OutOrStdout(), wb)
		},
	}
}
