package sdksign

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Guide example, section 1.4 (a) of the reference.
const (
	guideURL  = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
	guideHost = "service.region.example.com"
	guideDate = "20191115T033655Z"
	guideAK   = "QTWAOYTTINDUT2QVKYUC"
	guideSK   = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"

	guideCanonical = "GET\n" +
		"/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n" +
		"limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\n" +
		"host:service.region.example.com\n" +
		"x-sdk-date:20191115T033655Z\n" +
		"\n" +
		"content-type;host;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	guideCanonicalHash = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	guideSig           = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
	guideSigHost       = "faafba090046ef84c81ca330e77576d8746733ddfcf0317aaeb59cff50da39a7"
	guideSigNoHost     = "71bb09da69c7a9f09e15fe8ab1a47f436d74a80c1a98b015ea49c46868227223"
)

// SDK unit-test vectors, section 1.4 (b).
const (
	sdkAK   = "AccessKey"
	sdkSK   = "SecretKey"
	sdkDate = "20060102T150405Z"
	sdkBody = "{\"Name\":\"test\",\"Id\":1}\n"
)

// vector describes one published test vector.
type vector struct {
	name    string
	method  string
	url     string
	headers map[string]string // set with Header.Set
	body    string
	ak, sk  string
	date    string
	signed  []string // signed headers expected
	sig     string
}

var vectors = []vector{
	{
		name: "guide/sdk-style-host-injected", method: "GET", url: guideURL,
		headers: map[string]string{"Content-Type": "application/json", "Host": guideHost, HeaderDate: guideDate},
		ak:      guideAK, sk: guideSK, date: guideDate,
		signed: []string{"host", "x-sdk-date"}, sig: guideSigHost,
	},
	{
		name: "guide/sdk-style-no-host", method: "GET", url: guideURL,
		headers: map[string]string{"Content-Type": "application/json", HeaderDate: guideDate},
		ak:      guideAK, sk: guideSK, date: guideDate,
		signed: []string{"x-sdk-date"}, sig: guideSigNoHost,
	},
	{
		name: "sdk/GET", method: "GET", url: "https://example.huaweicloud.com/path?limit=1",
		headers: map[string]string{"TEST_UNDERSCORE": "TEST_VALUE", HeaderDate: sdkDate},
		ak:      sdkAK, sk: sdkSK, date: sdkDate,
		signed: []string{"x-sdk-date"}, sig: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
	},
	{
		name: "sdk/POST", method: "POST", url: "https://example.huaweicloud.com/path?key=value",
		headers: map[string]string{"TEST_UNDERSCORE": "TEST_VALUE", "Content-Type": "application/json", HeaderDate: sdkDate},
		body:    sdkBody,
		ak:      sdkAK, sk: sdkSK, date: sdkDate,
		signed: []string{"x-sdk-date"}, sig: "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
	},
}

func (v vector) header() string {
	return Authorization{Access: v.ak, SignedHeaders: v.signed, Signature: v.sig}.Header()
}

func (v vector) request(t testing.TB) *http.Request {
	t.Helper()
	r, err := http.NewRequest(v.method, v.url, strings.NewReader(v.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, val := range v.headers {
		r.Header.Set(k, val)
	}
	return r
}

func sdkHeader(h map[string]string) func(string) string {
	return func(name string) string {
		for k, v := range h {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		return ""
	}
}

func TestGuideExampleLowLevel(t *testing.T) {
	u, err := url.Parse(guideURL)
	if err != nil {
		t.Fatal(err)
	}
	h := sdkHeader(map[string]string{"Content-Type": "application/json", "Host": guideHost, HeaderDate: guideDate})
	cr := CanonicalRequest("GET", u.Path, u.Query(), []string{"content-type", "host", "x-sdk-date"}, h, HashPayload(nil))
	if cr != guideCanonical {
		t.Fatalf("canonical request:\n%s\nwant:\n%s", cr, guideCanonical)
	}
	sts := StringToSign(guideDate, cr)
	if want := Algorithm + "\n" + guideDate + "\n" + guideCanonicalHash; sts != want {
		t.Fatalf("string to sign = %q, want %q", sts, want)
	}
	if got := Signature(guideSK, sts); got != guideSig {
		t.Fatalf("signature = %s, want %s", got, guideSig)
	}
	a := Authorization{Access: guideAK, SignedHeaders: []string{"content-type", "host", "x-sdk-date"}, Signature: guideSig}
	want := "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=" + guideSig
	if a.Header() != want {
		t.Fatalf("header = %q, want %q", a.Header(), want)
	}
}

func TestVectorsLowLevel(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			u, err := url.Parse(v.url)
			if err != nil {
				t.Fatal(err)
			}
			hdr := http.Header{}
			for k, val := range v.headers {
				hdr.Set(k, val)
			}
			signed := SignableHeaders(hdr)
			if strings.Join(signed, ";") != strings.Join(v.signed, ";") {
				t.Fatalf("SignableHeaders = %v, want %v", signed, v.signed)
			}
			cr := CanonicalRequest(v.method, u.Path, u.Query(), signed, sdkHeader(v.headers), HashPayload([]byte(v.body)))
			if got := Signature(v.sk, StringToSign(v.date, cr)); got != v.sig {
				t.Fatalf("signature = %s, want %s\ncanonical request:\n%s", got, v.sig, cr)
			}
		})
	}
}

func TestVectorsSign(t *testing.T) {
	// A clock far from the pinned dates: Sign must keep the pinned X-Sdk-Date.
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			r := v.request(t)
			if err := Sign(r, []byte(v.body), v.ak, v.sk, now); err != nil {
				t.Fatal(err)
			}
			if got := r.Header.Get(HeaderAuthorization); got != v.header() {
				t.Fatalf("Authorization = %q\nwant            %q", got, v.header())
			}
			if got := r.Header.Get(HeaderDate); got != v.date {
				t.Fatalf("X-Sdk-Date = %q, want pinned %q", got, v.date)
			}
			if got := r.Header.Get(HeaderContentSha256); got != "" {
				t.Fatalf("unexpected %s: %q", HeaderContentSha256, got)
			}
		})
	}
}

// TestVectorsVerify checks that the verifier accepts every published
// variant, including the guide's own one that signs content-type.
func TestVectorsVerify(t *testing.T) {
	guide := vector{
		name: "guide/published", method: "GET", url: guideURL,
		headers: map[string]string{"Content-Type": "application/json", HeaderDate: guideDate},
		ak:      guideAK, sk: guideSK, date: guideDate,
		signed: []string{"content-type", "host", "x-sdk-date"}, sig: guideSig,
	}
	secrets := map[string]string{guideAK: guideSK, sdkAK: sdkSK}
	secretFor := func(ak string) (string, bool) { sk, ok := secrets[ak]; return sk, ok }
	for _, v := range append([]vector{guide}, vectors...) {
		t.Run(v.name, func(t *testing.T) {
			// As the server sees it: Host from the URL, no Host header.
			r := httptest.NewRequest(v.method, v.url, strings.NewReader(v.body))
			for k, val := range v.headers {
				if k != "Host" {
					r.Header.Set(k, val)
				}
			}
			r.Header.Set(HeaderAuthorization, v.header())
			pinned, _ := time.Parse(DateLayout, v.date)
			for _, now := range []time.Time{pinned, pinned.Add(14 * time.Minute), pinned.Add(-15 * time.Minute)} {
				ak, err := Verify(r, []byte(v.body), secretFor, now, 15*time.Minute)
				if err != nil || ak != v.ak {
					t.Fatalf("Verify = %q, %v; want %q, nil", ak, err, v.ak)
				}
			}
			if _, err := Verify(r, []byte(v.body), secretFor, time.Now(), 0); err != nil {
				t.Fatalf("Verify without skew check: %v", err)
			}
		})
	}
}

// TestSignThenVerifySameRequest signs the vector requests and hands the very
// same *http.Request to Verify.
func TestSignThenVerifySameRequest(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			r := v.request(t)
			if err := Sign(r, []byte(v.body), v.ak, v.sk, time.Now()); err != nil {
				t.Fatal(err)
			}
			ak, err := Verify(r, bytes.Clone([]byte(v.body)), func(string) (string, bool) { return v.sk, true }, time.Now(), 0)
			if err != nil || ak != v.ak {
				t.Fatalf("Verify = %q, %v", ak, err)
			}
		})
	}
}
