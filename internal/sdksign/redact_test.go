package sdksign

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRedaction checks that neither Authorization values nor any error of
// this package reveal the secret key, the signature or the security token.
func TestRedaction(t *testing.T) {
	r, body := signedDRSRequest(t)
	a := mustParseAuth(t, r)
	secrets := []string{testSK, a.Signature, testToken}

	check := func(what string, v any) {
		t.Helper()
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.4v", "%-20s"} {
			out := fmt.Sprintf(format, v)
			for i, s := range secrets {
				hexed := fmt.Sprintf("%x", s)
				if strings.Contains(out, s) || strings.Contains(strings.ToLower(out), hexed) {
					t.Errorf("%s formatted with %s reveals secret #%d", what, format, i)
				}
			}
		}
	}

	check("Authorization", a)
	check("*Authorization", &a)
	check("[]Authorization", []Authorization{a})
	if s := a.String(); !strings.Contains(s, "Signature=REDACTED") || !strings.HasPrefix(s, "SDK-HMAC-SHA256 Access="+testAK) {
		t.Errorf("String() = %q", s)
	}
	if s := a.GoString(); !strings.Contains(s, `Signature:"REDACTED"`) {
		t.Errorf("GoString() = %q", s)
	}
	if !strings.Contains(a.Header(), a.Signature) {
		t.Error("Header() must carry the signature")
	}

	// Collect errors from every failure path that sees secrets.
	var errs []error
	verify := func(mod func(r *http.Request), secretFor func(string) (string, bool), now time.Time) {
		r, body := signedDRSRequest(t)
		if mod != nil {
			mod(r)
		}
		if _, err := Verify(r, body, secretFor, now, 15*time.Minute); err != nil {
			errs = append(errs, err)
		} else {
			t.Error("expected a verification failure")
		}
	}
	wrong := func(string) (string, bool) { return testSK + "!", true }
	verify(nil, wrong, testNow)
	verify(nil, func(string) (string, bool) { return "", false }, testNow)
	verify(nil, testSecrets, testNow.Add(time.Hour))
	verify(func(r *http.Request) { r.Header.Set(HeaderSecurityToken, "x") }, testSecrets, testNow)
	verify(func(r *http.Request) { r.Header.Add(HeaderSecurityToken, testToken) }, testSecrets, testNow)
	verify(func(r *http.Request) { r.Header.Set(HeaderDate, testToken) }, testSecrets, testNow)
	verify(func(r *http.Request) { r.Header.Add(HeaderAuthorization, "x") }, testSecrets, testNow)
	verify(func(r *http.Request) {
		r.Header.Set(HeaderAuthorization, strings.Replace(r.Header.Get(HeaderAuthorization), ", Signature=", ", Signature="+testSK, 1))
	}, testSecrets, testNow)
	verify(func(r *http.Request) {
		r.Header.Set(HeaderAuthorization, strings.Replace(r.Header.Get(HeaderAuthorization), ", Signature=", ", Signature=0", 1))
	}, testSecrets, testNow)
	verify(func(r *http.Request) {
		r.Header.Set(HeaderAuthorization, strings.ToUpper(r.Header.Get(HeaderAuthorization)))
	}, testSecrets, testNow)
	verify(func(r *http.Request) { r.Header.Set(HeaderContentSha256, testToken) }, testSecrets, testNow)
	if _, err := ParseAuthorization(a.Header() + ", Extra=" + testToken); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseAuthorization(strings.Replace(a.Header(), "Access="+testAK, "Access="+testToken+" "+testSK, 1)); err != nil {
		errs = append(errs, err)
	}
	for _, mod := range []func(r *http.Request){
		func(r *http.Request) { r.Header.Add(HeaderSecurityToken, testToken) },
		func(r *http.Request) { r.URL.RawQuery = "token=" + testToken + "%zz" },
	} {
		r, _ := http.NewRequest(http.MethodGet, "https://example.com/", nil)
		r.Header.Set(HeaderSecurityToken, testToken)
		mod(r)
		if err := Sign(r, body, testAK, testSK, testNow); err != nil {
			errs = append(errs, err)
		}
	}
	if err := Sign(r, make([]byte, MaxSignedBody+1), testAK, testSK, testNow); err != nil {
		errs = append(errs, err)
	}
	if err := Sign(r, nil, testSK+" ", testSK, testNow); err != nil { // SK pasted as AK
		errs = append(errs, err)
	}
	if len(errs) < 17 {
		t.Fatalf("only %d errors collected", len(errs))
	}
	for i, err := range errs {
		check(fmt.Sprintf("error %d (%v)", i, errors.Unwrap(err)), err)
		if err.Error() == "" {
			t.Errorf("error %d has an empty message", i)
		}
	}
}
