package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

// statusReport is what `status` prints.
type statusReport struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Done      bool   `json:"done"`
	Succeeded bool   `json:"succeeded"`
	Failed    bool   `json:"failed"`
}

func newStatusCommand(g *globals) *cobra.Command {
	var cfg cloudConfig
	var wait bool
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "status EXPORT_ID",
		Short: "Show, or wait for, the status of an export",
		Long: `Show the status of an export by its export id (what "export --no-wait"
prints), or with --wait poll until it ends, with progress on stderr: a wait
can be resumed from anywhere, by export id alone.

Without --wait it exits 0 whatever the status; with --wait, an export that
ends "failed" exits 1. The files of a finished export are listed by
"drstemplate list --task ID" and fetched with "drstemplate download".`,
		Example: `  drstemplate status 6e0c2a8e-8c47-4a8e-b4f4-1d1f8c7b2d10
  drstemplate status 6e0c2a8e-8c47-4a8e-b4f4-1d1f8c7b2d10 --wait --timeout 30m`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if every < 0 {
				return usagef("--poll-interval %v must not be negative", every)
			}
			id := args[0]
			return runCloud(cmd, g, &cfg, nil, func(ctx context.Context, c *drstemplate.Client, logTo *switchWriter) (output, error) {
				if !wait {
					s, err := c.Poll(ctx, id)
					if err != nil {
						return nil, err
					}
					return newStatusReport(id, s), nil
				}
				rep := newReporter(g, cmd.ErrOrStderr())
				logTo.set(rep.log())
				opts := waitOptions(every)
				if opts == nil {
					opts = &drstemplate.WaitOptions{}
				}
				opts.Progress = func(st drstemplate.Status) { rep.status(id, st) }
				s, err := c.Wait(ctx, id, opts)
				logTo.set(cmd.ErrOrStderr())
				rep.end()
				if err != nil && !s.Failed() {
					return nil, err
				}
				return newStatusReport(id, s), err // a failed export: printed, and exit 1
			})
		},
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().BoolVar(&wait, "wait", false, "poll until the export ends")
	durationVar(cmd.Flags(), &every, "poll-interval", 0, "with --wait, poll this often (default: 1s to 30s, growing with the time waited, with jitter)")
	return cmd
}

// newStatusReport is the report of export id's status s.
func newStatusReport(id string, s drstemplate.Status) *statusReport {
	return &statusReport{ID: id, Status: string(s), Done: s.Done(), Succeeded: s.Succeeded(), Failed: s.Failed()}
}

// writeText prints "EXPORT_ID  STATUS".
func (r *statusReport) writeText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%s  %s\n", escapeControl(r.ID), escapeControl(r.Status))
	return err
}
