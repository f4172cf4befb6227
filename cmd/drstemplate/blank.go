package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// blankReport is what `blank` prints.
type blankReport struct {
	Engine string           `json:"engine"`
	File   drstemplate.File `json:"file"`
}

func newBlankCommand(g *globals) *cobra.Command {
	var cfg cloudConfig
	var engine, out string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "blank --out DIR",
		Short: "Download DRS's blank batch-import template",
		Long: `Download DRS's blank batch-import template into --out (made if missing):
a zip archive holding the workbook to fill in, one row per task setting, and
then import with "drstemplate import". --engine asks for another engine's
template (Huawei documents postgresql; without it DRS answers the MySQL one).

The file, ` + "batch-template-ENGINE.zip" + `, is written whole or not at all, checked to be
a whole zip archive, whatever the answer's media type says. A file already there
is kept and the command fails (exit 1) unless --overwrite.`,
		Example: `  drstemplate blank --out templates
  drstemplate blank --engine postgresql --out templates`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOut(out); err != nil {
				return err
			}
			return runCloud(cmd, g, &cfg, nil, func(ctx context.Context, c *drstemplate.Client, _ *switchWriter) (output, error) {
				f, err := saveBlank(ctx, c, engine, out, overwrite)
				if err != nil {
					return nil, err
				}
				return &blankReport{Engine: engine, File: f}, nil
			})
		},
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().StringVar(&engine, "engine", "", "engine of the template, e.g. postgresql (default: DRS's, MySQL)")
	cmd.Flags().StringVar(&out, "out", ".", "directory to write the template into")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace a template already there")
	return cmd
}

// blankName is the local name of engine's blank template.
func blankName(engine string) string {
	if engine == "" {
		engine = "default"
	}
	return "batch-template-" + engine + ".zip"
}

// saveBlank downloads engine's blank template into dir, whole or not at
// all.
func saveBlank(ctx context.Context, c *drstemplate.Client, engine, dir string, overwrite bool) (drstemplate.File, error) {
	name, err := localfile.SafeName(blankName(engine))
	if err != nil {
		return drstemplate.File{}, usagef("--engine %q: %w", engine, err)
	}
	if err := makeOutDir(dir); err != nil {
		return drstemplate.File{}, err
	}
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return drstemplate.File{}, err
	}
	defer func() { _ = d.Close() }()
	w, err := d.Write(name, localfile.WriteOptions{Overwrite: overwrite, Check: func(f *os.File, size int64) error {
		return localfile.CheckZip(f, size)
	}}, func(w io.Writer) error {
		_, err := c.BlankTemplate(ctx, engine, w)
		return err
	})
	if err != nil {
		return drstemplate.File{}, err
	}
	return drstemplate.File{Name: name, Path: w.Path, Size: w.Size, SHA256: w.SHA256}, nil
}

// writeText prints the file written: path, size, SHA-256.
func (r *blankReport) writeText(w io.Writer) error {
	if err := table(w, []string{"FILE", "SIZE", "SHA-256"}, [][]string{{r.File.Path, humanSize(r.File.Size), r.File.SHA256}}); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	return nil
}
