// Package benchproc runs the processes of the benchmarks that measure a
// client against `drstemplate fake-server` (the library's flow benchmark,
// the command's, and the comparison in the compat module): the fake in a
// process of its own, so that its work stays out of the client's time, CPU
// and allocations, and the client's figures read from its process's
// resource usage.
//
// It reads what fake-server prints for machines: the JSON banner of
// `fake-server -o json` on start (docs/cli-json.md), and on stop the line
// with the calls the fake received per operation ([ParseCalls]).
package benchproc
