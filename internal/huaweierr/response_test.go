package huaweierr

import (
	"net/http"
	"strings"
	"testing"
)

func TestParseResponseScrubsWhatTheRequestCarried(t *testing.T) {
	const (
		token     = "MIIEtoken-SECRET-0001"
		security  = "security-SECRET-0002"
		signature = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		bearer    = "bearer-SECRET-0003"
	)
	tests := []struct {
		name   string
		header map[string]string
		secret string
	}{
		{"token", map[string]string{"X-Auth-Token": token}, token},
		{"security token", map[string]string{"X-Security-Token": security}, security},
		{"signature", map[string]string{"Authorization": "SDK-HMAC-SHA256 Access=AKID, SignedHeaders=x-sdk-date, Signature=" + signature}, signature},
		{"signature without spaces", map[string]string{"Authorization": "SDK-HMAC-SHA256 Access=AKID,SignedHeaders=x-sdk-date,Signature=" + signature}, signature},
		{"another scheme", map[string]string{"Authorization": "Bearer " + bearer}, bearer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "https://drs.example.com/v5/p/templates", nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp := &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{"X-Request-Id": {"rid"}}, Request: req}
			body := `{"error_code":"APIGW.0301","error_msg":"bad credential ` + tt.secret + ` (access key AKID)"}`
			info := ParseResponse(resp, []byte(body))
			if strings.Contains(info.Message, tt.secret) || !strings.Contains(info.Message, Redacted) {
				t.Fatalf("message %q: the credential was not scrubbed", info.Message)
			}
			if !strings.Contains(info.Message, "AKID") {
				t.Fatalf("message %q: the access key id (not a secret) was scrubbed too", info.Message)
			}
			if info.Code != "APIGW.0301" || info.RequestID != "rid" {
				t.Fatalf("info %+v", info)
			}
		})
	}
	// Without a request, nothing is scrubbed and nothing fails.
	info := ParseResponse(&http.Response{StatusCode: http.StatusInternalServerError}, []byte(`{"error_code":"X.1","error_msg":"m"}`))
	if info.Code != "X.1" || info.Message != "m" {
		t.Fatalf("info %+v", info)
	}
}
