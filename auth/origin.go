package auth

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/drs-tools/drstemplate/endpoint"
)

// checkEndpoint reports whether ep can have credentials bound to it: an
// absolute http or https URL with a host and without user info. Whether
// plain http is acceptable is not decided here but by package endpoint,
// which made ep.
func checkEndpoint(ep *url.URL) error {
	switch {
	case ep == nil:
		return fmt.Errorf("%w: none is set", endpoint.ErrInvalidEndpoint)
	case !strings.EqualFold(ep.Scheme, "https") && !strings.EqualFold(ep.Scheme, "http"), ep.Host == "":
		return fmt.Errorf("%w: want an absolute http or https URL (see endpoint.Parse)", endpoint.ErrInvalidEndpoint)
	case ep.User != nil:
		return fmt.Errorf("%w: user info is not allowed in an endpoint", endpoint.ErrInvalidEndpoint)
	}
	return nil
}

// bind returns nil when u has the scheme, host and port of ep (case
// insensitive, default ports implied), else an error wrapping
// [ErrForeignHost]. It is the one check that keeps credentials on their
// origin: the Transport's for DRS, the login client's for IAM.
func bind(ep, u *url.URL) error {
	if u != nil && strings.EqualFold(ep.Scheme, u.Scheme) && strings.EqualFold(ep.Hostname(), u.Hostname()) && port(ep) == port(u) {
		return nil
	}
	return fmt.Errorf("%w: request for %s, credentials for %s", ErrForeignHost, origin(u), origin(ep))
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// origin renders scheme://host of u for messages.
func origin(u *url.URL) string {
	if u == nil {
		return "(no URL)"
	}
	return u.Scheme + "://" + u.Host
}

// confine returns a copy of hc that never follows redirects and sends
// requests only to ep's origin; hc is not modified.
func confine(hc *http.Client, ep *url.URL) *http.Client {
	c := *hc
	c.Transport = &hostBound{base: cmp.Or(c.Transport, http.DefaultTransport), ep: ep}
	c.CheckRedirect = noRedirects
	return &c
}

// noRedirects is a CheckRedirect func that returns every redirect as the
// response.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// hostBound is an http.RoundTripper that sends requests for ep's origin
// only; any other fails with [ErrForeignHost] and is not sent.
type hostBound struct {
	base http.RoundTripper
	ep   *url.URL
}

// RoundTrip sends req through the base transport if it is for the origin.
func (h *hostBound) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := bind(h.ep, req.URL); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return h.base.RoundTrip(req)
}
