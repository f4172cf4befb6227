package sdksign

import (
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
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
// UNSIGNED-PAYLOAD is accepted only on a request [PayloadUnsigned] says
// Huawei's signer sends it on (a Content-Type neither JSON nor BSON); body
// is then not looked at, and a server need not read it to verify. On a
// JSON request, or one without Content-Type, it is refused
// ([ErrSignatureMismatch]): Huawei's signer never sends it there, and a
// signer that did would leave a JSON body unauthenticated.
// Signatures are compared in constant time.
//
// Checks run in this order, and the first failure is returned as a
// [*VerifyError] wrapping the named sentinel:
//  1. Authorization present ([ErrMissingAuthorization]), exactly once and
//     well-formed, with x-sdk-date among the signed headers
//     ([ErrMalformedAuthorization]);
//  2. X-Sdk-Date present once and in [DateLayout] form ([ErrInvalidDate]);
//  3. body within [MaxSignedBody] ([ErrBodyTooLarge]), unless it is
//     unsigned (UNSIGNED-PAYLOAD where [PayloadUnsigned] applies);
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

	if len(body) > MaxSignedBody && !UnsignedBody(r.Header) {
		return a.Access, verr(ErrBodyTooLarge, fmt.Sprintf("%d bytes (limit %d)", len(body), MaxSignedBody))
	}

	sk, ok := secretFor(a.Access)
	if !ok {
		return a.Access, verr(ErrUnknownAccessKey, "")
	}

	var hsBuf [16]signedHeader // a DRS call signs four or five headers
	hs := hsBuf[:0]
	for _, name := range a.SignedHeaders {
		h := signedHeader{name: name}
		if name == "host" {
			h.value = requestHost(r)
		} else if v, n := headerValue(r.Header, name); n <= 1 {
			h.value = v
		} else {
			return a.Access, verr(ErrSignatureMismatch, fmt.Sprintf("signed header %q has several values", name))
		}
		hs = append(hs, h)
	}

	bodyHash := hashHex(body)
	payloadHash := bodyHash[:]
	if vs := headerValues(r.Header, HeaderContentSha256); len(vs) > 0 {
		declared := strings.TrimSpace(vs[0])
		switch {
		case declared == UnsignedPayload && !PayloadUnsigned(r.Header):
			return a.Access, verr(ErrSignatureMismatch, "UNSIGNED-PAYLOAD on a request whose body must be signed (its Content-Type is JSON, BSON or absent)")
		case declared != UnsignedPayload && !strings.EqualFold(declared, string(bodyHash[:])):
			return a.Access, verr(ErrSignatureMismatch, "X-Sdk-Content-Sha256 does not match the body")
		}
		payloadHash = []byte(declared)
	}

	var query url.Values
	if r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	// The buffers live on the stack unless a request outgrows them.
	var crBuf [1024]byte
	cr := appendCanonicalRequest(crBuf[:0], r.Method, r.URL.Path, query, hs, payloadHash)
	var stsBuf [128]byte
	want := signature(sk, appendStringToSign(stsBuf[:0], dates[0], cr))
	var got [len(want)]byte // ParseAuthorization checked the length
	copy(got[:], a.Signature)
	if !hmac.Equal(want[:], got[:]) {
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

// headerValue returns the number of values of header name (any spelling)
// in h, over all keys that differ only in case, and the value when there is
// exactly one.
func headerValue(h http.Header, name string) (value string, n int) {
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			n += len(vs)
			if len(vs) > 0 {
				value = vs[0]
			}
		}
	}
	if n != 1 {
		value = ""
	}
	return value, n
}

// requestHost returns the Host the request was sent to.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

// UnsignedBody reports whether a request with header h declares
// UNSIGNED-PAYLOAD where Huawei's signer sends it ([PayloadUnsigned]): its
// body is not signed, and [Verify] does not look at it — a server need not
// read it to verify the request.
func UnsignedBody(h http.Header) bool {
	vs := headerValues(h, HeaderContentSha256)
	return len(vs) > 0 && strings.TrimSpace(vs[0]) == UnsignedPayload && PayloadUnsigned(h)
}
