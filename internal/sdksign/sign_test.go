package sdksign

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func newReq(t testing.TB, method, target string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustParseAuth(t testing.TB, r *http.Request) Authorization {
	t.Helper()
	a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
	if err != nil {
		t.Fatalf("Authorization written by Sign does not parse: %v", err)
	}
	return a
}

func TestSignSetsDateFromClock(t *testing.T) {
	loc := time.FixedZone("UTC+8", 8*3600)
	now := time.Date(2025, 7, 3, 17, 44, 12, 999, loc)
	for _, existing := range []string{"", "2025-07-03T09:44:12Z", "20250703T94412Z", "20250703T094412.5Z", "20250703T094412z"} {
		r := newReq(t, "GET", "https://drs.example.com/v5/p/templates")
		if existing != "" {
			r.Header.Set(HeaderDate, existing)
		}
		r.Header["x-sdk-date"] = []string{"20000101T000000Z"} // other spelling: dropped
		if err := Sign(r, nil, "AK", "SK", now); err != nil {
			t.Fatal(err)
		}
		if got := r.Header[HeaderDate]; len(got) != 1 || got[0] != "20250703T094412Z" {
			t.Errorf("existing %q: X-Sdk-Date = %q, want UTC time from clock", existing, got)
		}
		if _, ok := r.Header["x-sdk-date"]; ok { //nolint:staticcheck // SA1008: the raw, non-canonical key is what is tested
			t.Errorf("existing %q: lower-case x-sdk-date key kept", existing)
		}
		if a := mustParseAuth(t, r); strings.Join(a.SignedHeaders, ";") != "x-sdk-date" {
			t.Errorf("signed = %v", a.SignedHeaders)
		}
	}
}

func TestSignUnsignedPayload(t *testing.T) {
	tests := []struct {
		contentType string // "-" = no header
		unsigned    bool
	}{
		{"-", false},
		{"application/json", false},
		{"application/json;charset=UTF-8", false},
		{"application/bson", false},
		{"text/plain", true},
		{"application/octet-stream", true},
		{"", true},
		{"Application/JSON", true}, // case-sensitive, as the SDK
	}
	for _, tt := range tests {
		r := newReq(t, "POST", "https://drs.example.com/x")
		if tt.contentType != "-" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		body := []byte("payload")
		if err := Sign(r, body, "AK", "SK", time.Now()); err != nil {
			t.Fatal(err)
		}
		got := r.Header.Get(HeaderContentSha256)
		if tt.unsigned != (got == UnsignedPayload) {
			t.Errorf("Content-Type %q: X-Sdk-Content-Sha256 = %q", tt.contentType, got)
		}
		a := mustParseAuth(t, r)
		hasMarker := strings.Contains(strings.Join(a.SignedHeaders, ";"), "x-sdk-content-sha256")
		if hasMarker != tt.unsigned {
			t.Errorf("Content-Type %q: signed = %v", tt.contentType, a.SignedHeaders)
		}
		// With UNSIGNED-PAYLOAD the body is not covered by the signature.
		if tt.unsigned {
			if _, err := Verify(r, []byte("other"), func(string) (string, bool) { return "SK", true }, time.Now(), 0); err != nil {
				t.Errorf("unsigned payload: %v", err)
			}
		}
	}
}

func TestSignUsesDeclaredPayloadHash(t *testing.T) {
	body := []byte(`{"jobs":["id"]}` + "\n")
	r1 := newReq(t, "POST", "https://drs.example.com/x")
	r1.Header.Set(HeaderDate, sdkDate)
	r1.Header.Set(HeaderContentSha256, HashPayload(body))
	if err := Sign(r1, nil, "AK", "SK", time.Now()); err != nil { // body ignored: header wins
		t.Fatal(err)
	}
	if _, err := Verify(r1, body, func(string) (string, bool) { return "SK", true }, time.Now(), 0); err != nil {
		t.Fatalf("declared hash: %v", err)
	}
	_, err := Verify(r1, []byte("tampered"), func(string) (string, bool) { return "SK", true }, time.Now(), 0)
	if !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("declared hash with other body: err = %v", err)
	}
}

func TestSignReplacesAuthorizationAndIsIdempotent(t *testing.T) {
	r := newReq(t, "GET", "https://drs.example.com/v5/p/templates?offset=0&limit=10")
	r.Header.Set(HeaderDate, sdkDate)
	r.Header.Set(HeaderProjectID, "p")
	r.Header["authorization"] = []string{"stale"}
	if err := Sign(r, nil, "AK", "SK", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Header["authorization"]; ok { //nolint:staticcheck // SA1008: the raw, non-canonical key is what is tested
		t.Fatal("stale lower-case authorization kept")
	}
	first := r.Header.Get(HeaderAuthorization)
	if strings.Contains(first, "authorization") {
		t.Fatalf("Authorization signed itself: %s", first)
	}
	if err := Sign(r, nil, "AK", "SK", time.Now()); err != nil {
		t.Fatal(err)
	}
	if again := r.Header.Get(HeaderAuthorization); again != first {
		t.Fatalf("re-signing changed the header:\n%s\n%s", first, again)
	}
}

func TestSignNilHeaderAndEmptyMethod(t *testing.T) {
	r := newReq(t, "GET", "https://example.huaweicloud.com/path?limit=1")
	r.Method = ""
	r.Header = http.Header{HeaderDate: {sdkDate}}
	if err := Sign(r, nil, sdkAK, sdkSK, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := mustParseAuth(t, r).Signature; got != vectors[2].sig {
		t.Fatalf("empty method not treated as GET: %s", got)
	}
	r2 := newReq(t, "GET", "https://example.com/")
	r2.Header = nil
	if err := Sign(r2, nil, "AK", "SK", time.Now()); err != nil || r2.Header.Get(HeaderAuthorization) == "" {
		t.Fatalf("nil header: %v", err)
	}
}

func TestSignErrors(t *testing.T) {
	big := bytes.Repeat([]byte{'x'}, MaxSignedBody+1)
	tests := []struct {
		name    string
		mod     func(r *http.Request)
		body    []byte
		ak, sk  string
		wantErr error
	}{
		{name: "body too large", body: big, ak: "AK", sk: "SK", wantErr: ErrBodyTooLarge},
		{name: "empty ak", ak: "", sk: "SK"},
		{name: "ak with space", ak: "A K", sk: "SK"},
		{name: "ak with comma", ak: "A,K", sk: "SK"},
		{name: "empty sk", ak: "AK", sk: ""},
		{name: "multi-valued signed header", ak: "AK", sk: "SK", mod: func(r *http.Request) {
			r.Header.Add("X-Language", "en-us")
			r.Header.Add("X-Language", "zh-cn")
		}},
		{name: "header under two spellings", ak: "AK", sk: "SK", mod: func(r *http.Request) {
			r.Header["X-Language"] = []string{"en-us"}
			r.Header["x-language"] = []string{"en-us"}
		}},
		{name: "bad query escape", ak: "AK", sk: "SK", mod: func(r *http.Request) { r.URL.RawQuery = "a=%zz" }},
		{name: "semicolon in query", ak: "AK", sk: "SK", mod: func(r *http.Request) { r.URL.RawQuery = "a=1;b=2" }},
		{name: "opaque URL", ak: "AK", sk: "SK", mod: func(r *http.Request) { r.URL.Opaque = "//x/y" }},
		{name: "nil URL", ak: "AK", sk: "SK", mod: func(r *http.Request) { r.URL = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReq(t, "POST", "https://drs.example.com/v5/p/jobs")
			if tt.mod != nil {
				tt.mod(r)
			}
			err := Sign(r, tt.body, tt.ak, tt.sk, time.Now())
			if err == nil {
				t.Fatal("Sign succeeded")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if r.Header.Get(HeaderAuthorization) != "" {
				t.Fatal("Authorization set despite error")
			}
		})
	}
	if err := Sign(nil, nil, "AK", "SK", time.Now()); err == nil {
		t.Fatal("Sign(nil) succeeded")
	}
	r := newReq(t, "POST", "https://drs.example.com/v5/p/jobs")
	if err := Sign(r, big[:MaxSignedBody], "AK", "SK", time.Now()); err != nil {
		t.Fatalf("body of exactly MaxSignedBody: %v", err)
	}
}
