// Command library gets the templates of DRS tasks with drstemplate's
// ExportAndDownload and its default options: the library's entry in the
// comparison that benchcompare runs (make bench-compare).
//
// Usage:
//
//	library -tasks-file tasks.txt -out DIR
//
// The endpoint comes from DRSTEMPLATE_ENDPOINT (or -endpoint), the AK/SK
// credentials and the project from the environment (HUAWEICLOUD_SDK_AK,
// HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID), as the library reads
// them by default: the environment `drstemplate fake-server` prints.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/drs-tools/drstemplate"
)

func main() {
	endpoint := flag.String("endpoint", os.Getenv("DRSTEMPLATE_ENDPOINT"), "DRS endpoint URL")
	tasksFile := flag.String("tasks-file", "", "file of task ids, separated by white space")
	out := flag.String("out", "", "directory to download the templates into")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	n, err := run(ctx, *endpoint, *tasksFile, *out)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "library:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files in %s\n", n, *out)
}

// run gets the templates of the tasks of tasksFile into out and returns the
// number of files written.
func run(ctx context.Context, endpoint, tasksFile, out string) (int, error) {
	data, err := os.ReadFile(tasksFile)
	if err != nil {
		return 0, err
	}
	c, err := drstemplate.New(drstemplate.WithEndpoint(endpoint))
	if err != nil {
		return 0, err
	}
	results, err := c.ExportAndDownload(ctx, out, strings.Fields(string(data)), nil)
	return len(results), err
}
