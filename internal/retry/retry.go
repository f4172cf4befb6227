// Package retry is the module's one retry loop: a [Policy], the pure
// computation of the pause between attempts ([Policy.Delay]), and a [Loop]
// that runs attempts as long as the caller's classification of each outcome
// asks for another. It knows nothing of HTTP or DRS: what is worth another
// attempt is the caller's to say, in one place of its own.
package retry

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Policy bounds the attempts of a loop and paces them. The zero value makes
// one attempt; with MaxAttempts set and no delays, retries follow at once.
type Policy struct {
	// MaxAttempts is the number of attempts, the first included; 1 or less
	// makes one.
	MaxAttempts int
	// MinDelay is the interval before the first retry; it doubles with
	// every retry, up to MaxDelay. Each pause is drawn within ±50% of the
	// interval, and is at most MaxDelay.
	MinDelay time.Duration
	// MaxDelay caps the interval and every pause drawn.
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured.
	MaxRetryAfter time.Duration
}

// NoDeadline is the time left, for [Policy.Delay], when there is no
// deadline.
const NoDeadline = time.Duration(math.MaxInt64)

// Delay is the pause after attempt n (n ≥ 1) failed, before the next one:
// the backoff interval for n with ±50% jitter, at most MaxDelay, or the
// server's Retry-After (after; capped at MaxRetryAfter) if that is longer.
// u is a uniform random number in [0, 1): the jitter keeps clients that
// failed together from retrying together. left is the time to the
// deadline (NoDeadline without one): ok is false when the pause would not
// end before it — then no further attempt can be made.
//
// Delay is the only place where a pause is computed and capped.
func (p Policy) Delay(n int, u float64, after, left time.Duration) (d time.Duration, ok bool) {
	interval := p.MinDelay
	for i := 1; i < n && interval > 0 && interval < p.MaxDelay; i++ {
		interval *= 2
	}
	interval = min(interval, p.MaxDelay)
	d = min(time.Duration(float64(interval)*(0.5+u)), p.MaxDelay)
	d = max(d, p.RetryAfter(after))
	return d, d < left
}

// RetryAfter is a server's Retry-After as honoured: not negative, at most
// MaxRetryAfter.
func (p Policy) RetryAfter(after time.Duration) time.Duration {
	return max(0, min(after, p.MaxRetryAfter))
}

// Decision is a classification's verdict on the outcome of one attempt.
// The zero value gives up (or, after a success, stops).
type Decision struct {
	// Retry is set when another attempt may do better.
	Retry bool
	// After is the server's Retry-After, as it said it: the pause is at
	// least this long, capped by [Policy.MaxRetryAfter].
	After time.Duration
}

// Loop runs the attempts of one call.
type Loop[T any] struct {
	Policy Policy
	// Check classifies the outcome of an attempt; nil never retries.
	Check func(v T, err error) Decision
	// Rand draws the jitter, uniform in [0, 1); nil means math/rand/v2.
	// It must be safe for concurrent use when the Loop is used so.
	Rand func() float64
	// Retrying, when set, is told of each retry before its pause: to log
	// it, and to release v (close a response body, say), which the loop
	// then drops.
	Retrying func(v T, err error, attempt int, pause time.Duration)
}

// Do calls try with attempt numbers from 1 until Check says to stop, the
// attempts run out, the next pause would not end before ctx's deadline, or
// ctx ends; it returns the last attempt's outcome. When ctx ends during a
// pause, it returns the zero T and an error that matches ctx's error and
// wraps the last attempt's.
func (l Loop[T]) Do(ctx context.Context, try func(attempt int) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		v, err := try(attempt)
		var decision Decision
		if l.Check != nil {
			decision = l.Check(v, err)
		}
		if !decision.Retry || attempt >= l.Policy.MaxAttempts || ctx.Err() != nil {
			return v, err
		}
		left := NoDeadline
		if deadline, ok := ctx.Deadline(); ok {
			left = time.Until(deadline)
		}
		pause, ok := l.Policy.Delay(attempt, l.rand(), decision.After, left)
		if !ok {
			return v, err
		}
		if l.Retrying != nil {
			l.Retrying(v, err, attempt, pause)
		}
		if stopped := sleep(ctx, pause); stopped != nil {
			var zero T
			if err != nil {
				return zero, fmt.Errorf("%w (the last attempt: %w)", stopped, err)
			}
			return zero, stopped
		}
	}
}

func (l Loop[T]) rand() float64 {
	if l.Rand != nil {
		return l.Rand()
	}
	return rand.Float64()
}

// sleep waits d, or until ctx ends: then it returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
