package auth

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// answer is a base RoundTripper that answers every request at once, so the
// benchmark measures the Transport's own work: cloning, reading the body,
// canonicalising and signing.
type answer struct{}

func (answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

func BenchmarkTransport(b *testing.B) {
	const body = `{"jobs":["62a055ae-ce03-4232-beb6-46c83b8ef2b2","1f1c1a36-0d1b-4c62-a8f7-6f1b39f3c1a7"]}` + "\n"
	const ep = "https://drs.cn-north-4.myhuaweicloud.com"
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	for _, bc := range []struct {
		name  string
		creds Credentials
	}{
		{"AccessKey", AccessKey{ID: "QTWAOYTTINDUT2QVKYUC", Secret: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", ProjectID: testProject}},
		{"StaticToken", StaticToken("MIIEXAMPLE")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tr := &Transport{Credentials: bc.creds, Endpoint: mustURL(ep), Base: answer{}, UserAgent: DefaultUserAgent,
				Now: func() time.Time { return now }}
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, ep+"/v5/"+testProject+"/jobs/export/template?x=1", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := tr.RoundTrip(req)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
			}
		})
	}
}
