package huaweierr

import (
	"net/http"
	"strings"
	"testing"
)

// TestScrubHeader checks that no credential survives in the header an error
// keeps: neither a credential header (in any case), nor a value that echoes
// a credential the request carried, whole or in part; the rest is kept.
func TestScrubHeader(t *testing.T) {
	const (
		token = "MIIsecret-token-0123456789abcdefghij"
		sig   = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
		sts   = "security-token-abcdefghijklmnopqrstuvwxyz"
	)
	req := &http.Request{Header: http.Header{
		"X-Auth-Token":     {token},
		"X-Security-Token": {sts},
		"Authorization":    {"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + sig},
	}}
	resp := &http.Response{Request: req, Header: http.Header{
		"X-Request-Id":     {"req-1"},
		"Retry-After":      {"3"},
		"Content-Type":     {"application/json"},
		"X-Subject-Token":  {"issued-token-should-not-show"},
		"Set-Cookie":       {"session=abc"},
		"x-auth-token":     {"lower-case-echo"}, // not canonical: a map written by hand
		"X-Echo":           {"you sent " + token, "harmless"},
		"X-Echo-Part":      {token[4:24]},
		"X-Echo-Signature": {sig},
		"Authorization":    {"Bearer " + sts},
	}}
	got := ScrubHeader(resp)
	for name, values := range got {
		for _, v := range values {
			for _, secret := range []string{token, sig, sts, token[4:24], "issued-token", "session=abc", "lower-case-echo"} {
				if strings.Contains(v, secret) {
					t.Errorf("header %s keeps a credential: %q", name, v)
				}
			}
		}
	}
	for name, want := range map[string]string{"X-Request-Id": "req-1", "Retry-After": "3", "Content-Type": "application/json", "X-Echo": "harmless"} {
		if v := got.Values(name); len(v) != 1 || v[0] != want {
			t.Errorf("%s = %q, want [%q]", name, v, want)
		}
	}
	if ScrubHeader(nil) != nil || ScrubHeader(&http.Response{}) != nil {
		t.Error("ScrubHeader of no header is not nil")
	}
	resp.Header.Set("X-Request-Id", "changed")
	if got.Get("X-Request-Id") != "req-1" {
		t.Error("ScrubHeader shares its map with the response")
	}
}
