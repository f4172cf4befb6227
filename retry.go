package drstemplate

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/endpoint"
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

// Defaults of [RetryPolicy].
const (
	DefaultMaxAttempts   = 4
	DefaultRetryMinDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay = 10 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// withDefaults fills in the zero fields and checks the others.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0 {
		return p, fmt.Errorf("%w: negative retry setting %+v", ErrInvalidInput, p)
	}
	p.MaxAttempts = cmp.Or(p.MaxAttempts, DefaultMaxAttempts)
	p.MinDelay = cmp.Or(p.MinDelay, DefaultRetryMinDelay)
	p.MaxDelay = cmp.Or(p.MaxDelay, DefaultRetryMaxDelay)
	p.MaxRetryAfter = cmp.Or(p.MaxRetryAfter, DefaultMaxRetryAfter)
	if p.MaxDelay < p.MinDelay {
		return p, fmt.Errorf("%w: retry MaxDelay %s is below MinDelay %s", ErrInvalidInput, p.MaxDelay, p.MinDelay)
	}
	return p, nil
}

// backoff returns the delays between attempts: an interval from MinDelay,
// doubling up to MaxDelay, each delay drawn within ±50% of it so that
// clients that failed together do not retry together, and none over
// MaxDelay.
func (p RetryPolicy) backoff() backoff.BackOff {
	return &capped{
		ExponentialBackOff: backoff.ExponentialBackOff{
			InitialInterval:     p.MinDelay,
			RandomizationFactor: 0.5,
			Multiplier:          2,
			MaxInterval:         p.MaxDelay,
		},
		max: p.MaxDelay,
	}
}

// capped is an exponential backoff whose delays, jitter included, never
// exceed max (backoff.ExponentialBackOff caps only the interval it
// randomises).
type capped struct {
	backoff.ExponentialBackOff
	max time.Duration
}

// NextBackOff returns the next delay, at most max.
func (c *capped) NextBackOff() time.Duration {
	return min(c.ExponentialBackOff.NextBackOff(), c.max)
}

// maxJSONBody bounds the JSON bodies the retry layer reads whole. A page of
// a thousand template names is about 100 KB.
const maxJSONBody = 8 << 20

// retrier is the http.RoundTripper above auth.Transport that retries calls
// as its policy says. For calls whose body is a JSON document it reads the
// body inside the attempt, so that a body cut short is retried too; the
// download's body is passed on as it arrives (the download retries a broken
// body itself, see saveOne).
//
// A RoundTripper returns a response whenever it got one: when the attempts
// run out on a retryable status, the last response is returned as it came,
// for the client to turn into an *APIError.
type retrier struct {
	next   http.RoundTripper
	policy RetryPolicy
	log    *slog.Logger
}

// RoundTrip sends req, again as the policy allows.
func (t *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := operationOf(ctx)
	attempt := 1
	resp, err := t.try(ctx, op, req, attempt)
	var permanent *backoff.PermanentError
	if err == nil || errors.As(err, &permanent) || t.policy.MaxAttempts <= 1 {
		return t.outcome(ctx, resp, err)
	}
	// Later attempts, paced by the backoff. Its first call hands back the
	// first attempt's outcome, so that the backoff schedules the second.
	replay := true
	resp, err = backoff.Retry(ctx, func() (*http.Response, error) {
		if replay {
			replay = false
			return resp, err
		}
		attempt++
		r, err := rewind(req)
		if err != nil {
			return nil, backoff.Permanent(err)
		}
		return t.try(ctx, op, r, attempt)
	},
		backoff.WithBackOff(t.policy.backoff()),
		backoff.WithMaxTries(uint(t.policy.MaxAttempts)),
		backoff.WithMaxElapsedTime(0), // the context bounds the call
		backoff.WithNotify(func(err error, next time.Duration) {
			var rr *retryableResponse
			if errors.As(err, &rr) {
				drain(rr.resp)
			}
			if t.log.Enabled(ctx, slog.LevelDebug) {
				t.log.DebugContext(ctx, "drstemplate: retrying", "operation", op.String(), "attempt", attempt+1, "delay", next, "error", err)
			}
		}),
	)
	return t.outcome(ctx, resp, err)
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *retrier) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// try makes one attempt. Its error is a *backoff.PermanentError when another
// attempt cannot help, a *retryableResponse for a status that may be
// followed by a better one, and any other error for a transport failure
// worth retrying.
func (t *retrier) try(ctx context.Context, op operation, r *http.Request, attempt int) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err == nil && !op.streamed() {
		err = readBody(resp)
		if err != nil {
			resp = nil
		}
	}
	t.logAttempt(ctx, op, attempt, start, resp, err)
	switch {
	case err != nil && (ctx.Err() != nil || !retryableError(err, op)):
		return nil, backoff.Permanent(err)
	case err != nil:
		return nil, err
	case retryableStatus(resp.StatusCode, op):
		after := retryAfter(resp.Header, t.policy.MaxRetryAfter)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < max(after, t.policy.MinDelay/2) {
			return resp, nil // no time left to wait for another attempt: this answer is the last
		}
		return resp, &retryableResponse{resp: resp, after: after}
	}
	return resp, nil
}

// outcome turns the last attempt's result into RoundTrip's: a retryable
// answer whose attempts ran out is returned as the response it is.
func (t *retrier) outcome(ctx context.Context, resp *http.Response, err error) (*http.Response, error) {
	if err == nil {
		return resp, nil
	}
	var rr *retryableResponse
	if errors.As(err, &rr) && ctx.Err() == nil {
		return rr.resp, nil
	}
	if resp != nil {
		drain(resp)
	}
	var permanent *backoff.PermanentError
	if errors.As(err, &permanent) {
		err = permanent.Unwrap()
	}
	return nil, err
}

// logAttempt logs one attempt at debug level: never a header or a body, so
// never a credential.
func (t *retrier) logAttempt(ctx context.Context, op operation, attempt int, start time.Time, resp *http.Response, err error) {
	if !t.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", op.String()),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", resp.Header.Get("X-Request-Id")))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	t.log.LogAttrs(ctx, slog.LevelDebug, "drstemplate: call", attrs...)
}

// retryableResponse is an answer a later attempt may improve on; it carries
// the server's Retry-After (capped) for the backoff.
type retryableResponse struct {
	resp  *http.Response
	after time.Duration
}

func (e *retryableResponse) Error() string {
	return "HTTP " + strconv.Itoa(e.resp.StatusCode)
}

// Unwrap gives the backoff the server's Retry-After, when there is one.
func (e *retryableResponse) Unwrap() error {
	if e.after <= 0 {
		return nil
	}
	return &backoff.RetryAfterError{Duration: e.after}
}

// retryableStatus reports whether an answer with this status may be
// followed by a better one. Starting an export is retried only on 429: the
// gateway throttled it before DRS saw it. A 5xx answer to it could come after
// DRS started the export, and a second one would be a second export.
func retryableStatus(status int, op operation) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return op.idempotent()
	}
	return false
}

// retryableError reports whether a transport error may go away on another
// attempt. Problems of configuration — credentials, the endpoint, a
// certificate that does not verify — do not. Starting an export is retried
// only when the connection was never made: then the server cannot have
// received the request. (net/http itself resends a request whose connection
// failed before anything was written.)
func retryableError(err error, op operation) bool {
	var (
		authErr  *auth.LoginError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		opErr    *net.OpError
	)
	switch {
	case errors.As(err, &authErr), errors.Is(err, auth.ErrNoCredentials), errors.Is(err, auth.ErrIncompleteCredentials), errors.Is(err, auth.ErrInvalidCredentials),
		errors.Is(err, auth.ErrForeignHost), errors.Is(err, auth.ErrBodyTooLarge), errors.Is(err, endpoint.ErrInvalidEndpoint),
		errors.Is(err, errBodyTooLarge):
		return false
	case errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &hostname), errors.As(err, &verify):
		return false
	case !op.idempotent():
		return errors.As(err, &opErr) && opErr.Op == "dial"
	}
	return true
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped
// at limit; 0 when there is none.
func retryAfter(h http.Header, limit time.Duration) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(min(secs, int(limit/time.Second)+1)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, limit))
}

// errBodyTooLarge reports a JSON answer over maxJSONBody.
var errBodyTooLarge = fmt.Errorf("%w: the response body exceeds %d bytes", ErrUnexpectedResponse, maxJSONBody)

// readBody reads resp's body whole (up to maxJSONBody) and puts it back as
// a *bufferedBody, so that a body that breaks off fails this attempt rather
// than the decoding after it.
func readBody(resp *http.Response) error {
	defer func() { _ = resp.Body.Close() }()
	var data []byte
	if n := resp.ContentLength; n >= 0 && n <= maxJSONBody {
		// The usual case, in one allocation: the length is declared.
		data = make([]byte, n)
		if _, err := io.ReadFull(resp.Body, data); err != nil {
			return err
		}
	} else {
		var err error
		if data, err = io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1)); err != nil {
			return err
		}
		if len(data) > maxJSONBody {
			return errBodyTooLarge
		}
	}
	b := &bufferedBody{data: data}
	b.Reset(data)
	resp.Body = b
	return nil
}

// bufferedBody is a response body read whole by the retry layer.
type bufferedBody struct {
	bytes.Reader
	data []byte
}

// Close does nothing: the body is in memory.
func (*bufferedBody) Close() error { return nil }

// drain reads a little of resp's body, so that its connection can be
// reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	_ = resp.Body.Close()
}

// rewind returns a copy of req with a fresh body, for another attempt.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("the request body cannot be sent again")
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r.Body = body
	return r, nil
}
