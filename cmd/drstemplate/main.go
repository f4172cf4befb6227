// Command drstemplate exports Huawei Cloud DRS task creation templates: it
// starts exports, waits for them with progress, downloads the .xlsx
// templates, and reads and compares them. `drstemplate demo` shows the whole
// flow against an in-process fake DRS service; `drstemplate fake-server`
// runs that fake on loopback.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The standard logger is the standard library's own voice: net/http
	// logs through it what a server sends on an idle connection
	// ("Unsolicited response received on idle HTTP channel", quoting the
	// server's bytes). No line of the command comes from it, and under -q
	// or -o json stderr carries only the command's own, so its lines go
	// nowhere. (Set here, not in the library, which leaves the process's
	// logger to the program; fake-server gives its server a logger of its
	// own.)
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// execute runs the drstemplate command with args and returns its exit
// code, having printed any error to stderr. A context cancelled while it
// ran (Ctrl-C) gives 130 whatever the error.
func execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if errors.Is(ctx.Err(), context.Canceled) {
		code = exitInterrupted
	}
	_, _ = io.WriteString(stderr, errorLines(err))
	var usage *usageError
	if errors.As(err, &usage) && usage.hint != "" {
		_, _ = fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", usage.hint)
	}
	return code
}
