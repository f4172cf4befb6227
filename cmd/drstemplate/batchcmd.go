package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

func newBatchCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "batch",
		Short: "Show, wait for, or commit the batch job of an import",
		Long: `The batch job an import created, by its id (what "drstemplate import" prints):
"batch status" shows its status, or waits for DRS to validate it; "batch commit"
commits it, which creates its tasks. Any process can take a batch job up by id.`,
		Args: usageArgs(cobra.NoArgs),
	}
	cmd.AddCommand(newBatchStatusCommand(g), newBatchCommitCommand(g))
	return cmd
}

func newBatchStatusCommand(g *globals) *cobra.Command {
	return batchJobCommand(g, &cobra.Command{
		Use:   "status ID",
		Short: "Show, or wait for, the status of a batch job",
		Long: `Show the status of a batch job by its id, or with --wait poll, with progress
on stderr, until DRS has validated it (it then waits to be committed), or it
ended otherwise.

Without --wait it exits 0 whatever the status; with --wait, a batch job whose
validation failed exits 1.`,
		Example: `  drstemplate batch status dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456
  drstemplate batch status dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456 --wait --timeout 30m`,
	}, "poll until DRS has validated the batch job, or it ended",
		func(ctx context.Context, cmd *cobra.Command, c *drstemplate.Client, logTo *switchWriter, rep *batchReport, wait bool, every time.Duration) (output, error) {
			if !wait {
				st, err := c.PollBatch(ctx, rep.ID)
				if err != nil {
					return nil, err
				}
				rep.setStatus(st)
				return rep, nil
			}
			st, err := waitBatch(ctx, cmd, g, c, logTo, rep.ID, every)
			rep.setStatus(st)
			if err != nil && !st.Failed() {
				return nil, err
			}
			return rep, err // a failed validation: printed, and exit 1
		})
}

func newBatchCommitCommand(g *globals) *cobra.Command {
	return batchJobCommand(g, &cobra.Command{
		Use:   "commit ID",
		Short: "Commit a batch job: create its tasks",
		Long: `Commit a batch job by its id: DRS creates its tasks, which starts their
billing. DRS refuses a batch job it has not validated (exit 1); with --wait,
the command first waits, with progress on stderr, for the validation, and
commits only a batch job that passed it.

A commit is sent once: it is sent again only when DRS cannot have seen it (the
connection was never made, or the gateway throttled it).`,
		Example: `  drstemplate batch commit dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456
  drstemplate batch commit dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456 --wait`,
	}, "wait for DRS to validate the batch job first",
		func(ctx context.Context, cmd *cobra.Command, c *drstemplate.Client, logTo *switchWriter, rep *batchReport, wait bool, every time.Duration) (output, error) {
			if wait {
				return waitAndCommit(ctx, cmd, g, c, logTo, rep, every, true)
			}
			st, err := c.CommitBatch(ctx, rep.ID)
			if err != nil {
				return nil, err
			}
			rep.setStatus(st)
			return rep, nil
		})
}

// batchJobRun is the part of a batch subcommand that is its own: rep is
// the report of the batch job named on the command line, wait and every
// are --wait and --poll-interval.
type batchJobRun func(ctx context.Context, cmd *cobra.Command, c *drstemplate.Client, logTo *switchWriter, rep *batchReport, wait bool, every time.Duration) (output, error)

// batchJobCommand completes cmd, a batch subcommand on one batch job by
// its id: the argument, the cloud flags, --wait (with waitUsage) and
// --poll-interval, and a RunE that checks them and calls run through
// runCloud.
func batchJobCommand(g *globals, cmd *cobra.Command, waitUsage string, run batchJobRun) *cobra.Command {
	var cfg cloudConfig
	var wait bool
	var every time.Duration
	cmd.Args = usageArgs(cobra.ExactArgs(1))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if every < 0 {
			return usagef("--poll-interval %v must not be negative", every)
		}
		rep := &batchReport{ID: args[0], Rows: []drstemplate.ImportRow{}}
		return runCloud(cmd, g, &cfg, nil, func(ctx context.Context, c *drstemplate.Client, logTo *switchWriter) (output, error) {
			return run(ctx, cmd, c, logTo, rep, wait, every)
		})
	}
	addCloudFlags(cmd, &cfg)
	cmd.Flags().BoolVar(&wait, "wait", false, waitUsage)
	durationVar(cmd.Flags(), &every, "poll-interval", 0, "with --wait, poll this often (default: 1s to 30s, growing with the time waited, with jitter)")
	return cmd
}
