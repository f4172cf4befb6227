package main

import (
	"context"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/tasksfile"
)

// listReport is what `list` prints.
type listReport struct {
	Templates []drstemplate.Template `json:"templates"`
}

func newListCommand(g *globals) *cobra.Command {
	var cfg cloudConfig
	var tasks []string
	var limit int
	var noIDCheck bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the project's template files",
		Long: `List the template files of the project, newest first as DRS lists them,
page by page. --task keeps the files of the given tasks (repeat it, or give
a comma-separated list); --limit stops after that many files.`,
		Example: `  drstemplate list --region cn-north-4
  drstemplate list --task 0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01 --limit 1 -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return usagef("--limit %d must not be negative", limit)
			}
			if len(tasks) > 0 {
				if err := tasksfile.CheckArgs(tasks, !noIDCheck); err != nil {
					return usagef("--task: %w", err)
				}
			}
			return runCloud(cmd, g, &cfg, nil, func(ctx context.Context, c *drstemplate.Client, _ *switchWriter) (output, error) {
				r, err := listTemplates(ctx, c, tasks, limit)
				if err != nil {
					return nil, err // not a nil *listReport in the interface
				}
				return r, nil
			})
		},
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().StringSliceVar(&tasks, "task", nil, "only the files of this task id (repeatable)")
	cmd.Flags().IntVar(&limit, "limit", 0, "stop after this many files (0: all)")
	cmd.Flags().BoolVar(&noIDCheck, "no-id-check", false, "take --task ids that are not in DRS's 8-4-4-4-12 shape")
	return cmd
}

// listTemplates ranges over the listing: the files of tasks (all if none),
// at most limit of them (all if 0).
func listTemplates(ctx context.Context, c *drstemplate.Client, tasks []string, limit int) (*listReport, error) {
	want := map[string]bool{}
	for _, t := range tasks {
		want[t] = true
	}
	r := &listReport{Templates: []drstemplate.Template{}}
	for t, err := range c.Templates(ctx) {
		if err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[t.TaskID] {
			continue
		}
		r.Templates = append(r.Templates, t)
		if limit > 0 && len(r.Templates) == limit {
			break
		}
	}
	return r, nil
}

// writeText prints a table: time, task, engine, name.
func (r *listReport) writeText(w io.Writer) error {
	rows := make([][]string, 0, len(r.Templates))
	for _, t := range r.Templates {
		rows = append(rows, []string{t.LastModified.UTC().Format(time.RFC3339), t.TaskID, t.Engine, t.Name})
	}
	return table(w, []string{"LAST MODIFIED", "TASK", "ENGINE", "NAME"}, rows)
}
