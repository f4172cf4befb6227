// Command naive gets the templates of DRS tasks the way Huawei's Go SDK
// documentation shows the four calls, one after another: it is the
// baseline of the comparison that benchcompare runs (make bench-compare).
//
// It exports the templates of every task with ExportCreationTemplate (in
// chunks of 1,000, the contract's bound, one chunk after another), asks
// ShowExportProgress every 2 s until each export ends, lists the template
// files with ListTemplates (every page), and downloads the newest file of
// each task with DownloadCreateTemplate, one file at a time, into a
// directory. No concurrency, no retries: what a user writes from the
// documentation.
//
// Usage:
//
//	naive -tasks-file tasks.txt -out DIR
//
// The endpoint comes from DRSTEMPLATE_ENDPOINT (or -endpoint), the
// credentials from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and
// HUAWEICLOUD_SDK_PROJECT_ID: the environment `drstemplate fake-server`
// prints.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var c settings
	flag.StringVar(&c.endpoint, "endpoint", os.Getenv("DRSTEMPLATE_ENDPOINT"), "DRS endpoint URL")
	flag.StringVar(&c.tasksFile, "tasks-file", "", "file of task ids, separated by white space")
	flag.StringVar(&c.out, "out", "", "directory to download the templates into")
	flag.DurationVar(&c.poll, "poll", 2*time.Second, "time between two progress queries")
	flag.Parse()
	c.ak, c.sk, c.projectID = os.Getenv("HUAWEICLOUD_SDK_AK"), os.Getenv("HUAWEICLOUD_SDK_SK"), os.Getenv("HUAWEICLOUD_SDK_PROJECT_ID")
	c.chunk = maxJobsPerExport
	n, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "naive:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files in %s\n", n, c.out)
}
