package sdksign

import (
	"net/http"
	"testing"
	"time"
)

// TestSignAllocations pins the heap allocations of signing and verifying
// the DRS calls as auth.Transport and the fake make them, so that they
// cannot silently grow back. Allocation counts are deterministic for a
// given toolchain, unlike timings; each bound is what the implementation
// reaches (in the comment) plus a little room for changes in the standard
// library.
func TestSignAllocations(t *testing.T) {
	post := func(tb testing.TB) *http.Request {
		r := drsGET(tb, "/v5/0123456789abcdef0123456789abcdef/jobs/export/template")
		r.Method = http.MethodPost
		return r
	}
	tests := []struct {
		name               string
		request            func(testing.TB) *http.Request
		body               []byte
		maxSign, maxVerify float64
	}{
		// Sign 12: the date string and slice, the Authorization string and
		// slice, and crypto/hmac's 8. Verify 9: the parsed SignedHeaders
		// list and crypto/hmac's 8.
		{"ShowExportProgress", func(tb testing.TB) *http.Request { return drsGET(tb, showExportProgressTarget) }, nil, 14, 11},
		// Sign 14, Verify 13: the same plus the parsed query (a map and
		// slices).
		{"ListTemplates", func(tb testing.TB) *http.Request { return drsGET(tb, listTemplatesTarget) }, nil, 16, 15},
		// Sign 12, Verify 9: the body is hashed without allocating.
		{"ExportCreationTemplate", post, []byte(testBody), 14, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.request(t)
			var err error
			sign := testing.AllocsPerRun(100, func() {
				r.Header.Del(HeaderDate) // dated afresh, as auth.Transport does
				err = Sign(r, tt.body, testAK, testSK, testNow)
			})
			if err != nil {
				t.Fatal(err)
			}
			if sign > tt.maxSign {
				t.Errorf("Sign: %v allocations per call, want at most %v", sign, tt.maxSign)
			}

			var ak string
			verify := testing.AllocsPerRun(100, func() {
				ak, err = Verify(r, tt.body, testSecrets, testNow, 15*time.Minute)
			})
			if err != nil || ak != testAK {
				t.Fatalf("Verify = %q, %v", ak, err)
			}
			if verify > tt.maxVerify {
				t.Errorf("Verify: %v allocations per call, want at most %v", verify, tt.maxVerify)
			}
			t.Logf("allocations per call: Sign %v, Verify %v", sign, verify)
		})
	}
}
