package auth

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// answer is a base RoundTripper that drains the request body and returns
// the one response it was made with, so the benchmark measures the
// Transport's own work — cloning, reading the body, canonicalising and
// signing — and not the making of a response. It is for one goroutine.
type answer struct{ resp *http.Response }

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	a.resp.Request = r
	return a.resp, nil
}

// rewindBody is a request body the benchmark rewinds between calls instead
// of making another: Close does nothing.
type rewindBody struct{ strings.Reader }

func (*rewindBody) Close() error { return nil }

// BenchmarkTransport times RoundTrip alone, for a POST with a JSON body and
// for a GET: the request, its body, the base transport and its response
// are made once, before the loop; each call only rewinds the body.
func BenchmarkTransport(b *testing.B) {
	const body = `{"jobs":["62a055ae-ce03-4232-beb6-46c83b8ef2b2","1f1c1a36-0d1b-4c62-a8f7-6f1b39f3c1a7"]}` + "\n"
	const ep = "https://drs.cn-north-4.myhuaweicloud.com"
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	for _, bc := range []struct {
		name  string
		creds Credentials
		post  bool // the export's POST with its JSON body; else the progress GET
	}{
		{"AccessKey", AccessKey{ID: "QTWAOYTTINDUT2QVKYUC", Secret: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", ProjectID: testProject}, true},
		{"StaticToken", StaticToken("MIIEXAMPLE"), true},
		{"AccessKeyGET", AccessKey{ID: "QTWAOYTTINDUT2QVKYUC", Secret: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", ProjectID: testProject}, false},
		{"StaticTokenGET", StaticToken("MIIEXAMPLE"), false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			base := answer{resp: &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}}}
			tr := &Transport{Credentials: bc.creds, Endpoint: mustURL(ep), Base: base, UserAgent: DefaultUserAgent,
				Now: func() time.Time { return now }}
			req, err := http.NewRequest(http.MethodGet, ep+"/v5/"+testProject+"/jobs/62a055ae-ce03-4232-beb6-46c83b8ef2b2/export/progress", nil)
			if err != nil {
				b.Fatal(err)
			}
			rb := &rewindBody{}
			if bc.post {
				if req, err = http.NewRequest(http.MethodPost, ep+"/v5/"+testProject+"/jobs/export/template?x=1", rb); err != nil {
					b.Fatal(err)
				}
				req.ContentLength = int64(len(body))
				// As http.NewRequest gives a sized body: GetBody, here the
				// same body rewound.
				req.GetBody = func() (io.ReadCloser, error) { rb.Reset(body); return rb, nil }
			}
			req.Header.Set("Content-Type", "application/json")
			b.ReportAllocs()
			for b.Loop() {
				rb.Reset(body)
				resp, err := tr.RoundTrip(req)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
			}
		})
	}
}
