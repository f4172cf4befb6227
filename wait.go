package drstemplate

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// WaitOptions say how [Client.Wait] polls an export and [Client.WaitBatch]
// a batch job: one pacing, one loop. The zero value (or nil) means the
// defaults.
//
// The first progress call is made InitialDelay after Wait starts. After
// that, the delay before each call grows with the time waited so far: it is
// drawn at random between half and the whole of a ceiling of a quarter of
// that time, kept between MinDelay and MaxDelay — so that the end is
// noticed late by a bounded share of the wait (under a fifth, nine times in
// ten), few calls are made for a long wait, and many clients do not poll
// in step. An export of a few seconds is polled every MinDelay, and noticed
// within it. No delay runs past the context's deadline: when the deadline
// comes sooner, the last call is made just before it. The time a wait takes
// is the real time elapsed, slow calls included; bound it with the context.
type WaitOptions struct {
	// InitialDelay is the time before the first progress call (default 0:
	// at once). An export takes at least some seconds; callers who know how
	// long can save calls.
	InitialDelay time.Duration
	// MinDelay is the shortest delay between two calls (default 1s).
	MinDelay time.Duration
	// MaxDelay is the longest delay between two calls (default 30s).
	MaxDelay time.Duration
	// MaxTransientErrors is how many calls in a row may fail with an error
	// that could go away — a network error, 429 or 5xx, each already
	// retried by the client's RetryPolicy — before the wait gives up
	// (default 5). Other errors (400, 401, 403, 404) end it at once.
	MaxTransientErrors int
	// Progress, when set, is called by Wait with every status observed, in
	// order, unknown values included; never concurrently.
	Progress func(Status)
	// BatchProgress is Progress for WaitBatch: it is called with every
	// batch job status observed.
	BatchProgress func(BatchStatus)
}

// The defaults of [WaitOptions], documented on its fields.
const (
	defaultPollMinDelay       = time.Second
	defaultPollMaxDelay       = 30 * time.Second
	defaultMaxTransientErrors = 5
)

// withDefaults returns o with its zero fields filled in, or an error for
// settings that cannot work.
func (o *WaitOptions) withDefaults() (WaitOptions, error) {
	var w WaitOptions
	if o != nil {
		w = *o
	}
	if w.InitialDelay < 0 || w.MinDelay < 0 || w.MaxDelay < 0 || w.MaxTransientErrors < 0 {
		return w, fmt.Errorf("%w: negative wait setting", ErrInvalidInput)
	}
	w.MinDelay = cmp.Or(w.MinDelay, defaultPollMinDelay)
	w.MaxDelay = cmp.Or(w.MaxDelay, max(defaultPollMaxDelay, w.MinDelay))
	w.MaxTransientErrors = cmp.Or(w.MaxTransientErrors, defaultMaxTransientErrors)
	if w.MaxDelay < w.MinDelay {
		return w, fmt.Errorf("%w: wait MaxDelay %s is below MinDelay %s", ErrInvalidInput, w.MaxDelay, w.MinDelay)
	}
	return w, nil
}

// delay is the pause before the next progress call, elapsed after the
// wait began: drawn between half and the whole of a ceiling of
// elapsed/pollShare, both kept between MinDelay and MaxDelay. u is a
// uniform random number in [0, 1).
func (o *WaitOptions) delay(elapsed time.Duration, u float64) time.Duration {
	ceiling := min(max(elapsed/pollShare, o.MinDelay), o.MaxDelay)
	floor := max(ceiling/2, o.MinDelay)
	return floor + time.Duration(u*float64(ceiling-floor))
}

// pollShare is the wait's elapsed time divided by the longest pause it
// allows: a pause of at most a quarter of the time waited, drawn from its
// upper half, notices the end under a fifth of the wait late at the 90th
// percentile, in about 33 calls for a 5-minute export (TestPollEfficiency).
const pollShare = 4

// Poll asks DRS once for the status of the export with the given export id.
func (c *Client) Poll(ctx context.Context, exportID string) (Status, error) {
	if strings.TrimSpace(exportID) == "" {
		return "", fmt.Errorf("%w: empty export id", ErrInvalidInput)
	}
	resp, err := c.call(ctx, opProgress, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.ShowExportProgress(ctx, project, exportID, &drsapi.ShowExportProgressParams{XLanguage: c.language})
	})
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var p drsapi.ExportProgress
	if err := decode(opProgress, resp, &p); err != nil {
		return "", err
	}
	if strings.TrimSpace(p.ProcessStatus) == "" {
		// {} is no answer: taken as "still running", it would wait for ever.
		return "", fmt.Errorf("%w: %s answered without a process_status", ErrUnexpectedResponse, opProgress)
	}
	return Status(p.ProcessStatus), nil
}

// Wait polls the export with the given export id until it ends, the
// context ends, or a call fails for good; see [WaitOptions] for the pacing.
// The export id may come from another process: it is all Wait needs.
//
// It returns the final status. An export that failed gives an error
// matching [ErrExportFailed]. A wait cut short by the context's deadline
// gives an error that says what it last saw and for how long, and matches
// context.DeadlineExceeded.
func (c *Client) Wait(ctx context.Context, exportID string, opts *WaitOptions) (Status, error) {
	return c.wait(ctx, exportID, opts, time.Time{})
}

// wait is Wait, paced as if the export had been waited on since the given
// time (when it is earlier than now): an export an earlier run submitted
// is polled as often as its age calls for, not as a new one.
func (c *Client) wait(ctx context.Context, exportID string, opts *WaitOptions, since time.Time) (Status, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(exportID) == "" {
		return "", fmt.Errorf("%w: empty export id", ErrInvalidInput)
	}
	w := newWaiter(c, "export", exportID, o, c.Poll, o.Progress, func(st Status) (bool, error) {
		switch {
		case st.Succeeded():
			return true, nil
		case st.Failed():
			return true, fmt.Errorf("%w: export %s ended %q", ErrExportFailed, exportID, st)
		}
		return false, nil
	})
	if !since.IsZero() && since.Before(w.since) {
		w.since = since
	}
	return w.run(ctx)
}

// WaitBatch polls the batch job with the given id, as [Client.Wait] polls
// an export and with the same options, until DRS has validated it (it then
// waits for [Client.CommitBatch]), it ended otherwise (committed, or
// failed), the context ends, or a call fails for good. Its statuses are
// reported to opts.BatchProgress. The id may come from another process.
//
// It returns the final status. A job whose validation failed gives an
// error matching [ErrBatchFailed]: it cannot be committed. A wait cut short
// by the context's deadline matches context.DeadlineExceeded.
func (c *Client) WaitBatch(ctx context.Context, id string, opts *WaitOptions) (BatchStatus, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return "", err
	}
	if err := checkBatchID(id); err != nil {
		return "", err
	}
	return newWaiter(c, "batch job", id, o, c.PollBatch, o.BatchProgress, func(st BatchStatus) (bool, error) {
		if st.Failed() {
			return true, fmt.Errorf("%w: batch job %s ended %q", ErrBatchFailed, id, st)
		}
		return st.Done(), nil
	}).run(ctx)
}

// waiter is one wait in progress, for a job whose statuses are S: an
// export (Wait) or a batch job (WaitBatch). It is the one polling loop of
// the package: poll asks once, end says whether a status ends the wait and
// with which error.
type waiter[S ~string] struct {
	c        *Client
	what, id string // "export" and its id, for messages and logs
	o        WaitOptions
	poll     func(ctx context.Context, id string) (S, error)
	progress func(S)
	end      func(S) (done bool, err error)
	start    time.Time // when the wait began
	since    time.Time // what the pacing counts the time waited from: start, or earlier
	rand     func() float64

	calls     int           // progress calls made
	last      S             // the last status observed
	failures  int           // transient failures in a row
	callTime  time.Duration // how long the last call took
	lastError error         // the last transient failure
	final     bool          // the next call is the last before the deadline
}

// newWaiter returns a waiter of the job what with the given id.
func newWaiter[S ~string](c *Client, what, id string, o WaitOptions, poll func(context.Context, string) (S, error),
	progress func(S), end func(S) (bool, error)) *waiter[S] {
	w := &waiter[S]{c: c, what: what, id: id, o: o, poll: poll, progress: progress, end: end, rand: rand.Float64}
	w.start = time.Now()
	w.since = w.start
	if c.jitter != nil {
		w.rand = c.jitter
	}
	return w
}

func (w *waiter[S]) run(ctx context.Context) (S, error) {
	next := w.o.InitialDelay
	for {
		if w.final || !w.sleep(ctx, next) {
			return w.last, w.stopped(ctx)
		}
		st, err := w.pollOnce(ctx)
		kind, after := classify(err)
		if err == nil {
			if done, endErr := w.end(st); done {
				return st, endErr
			}
		}
		switch {
		case err != nil && ctx.Err() != nil:
			return w.last, w.stopped(ctx)
		case err != nil && kind == permanent:
			return w.last, err
		case err != nil:
			w.failures++
			w.lastError = err
			if w.failures > w.o.MaxTransientErrors {
				return w.last, fmt.Errorf("waiting for %s %s: %d progress calls in a row failed: %w", w.what, w.id, w.failures, err)
			}
		}
		// Polling is not retrying: the pace is the wait's own, but a
		// server's Retry-After holds it back as much as it holds back the
		// client's retries, capped the same way.
		next = max(w.o.delay(time.Since(w.since), w.rand()), w.c.retry.policy().RetryAfter(after))
	}
}

// pollOnce makes one progress call and reports what it saw.
func (w *waiter[S]) pollOnce(ctx context.Context) (S, error) {
	began := time.Now()
	st, err := w.poll(ctx, w.id)
	w.callTime = time.Since(began)
	w.calls++
	if err != nil {
		return "", err
	}
	w.failures = 0
	w.last = st
	if w.progress != nil {
		w.progress(st)
	}
	if w.c.log.Enabled(ctx, slog.LevelDebug) {
		known, _ := any(st).(interface{ Known() bool })
		w.c.log.DebugContext(ctx, "drstemplate: "+w.what+" status", strings.ReplaceAll(w.what, " ", "_")+"_id", w.id, "status", string(st),
			"known", known != nil && known.Known(), "calls", w.calls, "elapsed", time.Since(w.start).Round(time.Millisecond))
	}
	return st, nil
}

// sleep waits d, or less when the context's deadline comes first: then it
// wakes up early enough for one last call — as long as the last call took,
// and a twentieth of the time left — and marks that call as the final one.
// It reports false when the context ended or no call fits any more.
func (w *waiter[S]) sleep(ctx context.Context, d time.Duration) bool {
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if w.calls > 0 && left <= w.callTime {
			return false
		}
		if d >= left-w.callTime {
			d = max(0, left-w.callTime-left/20)
			w.final = true
		}
	}
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// stopped describes a wait the context ended: what it last saw, after how
// long and how many calls; it wraps the context's error.
func (w *waiter[S]) stopped(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		err = context.DeadlineExceeded // no call fits before the deadline
	}
	last := "no status yet"
	if w.last != "" {
		last = "last status " + strconv.Quote(string(w.last))
	}
	calls := strconv.Itoa(w.calls) + " progress calls"
	if w.calls == 1 {
		calls = "1 progress call"
	}
	msg := fmt.Sprintf("waiting for %s %s: %s after %s and %s",
		w.what, w.id, last, time.Since(w.start).Round(time.Millisecond), calls)
	if w.lastError != nil && w.failures > 0 {
		return fmt.Errorf("%s (last call failed: %w): %w", msg, w.lastError, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}
