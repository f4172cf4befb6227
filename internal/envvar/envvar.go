// Package envvar reads environment variables through an injectable lookup,
// so that tests need not touch the process environment.
package envvar

import (
	"os"
	"strings"
)

// Lookup finds an environment variable, like os.LookupEnv. The zero value
// (nil) reads the process environment.
type Lookup func(key string) (string, bool)

// Get returns the value of key with surrounding white space trimmed, or ""
// when it is not set.
func (l Lookup) Get(key string) string {
	if l == nil {
		l = os.LookupEnv
	}
	v, _ := l(key)
	return strings.TrimSpace(v)
}
