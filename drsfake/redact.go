package drsfake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// The types that hold credentials keep them out of every fmt verb. Those
// with fields to show format a copy whose secrets are masked, converted to a
// type without methods, so that fmt itself lists the fields: a field added
// later shows up (and must be masked here if it is a secret) without anyone
// listing fields by hand. Server shows a summary; it keeps its credentials
// in an authStore that holds no secret by value, so that even a copy of a
// Server (which has no Format of its own) formats without one.

// formatMasked formats v, a masked copy of a value of the exported type
// typeName converted to a method-less type, for verb.
func formatMasked(f fmt.State, verb rune, typeName string, v any) {
	goString := fmt.Sprintf("%#v", v)
	if i := strings.IndexByte(goString, '{'); i >= 0 {
		goString = "drsfake." + typeName + goString[i:]
	}
	redact.Format(f, verb, fmt.Sprintf("%+v", v), goString)
}

// Format shows the user with the password redacted, for every fmt verb.
func (u IAMUser) Format(f fmt.State, verb rune) {
	type fields IAMUser
	u.Password = redact.Mask(u.Password)
	formatMasked(f, verb, "IAMUser", fields(u))
}

// Format shows the credentials with the token, the secret key and the
// user's password redacted, for every fmt verb.
func (c Credentials) Format(f fmt.State, verb rune) {
	type fields Credentials
	c.Token, c.SecretKey = redact.Mask(c.Token), redact.Mask(c.SecretKey)
	formatMasked(f, verb, "Credentials", fields(c)) // User formats itself
}

// Format shows the key with the secret key and the security token redacted,
// for every fmt verb.
func (k accessKey) Format(f fmt.State, verb rune) {
	type fields accessKey
	k.Secret, k.SecurityToken = redact.Mask(k.Secret), redact.Mask(k.SecurityToken)
	formatMasked(f, verb, "accessKey", fields(k))
}

// Format describes the server — its region and how many projects and tasks
// it has — for every fmt verb. Its internals, credentials included, never
// show.
func (s *Server) Format(f fmt.State, verb rune) {
	desc := "drsfake.Server{region " + s.region + ", " + strconv.Itoa(len(s.projects)) + " projects, " +
		strconv.Itoa(len(s.Tasks())) + " tasks}"
	redact.Format(f, verb, desc, desc)
}
