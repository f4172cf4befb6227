package endpoint

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// ErrInvalidEndpoint reports an endpoint URL that [Parse] refuses.
var ErrInvalidEndpoint = errors.New("endpoint: invalid endpoint")

// Parse checks an endpoint URL and returns it in normal form: scheme and host
// lower-cased, the scheme's default port and any trailing "/" removed. A path
// prefix is kept (for proxies that route by path). The result is a new URL
// that the caller may keep and modify.
//
// The URL must be absolute http or https with a host, and must not carry
// user info, a query or a fragment. Plain http is accepted only for loopback
// hosts ("localhost", 127.0.0.0/8, ::1) unless allowHTTP is true: this is the
// one place where the module decides whether credentials may travel
// unencrypted; auth.Transport and auth.PasswordLogin take the URL it returns
// and bind their credentials to its origin. Errors wrap [ErrInvalidEndpoint]
// and do not echo user info.
func Parse(raw string, allowHTTP bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not a URL", ErrInvalidEndpoint)
	}
	fail := func(why string) (*url.URL, error) {
		return nil, fmt.Errorf("%w %q: %s", ErrInvalidEndpoint, clip.String(u.Scheme+"://"+u.Host, maxEcho), why)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "https" && scheme != "http":
		return fail("want an absolute https:// URL")
	case u.Opaque != "" || u.Host == "":
		return fail("no host")
	case u.User != nil:
		return fail("user info is not allowed in an endpoint")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fail("query and fragment are not allowed in an endpoint")
	}
	host := strings.ToLower(u.Hostname())
	if !validHost(host) {
		return fail("invalid host")
	}
	if scheme == "http" && !allowHTTP && !IsLoopbackHost(host) {
		return fail("plain http is only allowed for loopback hosts; use https")
	}
	port := u.Port()
	if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return &url.URL{Scheme: scheme, Host: host, Path: strings.TrimRight(u.Path, "/")}, nil
}

// IsLoopbackHost reports whether host (a host name or IP literal, without port
// or brackets) is "localhost" or a loopback address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validHost reports whether host is an IP literal or a DNS name made of
// letters, digits, '-', '_' and '.'.
func validHost(host string) bool {
	if net.ParseIP(host) != nil {
		return !strings.Contains(host, "%")
	}
	if host == "" || host[0] == '.' || host[0] == '-' {
		return false
	}
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
