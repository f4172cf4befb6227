package drsfake

import (
	"fmt"
	"strconv"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// orUnset returns s, or "(unset)" for "".
func orUnset(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

// String describes the key without its secrets: the key id, whether the
// secret key is set and whether the key is temporary.
func (k accessKey) String() string {
	s := "AK/SK (access key " + orUnset(k.ID) + ", secret key " + orUnset(redact.Mask(k.Secret))
	if k.SecurityToken != "" {
		s += ", temporary"
	}
	if !k.Expires.IsZero() {
		s += ", expires " + k.Expires.String()
	}
	return s + ")"
}

// GoString renders a Go-syntax form with the secrets redacted (for %#v).
func (k accessKey) GoString() string {
	return fmt.Sprintf("drsfake.accessKey{ID:%q, Secret:%q, SecurityToken:%q, Expires:%#v}",
		k.ID, redact.Mask(k.Secret), redact.Mask(k.SecurityToken), k.Expires)
}

// Format redacts the secrets for every fmt verb.
func (k accessKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String(), k.GoString()) }

// String describes the user without the password.
func (u IAMUser) String() string {
	return "IAM user " + orUnset(u.Name) + " of account " + orUnset(u.Account) +
		" (password " + orUnset(redact.Mask(u.Password)) + ")"
}

// GoString renders a Go-syntax form with the password redacted (for %#v).
func (u IAMUser) GoString() string {
	return fmt.Sprintf("drsfake.IAMUser{Account:%q, Name:%q, Password:%q}", u.Account, u.Name, redact.Mask(u.Password))
}

// Format redacts the password for every fmt verb.
func (u IAMUser) Format(f fmt.State, verb rune) { redact.Format(f, verb, u.String(), u.GoString()) }

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	return "drsfake credentials (token " + orUnset(redact.Mask(c.Token)) + ", access key " + orUnset(c.AccessKey) +
		", secret key " + orUnset(redact.Mask(c.SecretKey)) + ", " + c.User.String() + ")"
}

// GoString renders a Go-syntax form with the secrets redacted (for %#v).
func (c Credentials) GoString() string {
	return fmt.Sprintf("drsfake.Credentials{Token:%q, AccessKey:%q, SecretKey:%q, User:%s}",
		redact.Mask(c.Token), c.AccessKey, redact.Mask(c.SecretKey), c.User.GoString())
}

// Format redacts the secrets for every fmt verb.
func (c Credentials) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// String describes the test server without the secrets of its credentials.
func (ts TestServer) String() string {
	return "drsfake test server at " + orUnset(ts.URL) + " (project " + orUnset(ts.ProjectID) + ", " +
		strconv.Itoa(len(ts.TaskIDs)) + " tasks, " + ts.Credentials.String() + ")"
}

// GoString renders a Go-syntax form with the secrets redacted (for %#v).
func (ts TestServer) GoString() string {
	return fmt.Sprintf("drsfake.TestServer{Server:%s, Credentials:%s, URL:%q, ProjectID:%q, TaskIDs:%#v, Clock:%s}",
		goPointer("*drsfake.Server", ts.Server), ts.Credentials.GoString(), ts.URL, ts.ProjectID, ts.TaskIDs,
		goPointer("*drsfake.ManualClock", ts.Clock))
}

// goPointer renders p as %#v renders a pointer inside a struct, e.g.
// (*drsfake.Server)(0xc000123456), without what it points to.
func goPointer[T any](typ string, p *T) string {
	if p == nil {
		return "(" + typ + ")(nil)"
	}
	return fmt.Sprintf("(%s)(%p)", typ, p)
}

// Format redacts the secrets for every fmt verb.
func (ts TestServer) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, ts.String(), ts.GoString())
}

// String describes the server without its internals, which hold the
// credentials it accepts.
func (s Server) String() string {
	return "drsfake server (region " + orUnset(s.region) + ", " + strconv.Itoa(len(s.projects)) + " projects, " +
		strconv.Itoa(len(s.taskOrder)) + " tasks)"
}

// GoString renders the server's region, projects and task ids in Go syntax,
// leaving out the rest (for %#v).
func (s Server) GoString() string {
	return fmt.Sprintf("drsfake.Server{region:%q, projects:%#v, tasks:%#v /* other fields, with the credentials, not shown */}",
		s.region, s.projects, s.taskOrder)
}

// Format keeps the server's internals, and so the credentials it accepts,
// out of every fmt verb. (fmt does not call the String methods of values in
// unexported fields, so without it %v would print the IAM users' passwords
// and %s the accepted tokens and secret keys.)
func (s Server) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String(), s.GoString()) }
