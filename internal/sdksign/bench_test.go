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

func BenchmarkSign(b *testing.B) {
	r, body := benchRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := Sign(r, body, testAK, testSK, testNow); err != nil {
			b.Fatal(err)
		}
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
