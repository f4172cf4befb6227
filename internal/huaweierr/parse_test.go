package huaweierr

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	hdr := func(kv ...string) http.Header {
		h := make(http.Header)
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   Info
	}{
		{
			name: "DRS pair",
			body: `{"error_code":"DRS.M00201","error_msg":"The task does not exist."}`,
			want: Info{Code: "DRS.M00201", Message: "The task does not exist."},
		},
		{
			name:   "gateway pair with request id in body and header: header wins",
			header: hdr("X-Request-Id", "hdr-id"),
			body:   `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"body-id"}`,
			want:   Info{Code: "APIGW.0301", Message: "Incorrect IAM authentication information", RequestID: "hdr-id"},
		},
		{
			name: "request id from the body when no header",
			body: `{"error_code":"APIGW.0303","error_msg":"signature expired","request_id":"body-id"}`,
			want: Info{Code: "APIGW.0303", Message: "signature expired", RequestID: "body-id"},
		},
		{
			name: "code/message pair",
			body: `{"code":"VPC.0101","message":"no such vpc"}`,
			want: Info{Code: "VPC.0101", Message: "no such vpc"},
		},
		{
			name: "error_code pair preferred over code pair",
			body: `{"code":"X","message":"m1","error_code":"Y","error_msg":"m2"}`,
			want: Info{Code: "Y", Message: "m2"},
		},
		{
			name:   "IAM nested pair with numeric code",
			header: hdr("X-IAM-Trace-Id", "trace-1"),
			body:   `{"error":{"code":401,"title":"Unauthorized","message":"The username or password is wrong."}}`,
			want:   Info{Code: "401", Message: "The username or password is wrong.", RequestID: "trace-1"},
		},
		{
			name:   "X-Request-Id preferred over X-IAM-Trace-Id",
			header: hdr("X-IAM-Trace-Id", "trace-1", "X-Request-Id", "req-1"),
			body:   `{"error":{"code":401,"message":"m"}}`,
			want:   Info{Code: "401", Message: "m", RequestID: "req-1"},
		},
		{
			name: "nested error_code pair under another name, request id nested",
			body: `{"result":{"error_code":"DRS.M00007","error_msg":"bad","request_id":"in"}}`,
			want: Info{Code: "DRS.M00007", Message: "bad", RequestID: "in"},
		},
		{
			name: "nested: error member searched first",
			body: `{"a":{"code":"A","message":"from a"},"error":{"code":"E","message":"from error"}}`,
			want: Info{Code: "E", Message: "from error"},
		},
		{
			name: "nested: other members in name order",
			body: `{"b":{"code":"B","message":"from b"},"a":{"code":"A","message":"from a"}}`,
			want: Info{Code: "A", Message: "from a"},
		},
		{
			name: "only two levels: deeper pairs are not searched",
			body: `{"x":{"y":{"code":"deep","message":"too deep"}}}`,
			want: Info{Message: `{"x":{"y":{"code":"deep","message":"too deep"}}}`},
		},
		{
			name: "code only",
			body: `{"error_code":"DRS.M00004"}`,
			want: Info{Code: "DRS.M00004"},
		},
		{
			name: "fractional and negative numeric codes kept as written",
			body: `{"code":-1.5e3,"message":"odd"}`,
			want: Info{Code: "-1.5e3", Message: "odd"},
		},
		{
			name: "non-string message and boolean code are ignored",
			body: `{"code":true,"message":{"x":1}}`,
			want: Info{Message: `{"code":true,"message":{"x":1}}`},
		},
		{
			name: "plain text body",
			body: "upstream connect error\r\n\tor disconnect",
			want: Info{Message: "upstream connect error or disconnect"},
		},
		{
			name: "HTML body with control characters",
			body: "<html>\x00\x1b[31mBad\x7f Gateway</html>",
			want: Info{Message: "<html> [31mBad Gateway</html>"},
		},
		{
			name: "invalid UTF-8 replaced",
			body: "a\xffb",
			want: Info{Message: "a b"},
		},
		{
			name: "empty body",
			want: Info{},
		},
		{
			name: "truncated JSON falls back to the raw text",
			body: `{"error_code":"DRS.M0`,
			want: Info{Message: `{"error_code":"DRS.M0`},
		},
		{
			name: "JSON array is not an error object",
			body: `[{"error_code":"X","error_msg":"y"}]`,
			want: Info{Message: `[{"error_code":"X","error_msg":"y"}]`},
		},
		{
			name: "JSON null",
			body: `null`,
			want: Info{Message: `null`},
		},
		{
			name: "messages are made one line",
			body: `{"error_code":"C","error_msg":"line one\nline two\u0000"}`,
			want: Info{Code: "C", Message: "line one line two"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.header, []byte(tt.body))
			if got != tt.want {
				t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.body, got, tt.want)
			}
		})
	}
}

func TestParseTruncates(t *testing.T) {
	long := strings.Repeat("é", MaxMessage) // 2 bytes each
	tests := []struct {
		name string
		body string
	}{
		{"raw body", long},
		{"JSON message", `{"error_code":"C","error_msg":"` + long + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(nil, []byte(tt.body)).Message
			if len(got) > MaxMessage {
				t.Fatalf("message is %d bytes, limit %d", len(got), MaxMessage)
			}
			if !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
				t.Fatalf("message %q is not a valid string ending in an ellipsis", got)
			}
			if len(got) < MaxMessage-8 {
				t.Fatalf("message cut too short: %d bytes", len(got))
			}
		})
	}
	id := strings.Repeat("r", 2*MaxField)
	h := http.Header{"X-Request-Id": {id}}
	if got := Parse(h, nil).RequestID; len(got) > MaxField || !strings.HasPrefix(id, strings.TrimSuffix(got, "…")) {
		t.Fatalf("request id %q not cut to %d bytes", got, MaxField)
	}
}
