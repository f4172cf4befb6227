package huaweierr

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	seeds := []struct{ requestID, body, secret1, secret2 string }{
		{"", `{"error_code":"DRS.M00201","error_msg":"x"}`, "", ""},
		{"id", `{"error_code":"APIGW.0301","error_msg":"x","request_id":"b"}`, "", ""},
		{"", `{"error":{"code":401,"message":"The username or password is wrong."}}`, "", ""},
		{"", `{"code":"A","message":"B"}`, "", ""},
		{"", `{"a":{"b":{"code":1}}}`, "", ""},
		{"\x00", "<html>\xff</html>", "", ""},
		{"", `{"code":1e999999,"message":""}`, "", ""},
		{"", `{"error":[1,2,3],"z":{"error_code":null}}`, "", ""},
		{"", ``, "", ""},
		{"", `{"error_code":"APIGW.0301","error_msg":"the token tok-SECRET-1 has been revoked"}`, "tok-SECRET-1", ""},
		{"id-tok-SECRET-1", `<html>` + strings.Repeat("x", 500) + `tok-SECRET-1</html>`, "tok-SECRET-1", "x"},
		{"", `{"error":{"code":401,"message":"wrong: pa  ss\tword"}}`, "pa  ss\tword", ""},
		{"", `{"a":{"b":{"message":"wrong: pa\"ss\u003c\\w\/rd"}}}`, `pa"ss<\w/rd`, ""},
		{"", `[{"message":"p\u00e4ss\ud83d\ude00"}]`, "päss😀", "REDACTED"},
		{"", `{"error_code":"C","error_msg":"x abcdefgh y…"}`, "abcdef", "defgh"},
	}
	for _, s := range seeds {
		f.Add(s.requestID, []byte(s.body), s.secret1, s.secret2)
	}
	f.Fuzz(func(t *testing.T, requestID string, body []byte, secret1, secret2 string) {
		h := http.Header{"X-Request-Id": {requestID}}
		secrets := []string{secret1, secret2}
		got := Parse(h, body, secrets...)
		if again := Parse(h, body, secrets...); again != got {
			t.Fatal("Parse is not deterministic")
		}
		// No secret passed in, in any form a reader would recognise,
		// appears in any field. (Checked first, and without printing the
		// fields: they might hold one.)
		for _, l := range leaks(got, secrets) {
			t.Fatal(l)
		}
		for name, v := range map[string]struct {
			s     string
			limit int
		}{
			"Code": {got.Code, MaxField}, "Message": {got.Message, MaxMessage}, "RequestID": {got.RequestID, MaxField},
		} {
			if len(v.s) > v.limit {
				t.Fatalf("%s is %d bytes, over the limit %d", name, len(v.s), v.limit)
			}
			if !utf8.ValidString(v.s) {
				t.Fatalf("%s %q is not valid UTF-8", name, v.s)
			}
			if strings.IndexFunc(v.s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
				t.Fatalf("%s %q holds a non-printable character", name, v.s)
			}
			if v.s != strings.TrimSpace(v.s) || strings.Contains(v.s, "  ") {
				t.Fatalf("%s %q is not trimmed and collapsed", name, v.s)
			}
		}
		if len(secret1) < MinSecret && len(secret2) < MinSecret && got.Code == "" && got.Message == "" &&
			strings.TrimFunc(string(body), func(r rune) bool {
				return r == ' ' || r == utf8.RuneError || !unicode.IsPrint(r)
			}) != "" {
			t.Fatalf("non-blank body %q gave neither code nor message", body)
		}
	})
}

// ParseResponse leaves none of the credentials the request carried in what
// it returns, whatever the body.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(`{"error_code":"APIGW.0301","error_msg":"token tok-SECRET-1 sig 0123456789abcdef"}`), "tok-SECRET-1", "0123456789abcdef", "st-SECRET-3")
	f.Add([]byte(`<html>tok-SECRET-1`), "tok-SECRET-1", "", "")
	f.Fuzz(func(t *testing.T, body []byte, token, signature, security string) {
		req := &http.Request{Header: http.Header{}}
		req.Header.Set("X-Auth-Token", token)
		req.Header.Set("X-Security-Token", security)
		req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature="+signature)
		secrets := []string{req.Header.Get("X-Auth-Token"), req.Header.Get("X-Security-Token")}
		if !strings.ContainsAny(signature, ", \t\r\n") {
			secrets = append(secrets, signature)
		}
		got := ParseResponse(&http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{}, Request: req}, body)
		for _, l := range leaks(got, secrets) {
			t.Fatal(l)
		}
	})
}
