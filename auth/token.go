package auth

import (
	"cmp"
	"fmt"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// StaticToken returns credentials that send token, an IAM user token (the
// X-Subject-Token of an IAM login), as X-Auth-Token on every request. The
// token is never refreshed: once it expires (tokens live 24 hours) or is
// revoked, requests fail with [ErrTokenRejected].
func StaticToken(token string) Credentials {
	return staticToken{token: token}
}

// staticToken is the Credentials returned by StaticToken.
type staticToken struct{ token string }

// Authenticate sets X-Auth-Token.
func (t staticToken) Authenticate(r *http.Request, _ func() ([]byte, error), _ time.Time) error {
	if t.token == "" {
		return fmt.Errorf("%w: the static token is empty", ErrNoCredentials)
	}
	if why := checkToken(t.token); why != "" {
		return fmt.Errorf("%w: the static token %s", ErrInvalidCredentials, why)
	}
	r.Header.Set(HeaderAuthToken, t.token)
	return nil
}

// String describes the credentials without the token.
func (t staticToken) String() string {
	return "static IAM token (" + cmp.Or(redact.Mask(t.token), unset) + ")"
}

// GoString renders a Go-syntax form without the token (for %#v).
func (t staticToken) GoString() string {
	type plain staticToken // no methods: %#v lists every field
	t.token = redact.Mask(t.token)
	return redact.GoSyntax("auth.staticToken", plain(t))
}

// Format redacts the token for every fmt verb.
func (t staticToken) Format(f fmt.State, verb rune) { redact.Format(f, verb, t.String(), t.GoString()) }
