// Command benchcompare compares three ways to get the templates of N DRS
// tasks, each run as a process of its own against a `drstemplate
// fake-server` process: the naive program (./naive: Huawei's Go SDK used
// as its documentation shows, one call after another), the library
// (./library: drstemplate.ExportAndDownload with default options) and the
// command (`drstemplate export`, built from this checkout).
//
// For every number of tasks and added latency (a cell), and every round,
// it runs each tool against a fake of its own (started with --tasks N
// --latency L --export-duration 5s --seed 1), so that the calls the fake
// counts are the tool's alone, into a fresh directory and with a fresh
// home. It measures the tool's wall time, its CPU time (user + system) and
// peak resident memory (from its resource usage), the calls it made per
// operation (printed by the fake when it stops), and checks that every
// task has exactly one whole template (a zip holding xl/workbook.xml). It
// prints progress on stderr and, at the end, a markdown table on stdout:
// medians of the rounds, ready for docs/PERFORMANCE.md.
//
// Run it with make bench-compare (see the Makefile for the variables), or:
//
//	cd compat/huaweisdk && go run ./benchcompare -tasks 10,100,1000 -latencies 0s,50ms -rounds 3
//
// It exits 1 if a tool failed or wrote a missing or broken file; the table
// says where.
package main
