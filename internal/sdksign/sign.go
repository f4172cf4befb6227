package sdksign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// StringToSign returns "SDK-HMAC-SHA256\n" + sdkDate + "\n" + the lower-case
// hex SHA-256 of canonicalRequest.
func StringToSign(sdkDate, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

// Signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed with
// the secret key sk as given (no key derivation).
func Signature(sk, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign signs r the way the Huawei Cloud Go SDK does and sets its
// Authorization header (replacing any existing one).
//
// r is the request about to be sent (the caller has already cloned it if
// needed) and body holds the exact bytes that will be sent (nil for none).
// Sign:
//
//   - keeps an existing X-Sdk-Date header if it holds exactly one value that
//     is already in [DateLayout] form (this pins the time, e.g. for tests);
//     otherwise it sets X-Sdk-Date from now, in UTC;
//   - sets X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD when a Content-Type header
//     exists whose value contains neither "application/json" nor
//     "application/bson" (case-sensitive, as the SDK);
//   - signs the headers named by [SignableHeaders] (X-Sdk-Date always among
//     them). Host is signed only if the caller put a "Host" key into r.Header,
//     and then with that value, as the SDK does; r.Host is not consulted;
//   - canonicalises r.URL.Path (decoded) and the parsed r.URL.RawQuery;
//   - hashes body, unless X-Sdk-Content-Sha256 is present, whose value is
//     then used instead.
//
// It refuses a body longer than [MaxSignedBody] (the error wraps
// [ErrBodyTooLarge]), a signable header with several values, a query string
// that does not parse, an opaque URL, an access key that cannot be carried in
// the header and an empty secret key. Errors never contain sk, header values
// or the signature.
func Sign(r *http.Request, body []byte, ak, sk string, now time.Time) error {
	switch {
	case r == nil || r.URL == nil:
		return errors.New("sdksign: request has no URL")
	case r.URL.Opaque != "":
		return errors.New("sdksign: opaque URLs cannot be signed")
	case len(body) > MaxSignedBody:
		return fmt.Errorf("%w: %d bytes (limit %d)", ErrBodyTooLarge, len(body), MaxSignedBody)
	case !ValidAccessKey(ak):
		return errors.New("sdksign: access key is empty or contains space, comma or non-printable characters")
	case sk == "":
		return errors.New("sdksign: empty secret key")
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return fmt.Errorf("sdksign: query string cannot be canonicalised: %w", err)
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	deleteFold(r.Header, HeaderAuthorization)

	date := ""
	if vs := r.Header[HeaderDate]; len(vs) == 1 {
		if _, ok := parseDate(vs[0]); ok {
			date = vs[0]
		}
	}
	if date == "" {
		date = now.UTC().Format(DateLayout)
	}
	deleteFold(r.Header, HeaderDate)
	r.Header[HeaderDate] = []string{date}

	if ct, ok := lookupFold(r.Header, "Content-Type"); ok && len(ct) > 0 &&
		!strings.Contains(ct[0], "application/json") && !strings.Contains(ct[0], "application/bson") {
		deleteFold(r.Header, HeaderContentSha256)
		r.Header[HeaderContentSha256] = []string{UnsignedPayload}
	}

	signed := SignableHeaders(r.Header)
	values := make(map[string]string, len(signed))
	for k, vs := range r.Header {
		l := strings.ToLower(k)
		if !signable(l) {
			continue
		}
		if _, dup := values[l]; dup || len(vs) > 1 {
			return fmt.Errorf("sdksign: header %q has several values and cannot be signed", l)
		}
		if len(vs) == 1 {
			values[l] = vs[0]
		} else {
			values[l] = ""
		}
	}

	payloadHash := ""
	if vs, ok := lookupFold(r.Header, HeaderContentSha256); ok && len(vs) > 0 {
		payloadHash = strings.TrimSpace(vs[0])
	} else {
		payloadHash = HashPayload(body)
	}

	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	cr := CanonicalRequest(method, r.URL.Path, query, signed,
		func(name string) string { return values[name] }, payloadHash)
	a := Authorization{Access: ak, SignedHeaders: signed, Signature: Signature(sk, StringToSign(date, cr))}
	r.Header[HeaderAuthorization] = []string{a.Header()}
	return nil
}

// parseDate parses an X-Sdk-Date value, accepting only the exact
// [DateLayout] form (time.Parse alone would also take one-digit hours or
// fractional seconds).
func parseDate(v string) (time.Time, bool) {
	if len(v) != len(DateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, v)
	if err != nil || t.Format(DateLayout) != v {
		return time.Time{}, false
	}
	return t, true
}

// lookupFold returns the values of the first key of h equal to name under
// case folding (keys set directly on the map need not be canonical).
func lookupFold(h http.Header, name string) ([]string, bool) {
	if vs, ok := h[name]; ok {
		return vs, true
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			return vs, true
		}
	}
	return nil, false
}

// deleteFold removes every key of h equal to name under case folding.
func deleteFold(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}
