// Package redact keeps secrets out of formatted values: the types of this
// module that hold a credential implement fmt.Formatter with [Format] and show
// [Placeholder] instead of the secret.
package redact

import (
	"fmt"
	"io"
	"strconv"
)

// Placeholder stands in for a secret in formatted values and messages.
const Placeholder = "REDACTED"

// Mask returns [Placeholder] for a set secret and "" for an unset one, so that
// a formatted value shows whether a secret is present without showing it.
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	return Placeholder
}

// Format implements fmt.Formatter for a value that holds secrets: %#v prints
// goString, %q the quoted str, every other verb (%d and %x included) str
// as is. Both strings must already be redacted.
func Format(f fmt.State, verb rune, str, goString string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, goString)
	case verb == 'q':
		_, _ = io.WriteString(f, strconv.Quote(str))
	default:
		_, _ = io.WriteString(f, str)
	}
}
