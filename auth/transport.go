package auth

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// maxErrorBody bounds how much of a refusal's body is read.
const maxErrorBody = 64 << 10

// Transport is an http.RoundTripper that authenticates every request with
// its Credentials. It clones each request, so the caller's request is never
// modified and every attempt — including retries by a layer above — is
// authenticated afresh.
//
// A refusal (HTTP 401, or 403 with code DRS.M00100) is returned as an
// [*Error], not as a response; every other response is returned untouched.
// When the Credentials are an [Invalidator] (password logins), a refused
// request is retried once with a new token, provided its body can be sent
// again (no body, a GetBody func, or a body that was read for signing).
//
// Endpoint binds the credentials to one origin: a request for any other
// scheme, host or port fails with [ErrForeignHost] and is not sent. Without
// an Endpoint (or with one that is not an absolute http or https URL) every
// request fails with an error wrapping [endpoint.ErrInvalidEndpoint].
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
	// Now is the clock: the X-Sdk-Date of signed requests, the expiry of
	// tokens and the clock skew reported by [ErrClockSkew] are read from
	// it. Nil means time.Now.
	Now func() time.Time
}

// RoundTrip authenticates req and sends it; see [Transport].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body := &replay{req: req}
	defer body.close()
	if err := t.check(req); err != nil {
		return nil, err
	}
	resp, sent, now, err := t.attempt(req, body)
	if err != nil {
		return nil, err
	}
	ref, resp := refusalOf(resp, sent)
	if ref == nil {
		return resp, nil
	}
	if inv, ok := t.Credentials.(Invalidator); ok && ref.renewable() && body.replayable() && req.Context().Err() == nil {
		inv.Invalidate(sent)
		if resp, sent, now, err = t.attempt(req, body); err != nil {
			return nil, err
		}
		if ref, resp = refusalOf(resp, sent); ref == nil {
			return resp, nil
		}
	}
	return nil, ref.error(sent, now)
}

// check validates the Transport and binds req to the endpoint.
func (t *Transport) check(req *http.Request) error {
	if t.Credentials == nil {
		return fmt.Errorf("%w: auth.Transport has no Credentials", ErrNoCredentials)
	}
	if err := checkEndpoint(t.Endpoint); err != nil {
		return fmt.Errorf("auth: auth.Transport's Endpoint: %w", err)
	}
	return bind(t.Endpoint, req.URL)
}

// attempt authenticates a fresh clone of req and sends it. It returns the
// response, the request as sent and the attempt's time.
func (t *Transport) attempt(req *http.Request, body *replay) (*http.Response, *http.Request, time.Time, error) {
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	r := req.Clone(req.Context())
	r.Body = nil
	if t.UserAgent != "" && r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", t.UserAgent)
	}
	if err := t.Credentials.Authenticate(r, body.bytes, now); err != nil {
		return nil, nil, now, err
	}
	if err := body.attach(r); err != nil {
		return nil, nil, now, fmt.Errorf("auth: %w", err)
	}
	resp, err := orDefaultTransport(t.Base).RoundTrip(r)
	return resp, r, now, err
}

// refusal is an authentication failure read from a response.
type refusal struct {
	status int
	header http.Header
	info   huaweierr.Info
}

// refusalOf reports whether resp, the answer to sent, is a refusal. If it
// is, the body is read and closed; if not, resp is returned with its body
// intact.
func refusalOf(resp *http.Response, sent *http.Request) (*refusal, *http.Response) {
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
		return nil, resp
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	info := huaweierr.Parse(resp.Header, data, sentSecrets(sent)...)
	if resp.StatusCode == http.StatusForbidden && info.Code != huaweierr.CodeInvalidToken {
		resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(data), resp.Body), Closer: resp.Body}
		return nil, resp
	}
	_ = resp.Body.Close()
	return &refusal{status: resp.StatusCode, header: resp.Header, info: info}, nil
}

// renewable reports whether new credentials could overcome the refusal:
// not when the request time was refused.
func (f *refusal) renewable() bool {
	return f.info.Code != huaweierr.CodeSignatureExpired
}

// error turns the refusal of sent, attempted at now, into an *Error.
func (f *refusal) error(sent *http.Request, now time.Time) *Error {
	e := &Error{
		StatusCode: f.status,
		Code:       f.info.Code,
		Message:    f.info.Message,
		RequestID:  f.info.RequestID,
	}
	switch {
	case f.info.Code == huaweierr.CodeSignatureExpired:
		e.Err = ErrClockSkew
		if date, err := http.ParseTime(f.header.Get("Date")); err == nil {
			e.ClockSkew = now.Sub(date).Round(time.Second)
		}
	case strings.HasPrefix(sent.Header.Get(sdksign.HeaderAuthorization), sdksign.Algorithm+" "):
		e.Err = ErrInvalidSignature
	case sent.Header.Get(HeaderAuthToken) != "":
		e.Err = ErrTokenRejected
	default:
		e.Err = ErrUnauthorized
	}
	return e
}

// sentSecrets lists the credentials a request carried, so that a server
// echoing them cannot make them part of an error.
func sentSecrets(r *http.Request) []string {
	secrets := []string{r.Header.Get(HeaderAuthToken), r.Header.Get(HeaderSecurityToken)}
	if a, err := sdksign.ParseAuthorization(r.Header.Get(sdksign.HeaderAuthorization)); err == nil {
		secrets = append(secrets, a.Signature)
	}
	return secrets
}
