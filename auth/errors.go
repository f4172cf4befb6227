package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is. Refusals by a server come as an [*Error]
// whose Err field is one of ErrTokenRejected, ErrInvalidSignature,
// ErrClockSkew, ErrUnauthorized or ErrLoginFailed.
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
	// ErrUnauthorized matches every refusal: an [*Error] with HTTP status
	// 401 or 403 matches it whatever its Err.
	ErrUnauthorized = errors.New("auth: the request was refused as unauthenticated")
	// ErrTokenRejected reports that DRS refused the IAM token (expired,
	// revoked or invalid) — for password credentials, also the new token
	// obtained for the one retry.
	ErrTokenRejected = errors.New("auth: the IAM token was refused (expired, revoked or invalid)")
	// ErrInvalidSignature reports that the AK/SK signature was refused
	// (APIGW.0301): a wrong secret key, an unknown or expired access key,
	// or a missing security token.
	ErrInvalidSignature = errors.New("auth: the AK/SK signature was refused")
	// ErrClockSkew reports that the gateway refused the request time
	// (APIGW.0303): the local clock is more than 15 minutes off.
	ErrClockSkew = errors.New("auth: the local clock is off")
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

// Error is a refusal by Huawei Cloud: DRS refusing a request's credentials,
// or IAM refusing a password login. It never holds a credential: the
// credentials the request carried are removed from Message (and from Code
// and RequestID) before they are cut to length.
type Error struct {
	// Err is the kind of refusal, one of the sentinel errors of this
	// package; errors.Is matches it.
	Err error
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the Huawei error code, e.g. "APIGW.0301".
	Code string
	// Message is the server's error message.
	Message string
	// RequestID identifies the request at Huawei Cloud (X-Request-Id).
	RequestID string
	// ClockSkew is how far the local clock was ahead of the server's
	// (negative: behind) when Err is [ErrClockSkew] and the response
	// carried a Date header; zero otherwise.
	ClockSkew time.Duration
}

// Error describes the refusal: its kind, what to do about clock skew, and
// the server's status, code, message and request id.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(ErrUnauthorized.Error())
	}
	if errors.Is(e.Err, ErrClockSkew) {
		switch {
		case e.ClockSkew > 0:
			b.WriteString(": it is " + e.ClockSkew.String() + " ahead of the server's clock")
		case e.ClockSkew < 0:
			b.WriteString(": it is " + (-e.ClockSkew).String() + " behind the server's clock")
		default:
			b.WriteString(": the request time differs from the server's by more than 15 minutes")
		}
		b.WriteString("; synchronise it (e.g. with NTP) and retry")
	}
	status := strconv.Itoa(e.StatusCode)
	b.WriteString(" (HTTP " + status)
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

// Unwrap returns Err, and [ErrUnauthorized] too when the status is 401 or
// 403, so that errors.Is(err, ErrUnauthorized) matches every refusal.
func (e *Error) Unwrap() []error {
	errs := []error{e.Err}
	if !errors.Is(e.Err, ErrUnauthorized) && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden) {
		errs = append(errs, ErrUnauthorized)
	}
	return errs
}

// GoString renders the error as a Go-syntax value (for %#v).
func (e *Error) GoString() string {
	return fmt.Sprintf("&auth.Error{Err:%q, StatusCode:%d, Code:%q, Message:%q, RequestID:%q, ClockSkew:%d}",
		errString(e.Err), e.StatusCode, e.Code, e.Message, e.RequestID, int64(e.ClockSkew))
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
