package drsfake

import (
	"fmt"
	"math"
	"sync"
	"time"
)

func validateRate(perSecond float64, burst int) error {
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) {
		return fmt.Errorf("drsfake: rate %v is not a number of requests per second", perSecond)
	}
	if perSecond > 0 && burst < 1 {
		return fmt.Errorf("drsfake: burst %d must be at least 1 with a rate limit", burst)
	}
	return nil
}

// bucket is one project's token bucket.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter is a per-project token bucket measured on the fake's clock, so that
// tests step it with a ManualClock instead of sleeping.
type limiter struct {
	mu        sync.Mutex
	perSecond float64 // <= 0: unlimited
	burst     int
	buckets   map[string]*bucket
}

func (l *limiter) set(perSecond float64, burst int) error {
	if err := validateRate(perSecond, burst); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.perSecond, l.burst = perSecond, burst
	l.buckets = make(map[string]*bucket)
	return nil
}

// allow takes a token from project's bucket at now. When none is left it
// returns false and the whole seconds until one will be.
func (l *limiter) allow(project string, now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.perSecond <= 0 {
		return true, 0
	}
	b, ok := l.buckets[project]
	if !ok {
		b = &bucket{tokens: float64(l.burst), last: now}
		l.buckets[project] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(float64(l.burst), b.tokens+elapsed.Seconds()*l.perSecond)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / l.perSecond
	return false, max(1, int(math.Ceil(wait)))
}
