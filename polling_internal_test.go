package drstemplate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// pollRun is what one wait saw of an export of a known duration.
type pollRun struct {
	calls int           // progress calls made
	late  time.Duration // from the export's end to the call that saw it
}

// measurePolling waits, with the default WaitOptions, for an export that
// takes d on drsfake's clock (synctest's fake time), seeding the jitter.
func measurePolling(t *testing.T, d time.Duration, seed uint64) pollRun {
	var run pollRun
	synctest.Test(t, func(t *testing.T) {
		fake := drsfaketest.StartInMemory(t, drsfake.WithGeneratedTasks(1), drsfake.WithExportTimings(0, d))
		c, err := New(WithEndpoint(fake.URL), WithTransport(fake.Client().Transport),
			WithProjectID(fake.ProjectID), WithCredentials(auth.StaticToken(fake.Token)))
		if err != nil {
			t.Fatal(err)
		}
		c.jitter = rand.New(rand.NewPCG(seed, 1)).Float64
		exp, err := c.Export(t.Context(), fake.TaskIDs...)
		if err != nil {
			t.Fatal(err)
		}
		end := time.Now().Add(d)
		var calls int
		if _, err := c.Wait(t.Context(), exp.ID, &WaitOptions{Progress: func(Status) { calls++ }}); err != nil {
			t.Fatal(err)
		}
		run = pollRun{calls: calls, late: time.Since(end)}
	})
	return run
}

// TestPollEfficiency measures, for exports from 2 s to 10 min, how many
// progress calls the default wait makes and how late it notices the end,
// over 100 seeds of the jitter. It prints the table of docs/PERFORMANCE.md
// (go test -run TestPollEfficiency -v .) and checks the targets: the end
// noticed at the 90th percentile within a fifth of the export's duration
// (within MinDelay for exports of a few seconds), never later than
// MaxDelay, and a 5-minute export in at most 35 calls at the 90th
// percentile.
func TestPollEfficiency(t *testing.T) {
	if testing.Short() {
		t.Skip("600 waits")
	}
	const seeds = 100
	var table strings.Builder
	table.WriteString("| export | calls p50 | calls p90 | calls max | late p50 | late p90 | late max | target: late p90 ≤ |\n|---|---|---|---|---|---|---|---|\n")
	for _, d := range []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute, 10 * time.Minute} {
		var calls []int
		var late []time.Duration
		for seed := range uint64(seeds) {
			r := measurePolling(t, d, seed)
			calls = append(calls, r.calls)
			late = append(late, r.late)
		}
		slices.Sort(calls)
		slices.Sort(late)
		target := d / 5
		if d <= 5*time.Second {
			target = defaultPollMinDelay
		}
		p90 := late[seeds*9/10]
		fmt.Fprintf(&table, "| %s | %d | %d | %d | %s | %s | %s | %s |\n", d, calls[seeds/2], calls[seeds*9/10], calls[seeds-1],
			late[seeds/2].Round(100*time.Millisecond), p90.Round(100*time.Millisecond), late[seeds-1].Round(100*time.Millisecond), target)
		if p90 > target {
			t.Errorf("%s export noticed %s late at p90, want at most %s", d, p90, target)
		}
		if late[seeds-1] > defaultPollMaxDelay {
			t.Errorf("%s export noticed up to %s late, want at most MaxDelay %s", d, late[seeds-1], defaultPollMaxDelay)
		}
		if d == 5*time.Minute && calls[seeds*9/10] > 35 {
			t.Errorf("5 min export: %d progress calls at p90, want at most 35", calls[seeds*9/10])
		}
	}
	t.Logf("default wait (MinDelay %s, MaxDelay %s), %d seeds:\n%s", defaultPollMinDelay, defaultPollMaxDelay, seeds, table.String())
}
