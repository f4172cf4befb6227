package auth

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// DefaultUserAgent is the User-Agent [NewHTTPClient] sends when its
// Transport sets none.
const DefaultUserAgent = "drstemplate"

// NewHTTPClient returns an *http.Client for Huawei Cloud APIs that
//
//   - never follows redirects: a 3xx response is returned as is, so no
//     credential is ever sent to the host a redirect names;
//   - verifies TLS certificates and requires TLS 1.2 or later;
//   - authenticates requests through a copy of t, when t is not nil. A nil
//     t.Base is replaced by the TLS-hardened transport above (a Base of the
//     caller's own keeps its own TLS settings) and an empty t.UserAgent by
//     [DefaultUserAgent].
//
// With t nil, requests are sent unauthenticated (as for the IAM login). The
// client has no overall timeout: bound calls with their contexts.
func NewHTTPClient(t *Transport) *http.Client {
	var rt http.RoundTripper = newBaseTransport()
	if t != nil {
		c := *t
		if c.Base == nil {
			c.Base = rt
		}
		if c.UserAgent == "" {
			c.UserAgent = DefaultUserAgent
		}
		rt = &c
	}
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// newBaseTransport returns the transport NewHTTPClient sends through: the
// settings of http.DefaultTransport, with TLS 1.2 as the minimum version and
// certificate verification on.
func newBaseTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}
