package auth

import (
	"net/http"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// Refusal classifies resp, a response to a request sent through a Transport,
// whose body is body (what the caller read of it: 64 KiB is plenty; Refusal
// does not read resp.Body). It returns nil when resp is not an
// authentication refusal: any status other than 401, and a 403 unless its
// body's Huawei error code is DRS.M00100 (invalid token). Otherwise the error
// matches ErrUnauthorized and one of ErrTokenRejected, ErrInvalidSignature
// or ErrClockSkew (error code APIGW.0303) with errors.Is; for clock skew its
// message says how far the local clock is off (resp.Request's X-Sdk-Date
// against resp's Date header) and what to do.
//
// The kind is read from the request as sent (resp.Request, which a
// Transport sets to its authenticated copy): a signed request was refused
// for its signature, one with X-Auth-Token for its token. A request that
// carried neither (never one a Transport sent) gives ErrUnauthorized alone.
// For clock skew the error is a [*ClockSkewError].
func Refusal(resp *http.Response, body []byte) error {
	if resp == nil || (resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden) {
		return nil
	}
	code := huaweierr.Parse(resp.Header, body).Code
	if resp.StatusCode == http.StatusForbidden && code != huaweierr.CodeInvalidToken {
		return nil
	}
	var sent http.Header
	if resp.Request != nil {
		sent = resp.Request.Header
	}
	switch {
	case code == huaweierr.CodeSignatureExpired:
		return &ClockSkewError{Skew: skew(sent, resp.Header)}
	case strings.HasPrefix(sent.Get(sdksign.HeaderAuthorization), sdksign.Algorithm+" "):
		return ErrInvalidSignature
	case sent.Get(HeaderAuthToken) != "":
		return ErrTokenRejected
	}
	return ErrUnauthorized
}

// ClockSkewError is the refusal of a request's time (APIGW.0303): the
// local clock is more than 15 minutes off the gateway's. It matches
// [ErrClockSkew] and [ErrUnauthorized].
type ClockSkewError struct {
	// Skew is how far the local clock was ahead of the server's (negative:
	// behind) when the request was signed: its X-Sdk-Date minus the
	// response's Date header. Zero when either is missing or unreadable.
	Skew time.Duration
}

// Error says how far the local clock is off and what to do about it.
func (e *ClockSkewError) Error() string {
	var off string
	switch {
	case e.Skew > 0:
		off = "it is " + e.Skew.String() + " ahead of the server's clock"
	case e.Skew < 0:
		off = "it is " + (-e.Skew).String() + " behind the server's clock"
	default:
		off = "the request time differs from the server's by more than 15 minutes"
	}
	return ErrClockSkew.Error() + ": " + off + "; synchronise it (e.g. with NTP) and retry"
}

// Unwrap returns [ErrClockSkew].
func (e *ClockSkewError) Unwrap() error { return ErrClockSkew }

// skew is the request's X-Sdk-Date minus the response's Date, or zero if
// either is missing.
func skew(sent, received http.Header) time.Duration {
	signed, err := time.Parse(sdksign.DateLayout, sent.Get(sdksign.HeaderDate))
	if err != nil {
		return 0
	}
	date, err := http.ParseTime(received.Get("Date"))
	if err != nil {
		return 0
	}
	return signed.Sub(date)
}
