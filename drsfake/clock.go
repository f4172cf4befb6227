package drsfake

import (
	"sync"
	"time"
)

// Clock tells the fake what time it is. Every time-dependent behaviour of the
// fake reads it: export progress, token expiry, the X-Sdk-Date skew check, the
// rate limiter and the Date response header. Added latency (see [Faults]) is
// real time and does not use it.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
}

// systemClock is the default Clock: the machine's wall clock.
type systemClock struct{}

// Now returns time.Now().
func (systemClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when told to, so tests can step an
// export from pending to success or expire a token without sleeping. It is
// safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock that reads t until it is advanced.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{now: t}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
