package huaweierr

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// leaks describes where any of secrets, in a form a reader would recognise,
// shows in info: as is, white-space folded, JSON-escaped, or as a run of
// MinFragment bytes copied from it. It names secrets by index and never
// quotes them.
func leaks(info Info, secrets []string) []string {
	var found []string
	for i, sec := range secrets {
		if len(sec) < MinSecret {
			continue
		}
		forms := append([]string{sec, fold(sec)}, jsonForms(sec)...)
		for name, field := range map[string]string{"Code": info.Code, "Message": info.Message, "RequestID": info.RequestID} {
			for _, f := range forms {
				if len(f) >= MinSecret && strings.Contains(field, f) {
					found = append(found, fmt.Sprintf("secret %d in %s", i, name))
				}
			}
			for j := 0; j+MinFragment <= len(sec); j++ {
				if strings.Contains(field, sec[j:j+MinFragment]) {
					found = append(found, fmt.Sprintf("a %d-byte fragment of secret %d (offset %d) in %s", MinFragment, i, j, name))
					break
				}
			}
		}
	}
	return found
}

func TestParseRemovesSecrets(t *testing.T) {
	// A token of 3 KB, far longer than MaxMessage: truncation must not
	// leave its first 500 bytes behind.
	token := strings.Repeat("MIIDkgYJKoZIhvcNAQcCoIIDgzCCA38CAQExDTALBglghkgBZQMEAgEwgg/+", 50)[:3000]
	const spacey = "pa  ss\tword  x" // runs of white space that cleaning folds
	const quoted = `pa"ss<&>\w/rd`   // changed by JSON escaping
	const accented = "pässwörd-Ω-😀"  // \u-escaped by ASCII-only encoders
	tests := []struct {
		name    string
		header  http.Header
		body    string
		secrets []string
		want    Info // the exact result, where the test says it
	}{
		{
			name:    "echoed token in a DRS message",
			body:    `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: the token tok-SECRET-1 has been revoked"}`,
			secrets: []string{"tok-SECRET-1"},
			want:    Info{Code: "APIGW.0301", Message: "Incorrect IAM authentication information: the token REDACTED has been revoked"},
		},
		{
			name:    "3 KB token echoed in a message longer than MaxMessage",
			body:    `{"error_code":"APIGW.0301","error_msg":"token ` + token + ` is invalid"}`,
			secrets: []string{token},
			want:    Info{Code: "APIGW.0301", Message: "token REDACTED is invalid"},
		},
		{
			name:    "3 KB token echoed in a body that is not JSON",
			body:    "<html>denied: " + token + "</html>",
			secrets: []string{token},
			want:    Info{Message: "<html>denied: REDACTED</html>"},
		},
		{
			name:    "a server that echoes only the first kilobyte of the token",
			body:    `{"error_code":"APIGW.0301","error_msg":"bad token ` + token[:1000] + `"}`,
			secrets: []string{token},
			want:    Info{Code: "APIGW.0301", Message: "bad token REDACTED"},
		},
		{
			name:    "token with '/' echoed as '\\/' in a raw JSON body",
			body:    `{"detail":{"text":"` + strings.ReplaceAll(token, "/", `\/`) + `"}}`,
			secrets: []string{token},
			want:    Info{Message: `{"detail":{"text":"REDACTED"}}`},
		},
		{
			name:    "password with runs of white space, in an IAM message",
			body:    `{"error":{"code":401,"message":"The username or password is wrong: pa  ss\tword  x"}}`,
			secrets: []string{spacey},
			want:    Info{Code: "401", Message: "The username or password is wrong: REDACTED"},
		},
		{
			name:    "password that only cleaning makes whole",
			body:    "wrong: pa\x00\x00ss\nword x",
			secrets: []string{spacey},
			want:    Info{Message: "wrong: REDACTED"},
		},
		{
			name:    "JSON-escaped password in a raw body (Go's escapes)",
			body:    `{"a":{"b":{"message":"wrong: pa\"ss\u003c\u0026\u003e\\w/rd"}}}`,
			secrets: []string{quoted},
			want:    Info{Message: `{"a":{"b":{"message":"wrong: REDACTED"}}}`},
		},
		{
			name:    "JSON-escaped password in a raw body (minimal escapes)",
			body:    `{"a":{"b":{"message":"wrong: pa\"ss<&>\\w/rd"}}}`,
			secrets: []string{quoted},
			want:    Info{Message: `{"a":{"b":{"message":"wrong: REDACTED"}}}`},
		},
		{
			name:    "ASCII-only JSON escapes in a raw body",
			body:    `[{"message":"wrong: p\u00e4ssw\u00f6rd-\u03a9-\ud83d\ude00"}]`,
			secrets: []string{accented},
			want:    Info{Message: `[{"message":"wrong: REDACTED"}]`},
		},
		{
			name:    "upper-case \\u escapes",
			body:    `[{"message":"wrong: p\u00E4ssw\u00F6rd-\u03A9-\uD83D\uDE00"}]`,
			secrets: []string{accented},
			want:    Info{Message: `[{"message":"wrong: REDACTED"}]`},
		},
		{
			name:    "request id and code echoing secrets",
			header:  http.Header{"X-Request-Id": {"id-sig-0123456789abcdef"}},
			body:    `{"error_code":"tok-SECRET-1","error_msg":"m"}`,
			secrets: []string{"tok-SECRET-1", "sig-0123456789abcdef"},
			want:    Info{Code: "REDACTED", Message: "m", RequestID: "id-REDACTED"},
		},
		{
			name:    "overlapping and adjacent secrets make one marker",
			body:    `{"error_code":"C","error_msg":"x abcdefgh y"}`,
			secrets: []string{"abcdef", "defgh"},
			want:    Info{Code: "C", Message: "x REDACTED y"},
		},
		{
			name:    "secrets shorter than MinSecret are ignored",
			body:    `{"error_code":"C","error_msg":"abc"}`,
			secrets: []string{"abc", ""},
			want:    Info{Code: "C", Message: "abc"},
		},
		{
			name:    "a secret inside the marker changes the marker",
			body:    `{"error_code":"C","error_msg":"x DACT y"}`,
			secrets: []string{"DACT"},
			want:    Info{Code: "C", Message: "x *** y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.header, []byte(tt.body), tt.secrets...)
			for _, l := range leaks(got, tt.secrets) {
				t.Error(l)
			}
			if t.Failed() {
				return // the result holds a secret: do not print it
			}
			if got != tt.want {
				t.Errorf("Parse\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// A body far over MaxMessage whose text runs up to a secret at the cut: the
// cut must not leave the secret's first bytes.
func TestParseTruncationKeepsNoPrefix(t *testing.T) {
	secret := strings.Repeat("S3cr3t-", 40) // 280 bytes
	for pad := MaxMessage - 300; pad < MaxMessage; pad += 7 {
		body := strings.Repeat("a", pad) + secret + " tail"
		got := Parse(nil, []byte(body), secret)
		if l := leaks(got, []string{secret}); len(l) > 0 {
			t.Fatalf("pad %d: %v", pad, l)
		}
		if strings.Contains(got.Message, "S3cr") {
			t.Fatalf("pad %d: the message keeps the start of the secret", pad)
		}
	}
}
