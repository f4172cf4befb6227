package auth

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The transport reproduces the SDK's published vectors (b) of
// huawei-auth.md §1.4 exactly: AK "AccessKey", SK "SecretKey", time
// 20060102T150405Z, endpoint https://example.huaweicloud.com, an unsigned
// TEST_UNDERSCORE header and neither User-Agent nor project id, so
// x-sdk-date is the only signed header. The base transport records the
// request instead of sending it.
func TestTransportPublishedVectors(t *testing.T) {
	tests := []struct {
		name, method, url, contentType, body, signature string
	}{
		{
			name: "GET", method: http.MethodGet, url: "https://example.huaweicloud.com/path?limit=1",
			signature: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
		},
		{
			name: "POST", method: http.MethodPost, url: "https://example.huaweicloud.com/path?key=value",
			contentType: "application/json", body: `{"Name":"test","Id":1}` + "\n",
			signature: "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent *http.Request
			var sentBody string
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent = r
				if r.Body != nil {
					b, _ := io.ReadAll(r.Body)
					_ = r.Body.Close()
					sentBody = string(b)
				}
				return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
			})
			tr := &Transport{
				Credentials: AccessKey{ID: "AccessKey", Secret: "SecretKey"},
				Endpoint:    mustURL("https://example.huaweicloud.com"),
				Base:        base,
				Now:         func() time.Time { return time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC) },
			}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, tt.url, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req.Header["TEST_UNDERSCORE"] = []string{"TEST_VALUE"}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			want := "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=" + tt.signature
			if got := sent.Header.Get("Authorization"); got != want {
				t.Fatal("Authorization is not the published vector's") // a signature: not printed
			}
			if got := sent.Header.Get("X-Sdk-Date"); got != "20060102T150405Z" {
				t.Fatalf("X-Sdk-Date = %q", got)
			}
			var underscore []string // sent as set: not canonicalised, not signed
			for k, v := range sent.Header {
				if k == "TEST_UNDERSCORE" {
					underscore = v
				}
			}
			if sentBody != tt.body || sent.URL.String() != tt.url || len(underscore) != 1 || underscore[0] != "TEST_VALUE" {
				t.Fatalf("sent %s %q with TEST_UNDERSCORE %q; want the vector's request", sent.URL, sentBody, underscore)
			}
		})
	}
}
