package auth

import (
	"strings"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// The rules for credential settings: each returns "" for a value that can be
// sent (or used) as is, else why not — without quoting the value, which
// may be a secret. Chain.Resolve applies them to what it finds, so that a
// value that could never work is an error at once, naming where it was set,
// rather than at the first request.

// checkToken accepts an IAM token: visible ASCII, as IAM issues them.
func checkToken(v string) string { return visibleASCII(v) }

// checkSecret accepts a secret access key or a security token: visible
// ASCII, as Huawei issues them.
func checkSecret(v string) string { return visibleASCII(v) }

// checkAccessKeyID accepts an access key id the signer can send.
func checkAccessKeyID(v string) string {
	if why := visibleASCII(v); why != "" {
		return why
	}
	if !sdksign.ValidAccessKey(v) {
		return "holds a character an access key id cannot hold"
	}
	return ""
}

// checkProjectID accepts a project id: letters, digits, '-' and '_' (Huawei's
// are 32 hexadecimal digits). It goes into URL paths and headers.
func checkProjectID(v string) string {
	if why := visibleASCII(v); why != "" {
		return why
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return "holds a character other than letters, digits, '-' and '_'"
		}
	}
	return ""
}

// checkName accepts an account or IAM user name (or a project name): no
// control characters and no surrounding white space; a space inside is
// fine, as IAM user names may have one.
func checkName(v string) string {
	if strings.TrimSpace(v) != v {
		return "begins or ends with white space"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c == 0x7f {
			return "holds a control character"
		}
	}
	return ""
}

// visibleASCII returns why v is not printable ASCII without white space.
func visibleASCII(v string) string {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ' || c == '\t':
			return "holds white space"
		case c < ' ' || c == 0x7f:
			return "holds a control character"
		case c > 0x7e:
			return "holds a character that is not ASCII"
		}
	}
	return ""
}
