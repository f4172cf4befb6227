// Package redact keeps secrets out of formatted values: the types of this
// module that hold a credential implement fmt.Formatter with [Format] and show
// [Placeholder] instead of the secret. Their GoString methods format a copy
// with the secrets masked through [GoSyntax], so that no field can be left
// out by hand:
//
//	func (k Key) GoString() string {
//		type key Key // no methods: %#v lists every field
//		k.Secret = redact.Mask(k.Secret)
//		return redact.GoSyntax("pkg.Key", key(k))
//	}
package redact

import (
	"fmt"
	"io"
	"strconv"
	"strings"
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

// GoSyntax returns v formatted with %#v under the type name name. v is a
// struct: a copy of a value with its secrets masked, converted to a type
// without methods, so that %#v lists every field — one added later too.
func GoSyntax(name string, v any) string {
	s := fmt.Sprintf("%#v", v)
	if i := strings.IndexByte(s, '{'); i >= 0 {
		return name + s[i:]
	}
	return name + "(" + s + ")"
}
