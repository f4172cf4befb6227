package drstemplate

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/internal/retry"
)

// RetryPolicy says how a call is retried after a network error or an answer
// that a later attempt may not get: 429, 500, 502, 503 and 504. Every attempt
// is authenticated afresh. The zero value means the defaults.
//
// Reads (ShowExportProgress, ListTemplates, DownloadCreateTemplate) are
// retried on all of these. Starting an export is not idempotent — a second
// POST could start a second export — so it is retried only when the server
// cannot have acted on it: the connection was never made, or the API
// gateway throttled it (429) before it reached DRS.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts per call, the first included
	// (default 4). 1 turns retries off.
	MaxAttempts int
	// MinDelay is about the delay before the first retry (default 500ms):
	// each delay is drawn within ±50% of an interval that starts at
	// MinDelay and doubles with every retry.
	MinDelay time.Duration
	// MaxDelay caps the interval, and every delay drawn (default 10s).
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured
	// (default 30s): a longer one is waited for this long.
	MaxRetryAfter time.Duration
}

// The defaults of [RetryPolicy], documented on its fields.
const (
	defaultMaxAttempts   = 4
	defaultRetryMinDelay = 500 * time.Millisecond
	defaultRetryMaxDelay = 10 * time.Second
	defaultMaxRetryAfter = 30 * time.Second
)

// withDefaults fills in the zero fields and checks the others.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0 {
		return p, fmt.Errorf("%w: negative retry setting %+v", ErrInvalidInput, p)
	}
	p.MaxAttempts = cmp.Or(p.MaxAttempts, defaultMaxAttempts)
	p.MinDelay = cmp.Or(p.MinDelay, defaultRetryMinDelay)
	p.MaxDelay = cmp.Or(p.MaxDelay, defaultRetryMaxDelay)
	p.MaxRetryAfter = cmp.Or(p.MaxRetryAfter, defaultMaxRetryAfter)
	if p.MaxDelay < p.MinDelay {
		return p, fmt.Errorf("%w: retry MaxDelay %s is below MinDelay %s", ErrInvalidInput, p.MaxDelay, p.MinDelay)
	}
	return p, nil
}

// policy is p for the retry loop.
func (p RetryPolicy) policy() retry.Policy {
	return retry.Policy{MaxAttempts: p.MaxAttempts, MinDelay: p.MinDelay, MaxDelay: p.MaxDelay, MaxRetryAfter: p.MaxRetryAfter}
}

// failure says what another attempt of a failed call could change. It is
// the one answer in this package to "is this transient?": the retry of a
// call, the repeats of the flow's steps and the waiter all ask classify.
type failure uint8

const (
	// permanent: another attempt would fail the same way, or the caller
	// gave up (its context ended).
	permanent failure = iota
	// unsent: DRS cannot have acted on the request — the connection was
	// never made, or the API gateway throttled it — so any call may be
	// sent again.
	unsent
	// unanswered: DRS may have acted on the request — it answered with a
	// server failure, or the connection or the answer broke off once the
	// request was out — so only a call that may be repeated is sent again.
	unanswered
)

// classify says what kind of failure err is, and the server's Retry-After
// that came with it (as the server said it; capped where it is waited for,
// by retry.Policy).
func classify(err error) (failure, time.Duration) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return permanent, 0
	}
	// errors.AsType: no variable whose address escapes, so classifying a
	// success (every call's Check) allocates nothing.
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		return statusFailure(apiErr.StatusCode), apiErr.RetryAfter
	}
	return errorFailure(err), 0
}

// statusFailure classifies an error answer by its status. A status retried
// is one line here.
func statusFailure(status int) failure {
	switch status {
	case http.StatusTooManyRequests: // the gateway throttled it before DRS saw it
		return unsent
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return unanswered
	}
	return permanent
}

// errorFailure classifies a failure to get an answer, or a whole one.
// Problems of configuration or input — credentials, the endpoint, a
// certificate that does not verify, an argument refused, an answer off the
// contract — do not go away. A connection that was never made (a failed
// dial) is unsent; any other network failure may have come after the
// request went out. (net/http itself resends a request whose reused
// connection failed before anything was written.)
func errorFailure(err error) failure {
	var (
		authErr  *auth.LoginError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		opErr    *net.OpError
	)
	switch {
	case errors.As(err, &authErr), errors.Is(err, auth.ErrNoCredentials), errors.Is(err, auth.ErrIncompleteCredentials),
		errors.Is(err, auth.ErrInvalidCredentials), errors.Is(err, auth.ErrForeignHost), errors.Is(err, auth.ErrBodyTooLarge),
		errors.Is(err, endpoint.ErrInvalidEndpoint), errors.Is(err, ErrInvalidInput), errors.Is(err, ErrUnexpectedResponse):
		return permanent
	case errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &hostname), errors.As(err, &verify):
		return permanent
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return unsent
	}
	return unanswered
}

// decide is the retry decision for an attempt of a call of op that ended
// with err: a call is sent again when DRS cannot have acted on it, or when
// it may be repeated.
func (op operation) decide(err error) retry.Decision {
	f, after := classify(err)
	return retry.Decision{Retry: f == unsent || f == unanswered && op.idempotent(), After: after}
}

// decideResubmit is the decision for submitting an export again after
// its call failed with err: DRS may have acted on the failures that the call
// does not send again (unanswered), and a second export of the same tasks
// only writes newer files. What the call retried itself (unsent) is not
// repeated here: its attempts are spent.
func decideResubmit(err error) retry.Decision {
	f, after := classify(err)
	return retry.Decision{Retry: f == unanswered, After: after}
}

// decideDownloadAgain is the decision for downloading a file again after
// err: only a body that broke off midway (a *bodyError), which the call
// never saw, and which another download may not meet. Statuses and network
// errors before the body were the call's to retry.
func decideDownloadAgain(err error) retry.Decision {
	var be *bodyError
	if !errors.As(err, &be) {
		return retry.Decision{}
	}
	f, _ := classify(be.err)
	return retry.Decision{Retry: f != permanent}
}

// maxRetryAfter bounds a Retry-After as parsed: a day is within reason,
// and no policy honours more than it is told to.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header (seconds or an HTTP date); 0
// when there is none or it is in the past. This is the one place it is
// parsed: the *APIError carries it on.
func parseRetryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, maxRetryAfter))
}
