package huaweierr

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	seeds := []struct{ requestID, body string }{
		{"", `{"error_code":"DRS.M00201","error_msg":"x"}`},
		{"id", `{"error_code":"APIGW.0301","error_msg":"x","request_id":"b"}`},
		{"", `{"error":{"code":401,"message":"The username or password is wrong."}}`},
		{"", `{"code":"A","message":"B"}`},
		{"", `{"a":{"b":{"code":1}}}`},
		{"\x00", "<html>\xff</html>"},
		{"", `{"code":1e999999,"message":""}`},
		{"", `{"error":[1,2,3],"z":{"error_code":null}}`},
		{"", ``},
	}
	for _, s := range seeds {
		f.Add(s.requestID, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, requestID string, body []byte) {
		h := http.Header{"X-Request-Id": {requestID}}
		got := Parse(h, body)
		if again := Parse(h, body); again != got {
			t.Fatalf("Parse is not deterministic: %#v then %#v", got, again)
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
		if got.Code == "" && got.Message == "" && strings.TrimFunc(string(body), func(r rune) bool {
			return r == ' ' || r == utf8.RuneError || !unicode.IsPrint(r)
		}) != "" {
			t.Fatalf("non-blank body %q gave neither code nor message", body)
		}
	})
}
