package sdksign

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Algorithm is the algorithm name that starts the Authorization header and
// the string to sign.
const Algorithm = "SDK-HMAC-SHA256"

// DateLayout is the time layout of the X-Sdk-Date header (UTC, second
// precision, e.g. "20191115T033655Z").
const DateLayout = "20060102T150405Z"

// Header names used by the scheme, in net/http canonical spelling.
const (
	// HeaderDate carries the signing time in [DateLayout]; it is always signed.
	HeaderDate = "X-Sdk-Date"
	// HeaderContentSha256, when present, replaces the body hash in the
	// canonical request verbatim (usually [UnsignedPayload]).
	HeaderContentSha256 = "X-Sdk-Content-Sha256"
	// HeaderSecurityToken carries the session token of temporary AK/SK
	// credentials; it is signed like any other header.
	HeaderSecurityToken = "X-Security-Token"
	// HeaderProjectID carries the project id on project-level calls.
	HeaderProjectID = "X-Project-Id"
	// HeaderAuthorization is the header that carries the signature.
	HeaderAuthorization = "Authorization"
)

// UnsignedPayload is the X-Sdk-Content-Sha256 value that exempts the body
// from the signature (set by [Sign] for non-JSON content types).
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// MaxSignedBody is the gateway's size limit, in bytes, for the body of an
// AK/SK-signed request (12 MB); larger requests need token authentication.
const MaxSignedBody = 12 << 20

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c is kept as is by the strict escaping.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEscaped appends s to b, percent-encoding (upper-case hex) every byte
// except A-Z a-z 0-9 - _ . ~.
func appendEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
}

// CanonicalURI returns the canonical URI of a decoded (unescaped) request
// path: each "/"-separated segment is strictly escaped (only A-Z a-z 0-9
// - _ . ~ are kept; every other byte becomes %XX), the segments are joined
// with "/" and a "/" is appended unless the result already ends with one.
// The empty path yields "/".
func CanonicalURI(decodedPath string) string {
	var b strings.Builder
	b.Grow(len(decodedPath) + 8)
	for i, seg := range strings.Split(decodedPath, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		appendEscaped(&b, seg)
	}
	if s := b.String(); strings.HasSuffix(s, "/") {
		return s
	}
	b.WriteByte('/')
	return b.String()
}

// CanonicalQuery returns the canonical query string of decoded query
// parameters: names sorted on their raw (unescaped) bytes, the values of each
// name sorted the same way, each pair written as escape(name)=escape(value)
// (strict escaping, space as %20, "name=" for an empty value) and pairs
// joined by "&". No parameters yield "".
func CanonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	var vals []string
	for _, name := range names {
		vals = append(vals[:0], q[name]...)
		slices.Sort(vals)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			appendEscaped(&b, name)
			b.WriteByte('=')
			appendEscaped(&b, v)
		}
	}
	return b.String()
}

// signable reports whether a lower-cased header name may be signed: names
// starting with "content-type" and names containing "_" never are.
func signable(lower string) bool {
	return lower != "" && !strings.HasPrefix(lower, "content-type") && !strings.Contains(lower, "_")
}

// SignableHeaders returns the lower-cased names of the headers in h that the
// SDK signs: every name except those starting with "content-type" and those
// containing "_", sorted by byte order and de-duplicated (keys differing only
// in case collapse into one name). Authorization is not excluded; [Sign]
// removes it from the request before calling this.
func SignableHeaders(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		if l := strings.ToLower(k); signable(l) {
			names = append(names, l)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// HashPayload returns the lower-case hex SHA-256 of body (nil and empty give
// the hash of the empty string).
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest builds the canonical request text. method is upper-cased;
// decodedPath and query are canonicalised with [CanonicalURI] and
// [CanonicalQuery]; signed holds the lower-case names of the signed headers
// in the order they are to appear (callers pass them sorted); header returns
// the value of a signed header by its lower-case name (leading and trailing
// white space is trimmed here); payloadHash is [HashPayload] of the body or
// the verbatim X-Sdk-Content-Sha256 value.
func CanonicalRequest(method, decodedPath string, query url.Values, signed []string, header func(name string) string, payloadHash string) string {
	var b strings.Builder
	b.Grow(256 + len(decodedPath))
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('\n')
	b.WriteString(CanonicalURI(decodedPath))
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(query))
	b.WriteByte('\n')
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(header(name)))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	for i, name := range signed {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(name)
	}
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}
