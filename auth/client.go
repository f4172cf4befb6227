package auth

import (
	"cmp"
	"crypto/tls"
	"net/http"
	"time"
)

// DefaultUserAgent is the User-Agent [NewHTTPClient] sends when its
// Transport sets none.
const DefaultUserAgent = "drstemplate"

// NewHTTPClient returns an *http.Client for Huawei Cloud APIs that
//
//   - authenticates every request through a copy of t (t itself is not
//     modified or used): a nil t.Base is replaced by a transport of the
//     client's own that verifies TLS certificates and requires TLS 1.2 or
//     later (a Base of the caller's own keeps its own TLS settings), and an
//     empty t.UserAgent by [DefaultUserAgent];
//   - never follows redirects: a 3xx response is returned as is, so no
//     credential is ever sent to the host a redirect names.
//
// There is no unauthenticated client: with t nil, or without Credentials,
// every request fails with [ErrNoCredentials] and nothing is sent.
//
// Each call makes a new connection pool (when t.Base is nil): make one
// client per endpoint and share it — it is safe for concurrent use. The
// client has no overall timeout: bound calls with their contexts.
func NewHTTPClient(t *Transport) *http.Client {
	var c Transport
	if t != nil {
		c = *t
	}
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	if c.Base == nil {
		c.Base = newBaseTransport()
	}
	return &http.Client{Transport: &c, CheckRedirect: noRedirects}
}

// newBaseTransport returns the transport NewHTTPClient and password logins
// without a client of the caller's send through: a clone of
// http.DefaultTransport (its proxy from the environment, dial and TLS
// handshake timeouts, HTTP/2), with TLS 1.2 as the minimum version and the
// two settings a client of one host needs. A program that replaced
// http.DefaultTransport with another kind of RoundTripper gets a plain
// http.Transport with the same overrides.
func newBaseTransport() *http.Transport {
	t, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		t = t.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	// A client talks to one host: keep as many idle connections to it as it
	// may use at once (net/http keeps 2 per host by default, and every new
	// connection costs a TLS handshake).
	t.MaxIdleConnsPerHost = 100
	// A call whose answer never starts would hold a wait or a download for
	// good: the gateway answers within a minute or gives up itself.
	t.ResponseHeaderTimeout = 2 * time.Minute
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.MinVersion = max(t.TLSClientConfig.MinVersion, tls.VersionTLS12)
	return t
}
