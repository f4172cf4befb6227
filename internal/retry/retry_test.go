package retry

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestDelay(t *testing.T) {
	p := Policy{MaxAttempts: 10, MinDelay: time.Second, MaxDelay: 10 * time.Second, MaxRetryAfter: 30 * time.Second}
	for _, tc := range []struct {
		name     string
		p        Policy
		n        int
		u        float64
		after    time.Duration
		left     time.Duration
		want     time.Duration
		wantFits bool
	}{
		{"first retry, least jitter", p, 1, 0, 0, NoDeadline, 500 * time.Millisecond, true},
		{"first retry, middle", p, 1, 0.5, 0, NoDeadline, time.Second, true},
		{"first retry, most jitter", p, 1, 0.999, 0, NoDeadline, 1499 * time.Millisecond, true},
		{"the interval doubles", p, 3, 0.5, 0, NoDeadline, 4 * time.Second, true},
		{"up to MaxDelay", p, 5, 0, 0, NoDeadline, 5 * time.Second, true},
		{"jitter never past MaxDelay", p, 5, 0.999, 0, NoDeadline, 10 * time.Second, true},
		{"many retries", p, 1 << 20, 0.5, 0, NoDeadline, 10 * time.Second, true},
		{"Retry-After is a floor", p, 1, 0.5, 7 * time.Second, NoDeadline, 7 * time.Second, true},
		{"a shorter Retry-After", p, 3, 0.5, time.Second, NoDeadline, 4 * time.Second, true},
		{"Retry-After capped", p, 1, 0.5, time.Hour, NoDeadline, 30 * time.Second, true},
		{"negative Retry-After", p, 1, 0.5, -time.Hour, NoDeadline, time.Second, true},
		{"fits before the deadline", p, 1, 0.5, 0, 1001 * time.Millisecond, time.Second, true},
		{"ends at the deadline", p, 1, 0.5, 0, time.Second, time.Second, false},
		{"Retry-After past the deadline", p, 1, 0.5, 20 * time.Second, 5 * time.Second, 20 * time.Second, false},
		{"no delays", Policy{MaxAttempts: 2}, 1, 0.7, 0, time.Nanosecond, 0, true},
		{"no delays, Retry-After not honoured", Policy{MaxAttempts: 2}, 1, 0.7, time.Minute, NoDeadline, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, fits := tc.p.Delay(tc.n, tc.u, tc.after, tc.left)
			if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond || fits != tc.wantFits {
				t.Errorf("Delay(%d, %v, %s, %s) = %s, %v; want %s, %v", tc.n, tc.u, tc.after, tc.left, got, fits, tc.want, tc.wantFits)
			}
		})
	}
}

// TestDelayVaries: the jitter spreads the pauses of one retry over the
// whole ±50% band, not only within it: clients that failed together must
// not retry together.
func TestDelayVaries(t *testing.T) {
	p := Policy{MaxAttempts: 10, MinDelay: time.Second, MaxDelay: time.Minute}
	for n := 1; n <= 4; n++ {
		seen := map[time.Duration]bool{}
		lo, hi := time.Duration(1<<62), time.Duration(0)
		for i := range 10 {
			d, _ := p.Delay(n, float64(i)/10, 0, NoDeadline)
			seen[d] = true
			lo, hi = min(lo, d), max(hi, d)
		}
		interval := time.Second << (n - 1)
		if len(seen) != 10 || hi-lo < interval*8/10 {
			t.Errorf("retry %d: %d distinct pauses from %s to %s for 10 draws, want 10 spread over about %s", n, len(seen), lo, hi, interval)
		}
	}
}

var errFlaky = errors.New("flaky")

// run is what runLoop saw.
type run struct {
	times  []time.Time
	pauses []time.Duration
	v      int
	err    error
}

// runLoop runs a loop whose attempts fail with errFlaky until the attempt
// numbered ok (0: never), drawing its jitter from rnd (nil: math/rand/v2),
// and records the attempts' times and the pauses announced.
func runLoop(ctx context.Context, p Policy, ok int, check func(int, error) Decision, rnd func() float64) run {
	var r run
	r.v, r.err = Loop[int]{
		Policy: p,
		Check:  check,
		Rand:   rnd,
		Retrying: func(v int, err error, attempt int, pause time.Duration) {
			if v != attempt || !errors.Is(err, errFlaky) {
				panic("Retrying was not told the attempt's outcome")
			}
			r.pauses = append(r.pauses, pause)
		},
	}.Do(ctx, func(attempt int) (int, error) {
		r.times = append(r.times, time.Now())
		if attempt == ok {
			return attempt, nil
		}
		return attempt, errFlaky
	})
	return r
}

func retryFlaky(_ int, err error) Decision { return Decision{Retry: errors.Is(err, errFlaky)} }

func TestLoop(t *testing.T) {
	p := Policy{MaxAttempts: 4, MinDelay: time.Second, MaxDelay: 10 * time.Second, MaxRetryAfter: 5 * time.Second}
	for _, tc := range []struct {
		name     string
		ok       int
		check    func(int, error) Decision
		timeout  time.Duration
		attempts int
		v        int
		err      error
	}{
		{"success at once", 1, retryFlaky, 0, 1, 1, nil},
		{"success on the third", 3, retryFlaky, 0, 3, 3, nil},
		{"attempts run out", 0, retryFlaky, 0, 4, 4, errFlaky},
		{"given up at once", 0, func(int, error) Decision { return Decision{} }, 0, 1, 1, errFlaky},
		{"nil check", 0, nil, 0, 1, 1, errFlaky},
		{"the next pause would end past the deadline", 0, retryFlaky, 2 * time.Second, 2, 2, errFlaky},
		{"Retry-After past the deadline", 0, func(int, error) Decision { return Decision{Retry: true, After: 10 * time.Second} }, 4 * time.Second, 1, 1, errFlaky},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := t.Context()
				if tc.timeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.timeout)
					defer cancel()
				}
				start := time.Now()
				// The middle of each jitter band: pauses of 1 s, 2 s, 4 s.
				r := runLoop(ctx, p, tc.ok, tc.check, func() float64 { return 0.5 })
				if len(r.times) != tc.attempts || r.v != tc.v || !errors.Is(r.err, tc.err) || (tc.err == nil) != (r.err == nil) {
					t.Fatalf("%d attempts, got %d, %v; want %d attempts, %d, %v", len(r.times), r.v, r.err, tc.attempts, tc.v, tc.err)
				}
				if len(r.pauses) != tc.attempts-1 {
					t.Errorf("%d pauses announced for %d attempts", len(r.pauses), tc.attempts)
				}
				for i := 1; i < len(r.times); i++ {
					if gap := r.times[i].Sub(r.times[i-1]); gap != r.pauses[i-1] {
						t.Errorf("attempt %d came %s after the one before, the pause announced was %s", i+1, gap, r.pauses[i-1])
					}
				}
				if tc.timeout > 0 && time.Since(start) >= tc.timeout {
					t.Errorf("the loop ran to its deadline (%s): it should give up when no pause fits", time.Since(start))
				}
			})
		})
	}
}

func TestLoopHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := Policy{MaxAttempts: 3, MinDelay: 10 * time.Millisecond, MaxDelay: time.Second, MaxRetryAfter: 5 * time.Second}
		r := runLoop(t.Context(), p, 0, func(_ int, err error) Decision { return Decision{Retry: true, After: time.Hour} }, nil)
		for _, d := range r.pauses {
			if d != 5*time.Second {
				t.Errorf("paused %s for a Retry-After of an hour, want the cap of 5s", d)
			}
		}
	})
}

func TestLoopCancelledDuringAPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(1500*time.Millisecond, cancel)
		p := Policy{MaxAttempts: 10, MinDelay: time.Second, MaxDelay: time.Second}
		r := runLoop(ctx, p, 0, retryFlaky, func() float64 { return 0.5 }) // pauses of 1 s
		if !errors.Is(r.err, context.Canceled) || !errors.Is(r.err, errFlaky) || r.v != 0 {
			t.Errorf("got %d, %v; want 0 and an error matching both the context's and the last attempt's", r.v, r.err)
		}
		if len(r.times) != 2 {
			t.Errorf("%d attempts before the cancellation at 1.5s, want 2", len(r.times))
		}
	})
}

// TestLoopDrawsFreshJitter: each loop draws its own pauses — without Rand,
// from math/rand/v2 — so that loops that fail together spread out.
func TestLoopDrawsFreshJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := Policy{MaxAttempts: 2, MinDelay: time.Second, MaxDelay: time.Minute}
		seen := map[time.Duration]bool{}
		for range 20 {
			r := runLoop(t.Context(), p, 0, retryFlaky, nil)
			seen[r.pauses[0]] = true
		}
		if len(seen) < 10 {
			t.Errorf("20 loops drew %d distinct pauses: %v", len(seen), seen)
		}
	})
}

func TestLoopUsesItsRand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var pauses []time.Duration
		_, _ = Loop[int]{
			Policy:   Policy{MaxAttempts: 3, MinDelay: time.Second, MaxDelay: time.Minute},
			Check:    func(int, error) Decision { return Decision{Retry: true} },
			Rand:     func() float64 { return 0 },
			Retrying: func(_ int, _ error, _ int, pause time.Duration) { pauses = append(pauses, pause) },
		}.Do(t.Context(), func(int) (int, error) { return 0, nil })
		if len(pauses) != 2 || pauses[0] != 500*time.Millisecond || pauses[1] != time.Second {
			t.Errorf("pauses %v, want the least of each interval: [500ms 1s]", pauses)
		}
	})
}
