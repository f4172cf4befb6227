package main

import (
	"time"

	"fmt"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

// statusReport is what `status -o json` prints.
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
			ctx, cancel, err := cfg.withTimeout(cmd.Context())
			if err != nil {
				return err
			}
			defer cancel()
			id := args[0]
			var s drstemplate.Status
			if wait {
				rep := newReporter(g, cmd.ErrOrStderr())
				logTo := &switchWriter{w: rep.log()}
				c, err := cfg.newClient(cmd, g, logTo)
				if err != nil {
					rep.end()
					return err
				}
				opts := waitOptions(every)
				if opts == nil {
					opts = &drstemplate.WaitOptions{}
				}
				opts.Progress = func(st drstemplate.Status) { rep.status(id, st) }
				s, err = c.Wait(ctx, id, opts)
				logTo.set(cmd.ErrOrStderr())
				rep.end()
				if err != nil && !s.Failed() {
					return err
				}
				if werr := writeStatus(cmd, g, id, s); werr != nil {
					return werr
				}
				return err
			}
			c, err := cfg.newClient(cmd, g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if s, err = c.Poll(ctx, id); err != nil {
				return err
			}
			return writeStatus(cmd, g, id, s)
		},
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().BoolVar(&wait, "wait", false, "poll until the export ends")
	cmd.Flags().DurationVar(&every, "poll-interval", 0, "with --wait, poll this often (default: from 1s backing off to 30s, with jitter)")
	return cmd
}

// writeStatus prints a status: "ID  STATUS", or the JSON report.
func writeStatus(cmd *cobra.Command, g *globals, id string, s drstemplate.Status) error {
	if g.json() {
		return writeJSON(cmd.OutOrStdout(), statusReport{ID: id, Status: string(s), Done: s.Done(), Succeeded: s.Succeeded(), Failed: s.Failed()})
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s  %s\n", escapeControl(id), escapeControl(string(s)))
	return err
}
