package main

import "github.com/spf13/cobra"

// newRootCommand returns the drstemplate command with its subcommands.
func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "drstemplate",
		Short: "Export Huawei Cloud DRS task creation templates",
		Long: "drstemplate gets DRS task creation templates (.xlsx) out of Huawei Cloud.\n\n" +
			"Its fake-server command runs a fake DRS service for trying clients and scripts\n" +
			"without a cloud account.",
		SilenceUsage: true,
	}
	root.AddCommand(newFakeServerCommand())
	return root
}
