package redact_test

import (
	"fmt"
	"testing"

	"github.com/drs-tools/drstemplate/internal/redact"
)

// secretHolder is the pattern the module's credential types follow.
type secretHolder struct {
	secret string
	n      int
}

func (s secretHolder) String() string { return "holder " + redact.Mask(s.secret) }
func (s secretHolder) GoString() string {
	type plain secretHolder
	s.secret = redact.Mask(s.secret)
	return redact.GoSyntax("holder", plain(s))
}
func (s secretHolder) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s.String(), s.GoString())
}

func TestFormat(t *testing.T) {
	h := secretHolder{secret: "s3cr3t"}
	tests := []struct {
		format string
		v      any
		want   string
	}{
		{"%v", h, "holder REDACTED"},
		{"%+v", h, "holder REDACTED"},
		{"%s", h, "holder REDACTED"},
		{"%d", h, "holder REDACTED"},
		{"%x", h, "holder REDACTED"},
		{"%q", h, `"holder REDACTED"`},
		{"%#v", h, `holder{secret:"REDACTED", n:0}`},
		{"%#v", secretHolder{n: 3}, `holder{secret:"", n:3}`},
		{"%v", []secretHolder{h}, "[holder REDACTED]"},
		{"%v", secretHolder{}, "holder "},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.v); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestGoSyntaxOfANonStruct(t *testing.T) {
	if got := redact.GoSyntax("pkg.N", 42); got != "pkg.N(42)" {
		t.Fatalf("GoSyntax = %q", got)
	}
}
