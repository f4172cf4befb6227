package sdksign

import (
	"errors"
	"time"
)

// Sentinel errors. Test for them with errors.Is; [Verify] and
// [ParseAuthorization] return them wrapped in a [*VerifyError], [Sign] wraps
// [ErrBodyTooLarge] with fmt.Errorf.
var (
	// ErrBodyTooLarge reports a body larger than [MaxSignedBody].
	ErrBodyTooLarge = errors.New("sdksign: body exceeds the 12 MB limit for AK/SK-signed requests")
	// ErrMissingAuthorization reports a request without an Authorization header.
	ErrMissingAuthorization = errors.New("sdksign: missing Authorization header")
	// ErrMalformedAuthorization reports an Authorization header that is not a
	// well-formed SDK-HMAC-SHA256 value, or whose signed headers lack
	// x-sdk-date.
	ErrMalformedAuthorization = errors.New("sdksign: malformed Authorization header")
	// ErrUnknownAccessKey reports an access key the verifier has no secret for.
	ErrUnknownAccessKey = errors.New("sdksign: unknown access key")
	// ErrSignatureMismatch reports a signature that does not match the
	// request as received (wrong secret key, or a tampered method, path,
	// query, signed header or body).
	ErrSignatureMismatch = errors.New("sdksign: signature mismatch")
	// ErrInvalidDate reports a missing, repeated or unparseable X-Sdk-Date.
	ErrInvalidDate = errors.New("sdksign: missing or invalid X-Sdk-Date")
	// ErrDateSkew reports an X-Sdk-Date too far from the verifier's clock;
	// the [*VerifyError] carries the measured skew.
	ErrDateSkew = errors.New("sdksign: X-Sdk-Date too far from server time")
)

// VerifyError is the error type returned by [Verify] and
// [ParseAuthorization]. Its message never contains the secret key, the
// signature, a security token or any other header value.
type VerifyError struct {
	// Err is one of the sentinel errors of this package; errors.Is matches it.
	Err error
	// Skew is the request date minus the verifier's time (positive when the
	// request is dated in the future). It is set only when Err is
	// [ErrDateSkew].
	Skew time.Duration
	// Detail is a short human-readable explanation (may be empty).
	Detail string
}

// Error returns the sentinel's message followed by the detail, if any.
func (e *VerifyError) Error() string {
	if e.Err == nil {
		return "sdksign: verification failed: " + e.Detail
	}
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel error.
func (e *VerifyError) Unwrap() error { return e.Err }

func verr(kind error, detail string) *VerifyError {
	return &VerifyError{Err: kind, Detail: detail}
}
