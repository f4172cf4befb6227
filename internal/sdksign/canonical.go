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

// The exported functions below return strings for tests and diagnostics;
// [Sign] and [Verify] use the append* forms, which write the canonical
// request into one caller-provided buffer (on the caller's stack in the
// common case) so that signing allocates almost nothing.

// unreserved reports whether c is kept as is by the strict escaping.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEscaped appends s to b, percent-encoding (upper-case hex) every byte
// except A-Z a-z 0-9 - _ . ~.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return b
}

// CanonicalURI returns the canonical URI of a decoded (unescaped) request
// path: each "/"-separated segment is strictly escaped (only A-Z a-z 0-9
// - _ . ~ are kept; every other byte becomes %XX), the segments are joined
// with "/" and a "/" is appended unless the result already ends with one.
// The empty path yields "/".
func CanonicalURI(decodedPath string) string {
	return string(appendCanonicalURI(make([]byte, 0, len(decodedPath)+8), decodedPath))
}

// appendCanonicalURI appends [CanonicalURI] of decodedPath to b. Escaping
// byte by byte while keeping "/" is the same as escaping each segment and
// joining them with "/".
func appendCanonicalURI(b []byte, decodedPath string) []byte {
	start := len(b)
	for i := 0; i < len(decodedPath); i++ {
		if c := decodedPath[i]; c == '/' || unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	if len(b) == start || b[len(b)-1] != '/' {
		b = append(b, '/')
	}
	return b
}

// CanonicalQuery returns the canonical query string of decoded query
// parameters: names sorted on their raw (unescaped) bytes, the values of each
// name sorted the same way, each pair written as escape(name)=escape(value)
// (strict escaping, space as %20, "name=" for an empty value) and pairs
// joined by "&". No parameters yield "".
func CanonicalQuery(q url.Values) string {
	return string(appendCanonicalQuery(nil, q))
}

// appendCanonicalQuery appends [CanonicalQuery] of q to b. q is not
// modified.
func appendCanonicalQuery(b []byte, q url.Values) []byte {
	if len(q) == 0 {
		return b
	}
	var nameBuf [8]string // the DRS calls have at most two parameters
	names := nameBuf[:0]
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	var valBuf [4]string
	first := true
	for _, name := range names {
		vals := append(valBuf[:0], q[name]...)
		slices.Sort(vals)
		for _, v := range vals {
			if !first {
				b = append(b, '&')
			}
			first = false
			b = appendEscaped(b, name)
			b = append(b, '=')
			b = appendEscaped(b, v)
		}
	}
	return b
}

// lowerASCII returns c lower-cased if it is an ASCII upper-case letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// compareLower compares a and b as [strings.Compare] compares their ASCII
// lower-cased forms, without building them.
func compareLower(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if ca, cb := lowerASCII(a[i]), lowerASCII(b[i]); ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// appendLower appends s to b with ASCII upper-case letters lower-cased.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, lowerASCII(s[i]))
	}
	return b
}

// headerName returns header key k in a form whose ASCII lower-casing is
// strings.ToLower(k): k itself when it is ASCII, as header names are (no
// allocation), else strings.ToLower(k).
func headerName(k string) string {
	for i := 0; i < len(k); i++ {
		if k[i] >= 0x80 {
			return strings.ToLower(k)
		}
	}
	return k
}

// signable reports whether a header name may be signed: names whose
// lower-case form starts with "content-type" and names containing "_" never
// are. name must come from [headerName] (or be lower case already).
func signable(name string) bool {
	const ct = "content-type"
	contentType := len(name) >= len(ct) && compareLower(name[:len(ct)], ct) == 0
	return name != "" && !contentType && !strings.Contains(name, "_")
}

// SignableHeaders returns the lower-cased names of the headers in h that the
// SDK signs: every name except those starting with "content-type" and those
// containing "_", sorted by byte order and de-duplicated (keys differing only
// in case collapse into one name). Authorization is not excluded; [Sign]
// removes it from the request before it picks the headers to sign.
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

// signedHeader is one header of the canonical request.
type signedHeader struct {
	// name is the header name; its ASCII lower-casing (see [headerName]) is
	// what is signed.
	name string
	// value is the header value, not yet trimmed.
	value string
}

// sortSignedHeaders sorts hs by lower-case name.
func sortSignedHeaders(hs []signedHeader) {
	slices.SortFunc(hs, func(a, b signedHeader) int { return compareLower(a.name, b.name) })
}

// HashPayload returns the lower-case hex SHA-256 of body (nil and empty give
// the hash of the empty string).
func HashPayload(body []byte) string {
	h := hashHex(body)
	return string(h[:])
}

// hashHex returns the lower-case hex SHA-256 of data.
func hashHex(data []byte) [2 * sha256.Size]byte {
	sum := sha256.Sum256(data)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return h
}

// CanonicalRequest builds the canonical request text. method is upper-cased;
// decodedPath and query are canonicalised with [CanonicalURI] and
// [CanonicalQuery]; signed holds the lower-case names of the signed headers
// in the order they are to appear (callers pass them sorted); header returns
// the value of a signed header by its lower-case name (leading and trailing
// white space is trimmed here); payloadHash is [HashPayload] of the body or
// the verbatim X-Sdk-Content-Sha256 value.
func CanonicalRequest(method, decodedPath string, query url.Values, signed []string, header func(name string) string, payloadHash string) string {
	hs := make([]signedHeader, len(signed))
	for i, name := range signed {
		hs[i] = signedHeader{name: name, value: header(name)}
	}
	return string(appendCanonicalRequest(nil, method, decodedPath, query, hs, []byte(payloadHash)))
}

// appendCanonicalRequest appends the canonical request to b; hs are the
// signed headers in the order they are to appear. See [CanonicalRequest].
func appendCanonicalRequest(b []byte, method, decodedPath string, query url.Values, hs []signedHeader, payloadHash []byte) []byte {
	b = append(b, strings.ToUpper(method)...)
	b = append(b, '\n')
	b = appendCanonicalURI(b, decodedPath)
	b = append(b, '\n')
	b = appendCanonicalQuery(b, query)
	b = append(b, '\n')
	for _, h := range hs {
		b = appendLower(b, h.name)
		b = append(b, ':')
		b = append(b, strings.TrimSpace(h.value)...)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = appendSignedNames(b, hs)
	b = append(b, '\n')
	return append(b, payloadHash...)
}

// appendSignedNames appends the lower-case names of hs joined by ";".
func appendSignedNames(b []byte, hs []signedHeader) []byte {
	for i, h := range hs {
		if i > 0 {
			b = append(b, ';')
		}
		b = appendLower(b, h.name)
	}
	return b
}
