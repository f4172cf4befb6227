package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

// downloadReport is what `download` prints.
type downloadReport struct {
	Files []drstemplate.File `json:"files"`
}

func newDownloadCommand(g *globals) *cobra.Command {
	var cfg cloudConfig
	var out string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "download FILE...",
		Short: "Download template files by name",
		Long: `Download template files by the names "drstemplate list" shows into --out
(made if missing). Each file is written whole or not at all, checked to be a
workbook; names are made safe for the file system. A file already there is
kept and the command fails (exit 1) unless --overwrite. Several names are
fetched in one call, as DRS sends them (a .zip, extracted safely).`,
		Example: `  drstemplate download 0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01_mysql_20260301100001.xlsx --out templates`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, names []string) error {
			if err := checkOut(out); err != nil {
				return err
			}
			return runCloud(cmd, g, &cfg, nil, func(ctx context.Context, c *drstemplate.Client, _ *switchWriter) (output, error) {
				files, err := c.DownloadToDir(ctx, out, names, &drstemplate.DownloadOptions{Overwrite: overwrite})
				if len(files) == 0 && err != nil {
					return nil, err // nothing written: no report
				}
				return &downloadReport{Files: append([]drstemplate.File{}, files...)}, err
			})
		},
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().StringVar(&out, "out", ".", "directory to write the files into")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace files already there")
	return cmd
}

// writeText prints the files written: path, size, SHA-256.
func (r *downloadReport) writeText(w io.Writer) error {
	rows := make([][]string, 0, len(r.Files))
	for _, f := range r.Files {
		rows = append(rows, []string{f.Path, humanSize(f.Size), f.SHA256})
	}
	if err := table(w, []string{"FILE", "SIZE", "SHA-256"}, rows); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	return nil
}
