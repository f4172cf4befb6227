package drstemplate_test

import (
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/drsfake"
)

// TestFaultsOnEachOperation runs the whole flow with one kind of fault on
// one operation at a time: every task still gets its template, and the
// client's log shows that the fault struck and was got over.
func TestFaultsOnEachOperation(t *testing.T) {
	kinds := []struct {
		name  string
		rates drsfake.FaultRates
	}{
		{"500", drsfake.FaultRates{InternalError: 0.3}},
		{"503", drsfake.FaultRates{Unavailable: 0.3}},
		{"429", drsfake.FaultRates{Throttle: 0.3}},
		{"reset", drsfake.FaultRates{Reset: 0.3}},
		{"truncated", drsfake.FaultRates{Truncate: 0.3}},
		{"latency", drsfake.FaultRates{Latency: 2 * time.Second, LatencyRate: 0.5}},
	}
	ops := []drsfake.Operation{
		drsfake.OpExportCreationTemplate, drsfake.OpShowExportProgress,
		drsfake.OpListTemplates, drsfake.OpDownloadCreateTemplate,
	}
	for _, op := range ops {
		for _, kind := range kinds {
			t.Run(string(op)+"/"+kind.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					e := newEnv(t, envConfig{
						fake: []drsfake.Option{
							drsfake.WithGeneratedTasks(12),
							drsfake.WithSeed(5),
							drsfake.WithFaults(drsfake.Faults{RetryAfter: time.Second, PerOperation: map[drsfake.Operation]drsfake.FaultRates{op: kind.rates}}),
						},
						// Two tasks an export: six exports (and six listings) meet the fault.
						client: []drstemplate.Option{
							drstemplate.WithMaxTasksPerExport(2),
							drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 8, MinDelay: 100 * time.Millisecond}),
						},
					})
					dir := filepath.Join(t.TempDir(), "out")
					start := time.Now()
					results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, nil)
					if err != nil {
						t.Fatal(err)
					}
					checkResults(t, dir, e.tasks, results, false)
					noTempFiles(t, dir)
					struck := e.logs.count("drstemplate: retrying") + e.logs.count("drstemplate: download broke off, downloading again")
					if kind.rates.Latency > 0 {
						if took := time.Since(start); took < kind.rates.Latency {
							t.Errorf("the flow took %s: the latency never struck", took)
						}
					} else if struck == 0 && !resubmitted(e) {
						t.Errorf("no retry in the log: the fault never struck (%d exports)\n%s", e.calls.count("POST", pathExport), e.logs.text())
					}
				})
			})
		}
	}
}

// resubmitted reports whether the flow submitted an export again (the
// call does not resend an export DRS may have acted on).
func resubmitted(e *env) bool {
	return e.calls.count("POST", pathExport) > 6
}
