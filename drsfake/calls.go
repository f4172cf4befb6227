package drsfake

import "sync/atomic"

// callCounts counts the requests the fake received per operation. The map
// is filled once, when the Server is made, and only read afterwards: the
// counters themselves are atomic, so counting takes no lock.
type callCounts map[Operation]*atomic.Int64

func newCallCounts() callCounts {
	c := make(callCounts)
	for _, op := range allOperations() {
		c[op] = new(atomic.Int64)
	}
	return c
}

// count tallies one request of op.
func (c callCounts) count(op Operation) {
	if n, ok := c[op]; ok {
		n.Add(1)
	}
}

// Calls returns how many requests the fake has received for each operation
// since it was made: every request routed to an operation counts, whatever
// its answer (refused credentials, an invalid request, the rate limit or an
// injected fault included), so the figures are the calls a client made. A
// request for no operation (404 for an unknown path) is not counted.
// Operations without a request are left out. It lets a test or a benchmark
// say how many calls a client needed; `drstemplate fake-server` prints
// these figures when it stops.
func (s *Server) Calls() map[Operation]int64 {
	out := make(map[Operation]int64)
	for op, n := range s.calls {
		if v := n.Load(); v > 0 {
			out[op] = v
		}
	}
	return out
}
