package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The transport reproduces the SDK's published vector (b) of
// huawei-auth.md §1.4 exactly: GET /path?limit=1 with AK "AccessKey", SK
// "SecretKey", time 20060102T150405Z, an unsigned TEST_UNDERSCORE header and
// neither User-Agent nor project id, so x-sdk-date is the only signed header.
func TestTransportPublishedVectorB(t *testing.T) {
	const want = "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, " +
		"Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
	var got, date string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, date = r.Header.Get("Authorization"), r.Header.Get("X-Sdk-Date")
	}))
	defer srv.Close()

	tr := &Transport{
		Credentials: AccessKey{ID: "AccessKey", Secret: "SecretKey"},
		Endpoint:    srv.URL,
		Now:         func() time.Time { return time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC) },
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/path?limit=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header["TEST_UNDERSCORE"] = []string{"TEST_VALUE"}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got != want {
		t.Fatalf("Authorization\n got %s\nwant %s", got, want)
	}
	if date != "20060102T150405Z" {
		t.Fatalf("X-Sdk-Date = %q", date)
	}
}
