package auth

import (
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// Credentials authenticate outgoing requests. [Transport] calls Authenticate
// once for every attempt it sends.
//
// Implementations must be safe for concurrent use.
type Credentials interface {
	// Authenticate adds authentication headers to r, a clone of the
	// caller's request that it may modify but must not keep. now is the
	// time of this attempt, read from the Transport's clock. body returns
	// the exact bytes r will send (nil when it has none); the Transport
	// reads the request body only if body is called, and at most once per
	// request. A body over 12 MB is not read whole: body then fails with
	// [ErrBodyTooLarge]. r.Context() is the request's context.
	Authenticate(r *http.Request, body func() ([]byte, error), now time.Time) error
}

// Invalidator is implemented by credentials that can replace a credential
// the server refused, such as the tokens of [PasswordCredentials]. When a request they
// authenticated is refused, [Transport] calls Invalidate with it and, if the
// request body can be sent again, retries the request once.
type Invalidator interface {
	Credentials
	// Invalidate is called with a request these credentials authenticated
	// and the server refused; the next Authenticate must then obtain a new
	// credential instead of reusing the refused one.
	Invalidate(refused *http.Request)
}

// Header names used by the credentials of this package.
const (
	// HeaderAuthToken carries an IAM token.
	HeaderAuthToken = "X-Auth-Token"
	// HeaderProjectID carries the project id on AK/SK-signed requests.
	HeaderProjectID = sdksign.HeaderProjectID
	// HeaderSecurityToken carries the session token of temporary AK/SK
	// credentials.
	HeaderSecurityToken = sdksign.HeaderSecurityToken
)
