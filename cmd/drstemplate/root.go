package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// newRootCommand returns the drstemplate command with its subcommands.
func newRootCommand() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "drstemplate",
		Short: "Export Huawei Cloud DRS task creation templates",
		Long: `drstemplate gets DRS task creation templates (.xlsx) out of Huawei Cloud:
it exports them for a list of tasks, waits with progress, downloads them,
and reads and compares them without Excel.

  drstemplate demo                       the whole flow against a built-in fake DRS
  drstemplate export TASK_ID... --out DIR
  drstemplate inspect FILE.xlsx          a template as readable text (or -o json)
  drstemplate diff OLD.xlsx NEW.xlsx     what changed, setting by setting

Credentials come from the environment (HUAWEICLOUD_SDK_AK/SK,
DRSTEMPLATE_TOKEN, DRSTEMPLATE_IAM_*), from --token-file or --password-file,
or from ~/.huaweicloud/credentials; the region from --region or
DRSTEMPLATE_REGION. See "drstemplate help exit-codes" for exit codes.`,
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Without a command, show the help; an unknown one is a usage error.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return &usageError{err: fmt.Errorf("%s", msg), hint: cmd.CommandPath()}
		},
		PersistentPreRunE: func(*cobra.Command, []string) error { return g.check() },
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{err: err, hint: cmd.CommandPath()}
	})
	pf := root.PersistentFlags()
	pf.StringVarP(&g.output, "output", "o", "text", "output format: text or json (one JSON document on stdout)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print no progress, only results and errors")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "print debug lines on stderr: each request, its status and request id (never a secret)")

	root.AddCommand(
		newExportCommand(g),
		newStatusCommand(g),
		newListCommand(g),
		newDownloadCommand(g),
		newBlankCommand(g),
		newImportCommand(g),
		newBatchCommand(g),
		newInspectCommand(g),
		newDiffCommand(g),
		newDemoCommand(g),
		newVersionCommand(g),
		newFakeServerCommand(g),
		newExitCodesTopic(),
	)
	return root
}

// globals are the flags every command takes.
type globals struct {
	output  string
	quiet   bool
	verbose bool
}

// check refuses bad global flag values.
func (g *globals) check() error {
	if g.quiet && g.verbose {
		return usagef("--quiet and --verbose cannot go together")
	}
	switch g.output {
	case "text", "json":
		return nil
	}
	return usagef("--output %q: want text or json", g.output)
}

// json reports whether the output is JSON.
func (g *globals) json() bool { return g.output == "json" }
