// Command clientonly is the smallest program that uses the client: it links
// package drstemplate and makes a client, nothing else. BenchmarkStartup
// runs it beside the command, for what a program that imports the client
// pays at start-up.
package main

import (
	"fmt"
	"os"

	"github.com/drs-tools/drstemplate"
)

func main() {
	if _, err := drstemplate.New(drstemplate.WithRegion("cn-north-4")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
}
