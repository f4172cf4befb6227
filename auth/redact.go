package auth

import (
	"strconv"
	"strings"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// redacted stands in for a secret in every formatted value, and in server
// messages that echoed one.
const redacted = redact.Placeholder

// unset describes a setting that is empty.
const unset = "unset"

// show returns a setting that is not a secret for a description: as is, or
// quoted when it holds a control character or surrounding white space
// (so that a project id with a line break cannot break a log line).
func show(v string) string {
	if validHeaderValue(v) {
		return v
	}
	return strconv.Quote(v)
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
