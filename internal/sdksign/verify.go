package sdksign

import (
	"crypto/hmac"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Verify authenticates a received request signed with SDK-HMAC-SHA256 and
// returns its access key. It is meant for a server (the fake DRS service):
// r is the incoming request and body the exact bytes read from it.
//
// secretFor returns the secret key of an access key. now is the verifier's
// clock; maxSkew bounds |X-Sdk-Date - now| (the gateway uses 15 minutes),
// and maxSkew <= 0 disables that check.
//
// The canonical request is rebuilt from the method, the decoded r.URL.Path,
// r.URL.Query() (a bare "key" counts as an empty value), the headers named in
// SignedHeaders (the value of "host" is r.Host, other headers come from
// r.Header, absent ones count as empty) and the payload hash: the
// X-Sdk-Content-Sha256 value if present — which, unless it is
// UNSIGNED-PAYLOAD, must also match the body — else [HashPayload] of body.
// Signatures are compared in constant time.
//
// Checks run in this order, and the first failure is returned as a
// [*VerifyError] wrapping the named sentinel:
//  1. Authorization present ([ErrMissingAuthorization]), exactly once and
//     well-formed, with x-sdk-date among the signed headers
//     ([ErrMalformedAuthorization]);
//  2. X-Sdk-Date present once and in [DateLayout] form ([ErrInvalidDate]);
//  3. body within [MaxSignedBody] ([ErrBodyTooLarge]);
//  4. access key known ([ErrUnknownAccessKey]);
//  5. signature ([ErrSignatureMismatch]);
//  6. date skew ([ErrDateSkew], with VerifyError.Skew set).
//
// The skew is checked after the signature so that only authentic requests
// learn about the server's clock and the reported skew refers to a date the
// client really signed.
//
// The returned access key is the one named in the Authorization header
// whenever that header parsed, also together with an error, so callers can
// log it. Errors never contain the secret key, the signature, the security
// token or any other header value.
func Verify(r *http.Request, body []byte, secretFor func(ak string) (sk string, ok bool), now time.Time, maxSkew time.Duration) (ak string, err error) {
	auths := r.Header.Values(HeaderAuthorization)
	switch len(auths) {
	case 0:
		return "", verr(ErrMissingAuthorization, "")
	case 1:
	default:
		return "", verr(ErrMalformedAuthorization, "several Authorization headers")
	}
	a, err := ParseAuthorization(auths[0])
	if err != nil {
		return "", err
	}
	if !slices.Contains(a.SignedHeaders, "x-sdk-date") {
		return a.Access, verr(ErrMalformedAuthorization, "x-sdk-date is not a signed header")
	}

	dates := headerValues(r.Header, HeaderDate)
	if len(dates) != 1 {
		return a.Access, verr(ErrInvalidDate, fmt.Sprintf("want one X-Sdk-Date header, got %d", len(dates)))
	}
	date, ok := parseDate(dates[0])
	if !ok {
		return a.Access, verr(ErrInvalidDate, "X-Sdk-Date is not in "+DateLayout+" form")
	}

	if len(body) > MaxSignedBody {
		return a.Access, verr(ErrBodyTooLarge, fmt.Sprintf("%d bytes (limit %d)", len(body), MaxSignedBody))
	}

	sk, ok := secretFor(a.Access)
	if !ok {
		return a.Access, verr(ErrUnknownAccessKey, "")
	}

	values := make(map[string]string, len(a.SignedHeaders))
	for _, name := range a.SignedHeaders {
		if name == "host" {
			values[name] = requestHost(r)
			continue
		}
		switch vs := headerValues(r.Header, name); len(vs) {
		case 0:
		case 1:
			values[name] = vs[0]
		default:
			return a.Access, verr(ErrSignatureMismatch, fmt.Sprintf("signed header %q has several values", name))
		}
	}

	payloadHash := HashPayload(body)
	if vs := headerValues(r.Header, HeaderContentSha256); len(vs) > 0 {
		declared := strings.TrimSpace(vs[0])
		if declared != UnsignedPayload && !strings.EqualFold(declared, payloadHash) {
			return a.Access, verr(ErrSignatureMismatch, "X-Sdk-Content-Sha256 does not match the body")
		}
		payloadHash = declared
	}

	cr := CanonicalRequest(r.Method, r.URL.Path, r.URL.Query(), a.SignedHeaders,
		func(name string) string { return values[name] }, payloadHash)
	want := Signature(sk, StringToSign(dates[0], cr))
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		return a.Access, verr(ErrSignatureMismatch, "")
	}

	if maxSkew > 0 {
		if skew := date.Sub(now); skew > maxSkew || skew < -maxSkew {
			dir := "ahead of"
			if skew < 0 {
				dir = "behind"
			}
			return a.Access, &VerifyError{Err: ErrDateSkew, Skew: skew,
				Detail: fmt.Sprintf("request date is %v %s server time (limit %v)", skew.Abs(), dir, maxSkew)}
		}
	}
	return a.Access, nil
}

// headerValues returns the values of header name (any spelling) in h,
// concatenated over keys that differ only in case.
func headerValues(h http.Header, name string) []string {
	vs := h.Values(name)
	canon := http.CanonicalHeaderKey(name)
	for k, more := range h {
		if k != canon && strings.EqualFold(k, name) {
			vs = append(slices.Clip(vs), more...)
		}
	}
	return vs
}

// requestHost returns the Host the request was sent to.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}
