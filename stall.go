package drstemplate

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// defaultStallTimeout is the stall timeout unless [WithStallTimeout] sets
// another.
const defaultStallTimeout = 60 * time.Second

// ErrStalled is matched by the error of a call that made no progress for
// the stall timeout (see [WithStallTimeout]).
var ErrStalled = errors.New("the connection made no progress")

// WithStallTimeout sets how long a call may make no progress — its
// answer's headers not come, or a read of its body bring no byte — before
// it fails with an error matching [ErrStalled], which is retried like any
// network error (default 60s). It holds with or without a deadline on the
// context; d must be positive.
func WithStallTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.Join(ErrInvalidInput, errors.New("the stall timeout must be positive"))
		}
		o.stall = d
		return nil
	}
}

// stallError is a call's failure to make progress: a net.Error that timed
// out, so that the client's retry policy takes it as a network failure,
// never as the caller's cancellation.
type stallError struct{ after time.Duration }

func (e *stallError) Error() string {
	return ErrStalled.Error() + " for " + e.after.String()
}
func (e *stallError) Unwrap() error   { return ErrStalled }
func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

// stallGuard is the RoundTripper that ends a call that stalls: a timer
// runs while the headers are awaited and during each read of the body, and
// cancels the request when it fires.
type stallGuard struct {
	next  http.RoundTripper
	stall time.Duration
}

func (g stallGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	// One stallBody holds all a call's guard needs (its error included),
	// allocated once whether the answer comes or not.
	b := &stallBody{stall: g.stall, parent: req.Context(), err: stallError{after: g.stall}}
	b.ctx, b.cancel = context.WithCancelCause(b.parent)
	b.timer = time.AfterFunc(g.stall, b.fire)
	resp, err := g.next.RoundTrip(req.WithContext(b.ctx))
	b.timer.Stop()
	if err != nil {
		b.cancel(nil)
		if b.stalled() {
			return nil, &b.err
		}
		return nil, err
	}
	b.rc, resp.Body = resp.Body, b
	return resp, nil
}

// stallBody is a response body whose every read must bring a byte within
// the stall timeout.
type stallBody struct {
	rc          io.ReadCloser
	timer       *time.Timer
	stall       time.Duration
	cancel      context.CancelCauseFunc
	ctx, parent context.Context
	err         stallError
	once        sync.Once
}

// fire cancels the call: it made no progress for the stall timeout.
func (b *stallBody) fire() { b.cancel(&b.err) }

// stalled reports whether the call failed because it stalled, not because
// the caller's context ended.
func (b *stallBody) stalled() bool {
	return errors.Is(context.Cause(b.ctx), &b.err) && b.parent.Err() == nil
}

func (b *stallBody) Read(p []byte) (int, error) {
	b.timer.Reset(b.stall)
	n, err := b.rc.Read(p)
	b.timer.Stop()
	if err != nil && b.stalled() {
		return n, &b.err
	}
	return n, err
}

func (b *stallBody) Close() error {
	b.once.Do(func() {
		b.timer.Stop()
		b.cancel(nil)
	})
	return b.rc.Close()
}
