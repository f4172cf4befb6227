package main

import (
	"context"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
)

// output is what a command prints on stdout: the value itself as JSON with
// -o json (its shape is in docs/cli-json.md), else its text.
type output interface {
	writeText(w io.Writer) error
}

// cloudRun is the part of a cloud command that is its own: with the
// client, within --timeout, it does the work and returns what to print. An
// output with an error is a partial result (some tasks failed, some files
// were missing): it is printed, and the error decides the exit code. logTo
// carries the client's debug log (-v): stderr, unless the run sends it
// through its progress display while that is up.
type cloudRun func(ctx context.Context, c *drstemplate.Client, logTo *switchWriter) (output, error)

// runCloud is what every command that calls DRS does around its own part:
// bound the context by --timeout, make the client from the flags, run, and
// print the output as text or JSON. The error it returns sets the exit code
// (see exitCode).
func runCloud(cmd *cobra.Command, g *globals, cfg *cloudConfig, opts []drstemplate.Option, run cloudRun) error {
	ctx, cancel, err := cfg.withTimeout(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	logTo := &switchWriter{w: cmd.ErrOrStderr()}
	c, err := cfg.newClient(cmd, g, logTo, opts...)
	if err != nil {
		return err
	}
	out, err := run(ctx, c, logTo)
	err = withDNSHint(err, cfg)
	if out != nil {
		if werr := printOutput(cmd.OutOrStdout(), g, out); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// printOutput prints out as -o asks: JSON or text.
func printOutput(w io.Writer, g *globals, out output) error {
	if g.json() {
		return writeJSON(w, out)
	}
	return out.writeText(w)
}

// switchWriter is an io.Writer whose target can change: the client's debug
// log goes through the live display while it runs, so lines do not tear it.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	return w.Write(p)
}
