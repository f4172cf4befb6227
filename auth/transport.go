package auth

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/retry"
)

// maxErrorBody bounds how much of a refusal's body is read.
const maxErrorBody = 64 << 10

// Transport is an http.RoundTripper that authenticates every request with
// its Credentials, afresh for each attempt (it sends a clone; the caller's
// request is not modified), and only for its Endpoint's origin: a request
// for another scheme, host or port fails with [ErrForeignHost], unsent.
//
// Refusals (401, or 403 with code DRS.M00100) come back as responses, with
// status, header and body intact; RoundTrip returns an error only when it
// got no response. [Refusal] classifies them. With password credentials (an
// [Invalidator]) a refused request whose body can be sent again is retried
// once with a new token, and the retry's outcome is returned. Each
// response's Request is the request as sent, with its credentials.
//
// A Transport is safe for concurrent use. Do not change its fields once it
// is in use.
type Transport struct {
	// Credentials authenticate each attempt. Required.
	Credentials Credentials
	// Endpoint is the base URL the credentials are for, as package endpoint
	// returns it (endpoint.Config.DRS, endpoint.Parse) — which is where
	// plain http is allowed or refused. Requests must have its scheme, host
	// and port. Required.
	Endpoint *url.URL
	// Base sends the authenticated requests; nil means
	// http.DefaultTransport. [NewHTTPClient] uses a TLS 1.2+ transport.
	Base http.RoundTripper
	// UserAgent is set as User-Agent on requests that have none, so that
	// AK/SK signatures cover it. Empty leaves requests as they are
	// (net/http then sends its own User-Agent, unsigned).
	UserAgent string
	// Now is the clock: the X-Sdk-Date of signed requests and the expiry
	// of tokens are read from it. Nil means time.Now.
	Now func() time.Time
}

// RoundTrip authenticates req and sends it; see [Transport].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A request without a body (a GET) needs no replay: nil stands for it,
	// which saves its allocation and that of the body function.
	var body *replay
	if hasBody(req) {
		body = &replay{req: req}
	}
	defer body.close()
	if err := t.check(req); err != nil {
		return nil, err
	}
	// A refused token is renewed once, at once: the module's retry loop
	// with two attempts and no pause. A body can be sent again when there
	// is none, it has a GetBody, or it was read whole for signing. The
	// retry's outcome is returned whatever it is: its response, or the
	// error that kept it from one (a failed login, say).
	inv, renews := t.Credentials.(Invalidator)
	return retry.Loop[*http.Response]{
		Policy: retry.Policy{MaxAttempts: 2},
		Check: func(resp *http.Response, err error) retry.Decision {
			return retry.Decision{Retry: err == nil && renews && body.replayable() && renewable(resp)}
		},
		Retrying: func(resp *http.Response, _ error, _ int, _ time.Duration) {
			inv.Invalidate(resp.Request)
			_ = resp.Body.Close()
		},
	}.Do(req.Context(), func(int) (*http.Response, error) { return t.attempt(req, body) })
}

// CloseIdleConnections closes the idle connections of Base (of
// http.DefaultTransport when Base is nil), so that http.Client's method of
// that name reaches them through the Transport.
func (t *Transport) CloseIdleConnections() {
	if c, ok := cmp.Or[http.RoundTripper](t.Base, http.DefaultTransport).(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// check validates the Transport and binds req to the endpoint. Without an
// Endpoint, or with one that is not an absolute http or https URL, every
// request fails with an error wrapping endpoint.ErrInvalidEndpoint.
func (t *Transport) check(req *http.Request) error {
	if t.Credentials == nil {
		return fmt.Errorf("%w: auth.Transport has no Credentials", ErrNoCredentials)
	}
	if err := checkEndpoint(t.Endpoint); err != nil {
		return fmt.Errorf("auth: auth.Transport's Endpoint: %w", err)
	}
	return bind(t.Endpoint, req.URL)
}

// attempt authenticates a fresh clone of req and sends it. The response's
// Request is the clone, as sent.
func (t *Transport) attempt(req *http.Request, body *replay) (*http.Response, error) {
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	r := req.Clone(req.Context())
	r.Body = nil
	if t.UserAgent != "" && r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", t.UserAgent)
	}
	read := noBody
	if body != nil {
		read = body.bytes
	}
	if err := t.Credentials.Authenticate(r, read, now); err != nil {
		return nil, err
	}
	if err := body.attach(r); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	resp, err := cmp.Or(t.Base, http.DefaultTransport).RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Request = r
	return resp, nil
}

// renewable reports whether resp refuses a credential that a new one could
// replace: a 401 other than a refused request time (APIGW.0303), or a 403
// with DRS's "invalid token" code (a 403 with another code is a permission,
// not a credential). It reads the code from up to 64 KiB of the body and
// puts what it read back in front of the rest, so that the caller gets the
// body intact; a body that cannot be read is not renewable, and keeps its
// error for the caller.
func renewable(resp *http.Response) bool {
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
		return false
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var rest io.Reader = resp.Body
	if err != nil {
		rest = failedReader{err}
	}
	resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(data), rest), Closer: resp.Body}
	if err != nil {
		return false
	}
	code := huaweierr.ParseResponse(resp, data).Code
	if resp.StatusCode == http.StatusForbidden {
		return code == huaweierr.CodeInvalidToken
	}
	return code != huaweierr.CodeSignatureExpired
}

// failedReader is the rest of a body whose reading failed: it fails again
// with the same error.
type failedReader struct{ err error }

func (r failedReader) Read([]byte) (int, error) { return 0, r.err }
