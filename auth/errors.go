package auth

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is. [Refusal] classifies a refused response
// with ErrTokenRejected, ErrInvalidSignature or ErrClockSkew, each of which
// matches ErrUnauthorized too; a failed password login is a [*LoginError]
// or another error matching ErrLoginFailed.
var (
	// ErrNoCredentials reports that no way to authenticate is configured.
	ErrNoCredentials = errors.New("auth: no credentials configured")
	// ErrAmbiguousCredentials reports that more than one way to
	// authenticate is configured at the same level (e.g. both a token and
	// an access key in the environment).
	ErrAmbiguousCredentials = errors.New("auth: more than one way to authenticate is configured")
	// ErrIncompleteCredentials reports a way to authenticate that is
	// configured only in part (e.g. an access key without its secret key).
	ErrIncompleteCredentials = errors.New("auth: incomplete credentials")
	// ErrInvalidCredentials reports a credential setting that can never be
	// sent or accepted (e.g. an access key id with a space in it), or a
	// profile file that cannot be used (missing, not a private regular
	// file of this user's, malformed); the message names where it was set.
	ErrInvalidCredentials = errors.New("auth: invalid credentials")
	// ErrUnauthorized matches every refusal of a request's credentials
	// ([Refusal]'s errors), and a [*LoginError] with HTTP status 401 or 403.
	ErrUnauthorized = errors.New("auth: the request was refused as unauthenticated")
	// ErrTokenRejected reports that DRS refused the IAM token (expired,
	// revoked or invalid) — for password credentials, also the new token
	// obtained for the one retry.
	ErrTokenRejected error = &refusalKind{"auth: the IAM token was refused (expired, revoked or invalid)"}
	// ErrInvalidSignature reports that the AK/SK signature was refused
	// (APIGW.0301): a wrong secret key, an unknown or expired access key,
	// or a missing security token.
	ErrInvalidSignature error = &refusalKind{"auth: the AK/SK signature was refused"}
	// ErrClockSkew reports that the gateway refused the request time
	// (APIGW.0303): the local clock is more than 15 minutes off. [Refusal]
	// returns it as a [*ClockSkewError], which says by how much.
	ErrClockSkew error = &refusalKind{"auth: the local clock is off"}
	// ErrLoginFailed reports that IAM did not issue a token for the user
	// name and password.
	ErrLoginFailed = errors.New("auth: IAM password login failed")
	// ErrForeignHost reports a request for another host than the
	// [Transport]'s Endpoint; it is not sent.
	ErrForeignHost = errors.New("auth: refusing to send credentials to a host other than the endpoint")
	// ErrBodyTooLarge reports a request body over 12 MB, the gateway's
	// limit for AK/SK-signed requests; use token authentication instead.
	ErrBodyTooLarge = errors.New("auth: request body exceeds the 12 MB limit for AK/SK-signed requests")
)

// refusalKind is the type of the sentinels that say which kind of refusal
// an error is: each matches [ErrUnauthorized] too.
type refusalKind struct{ msg string }

func (k *refusalKind) Error() string { return k.msg }
func (k *refusalKind) Unwrap() error { return ErrUnauthorized }

// LoginError is IAM's refusal of a password login: an answer other than
// 201 Created to POST /v3/auth/tokens. It matches [ErrLoginFailed], and
// [ErrUnauthorized] too when the status is 401 or 403. It holds no
// credential: the password is removed from Message (and from Code and
// RequestID) before they are cut to length.
type LoginError struct {
	// StatusCode is the HTTP status of IAM's answer.
	StatusCode int
	// Code is IAM's error code (often the status again, e.g. "401").
	Code string
	// Message is IAM's error message.
	Message string
	// RequestID identifies the login at Huawei Cloud (X-Request-Id, or
	// IAM's X-IAM-Trace-Id).
	RequestID string
}

// Error describes the failed login: IAM's status, code, message and
// request id.
func (e *LoginError) Error() string {
	var b strings.Builder
	status := strconv.Itoa(e.StatusCode)
	b.WriteString(ErrLoginFailed.Error() + " (HTTP " + status)
	if e.Code != "" && e.Code != status { // IAM's codes are the status again
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString("; request id " + e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// Unwrap returns [ErrLoginFailed], and [ErrUnauthorized] too when the
// status is 401 or 403.
func (e *LoginError) Unwrap() []error {
	if e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden {
		return []error{ErrLoginFailed, ErrUnauthorized}
	}
	return []error{ErrLoginFailed}
}
