package envvar_test

import (
	"testing"

	"github.com/drs-tools/drstemplate/internal/envvar"
)

func TestGet(t *testing.T) {
	t.Setenv("DRSTEMPLATE_ENVVAR_TEST", "  from-process \n")
	fixed := envvar.Lookup(func(key string) (string, bool) {
		v, ok := map[string]string{"A": " a ", "EMPTY": ""}[key]
		return v, ok
	})
	tests := []struct {
		name   string
		lookup envvar.Lookup
		key    string
		want   string
	}{
		{"injected, trimmed", fixed, "A", "a"},
		{"injected, empty", fixed, "EMPTY", ""},
		{"injected, unset", fixed, "DRSTEMPLATE_ENVVAR_TEST", ""},
		{"nil reads the process", nil, "DRSTEMPLATE_ENVVAR_TEST", "from-process"},
	}
	for _, tt := range tests {
		if got := tt.lookup.Get(tt.key); got != tt.want {
			t.Errorf("%s: Get(%q) = %q, want %q", tt.name, tt.key, got, tt.want)
		}
	}
}
