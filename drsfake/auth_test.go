package drsfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// Published AK/SK vectors, huawei-auth.md section 1.4.
const (
	guideAK   = "QTWAOYTTINDUT2QVKYUC"
	guideSK   = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	guideURL  = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
	guideHost = "service.region.example.com"
	guideDate = "20191115T033655Z"
	sdkAK     = "AccessKey"
	sdkSK     = "SecretKey"
	sdkDate   = "20060102T150405Z"
)

func mustDate(t testing.TB, v string) time.Time {
	t.Helper()
	d, err := time.Parse("20060102T150405Z", v)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPublishedVectorsAccepted hands the requests of the published
// vectors, byte for byte, to the pipeline's signature check with the fake's
// clock pinned at the vectors' date. (Through ServeHTTP they would be
// answered 404 before any authentication: their paths are no DRS
// operations.) A correct signature passes; the same request against a fake
// that holds another secret key for the access key is refused with 401
// APIGW.0301, so the pass proves the signature was checked.
func TestPublishedVectorsAccepted(t *testing.T) {
	type vector struct {
		name, ak, sk, date, method, target, host, body string
		headers                                        map[string]string
		signed, signature                              string
	}
	vectors := []vector{
		{"guide example", guideAK, guideSK, guideDate, "GET", guideURL, guideHost, "",
			map[string]string{"Content-Type": "application/json", "Host": guideHost, "X-Sdk-Date": guideDate},
			"content-type;host;x-sdk-date", "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"},
		{"guide example signed by the SDK with Host injected", guideAK, guideSK, guideDate, "GET", guideURL, guideHost, "",
			map[string]string{"Content-Type": "application/json", "Host": guideHost, "X-Sdk-Date": guideDate},
			"host;x-sdk-date", "faafba090046ef84c81ca330e77576d8746733ddfcf0317aaeb59cff50da39a7"},
		{"guide example signed by the SDK", guideAK, guideSK, guideDate, "GET", guideURL, guideHost, "",
			map[string]string{"Content-Type": "application/json", "X-Sdk-Date": guideDate},
			"x-sdk-date", "71bb09da69c7a9f09e15fe8ab1a47f436d74a80c1a98b015ea49c46868227223"},
		{"SDK unit test GET", sdkAK, sdkSK, sdkDate, "GET", "https://example.huaweicloud.com/path?limit=1", "example.huaweicloud.com", "",
			map[string]string{"TEST_UNDERSCORE": "TEST_VALUE", "X-Sdk-Date": sdkDate},
			"x-sdk-date", "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"},
		{"SDK unit test POST", sdkAK, sdkSK, sdkDate, "POST", "https://example.huaweicloud.com/path?key=value", "example.huaweicloud.com", `{"Name":"test","Id":1}` + "\n",
			map[string]string{"TEST_UNDERSCORE": "TEST_VALUE", "X-Sdk-Date": sdkDate, "Content-Type": "application/json"},
			"x-sdk-date", "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"},
	}
	for _, v := range vectors {
		request := func() *http.Request {
			var body io.Reader
			if v.body != "" {
				body = strings.NewReader(v.body)
			}
			r := httptest.NewRequest(v.method, v.target, body)
			r.Host = v.host
			for k, val := range v.headers {
				if k != "Host" {
					r.Header[k] = []string{val} // as sent, without canonicalising the name
				}
			}
			r.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", v.ak, v.signed, v.signature))
			return r
		}
		date := mustDate(t, v.date)
		clock := NewManualClock(date)
		servers := map[string]*Server{
			v.sk:       mustNew(t, WithClock(clock), WithAccessKey(v.ak, v.sk)),
			v.sk + "x": mustNew(t, WithClock(clock), WithAccessKey(v.ak, v.sk+"x")),
		}
		for _, tc := range []struct {
			name   string
			sk     string
			now    time.Time
			status int
			code   string
			msg    string
		}{
			{"accepted", v.sk, date, 0, "", ""},
			{"accepted 14m59s later", v.sk, date.Add(14*time.Minute + 59*time.Second), 0, "", ""},
			{"accepted 14m59s earlier", v.sk, date.Add(-14*time.Minute - 59*time.Second), 0, "", ""},
			{"wrong secret key", v.sk + "x", date, 401, CodeAuthFailed, msgSignatureMismatch},
			{"16 minutes later", v.sk, date.Add(16 * time.Minute), 401, CodeSignatureExpired, msgSignatureExpired},
			{"16 minutes earlier", v.sk, date.Add(-16 * time.Minute), 401, CodeSignatureExpired, msgSignatureExpired},
		} {
			t.Run(v.name+"/"+tc.name, func(t *testing.T) {
				clock.Set(tc.now)
				w := httptest.NewRecorder()
				s := servers[tc.sk]
				c := &call{w: w, r: request(), now: tc.now, api: s.drs, op: OpExportCreationTemplate}
				if ok := s.verifySignature(c); ok != (tc.status == 0) {
					t.Fatalf("accepted: %t, want %t: %d %s", ok, tc.status == 0, w.Code, w.Body)
				}
				if tc.status == 0 {
					if w.Body.Len() > 0 {
						t.Errorf("an accepted request was answered: %s", w.Body)
					}
					return
				}
				if w.Code != tc.status {
					t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
				}
				e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes())
				if e.ErrorCode != tc.code || e.ErrorMsg != tc.msg {
					t.Errorf("got %s %q, want %s %q", e.ErrorCode, e.ErrorMsg, tc.code, tc.msg)
				}
				if strings.Contains(w.Body.String(), tc.sk) {
					t.Error("the answer echoes the secret key")
				}
				if strings.Contains(w.Body.String(), v.signature) {
					t.Error("the answer echoes the signature")
				}
			})
		}
	}
}

// sdkRequest builds a request the way Huawei's Go SDK (v0.1.207) does for the
// DRS calls, from huawei-auth.md section 1.1–1.3, independently of
// internal/sdksign: a header map holding User-Agent, X-Project-Id, X-Sdk-Date
// and Content-Type (also on GETs), signed over every map key except
// Content-Type and names with '_', Host unsigned, the JSON body as
// json.Encoder writes it (with a trailing newline), an empty-valued query
// parameter sent as a bare key.
func sdkRequest(t testing.TB, method, base, path string, query url.Values, body any, headers map[string]string, ak, sk string, now time.Time) *http.Request {
	t.Helper()
	var raw []byte
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			t.Fatal(err)
		}
		raw = buf.Bytes()
	}
	h := map[string]string{"Content-Type": "application/json", "X-Sdk-Date": now.UTC().Format("20060102T150405Z")}
	for k, v := range headers {
		h[k] = v
	}
	h["Authorization"] = sdkAuthorization(method, path, query, h, raw, ak, sk)

	wireQuery := strings.ReplaceAll(query.Encode(), "+", "%20")
	for k, vs := range query { // the SDK sends key= as a bare key
		if len(vs) == 1 && vs[0] == "" {
			wireQuery = strings.Replace(wireQuery, url.QueryEscape(k)+"=", url.QueryEscape(k), 1)
		}
	}
	u := base + (&url.URL{Path: path}).EscapedPath()
	if wireQuery != "" {
		u += "?" + wireQuery
	}
	r, err := http.NewRequest(method, u, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if raw == nil {
		r.Body, r.ContentLength = http.NoBody, 0
	}
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return r
}

// sdkAuthorization is the SDK's SDK-HMAC-SHA256 signer, written from the
// reference's step-by-step description.
func sdkAuthorization(method, path string, query url.Values, headers map[string]string, body []byte, ak, sk string) string {
	escape := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	segs := strings.Split(path, "/")
	for i := range segs {
		segs[i] = escape(segs[i])
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	var pairs []string
	names := make([]string, 0, len(query))
	for k := range query {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		vs := slices.Sorted(slices.Values(query[k]))
		for _, v := range vs {
			pairs = append(pairs, escape(k)+"="+escape(v))
		}
	}
	var signed []string
	lower := map[string]string{}
	for k, v := range headers {
		l := strings.ToLower(k)
		if strings.HasPrefix(l, "content-type") || strings.Contains(l, "_") || l == "authorization" {
			continue
		}
		signed = append(signed, l)
		lower[l] = v
	}
	slices.Sort(signed)
	var canonHeaders strings.Builder
	for _, n := range signed {
		canonHeaders.WriteString(n + ":" + strings.TrimSpace(lower[n]) + "\n")
	}
	sum := sha256.Sum256(body)
	cr := strings.Join([]string{method, uri, strings.Join(pairs, "&"), canonHeaders.String(), strings.Join(signed, ";"), hex.EncodeToString(sum[:])}, "\n")
	crSum := sha256.Sum256([]byte(cr))
	sts := "SDK-HMAC-SHA256\n" + headers["X-Sdk-Date"] + "\n" + hex.EncodeToString(crSum[:])
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(sts))
	return fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", ak, strings.Join(signed, ";"), hex.EncodeToString(m.Sum(nil)))
}

// TestSDKSignerMatchesVectors checks the test's SDK mimic against the SDK's
// own published vectors, so that the wire test below stands on it.
func TestSDKSignerMatchesVectors(t *testing.T) {
	h := map[string]string{"TEST_UNDERSCORE": "TEST_VALUE", "X-Sdk-Date": sdkDate}
	got := sdkAuthorization("GET", "/path", url.Values{"limit": {"1"}}, h, nil, sdkAK, sdkSK)
	if !strings.HasSuffix(got, "SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624") {
		t.Errorf("GET vector: the mimic signs %s, not the published signature", signedPart(got))
	}
	h["Content-Type"] = "application/json"
	got = sdkAuthorization("POST", "/path", url.Values{"key": {"value"}}, h, []byte(`{"Name":"test","Id":1}`+"\n"), sdkAK, sdkSK)
	if !strings.HasSuffix(got, "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59") {
		t.Errorf("POST vector: the mimic signs %s, not the published signature", signedPart(got))
	}
}

// sdkUserAgent is what the SDK sends (and signs) as User-Agent.
const sdkUserAgent = "huaweicloud-usdk-go/3.0; os/Debian GNU_Linux#12#amd64 go/go1.26.8 meta/en_US.UTF-8"

// TestHuaweiSDKOnTheWire runs the whole workflow over a real connection with
// requests shaped exactly as Huawei's Go SDK sends them (headers table of
// huawei-auth.md 1.1), then checks the refusals a signed client can meet.
func TestHuaweiSDKOnTheWire(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithExportTimings(time.Second, time.Second))
	hc := checkedClient(t, ts)
	sdkHeaders := map[string]string{"User-Agent": sdkUserAgent, "X-Project-Id": ts.ProjectID}
	call := func(r *http.Request) (int, []byte, http.Header) {
		t.Helper()
		resp, err := hc.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, resp.Header
	}
	base := "/v5/" + ts.ProjectID
	sign := func(method, path string, q url.Values, body any) *http.Request {
		return sdkRequest(t, method, ts.URL, path, q, body, sdkHeaders, ts.AccessKey, ts.SecretKey, clock.Now())
	}

	r := sign("POST", base+"/jobs/export/template", nil, map[string]any{"jobs": []string{ts.TaskIDs[0]}})
	if got := r.Header.Get("Authorization"); !strings.Contains(got, "SignedHeaders=user-agent;x-project-id;x-sdk-date,") {
		t.Fatalf("the mimic does not sign like the SDK: %s", signedPart(got))
	}
	status, body, _ := call(r)
	var job drsapi.ExportJob
	if status != 202 || json.Unmarshal(body, &job) != nil {
		t.Fatalf("export: %d %s", status, body)
	}
	clock.Advance(2 * time.Second)
	if status, body, _ = call(sign("GET", base+"/jobs/"+job.Id+"/export/progress", nil, nil)); status != 200 || !strings.Contains(string(body), `"success"`) {
		t.Fatalf("progress: %d %s", status, body)
	}
	var list drsapi.TemplateList
	status, body, _ = call(sign("GET", base+"/templates", url.Values{"offset": {"0"}, "limit": {"10"}}, nil))
	if status != 200 || json.Unmarshal(body, &list) != nil || list.Count != 1 {
		t.Fatalf("list: %d %s", status, body)
	}
	status, body, hdr := call(sign("POST", base+"/templates/download", nil, map[string]any{"files": []string{list.ExportReportObsFiles[0].FileName}}))
	if status != 200 || hdr.Get("Content-Type") != XLSXContentType || !bytes.HasPrefix(body, []byte("PK")) {
		t.Fatalf("download: %d %s", status, hdr)
	}

	// An empty-valued query parameter goes on the wire as a bare key but is
	// signed as "key=": the fake must canonicalise what it decodes.
	if status, body, _ = call(sign("GET", base+"/templates", url.Values{"marker": {""}}, nil)); status != 200 {
		t.Fatalf("bare query key: %d %s", status, body)
	}

	refusals := []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
		msg    string
	}{
		{"wrong secret key", func() *http.Request {
			return sdkRequest(t, "GET", ts.URL, base+"/templates", nil, nil, sdkHeaders, ts.AccessKey, "wrong", clock.Now())
		}, 401, CodeAuthFailed, msgSignatureMismatch},
		{"unknown access key", func() *http.Request {
			return sdkRequest(t, "GET", ts.URL, base+"/templates", nil, nil, sdkHeaders, "UNKNOWNAK", ts.SecretKey, clock.Now())
		}, 401, CodeAuthFailed, msgAccessKeyUnknown},
		{"X-Sdk-Date 16 minutes behind", func() *http.Request {
			return sdkRequest(t, "GET", ts.URL, base+"/templates", nil, nil, sdkHeaders, ts.AccessKey, ts.SecretKey, clock.Now().Add(-16*time.Minute))
		}, 401, CodeSignatureExpired, msgSignatureExpired},
		{"body changed after signing", func() *http.Request {
			r := sign("POST", base+"/jobs/export/template", nil, map[string]any{"jobs": []string{ts.TaskIDs[0]}})
			b := []byte(`{"jobs":["` + ts.TaskIDs[1] + `"]}` + "\n")
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			return r
		}, 401, CodeAuthFailed, msgSignatureMismatch},
		{"X-Project-Id of another project", func() *http.Request {
			h := map[string]string{"User-Agent": sdkUserAgent, "X-Project-Id": strings.Repeat("a", 32)}
			return sdkRequest(t, "GET", ts.URL, base+"/templates", nil, nil, h, ts.AccessKey, ts.SecretKey, clock.Now())
		}, 403, CodeForbidden, msgProjectMismatch},
		{"malformed Authorization", func() *http.Request {
			r := sign("GET", base+"/templates", nil, nil)
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=x")
			return r
		}, 401, CodeAuthFailed, msgAuthorizationMalformed},
		{"X-Sdk-Date not in the SDK layout", func() *http.Request {
			r := sign("GET", base+"/templates", nil, nil)
			r.Header.Set("X-Sdk-Date", clock.Now().Format(time.RFC3339))
			return r
		}, 401, CodeAuthFailed, msgSdkDateInvalid},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := call(tc.req())
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			e := errBody(t, hdr.Get("Content-Type"), body)
			if e.ErrorCode != tc.code || e.ErrorMsg != tc.msg {
				t.Errorf("got %s %q, want %s %q", e.ErrorCode, e.ErrorMsg, tc.code, tc.msg)
			}
			if strings.Contains(string(body), ts.SecretKey) {
				t.Errorf("the answer echoes the secret key")
			}
		})
	}
}

// TestTemporaryCredentials checks AK/SK with a security token.
func TestTemporaryCredentials(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithTemporaryAccessKey("TEMPAK", "tempsk", "sts-token", t0.Add(time.Hour)))
	hc := checkedClient(t, ts)
	path := "/v5/" + ts.ProjectID + "/templates"
	for _, tc := range []struct {
		name    string
		headers map[string]string
		advance time.Duration
		status  int
		msg     string
	}{
		{"signed security token", map[string]string{"X-Security-Token": "sts-token"}, 0, 200, ""},
		{"no security token", map[string]string{}, 0, 401, msgSecurityTokenInvalid},
		{"wrong security token", map[string]string{"X-Security-Token": "other"}, 0, 401, msgSecurityTokenInvalid},
		{"expired", map[string]string{"X-Security-Token": "sts-token"}, time.Hour, 401, msgCredentialsExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Advance(tc.advance)
			h := map[string]string{"User-Agent": sdkUserAgent, "X-Project-Id": ts.ProjectID}
			for k, v := range tc.headers {
				h[k] = v
			}
			r := sdkRequest(t, "GET", ts.URL, path, nil, nil, h, "TEMPAK", "tempsk", clock.Now())
			resp, err := hc.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if tc.msg != "" {
				if e := errBody(t, resp.Header.Get("Content-Type"), b); e.ErrorMsg != tc.msg || e.ErrorCode != CodeAuthFailed {
					t.Errorf("got %+v, want %s", e, tc.msg)
				}
				if strings.Contains(string(b), "sts-token") {
					t.Error("the answer echoes the security token")
				}
			}
		})
	}

	// A security token that is sent but not signed is refused too.
	r := sdkRequest(t, "GET", ts.URL, path, nil, nil, map[string]string{"User-Agent": sdkUserAgent}, "TEMPAK", "tempsk", t0)
	r.Header.Set("X-Security-Token", "sts-token")
	clock.Set(t0)
	resp, err := hc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned security token: status %d, want 401", resp.StatusCode)
	}
}

// TestTokenPrecedenceAndHeaders checks that X-Auth-Token wins over a bad
// Authorization header, as at the gateway, and that every answer — success
// or refusal — carries X-Request-Id and the fake clock's Date.
func TestTokenPrecedenceAndHeaders(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock))
	c := drsClient(t, ts, ts.Token)
	seen := map[string]bool{}
	for _, auth := range []struct{ name, value string }{
		{"no Authorization", ""},
		{"a malformed Authorization", "SDK-HMAC-SHA256 garbage"},
	} {
		r, err := c.ListTemplatesWithResponse(context.Background(), ts.ProjectID, nil, func(_ context.Context, r *http.Request) error {
			if auth.value != "" {
				r.Header.Set("Authorization", auth.value)
			}
			return nil
		})
		if err != nil || r.StatusCode() != 200 {
			t.Fatalf("with %s: %v %s", auth.name, err, r.Body)
		}
		id := r.HTTPResponse.Header.Get(headerRequestID)
		if len(id) != 32 || seen[id] {
			t.Errorf("request id %q missing, malformed or repeated", id)
		}
		seen[id] = true
		if got := r.HTTPResponse.Header.Get("Date"); got != t0.Format(http.TimeFormat) {
			t.Errorf("Date %q, want %q", got, t0.Format(http.TimeFormat))
		}
	}
}
