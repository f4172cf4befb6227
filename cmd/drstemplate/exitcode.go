package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/tasksfile"
	"github.com/drs-tools/drstemplate/endpoint"
)

// Exit codes; `drstemplate help exit-codes` documents them.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitTimeout     = 3
	exitAuth        = 4
	exitInterrupted = 130

	// exitDiffTrouble is diff --exit-code's "trouble", as diff(1)'s.
	exitDiffTrouble = 2
)

// usageError is a mistake in how the command was called: flags, arguments,
// a task list, a manifest that does not fit. It exits 2. hint, when set, is
// the command whose --help to suggest.
type usageError struct {
	err  error
	hint string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError; %w wraps as in fmt.Errorf.
func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// usageArgs wraps a cobra argument check so that its errors exit 2.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{err, cmd.CommandPath()}
		}
		return nil
	}
}

// exitCode maps an error to the exit code: the most specific reason wins,
// in the order interrupted, timed out, authentication, usage, failed.
func exitCode(err error) int {
	var usage *usageError
	var trouble *diffTrouble
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &trouble):
		return exitDiffTrouble
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, context.DeadlineExceeded):
		return exitTimeout
	case isAuth(err):
		return exitAuth
	case errors.As(err, &usage), errors.Is(err, drstemplate.ErrInvalidInput),
		errors.Is(err, tasksfile.ErrInvalid), errors.Is(err, manifest.ErrDamaged), errors.Is(err, manifest.ErrOtherService),
		errors.Is(err, endpoint.ErrInvalidEndpoint), errors.Is(err, endpoint.ErrInvalidRegion):
		return exitUsage
	}
	return exitFailed
}

// isAuth reports whether err is about credentials: missing, incomplete,
// ambiguous or invalid ones, a refused login or a refused request.
func isAuth(err error) bool {
	for _, target := range []error{
		auth.ErrUnauthorized, auth.ErrLoginFailed, auth.ErrNoCredentials, auth.ErrIncompleteCredentials,
		auth.ErrAmbiguousCredentials, auth.ErrInvalidCredentials, errNoPassword,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// errorLines renders err for stderr: one line per line of its message,
// each prefixed "drstemplate: " once (a line that has the prefix already
// keeps just that one), control characters escaped.
func errorLines(err error) string {
	var b strings.Builder
	for line := range strings.SplitSeq(strings.TrimRight(err.Error(), "\n"), "\n") {
		line = strings.TrimPrefix(line, "drstemplate: ")
		b.WriteString("drstemplate: ")
		b.WriteString(escapeControl(line))
		b.WriteByte('\n')
	}
	return b.String()
}

// escapeControl escapes the control characters of s (a tab too) so that
// text from a server or a file cannot drive the terminal.
func escapeControl(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// exitCodesHelp is the help topic `drstemplate help exit-codes`.
func newExitCodesTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What drstemplate's exit codes mean",
		Long: `drstemplate exits with one of these codes:

  0    success.
  1    the operation failed: a DRS call failed, an export ended "failed", a
       file is not a workbook, a file already exists. For export, some tasks
       failed: the others' files are still written and reported (and the
       manifest lets --resume retry the failed ones). For import, DRS
       refused rows of the workbook (they are listed), or the batch job's
       validation failed.
  2    usage error: an unknown command or flag, a bad flag value or
       argument, a bad task id (the message names the argument or the line
       of --tasks-file, and why), --out naming a file, a manifest in --out
       that is damaged or of another endpoint or project, a file to import
       that is not a workbook or is over 10 MiB (nothing is sent).
       diff --exit-code: trouble (a file missing, unreadable or not a
       workbook).
  3    timed out: --timeout passed before the command finished. export
       marks the tasks it stopped "timed out", keeps the manifest, and says
       the "drstemplate export --resume" that goes on.
  4    authentication failed: no credentials configured, credentials
       incomplete, ambiguous or invalid, a password login refused, or DRS
       refusing the credentials (expired token, wrong AK/SK, clock skew).
  130  interrupted (Ctrl-C or SIGTERM): calls in flight are cancelled, no
       partial file is left, the tasks stopped are marked "interrupted", and
       the manifest is kept so that "drstemplate export --resume" goes on
       where the run stopped.

When several reasons apply, the first in this order wins: interrupted,
timed out, authentication, usage, failed.

diff exits 0 whether or not the workbooks differ, unless --exit-code is
given: then it follows diff(1): 0 the same, 1 different, 2 trouble.`,
	}
}
