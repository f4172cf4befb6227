package sdksign

import (
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
	return string(appendStringToSign(nil, sdkDate, []byte(canonicalRequest)))
}

// appendStringToSign appends [StringToSign] of canonicalRequest to b.
func appendStringToSign(b []byte, sdkDate string, canonicalRequest []byte) []byte {
	h := hashHex(canonicalRequest)
	b = append(b, Algorithm+"\n"...)
	b = append(b, sdkDate...)
	b = append(b, '\n')
	return append(b, h[:]...)
}

// Signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed with
// the secret key sk as given (no key derivation).
func Signature(sk, stringToSign string) string {
	sig := signature(sk, []byte(stringToSign))
	return string(sig[:])
}

// signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed
// with sk.
func signature(sk string, stringToSign []byte) [2 * sha256.Size]byte {
	sum := hmacSHA256(sk, stringToSign)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return h
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
//   - sets X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD when [PayloadUnsigned]
//     says so (a Content-Type that is neither JSON nor BSON); body is then
//     not looked at and may be nil whatever the request sends;
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
	var query url.Values
	if r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return fmt.Errorf("sdksign: query string cannot be canonicalised: %w", err)
		}
		query = q
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	deleteFold(r.Header, HeaderAuthorization)

	dates := r.Header[HeaderDate]
	if len(dates) != 1 || !isDate(dates[0]) {
		dates = []string{now.UTC().Format(DateLayout)}
	}
	deleteFold(r.Header, HeaderDate)
	r.Header[HeaderDate] = dates
	date := dates[0]

	if PayloadUnsigned(r.Header) {
		deleteFold(r.Header, HeaderContentSha256)
		r.Header[HeaderContentSha256] = []string{UnsignedPayload}
	}

	var hsBuf [16]signedHeader // a DRS call signs four or five headers
	hs, err := headersToSign(hsBuf[:0], r.Header)
	if err != nil {
		return err
	}

	var hashBuf [2 * sha256.Size]byte
	var payloadHash []byte
	if vs, ok := lookupFold(r.Header, HeaderContentSha256); ok && len(vs) > 0 {
		payloadHash = []byte(strings.TrimSpace(vs[0]))
	} else {
		hashBuf = hashHex(body)
		payloadHash = hashBuf[:]
	}

	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	// The buffers live on the stack unless a request outgrows them.
	var crBuf [1024]byte
	cr := appendCanonicalRequest(crBuf[:0], method, r.URL.Path, query, hs, payloadHash)
	var stsBuf [128]byte
	sig := signature(sk, appendStringToSign(stsBuf[:0], date, cr))

	var hBuf [256]byte
	r.Header[HeaderAuthorization] = []string{string(appendAuthorization(hBuf[:0], ak, hs, sig[:]))}
	return nil
}

// headersToSign appends to dst the headers of h that [Sign] signs (those
// named by [SignableHeaders]) and sorts them. It refuses a header with
// several values and a name present under two spellings.
func headersToSign(dst []signedHeader, h http.Header) ([]signedHeader, error) {
	for k, vs := range h {
		name := headerName(k)
		if !signable(name) {
			continue
		}
		if len(vs) > 1 {
			return nil, errSeveralValues(name)
		}
		v := ""
		if len(vs) == 1 {
			v = vs[0]
		}
		dst = append(dst, signedHeader{name: name, value: v})
	}
	sortSignedHeaders(dst)
	for i := 1; i < len(dst); i++ {
		if compareLower(dst[i-1].name, dst[i].name) == 0 {
			return nil, errSeveralValues(dst[i].name)
		}
	}
	return dst, nil
}

func errSeveralValues(name string) error {
	return fmt.Errorf("sdksign: header %q has several values and cannot be signed", strings.ToLower(name))
}

// parseDate parses an X-Sdk-Date value, accepting only the exact
// [DateLayout] form (time.Parse alone would also take one-digit hours or
// fractional seconds).
func parseDate(v string) (time.Time, bool) {
	if len(v) != len(DateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, v)
	var buf [len(DateLayout)]byte
	if err != nil || string(t.AppendFormat(buf[:0], DateLayout)) != v {
		return time.Time{}, false
	}
	return t, true
}

// isDate reports whether v is an X-Sdk-Date value in [DateLayout] form.
func isDate(v string) bool {
	_, ok := parseDate(v)
	return ok
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
