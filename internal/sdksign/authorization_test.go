package sdksign

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const testSig = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"

func TestParseAuthorizationValid(t *testing.T) {
	want := Authorization{Access: "AK", SignedHeaders: []string{"host", "x-sdk-date"}, Signature: testSig}
	for _, v := range []string{
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + testSig,
		"SDK-HMAC-SHA256 Access=AK,SignedHeaders=host;x-sdk-date,Signature=" + testSig,
		"SDK-HMAC-SHA256  Access=AK ,  SignedHeaders=host;x-sdk-date,\tSignature=" + testSig + " ",
		"SDK-HMAC-SHA256 Signature=" + testSig + ", Access=AK, SignedHeaders=host;x-sdk-date",
	} {
		got, err := ParseAuthorization(v)
		if err != nil {
			t.Errorf("ParseAuthorization(%q): %v", v, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseAuthorization(%q) = %#v", v, got)
		}
	}
	if got := want.Header(); got != "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature="+testSig {
		t.Errorf("Header() = %q", got)
	}
	// Access may contain '=' (only the first one separates key and value).
	a, err := ParseAuthorization("SDK-HMAC-SHA256 Access=A=B, SignedHeaders=x-sdk-date, Signature=" + testSig)
	if err != nil || a.Access != "A=B" {
		t.Errorf("Access with '=': %q, %v", a.Access, err)
	}
}

func TestParseAuthorizationMalformed(t *testing.T) {
	ok := map[string]string{"a": "Access=AK", "h": "SignedHeaders=x-sdk-date", "s": "Signature=" + testSig}
	join := func(fields ...string) string { return "SDK-HMAC-SHA256 " + strings.Join(fields, ", ") }
	tests := []struct{ name, v string }{
		{"empty", ""},
		{"algorithm only", "SDK-HMAC-SHA256"},
		{"algorithm and space", "SDK-HMAC-SHA256 "},
		{"lower-case algorithm", "sdk-hmac-sha256 " + ok["a"] + ", " + ok["h"] + ", " + ok["s"]},
		{"other algorithm", "V11-HMAC-SHA256 Credential=AK/20060102/r/s, SignedHeaders=x-sdk-date, Signature=" + testSig},
		{"no space after algorithm", "SDK-HMAC-SHA256Access=AK, " + ok["h"] + ", " + ok["s"]},
		{"bearer", "Bearer token"},
		{"missing Access", join(ok["h"], ok["s"])},
		{"missing SignedHeaders", join(ok["a"], ok["s"])},
		{"missing Signature", join(ok["a"], ok["h"])},
		{"extra field", join(ok["a"], ok["h"], ok["s"], "Region=x")},
		{"repeated field", join(ok["a"], ok["a"], ok["s"])},
		{"trailing comma", join(ok["a"], ok["h"], ok["s"]) + ","},
		{"unknown field", join(ok["a"], ok["h"], "Sig="+testSig)},
		{"lower-case key", join("access=AK", ok["h"], ok["s"])},
		{"field without =", join("Access", ok["h"], ok["s"])},
		{"empty Access", join("Access=", ok["h"], ok["s"])},
		{"Access with space", join("Access=A K", ok["h"], ok["s"])},
		{"Access with control", join("Access=A\x01K", ok["h"], ok["s"])},
		{"Access non-ASCII", join("Access=AKü", ok["h"], ok["s"])},
		{"empty SignedHeaders", join(ok["a"], "SignedHeaders=", ok["s"])},
		{"upper-case SignedHeaders", join(ok["a"], "SignedHeaders=X-Sdk-Date", ok["s"])},
		{"unsorted SignedHeaders", join(ok["a"], "SignedHeaders=x-sdk-date;host", ok["s"])},
		{"duplicate SignedHeaders", join(ok["a"], "SignedHeaders=host;host;x-sdk-date", ok["s"])},
		{"empty signed name", join(ok["a"], "SignedHeaders=host;;x-sdk-date", ok["s"])},
		{"trailing semicolon", join(ok["a"], "SignedHeaders=x-sdk-date;", ok["s"])},
		{"space in SignedHeaders", join(ok["a"], "SignedHeaders=host; x-sdk-date", ok["s"])},
		{"empty Signature", join(ok["a"], ok["h"], "Signature=")},
		{"short Signature", join(ok["a"], ok["h"], "Signature="+testSig[:63])},
		{"long Signature", join(ok["a"], ok["h"], "Signature="+testSig+"0")},
		{"upper-case Signature", join(ok["a"], ok["h"], "Signature="+strings.ToUpper(testSig))},
		{"non-hex Signature", join(ok["a"], ok["h"], "Signature="+strings.Repeat("g", 64))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAuthorization(tt.v)
			if !errors.Is(err, ErrMalformedAuthorization) {
				t.Fatalf("ParseAuthorization(%q) = %#v, %v; want ErrMalformedAuthorization", tt.v, a, err)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *VerifyError", err)
			}
			if strings.Contains(err.Error(), testSig[:16]) || strings.Contains(err.Error(), "AK") {
				t.Fatalf("error echoes the input: %v", err)
			}
		})
	}
}
