package sdksign

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func benchRequest(b *testing.B) (*http.Request, []byte) {
	r := httptest.NewRequest(http.MethodPost, "https://drs.cn-north-4.myhuaweicloud.com/v5/0123456789abcdef0123456789abcdef/jobs/export/template", nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0; os/linux#6.1#amd64 go/go1.26")
	r.Header.Set(HeaderProjectID, "0123456789abcdef0123456789abcdef")
	r.Header.Set(HeaderDate, "20250703T094412Z")
	return r, []byte(testBody)
}

// drsGET returns a GET as auth.Transport hands it to Sign for one of the two
// DRS read calls: the headers the client sends, no body and no X-Sdk-Date
// (the transport removes it so that every attempt is dated afresh).
func drsGET(tb testing.TB, target string) *http.Request {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, "https://drs.cn-north-4.myhuaweicloud.com"+target, nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "drstemplate")
	r.Header.Set("X-Language", "en-us")
	r.Header.Set(HeaderProjectID, "0123456789abcdef0123456789abcdef")
	return r
}

// Targets of the two DRS read calls.
const (
	showExportProgressTarget = "/v5/0123456789abcdef0123456789abcdef/jobs/62a055ae-ce03-4232-beb6-46c83b8ef2b2/export/progress"
	listTemplatesTarget      = "/v5/0123456789abcdef0123456789abcdef/templates?offset=100&limit=100"
)

func BenchmarkSign(b *testing.B) {
	r, body := benchRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := Sign(r, body, testAK, testSK, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignGET signs the DRS read calls as auth.Transport does, dating
// each request afresh.
func BenchmarkSignGET(b *testing.B) {
	for _, bc := range []struct{ name, target string }{
		{"ShowExportProgress", showExportProgressTarget},
		{"ListTemplates", listTemplatesTarget},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := drsGET(b, bc.target)
			b.ReportAllocs()
			for b.Loop() {
				r.Header.Del(HeaderDate)
				if err := Sign(r, nil, testAK, testSK, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	r, body := benchRequest(b)
	if err := Sign(r, body, testAK, testSK, testNow); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(r, body, testSecrets, testNow, 15*time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
