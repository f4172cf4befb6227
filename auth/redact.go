package auth

import (
	"fmt"
	"io"
	"strings"

	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

// redacted stands in for a secret in every formatted value, and in server
// messages that echoed one.
const redacted = huaweierr.Redacted

// unset describes a setting that is empty.
const unset = "unset"

// mask returns redacted for a set secret and "" for an unset one, so that
// formatted values show whether a secret is present without showing it.
func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return redacted
}

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// format implements fmt.Formatter for a type that holds secrets: %#v prints
// goString, %q the quoted str, every other verb str. Both must be redacted
// already.
func format(f fmt.State, verb rune, str, goString string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, goString)
	case verb == 'q':
		_, _ = fmt.Fprintf(f, "%q", str)
	default:
		_, _ = io.WriteString(f, str)
	}
}

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
