package auth

import (
	"strings"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// redacted stands in for a secret in every formatted value, and in server
// messages that echoed one.
const redacted = redact.Placeholder

// unset describes a setting that is empty.
const unset = "unset"

// validHeaderValue reports whether v can be sent as a header value as is: no
// control characters (which could split headers) and no leading or
// trailing white space.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c == 0x7f {
			return false
		}
	}
	return strings.TrimSpace(v) == v
}
