package sdksign

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPayloadUnsigned(t *testing.T) {
	multipartType := multipart.NewWriter(nil).FormDataContentType()
	for _, tt := range []struct {
		header http.Header
		want   bool
	}{
		{http.Header{}, false},
		{http.Header{"Content-Type": {"application/json"}}, false},
		{http.Header{"Content-Type": {"application/json;charset=UTF-8"}}, false},
		{http.Header{"Content-Type": {"application/bson"}}, false},
		{http.Header{"content-type": {"application/json"}}, false}, // a key set directly on the map
		{http.Header{"Content-Type": {multipartType}}, true},
		{http.Header{"Content-Type": {"application/octet-stream"}}, true},
		{http.Header{"Content-Type": {""}}, true},
		{http.Header{"Content-Type": {}}, false},
		{http.Header{"Content-Type": {"Application/JSON"}}, true}, // case-sensitive, as the SDK
		{http.Header{"Content-Type": {"text/plain", "application/json"}}, true},
	} {
		if got := PayloadUnsigned(tt.header); got != tt.want {
			t.Errorf("PayloadUnsigned(%v) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// TestSignMultipartMatchesReference signs a multipart upload without its
// body and wants the Authorization the reference signer computes with the
// body: the body plays no part, so a signer need never read it.
func TestSignMultipartMatchesReference(t *testing.T) {
	body := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.xlsx\"\r\n\r\nPK\x03\x04\r\n--b--\r\n"
	newRequest := func() *http.Request {
		r := newReq(t, http.MethodPost, "https://drs.example.com/v5/5237e10fe9aa4ad5b16b6a5245248314/jobs/template")
		r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		r.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0")
		r.Header.Set(HeaderProjectID, "5237e10fe9aa4ad5b16b6a5245248314")
		return r
	}
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	want, err := referenceSign(newRequest(), []byte(body), "AK", "SK", now)
	if err != nil {
		t.Fatal(err)
	}
	r := newRequest()
	if err := Sign(r, nil, "AK", "SK", now); err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get(HeaderAuthorization); got != want {
		t.Fatalf("Authorization = %q, want the reference's %q", got, want)
	}
	if a := mustParseAuth(t, r); strings.Join(a.SignedHeaders, ";") != "user-agent;x-project-id;x-sdk-content-sha256;x-sdk-date" {
		t.Errorf("signed headers = %v: the marker is signed like any header", a.SignedHeaders)
	}
	secret := func(string) (string, bool) { return "SK", true }
	for _, received := range []string{body, "", "another body"} { // the body is not covered
		if _, err := Verify(r, []byte(received), secret, now, time.Minute); err != nil {
			t.Errorf("Verify with body %q: %v", received, err)
		}
	}
}

// TestVerifyUnsignedPayloadOnlyWhereSignerSendsIt: UNSIGNED-PAYLOAD on a
// request whose body Huawei's signer hashes (JSON, BSON, no Content-Type)
// is refused, even with a valid signature over it — else a JSON body would
// travel unauthenticated past the fake.
func TestVerifyUnsignedPayloadOnlyWhereSignerSendsIt(t *testing.T) {
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	secret := func(string) (string, bool) { return "SK", true }
	for _, tt := range []struct {
		contentType string // "-" = none
		ok          bool
	}{
		{"application/json", false},
		{"application/json;charset=UTF-8", false},
		{"application/bson", false},
		{"-", false},
		{"multipart/form-data; boundary=b", true},
		{"application/octet-stream", true},
	} {
		r := newReq(t, http.MethodPost, "https://drs.example.com/v5/p/jobs/export/template")
		if tt.contentType != "-" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		r.Header.Set(HeaderContentSha256, UnsignedPayload) // declared by the caller: Sign signs it verbatim
		if err := Sign(r, nil, "AK", "SK", now); err != nil {
			t.Fatal(err)
		}
		_, err := Verify(r, []byte(`{"jobs":["tampered"]}`), secret, now, time.Minute)
		if tt.ok && err != nil {
			t.Errorf("%s: %v", tt.contentType, err)
		}
		if !tt.ok && !errors.Is(err, ErrSignatureMismatch) {
			t.Errorf("%s: err = %v, want ErrSignatureMismatch", tt.contentType, err)
		}
	}
}
