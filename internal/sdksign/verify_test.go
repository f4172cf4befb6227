package sdksign

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testAK    = "HPUAEXAMPLEACCESSKEY"
	testSK    = "sEcReT+kEy/ExAmPlE0123456789abcdefghijkl"
	testToken = "SECURITY-TOKEN-gQpjbi1ub3J0aC00-EXAMPLE"
	testBody  = `{"jobs":["62a055ae-ce03-4232-beb6-46c83b8ef2b2"]}` + "\n"
)

var testNow = time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)

func testSecrets(ak string) (string, bool) {
	if ak == testAK {
		return testSK, true
	}
	return "", false
}

// signedDRSRequest returns a server-side view of a signed DRS-like POST.
func signedDRSRequest(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://drs.cn-north-4.myhuaweicloud.com/v5/p1/jobs/export/template?lang=en&x=1", nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0")
	r.Header.Set(HeaderProjectID, "p1")
	r.Header.Set(HeaderSecurityToken, testToken)
	body := []byte(testBody)
	if err := Sign(r, body, testAK, testSK, testNow); err != nil {
		t.Fatal(err)
	}
	want := "user-agent;x-project-id;x-sdk-date;x-security-token"
	if got := mustParseAuth(t, r).SignedHeaders; strings.Join(got, ";") != want {
		t.Fatalf("signed headers = %v, want %s", got, want)
	}
	return r, body
}

func TestVerifyAccepts(t *testing.T) {
	r, body := signedDRSRequest(t)
	ak, err := Verify(r, body, testSecrets, testNow, 15*time.Minute)
	if err != nil || ak != testAK {
		t.Fatalf("Verify = %q, %v", ak, err)
	}
	// Unsigned headers may change freely.
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("Accept-Encoding", "gzip")
	r.Header.Set("X_Custom", "x")
	if _, err := Verify(r, body, testSecrets, testNow, 15*time.Minute); err != nil {
		t.Fatalf("unsigned header change: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(r *http.Request, body *[]byte)
		secrets func(string) (string, bool)
		now     time.Time
		want    error
		wantAK  string
	}{
		{name: "wrong SK", secrets: func(string) (string, bool) { return testSK + "x", true }, want: ErrSignatureMismatch},
		{name: "unknown AK", secrets: func(string) (string, bool) { return "", false }, want: ErrUnknownAccessKey},
		{name: "tampered body", mod: func(_ *http.Request, b *[]byte) { *b = bytes.Replace(*b, []byte("62a0"), []byte("62a1"), 1) }, want: ErrSignatureMismatch},
		{name: "body without trailing newline", mod: func(_ *http.Request, b *[]byte) { *b = bytes.TrimSuffix(*b, []byte("\n")) }, want: ErrSignatureMismatch},
		{name: "tampered query value", mod: func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "lang=en&x=2" }, want: ErrSignatureMismatch},
		{name: "added query parameter", mod: func(r *http.Request, _ *[]byte) { r.URL.RawQuery += "&y" }, want: ErrSignatureMismatch},
		{name: "dropped query", mod: func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "" }, want: ErrSignatureMismatch},
		{name: "tampered path", mod: func(r *http.Request, _ *[]byte) { r.URL.Path = "/v5/p2/jobs/export/template" }, want: ErrSignatureMismatch},
		{name: "tampered method", mod: func(r *http.Request, _ *[]byte) { r.Method = "PUT" }, want: ErrSignatureMismatch},
		{name: "tampered project id", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderProjectID, "p2") }, want: ErrSignatureMismatch},
		{name: "tampered token", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderSecurityToken, testToken+"x") }, want: ErrSignatureMismatch},
		{name: "removed signed header", mod: func(r *http.Request, _ *[]byte) { r.Header.Del("User-Agent") }, want: ErrSignatureMismatch},
		{name: "repeated signed header", mod: func(r *http.Request, _ *[]byte) { r.Header.Add(HeaderProjectID, "p2") }, want: ErrSignatureMismatch},
		{name: "tampered date", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderDate, "20250703T094413Z") }, want: ErrSignatureMismatch},
		{name: "payload marker added", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderContentSha256, UnsignedPayload) }, want: ErrSignatureMismatch},
		{name: "declared hash differs from body", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderContentSha256, HashPayload(nil)) }, want: ErrSignatureMismatch},
		{name: "missing date", mod: func(r *http.Request, _ *[]byte) { r.Header.Del(HeaderDate) }, want: ErrInvalidDate},
		{name: "repeated date", mod: func(r *http.Request, _ *[]byte) { r.Header.Add(HeaderDate, "20250703T094412Z") }, want: ErrInvalidDate},
		{name: "unparseable date", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderDate, "Thu, 03 Jul 2025 09:44:12 GMT") }, want: ErrInvalidDate},
		{name: "date with fraction", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderDate, "20250703T094412.0Z") }, want: ErrInvalidDate},
		{name: "date too old", now: testNow.Add(15*time.Minute + time.Second), want: ErrDateSkew},
		{name: "date in the future", now: testNow.Add(-16 * time.Minute), want: ErrDateSkew},
		{name: "missing Authorization", mod: func(r *http.Request, _ *[]byte) { r.Header.Del(HeaderAuthorization) }, want: ErrMissingAuthorization, wantAK: "-"},
		{name: "two Authorization headers", mod: func(r *http.Request, _ *[]byte) { r.Header.Add(HeaderAuthorization, r.Header.Get(HeaderAuthorization)) }, want: ErrMalformedAuthorization, wantAK: "-"},
		{name: "token Authorization", mod: func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderAuthorization, "Bearer x") }, want: ErrMalformedAuthorization, wantAK: "-"},
		{name: "x-sdk-date not signed", mod: func(r *http.Request, _ *[]byte) {
			signed := []string{"user-agent", "x-project-id"}
			cr := CanonicalRequest(r.Method, r.URL.Path, r.URL.Query(), signed,
				func(n string) string { return r.Header.Get(n) }, HashPayload([]byte(testBody)))
			a := Authorization{Access: testAK, SignedHeaders: signed, Signature: Signature(testSK, StringToSign(r.Header.Get(HeaderDate), cr))}
			r.Header.Set(HeaderAuthorization, a.Header())
		}, want: ErrMalformedAuthorization},
		{name: "body too large", mod: func(_ *http.Request, b *[]byte) { *b = make([]byte, MaxSignedBody+1) }, want: ErrBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := signedDRSRequest(t)
			if tt.mod != nil {
				tt.mod(r, &body)
			}
			secrets, now := tt.secrets, tt.now
			if secrets == nil {
				secrets = testSecrets
			}
			if now.IsZero() {
				now = testNow
			}
			ak, err := Verify(r, body, secrets, now, 15*time.Minute)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify err = %v, want %v", err, tt.want)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *VerifyError", err)
			}
			switch tt.wantAK {
			case "":
				if ak != testAK {
					t.Errorf("ak = %q, want %q even on error", ak, testAK)
				}
			case "-":
				if ak != "" {
					t.Errorf("ak = %q, want empty", ak)
				}
			}
		})
	}
}

func TestVerifySkew(t *testing.T) {
	r, body := signedDRSRequest(t)
	tests := []struct {
		now      time.Time
		max      time.Duration
		wantSkew time.Duration // 0 = accepted
	}{
		{testNow, 15 * time.Minute, 0},
		{testNow.Add(15 * time.Minute), 15 * time.Minute, 0},
		{testNow.Add(-15 * time.Minute), 15 * time.Minute, 0},
		{testNow.Add(20 * time.Minute), 15 * time.Minute, -20 * time.Minute}, // request 20 min old
		{testNow.Add(-time.Hour), 15 * time.Minute, time.Hour},               // request 1 h in the future
		{testNow.Add(2 * time.Second), time.Second, -2 * time.Second},
		{testNow.Add(1000 * time.Hour), 0, 0},   // check disabled
		{testNow.Add(-1000 * time.Hour), -1, 0}, // check disabled
	}
	for _, tt := range tests {
		_, err := Verify(r, body, testSecrets, tt.now, tt.max)
		if tt.wantSkew == 0 {
			if err != nil {
				t.Errorf("now %v max %v: %v", tt.now, tt.max, err)
			}
			continue
		}
		var ve *VerifyError
		if !errors.As(err, &ve) || !errors.Is(ve.Err, ErrDateSkew) || ve.Skew != tt.wantSkew {
			t.Errorf("now %v max %v: err = %#v, want skew %v", tt.now, tt.max, err, tt.wantSkew)
		}
	}
	// The signature is checked before the skew: a forged old request
	// reports a mismatch, not the server clock.
	_, err := Verify(r, body, func(string) (string, bool) { return "wrong", true }, testNow.Add(time.Hour), 15*time.Minute)
	if !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("forged and stale: %v", err)
	}
}

// TestVerifyHost checks that "host" is taken from r.Host, not from a header.
func TestVerifyHost(t *testing.T) {
	r := newReq(t, "GET", "https://drs.example.com:8443/v5/p/templates")
	r.Header.Set("Host", "drs.example.com:8443")
	if err := Sign(r, nil, testAK, testSK, testNow); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewRequest(http.MethodGet, "https://drs.example.com:8443/v5/p/templates", nil)
	for k, v := range r.Header {
		if k != "Host" {
			srv.Header[k] = v
		}
	}
	if _, err := Verify(srv, nil, testSecrets, testNow, 0); err != nil {
		t.Fatalf("host signed: %v", err)
	}
	srv.Host = "evil.example.com"
	if _, err := Verify(srv, nil, testSecrets, testNow, 0); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("other host: %v", err)
	}
}
