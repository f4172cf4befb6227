package drstemplate_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		s                       drstemplate.Status
		succeeded, failed, know bool
	}{
		{"pending", false, false, true},
		{"running", false, false, true},
		{"RUNNING", false, false, true},
		{"success", true, false, true},
		{"SUCCESS", true, false, true},
		{"Succeeded", true, false, true},
		{"completed", true, false, true},
		{"failed", false, true, true},
		{"ERROR", false, true, true},
		{"queued", false, false, false},
		{"", false, false, false},
	} {
		if tc.s.Succeeded() != tc.succeeded || tc.s.Failed() != tc.failed || tc.s.Known() != tc.know ||
			tc.s.Done() != (tc.succeeded || tc.failed) {
			t.Errorf("%q: succeeded %v failed %v known %v done %v", tc.s, tc.s.Succeeded(), tc.s.Failed(), tc.s.Known(), tc.s.Done())
		}
	}
}

// progressTimes records when the fake answered progress calls.
type progressTimes struct {
	mu    sync.Mutex
	times []time.Time
}

func (p *progressTimes) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, pathProgress) {
			p.mu.Lock()
			p.times = append(p.times, time.Now())
			p.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

func TestWaitSucceeds(t *testing.T) {
	for _, tc := range []struct {
		name             string
		pending, running time.Duration
		maxCalls         int
	}{
		{"quick", 100 * time.Millisecond, 400 * time.Millisecond, 3},
		// The ceiling, a quarter of the time waited, reaches MaxDelay after
		// two minutes; delays drawn from its upper half then average 22.5s:
		// about 38 calls in seven minutes. The jitter is seeded, so that the
		// count is the same on every run.
		{"slow: seven minutes", 2 * time.Minute, 5 * time.Minute, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithExportTimings(tc.pending, tc.running)}})
				drstemplate.SetJitter(e.client, rand.New(rand.NewPCG(13, 1)).Float64)
				exp, err := e.client.Export(t.Context(), e.tasks...)
				if err != nil {
					t.Fatal(err)
				}
				var seen []drstemplate.Status
				start := time.Now()
				st, err := e.client.Wait(t.Context(), exp.ID, &drstemplate.WaitOptions{Progress: func(s drstemplate.Status) { seen = append(seen, s) }})
				if err != nil || st != drsfake.StatusSuccess {
					t.Fatalf("Wait = %q, %v", st, err)
				}
				calls := e.calls.count(http.MethodGet, pathProgress)
				if len(seen) != calls || seen[len(seen)-1] != drsfake.StatusSuccess {
					t.Errorf("progress saw %v in %d calls", seen, calls)
				}
				if calls > tc.maxCalls {
					t.Errorf("%d progress calls, want at most %d", calls, tc.maxCalls)
				}
				if took, total := time.Since(start), tc.pending+tc.running; took < total || took > total+30*time.Second {
					t.Errorf("the wait took %s for a %s export", took, total)
				}
			})
		})
	}
}

func TestWaitPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		times := &progressTimes{}
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithExportTimings(0, 10*time.Minute)},
			wrap: times.wrap,
		})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		o := &drstemplate.WaitOptions{InitialDelay: 5 * time.Second, MinDelay: 2 * time.Second, MaxDelay: 40 * time.Second}
		if _, err := e.client.Wait(t.Context(), exp.ID, o); err != nil {
			t.Fatal(err)
		}
		if first := times.times[0].Sub(start); first != o.InitialDelay {
			t.Errorf("first call after %s, want the initial delay %s", first, o.InitialDelay)
		}
		ceiling := o.MinDelay
		for i := 1; i < len(times.times); i++ {
			gap := times.times[i].Sub(times.times[i-1])
			if i > 1 {
				ceiling = min(o.MaxDelay, 2*ceiling)
			}
			if gap < o.MinDelay || gap > ceiling {
				t.Errorf("gap %d is %s, want between %s and %s", i, gap, o.MinDelay, ceiling)
			}
		}
	})
}

func TestWaitFailedExport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithTasks(drsfake.Task{ID: "bad-task", Engine: "mysql", FailExport: true})}})
		exp, err := e.client.Export(t.Context(), "bad-task")
		if err != nil {
			t.Fatal(err)
		}
		st, err := e.client.Wait(t.Context(), exp.ID, nil)
		if !errors.Is(err, drstemplate.ErrExportFailed) || st != drsfake.StatusFailed || !strings.Contains(err.Error(), exp.ID) {
			t.Errorf("Wait = %q, %v; want failed and ErrExportFailed naming the export", st, err)
		}
	})
}

func TestWaitUnknownStatuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The fake's statuses, as another version of the service might spell them.
		spelling := map[string]string{"pending": "QUEUED", "running": "Exporting", "success": "Completed"}
		e := newEnv(t, envConfig{wrap: rewrite(pathProgress, func(_ *http.Request, rec *httptest.ResponseRecorder) {
			var p struct {
				ProcessStatus string `json:"process_status"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &p) == nil {
				rec.Body.Reset()
				_ = json.NewEncoder(rec.Body).Encode(map[string]string{"process_status": spelling[p.ProcessStatus]})
			}
		})})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		var seen []drstemplate.Status
		st, err := e.client.Wait(t.Context(), exp.ID, &drstemplate.WaitOptions{
			MinDelay: 50 * time.Millisecond, MaxDelay: 50 * time.Millisecond,
			Progress: func(s drstemplate.Status) { seen = append(seen, s) },
		})
		if err != nil || st != "Completed" {
			t.Fatalf("Wait = %q, %v", st, err)
		}
		for _, want := range []drstemplate.Status{"QUEUED", "Exporting", "Completed"} {
			if !slices.Contains(seen, want) {
				t.Errorf("progress never saw %q: %v", want, seen)
			}
		}
		if !strings.Contains(e.logs.text(), "known=false") {
			t.Error("unknown statuses were not logged as such")
		}
	})
}

func TestWaitDeadlineShorterThanMinDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithExportTimings(time.Hour, 0)}})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		st, err := e.client.Wait(ctx, exp.ID, &drstemplate.WaitOptions{MinDelay: 2 * time.Second})
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if st != drsfake.StatusPending || !strings.Contains(err.Error(), `last status "pending"`) || !strings.Contains(err.Error(), "2 progress calls") {
			t.Errorf("Wait = %q, %v; want it to say what it last saw, and how many calls", st, err)
		}
		if calls := e.calls.count(http.MethodGet, pathProgress); calls != 2 {
			t.Errorf("%d progress calls, want one at once and one just before the deadline", calls)
		}
		if took > 500*time.Millisecond {
			t.Errorf("the wait took %s, past its deadline", took)
		}
	})
}

func TestWaitBudgetIsElapsedTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Every progress call takes 3s: a wait of 10s makes at most four.
		e := newEnv(t, envConfig{fake: []drsfake.Option{
			drsfake.WithExportTimings(time.Hour, 0),
			drsfake.WithFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
				drsfake.OpShowExportProgress: {Latency: 3 * time.Second, LatencyRate: 1},
			}}),
		}})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err = e.client.Wait(ctx, exp.ID, &drstemplate.WaitOptions{MinDelay: time.Second, MaxDelay: time.Second})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("the wait took %s, past its 10s deadline", took)
		}
		if calls := e.calls.count(http.MethodGet, pathProgress); calls > 3 {
			t.Errorf("%d progress calls of 3s each (plus 1s delays) in 10s", calls)
		}
	})
}

func TestWaitErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   envConfig
		setup func(t *testing.T, e *env) string // returns the export id to wait on
		check func(t *testing.T, err error)
		calls int // progress calls made, 0: don't check
	}{
		{
			name:  "unknown id ends the wait at once",
			setup: func(*testing.T, *env) string { return "no-such-export" },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, drstemplate.ErrNotFound) || !strings.Contains(err.Error(), "unknown to this project, or the export has expired") {
					t.Errorf("err = %v", err)
				}
			},
			calls: 1,
		},
		{
			name: "a refused token ends the wait at once",
			setup: func(t *testing.T, e *env) string {
				id := startExport(t, e)
				e.fake.RevokeToken(testToken)
				return id
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, auth.ErrTokenRejected) || !errors.Is(err, auth.ErrUnauthorized) {
					t.Errorf("err = %v, want auth.ErrTokenRejected", err)
				}
			},
			calls: 1,
		},
		{
			name: "throttling is waited out, then ends the wait",
			cfg: envConfig{
				fake: []drsfake.Option{drsfake.WithExportTimings(time.Hour, 0)},
				wrap: rewrite(pathProgress, throttleFirst(1000, "7")),
			},
			setup: startExport,
			check: func(t *testing.T, err error) {
				var apiErr *drstemplate.APIError
				if !errors.Is(err, drstemplate.ErrThrottled) || !errors.As(err, &apiErr) || apiErr.RetryAfter != 7*time.Second ||
					!strings.Contains(err.Error(), "6 progress calls in a row failed") {
					t.Errorf("err = %v", err)
				}
			},
			// 6 waits' calls (the first and 5 tolerated failures), 6 attempts each.
			calls: 36,
		},
		{
			name: "transient failures are tolerated",
			cfg: envConfig{fake: []drsfake.Option{
				drsfake.WithSeed(7),
				drsfake.WithFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
					drsfake.OpShowExportProgress: {Unavailable: 0.5, InternalError: 0.2},
				}}),
			}},
			setup: startExport,
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("err = %v", err)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, tc.cfg)
				id := tc.setup(t, e)
				_, err := e.client.Wait(t.Context(), id, nil)
				tc.check(t, err)
				if n := e.calls.count(http.MethodGet, pathProgress); tc.calls > 0 && n != tc.calls {
					t.Errorf("%d progress calls, want %d", n, tc.calls)
				}
			})
		})
	}
}

// startExport exports the env's tasks and returns the export's id.
func startExport(t *testing.T, e *env) string {
	t.Helper()
	exp, err := e.client.Export(t.Context(), e.tasks...)
	if err != nil {
		t.Fatal(err)
	}
	return exp.ID
}

func TestWaitThrottledHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		times := &progressTimes{}
		e := newEnv(t, envConfig{
			wrap: func(h http.Handler) http.Handler { return times.wrap(rewrite(pathProgress, throttleFirst(2, "4"))(h)) },
			client: []drstemplate.Option{drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{
				MaxAttempts: 3, MinDelay: 100 * time.Millisecond, MaxRetryAfter: 3 * time.Second,
			})},
		})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.client.Wait(t.Context(), exp.ID, nil); err != nil {
			t.Fatal(err)
		}
		// Retry-After 4s is honoured, capped at MaxRetryAfter: 3s.
		if len(times.times) < 3 {
			t.Fatalf("%d progress calls", len(times.times))
		}
		for i := 1; i < 3; i++ {
			if gap := times.times[i].Sub(times.times[i-1]); gap != 3*time.Second {
				t.Errorf("retry %d came after %s, want the capped Retry-After 3s", i, gap)
			}
		}
	})
}

func TestWaitCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithExportTimings(time.Hour, 0)}})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Minute, cancel)
		_, err = e.client.Wait(ctx, exp.ID, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestWaitRefusesBadOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{})
		for _, o := range []*drstemplate.WaitOptions{
			{MinDelay: -1},
			{MinDelay: time.Minute, MaxDelay: time.Second},
			{MaxTransientErrors: -2},
		} {
			if _, err := e.client.Wait(t.Context(), "x", o); !errors.Is(err, drstemplate.ErrInvalidInput) {
				t.Errorf("%+v: err = %v", o, err)
			}
		}
		if _, err := e.client.Wait(t.Context(), " ", nil); !errors.Is(err, drstemplate.ErrInvalidInput) {
			t.Errorf("blank id: err = %v", err)
		}
		if n := e.calls.count("", ""); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}

func TestRetryAfterBeyondTheDeadlineEndsTheCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{wrap: rewrite(pathProgress, func(_ *http.Request, rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusServiceUnavailable
			rec.Header().Set("Retry-After", "20")
			rec.Body.Reset()
			rec.Body.WriteString(`{"error_code":"DRS.M00503","error_msg":"busy"}`)
		})})
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := e.client.Poll(ctx, "62a055ae-ce03-4232-beb6-46c83b8ef2b2")
		var apiErr *drstemplate.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.RetryAfter != 20*time.Second {
			t.Errorf("err = %v, want the 503 with its Retry-After: waiting 20s cannot fit in 1s", err)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("the call took %s: it waited for nothing", took)
		}
	})
}

// TestWaitNeverStartsACallThatCannotFinish: every progress call takes 3 s;
// the wait knows it, and makes no call that the deadline would cut short.
func TestWaitNeverStartsACallThatCannotFinish(t *testing.T) {
	for _, tc := range []struct {
		name     string
		delay    time.Duration // MinDelay and MaxDelay
		deadline time.Duration
	}{
		// Calls at 0 s and 4 s; at 7 s, 2 s are left for a call of 3 s.
		{"no call fits after the second", time.Second, 9 * time.Second},
		// The call after 5 s would end at 11 s: the last is made early
		// enough to end before 10 s.
		{"the last call is made early enough", 5 * time.Second, 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				times := &progressTimes{}
				e := newEnv(t, envConfig{
					fake: []drsfake.Option{
						drsfake.WithExportTimings(time.Hour, 0),
						drsfake.WithFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
							drsfake.OpShowExportProgress: {Latency: 3 * time.Second, LatencyRate: 1},
						}}),
					},
					wrap: times.wrap,
				})
				exp, err := e.client.Export(t.Context(), e.tasks...)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
				defer cancel()
				var seen int
				_, err = e.client.Wait(ctx, exp.ID, &drstemplate.WaitOptions{MinDelay: tc.delay, MaxDelay: tc.delay,
					Progress: func(drstemplate.Status) { seen++ }})
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want context.DeadlineExceeded", err)
				}
				if calls := len(times.times); calls != 2 || seen != calls {
					t.Errorf("%d progress calls made, %d of them answered; want 2, both answered", calls, seen)
				}
			})
		})
	}
}

// TestWaitCapsRetryAfter: a progress call throttled for good (the client
// does not retry here) delays the next one by the server's Retry-After,
// capped as the client's RetryPolicy caps it.
func TestWaitCapsRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		times := &progressTimes{}
		e := newEnv(t, envConfig{
			wrap: func(h http.Handler) http.Handler {
				return times.wrap(rewrite(pathProgress, throttleFirst(2, "100"))(h))
			},
			client: []drstemplate.Option{drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{
				MaxAttempts: 1, MaxRetryAfter: 3 * time.Second,
			})},
		})
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.client.Wait(t.Context(), exp.ID, nil); err != nil {
			t.Fatal(err)
		}
		if len(times.times) < 3 {
			t.Fatalf("%d progress calls, want the two throttled and more", len(times.times))
		}
		// The wait's own delays after its first two calls are at most 1 s
		// and 2 s: the pause is the Retry-After's.
		for i := 1; i <= 2; i++ {
			if gap := times.times[i].Sub(times.times[i-1]); gap != 3*time.Second {
				t.Errorf("call %d came %s after a throttled one, want the Retry-After of 100 s capped at 3 s", i+1, gap)
			}
		}
	})
}
