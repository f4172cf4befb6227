package sdksign

import (
	"fmt"
	"strings"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// redacted replaces the signature whenever an [Authorization] is formatted.
const redacted = redact.Placeholder

// Authorization is the parsed value of an SDK-HMAC-SHA256 Authorization
// header. Formatting it with fmt (String, GoString, %v, %+v, %#v) redacts the
// signature; only [Authorization.Header] renders it.
type Authorization struct {
	// Access is the access key (AK).
	Access string
	// SignedHeaders lists the signed header names, lower case, sorted and
	// unique.
	SignedHeaders []string
	// Signature is the lower-case hex HMAC-SHA256 signature (64 characters).
	Signature string
}

// Header renders the header value exactly as the SDK does:
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func (a Authorization) Header() string {
	return a.render(a.Signature)
}

// String renders the header value with the signature replaced by REDACTED.
func (a Authorization) String() string {
	return a.render(redacted)
}

// GoString renders a Go-syntax representation with the signature replaced by
// REDACTED (used by %#v).
func (a Authorization) GoString() string {
	return fmt.Sprintf("sdksign.Authorization{Access:%q, SignedHeaders:%#v, Signature:%q}",
		a.Access, a.SignedHeaders, redacted)
}

// Format implements fmt.Formatter so that no verb prints the signature:
// %#v is GoString, every other verb formats String.
func (a Authorization) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, a.String(), a.GoString())
}

func (a Authorization) render(sig string) string {
	return Algorithm + " Access=" + a.Access + ", SignedHeaders=" +
		strings.Join(a.SignedHeaders, ";") + ", Signature=" + sig
}

// appendAuthorization appends the header value that [Authorization.Header]
// renders for access key ak, the signed headers hs and the hex signature
// sig, building neither the Authorization nor its list of names.
func appendAuthorization(b []byte, ak string, hs []signedHeader, sig []byte) []byte {
	b = append(b, Algorithm+" Access="...)
	b = append(b, ak...)
	b = append(b, ", SignedHeaders="...)
	b = appendSignedNames(b, hs)
	b = append(b, ", Signature="...)
	return append(b, sig...)
}

// ParseAuthorization parses an SDK-HMAC-SHA256 Authorization header value.
// The value must start with "SDK-HMAC-SHA256 " and hold exactly the fields
// Access, SignedHeaders and Signature (in any order, each once), separated by
// commas; spaces and tabs around fields are ignored. Access must be non-empty
// printable ASCII without spaces; SignedHeaders must be non-empty, lower-case
// header tokens, sorted and unique; Signature must be 64 lower-case hex
// digits. Errors wrap [ErrMalformedAuthorization] and never echo the input.
func ParseAuthorization(v string) (Authorization, error) {
	var a Authorization
	rest, ok := strings.CutPrefix(v, Algorithm+" ")
	if !ok {
		return a, verr(ErrMalformedAuthorization, "algorithm is not "+Algorithm)
	}
	var seen [3]bool
	if strings.Count(rest, ",") != 2 {
		return a, verr(ErrMalformedAuthorization, "want exactly the fields Access, SignedHeaders and Signature")
	}
	for range 3 {
		f, more, _ := strings.Cut(rest, ",")
		rest = more
		key, val, ok := strings.Cut(strings.Trim(f, " \t"), "=")
		if !ok {
			return a, verr(ErrMalformedAuthorization, "field without '='")
		}
		var i int
		switch key {
		case "Access":
			i = 0
			if !ValidAccessKey(val) {
				return a, verr(ErrMalformedAuthorization, "invalid Access")
			}
			a.Access = val
		case "SignedHeaders":
			i = 1
			names, ok := parseSignedHeaders(val)
			if !ok {
				return a, verr(ErrMalformedAuthorization, "invalid SignedHeaders")
			}
			a.SignedHeaders = names
		case "Signature":
			i = 2
			if !validSignature(val) {
				return a, verr(ErrMalformedAuthorization, "Signature is not 64 lower-case hex digits")
			}
			a.Signature = val
		default:
			return a, verr(ErrMalformedAuthorization, "unknown field")
		}
		if seen[i] {
			return Authorization{}, verr(ErrMalformedAuthorization, "repeated field "+key)
		}
		seen[i] = true
	}
	return a, nil
}

// ValidAccessKey reports whether ak can be carried in the header: non-empty
// printable ASCII without space or comma.
func ValidAccessKey(ak string) bool {
	if ak == "" {
		return false
	}
	for i := 0; i < len(ak); i++ {
		if c := ak[i]; c <= ' ' || c >= 0x7f || c == ',' {
			return false
		}
	}
	return true
}

func validSignature(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// parseSignedHeaders splits a ";"-joined list of lower-case header tokens
// that must be sorted and unique.
func parseSignedHeaders(s string) ([]string, bool) {
	names := strings.Split(s, ";")
	for i, n := range names {
		if !validHeaderName(n) || i > 0 && names[i-1] >= n {
			return nil, false
		}
	}
	return names, true
}

// validHeaderName reports whether n is a non-empty RFC 9110 token without
// upper-case letters.
func validHeaderName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
