package drstemplate

import "sync"

// SetJitter makes c draw its random delays — the waiter's and the retry
// loops' — from r, for tests that repeat a run with a seeded source. Calls
// of r are serialised: a seeded source is not safe for concurrent use.
func SetJitter(c *Client, r func() float64) {
	var mu sync.Mutex
	c.jitter = func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r()
	}
}
