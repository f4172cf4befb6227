package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/internal/version"
)

// versionReport is what `version -o json` prints.
type versionReport struct {
	Version string `json:"version"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

func newVersionCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print drstemplate's version",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := versionReport{Version: version.Get(), Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
			if g.json() {
				return writeJSON(cmd.OutOrStdout(), v)
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "drstemplate %s (%s %s/%s)\n", v.Version, v.Go, v.OS, v.Arch)
			return err
		},
	}
}
