package drsfake

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// unreadBody is a request body that records whether anything read it.
type unreadBody struct {
	r    io.Reader
	read bool
}

func (b *unreadBody) Read(p []byte) (int, error) {
	b.read = true
	return b.r.Read(p)
}

func (b *unreadBody) Close() error { return nil }

// TestRefusedBeforeTheBodyIsRead checks that a request without valid
// credentials is refused with 401 without its body being read, whatever
// its size, and that an oversized body of an authenticated request gets a
// JSON 400 DRS.M00007 rather than being read whole.
func TestRefusedBeforeTheBodyIsRead(t *testing.T) {
	s := mustNew(t, WithToken("tok"), WithAccessKey("AKID", "secret"))
	p := s.ProjectIDs()[0]
	big := 13 << 20
	for _, tc := range []struct {
		name string
		hdr  map[string]string
	}{
		{"no credentials", nil},
		{"unknown token", map[string]string{"X-Auth-Token": "wrong"}},
		{"malformed Authorization", map[string]string{"Authorization": "SDK-HMAC-SHA256 garbage"}},
		{"unknown access key", map[string]string{
			"Authorization": "SDK-HMAC-SHA256 Access=NOSUCHKEY, SignedHeaders=x-sdk-date, Signature=" + strings.Repeat("0", 64),
			"X-Sdk-Date":    t0.Format("20060102T150405Z"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &unreadBody{r: io.LimitReader(zeros{}, int64(big))}
			r := httptest.NewRequest(http.MethodPost, "/v5/"+p+"/jobs/export/template", nil)
			r.Body, r.ContentLength = body, int64(big)
			r.Header.Set("Content-Type", "application/json")
			for k, v := range tc.hdr {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", w.Code, w.Body)
			}
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeAuthFailed {
				t.Errorf("code %s, want %s", e.ErrorCode, CodeAuthFailed)
			}
			if body.read {
				t.Error("the body of an unauthenticated request was read")
			}
		})
	}
}

// zeros is an endless stream of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// TestExpectContinueRefusedWithoutUpload sends the head of a 13 MB upload
// with Expect: 100-continue and no credentials over a real connection: the
// fake must answer 401 without first inviting the body with 100 Continue.
func TestExpectContinueRefusedWithoutUpload(t *testing.T) {
	ts := start(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard: the answer comes at once
	head := "POST /v5/" + ts.ProjectID + "/jobs/export/template HTTP/1.1\r\nHost: fake\r\n" +
		"Content-Type: application/json\r\nContent-Length: 13000000\r\nExpect: 100-continue\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("first answer %s, want 401 without 100 Continue", resp.Status)
	}
}

// TestOversizedBodyIsCheap sends 12 MB of {"jobs":[0,0,...]} with a valid
// token, with and without a Content-Length, and bodies of zeros just within
// each call's size limit: the fake must answer 400 DRS.M00007 without
// spending hundreds of MB on them (measured as the bytes allocated while
// serving, with a generous bound; no timing).
func TestOversizedBodyIsCheap(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	p := s.ProjectIDs()[0]
	zeros := func(field string, size int64) []byte {
		var b bytes.Buffer
		b.WriteString(`{"` + field + `":[0`)
		for int64(b.Len())+4 <= size { // with the closing "]}", at most size bytes
			b.WriteString(",0")
		}
		b.WriteString("]}")
		return b.Bytes()
	}
	for _, tc := range []struct {
		name, path    string
		body          []byte
		contentLength bool
	}{
		{"12 MB with Content-Length", "/jobs/export/template", zeros("jobs", 12_000_000), true},
		{"12 MB chunked", "/jobs/export/template", zeros("jobs", 12_000_000), false},
		{"export, at its limit", "/jobs/export/template", zeros("jobs", s.drs.maxBody[OpExportCreationTemplate]), true},
		{"download, at its limit", "/templates/download", zeros("files", s.drs.maxBody[OpDownloadCreateTemplate]), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/v5/"+p+tc.path, nil)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(tc.body)), -1
			if tc.contentLength {
				r.ContentLength = int64(len(tc.body))
			}
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Auth-Token", "tok")
			w := httptest.NewRecorder()
			allocated := allocatedBy(func() { s.ServeHTTP(w, r) })
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %.200s", w.Code, w.Body)
			}
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeInvalidParameter {
				t.Errorf("code %s, want %s", e.ErrorCode, CodeInvalidParameter)
			}
			t.Logf("refusing %d bytes allocated %d KiB", len(tc.body), allocated>>10)
			if allocated > 32<<20 {
				t.Errorf("refusing a body of %d bytes allocated %d MB; want at most 32", len(tc.body), allocated>>20)
			}
		})
	}
}

// allocatedBy returns the bytes allocated on the heap while f runs.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestMalformedQueries checks that queries the contract cannot mean are
// refused with a JSON 400 instead of being silently dropped or trimmed.
func TestMalformedQueries(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	p := s.ProjectIDs()[0]
	list := "/v5/" + p + "/templates"
	junk := make(url.Values)
	for i := range 10_000 {
		junk.Set(fmt.Sprintf("junk%d", i), "x")
	}
	for _, tc := range []struct {
		name, target string
		status       int
	}{
		{"well-formed", list + "?offset=0&limit=10", 200},
		{"a bare unknown key, as the SDK sends an empty value", list + "?marker", 200},
		{"a few unknown parameters", list + "?a=1&b=2&c=3", 200},
		{"semicolon", list + "?limit=0;", 400},
		{"bad escape", list + "?limit=%zz", 400},
		{"offset twice", list + "?offset=1&offset=2", 400},
		{"limit twice, same value", list + "?limit=1&limit=1", 400},
		{"10,000 unknown parameters", list + "?offset=1&" + junk.Encode(), 400},
		{"an oversized query", list + "?x=" + strings.Repeat("a", 8192), 400},
		{"IAM name twice", "/v3/projects?name=a&name=b", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(s, http.MethodGet, tc.target, "tok", "")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tc.status, w.Body)
			}
			if tc.status != 400 {
				return
			}
			if strings.HasPrefix(tc.target, "/v3/") {
				checkKeystoneBody(t, w)
				return
			}
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeInvalidParameter {
				t.Errorf("code %s, want %s", e.ErrorCode, CodeInvalidParameter)
			}
		})
	}
}

// TestDataAfterTheBody checks that a JSON body followed by anything but
// white space is refused.
func TestDataAfterTheBody(t *testing.T) {
	s := mustNew(t, WithToken("tok"), WithTasks(Task{ID: "task-1", Engine: "mysql"}), WithUser("acct", "user", "pw"))
	p := s.ProjectIDs()[0]
	export := "/v5/" + p + "/jobs/export/template"
	login := passwordLogin("acct", "user", "pw", p)
	if w := serve(s, http.MethodPost, "/v3/auth/tokens", "", login); w.Code != 201 {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		name, path, body string
		status           int
	}{
		{"one value", export, `{"jobs":["task-1"]}`, 202},
		{"one value and white space", export, "{\"jobs\":[\"task-1\"]} \r\n\t\n", 202},
		{"trailing word", export, `{"jobs":["task-1"]} trailing`, 400},
		{"two values", export, `{"jobs":["task-1"]}{"jobs":[]}`, 400},
		{"trailing brace", export, `{"jobs":["task-1"]}}`, 400},
		{"download, two values", "/v5/" + p + "/templates/download", `{"files":["a.xlsx"]}[]`, 400},
		{"IAM login, two values", "/v3/auth/tokens", login + `{}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(s, http.MethodPost, tc.path, "tok", tc.body)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			switch {
			case tc.status != 400:
			case strings.HasPrefix(tc.path, "/v3/"):
				checkKeystoneBody(t, w)
			default:
				if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeInvalidParameter {
					t.Errorf("code %s, want %s", e.ErrorCode, CodeInvalidParameter)
				}
			}
		})
	}
}

// TestErrorsAreJSON sends requests that net/http passes to the fake, odd as
// they are: every answer is a JSON error body with a request id.
func TestErrorsAreJSON(t *testing.T) {
	ts := start(t)
	for _, tc := range []struct{ name, raw string }{
		{"unknown path", "GET /nowhere HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"unknown method", "BREW /v5/" + ts.ProjectID + "/templates HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"absolute URI of another host", "GET http://elsewhere.example/v5/" + ts.ProjectID + "/templates HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"escaped slash in a path parameter", "GET /v5/" + ts.ProjectID + "/jobs/a%2Fb/export/progress HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"dot segments", "GET /v5/../v5/" + ts.ProjectID + "/templates HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"HTTP/1.0 without Host", "GET /v5/" + ts.ProjectID + "/templates HTTP/1.0\r\n\r\n"},
		{"no credentials", "GET /v5/" + ts.ProjectID + "/templates HTTP/1.1\r\nHost: fake\r\n\r\n"},
		{"body on a GET", "GET /v5/" + ts.ProjectID + "/templates HTTP/1.1\r\nHost: fake\r\nContent-Length: 5\r\n\r\nhello"},
		{"malformed query", "GET /v5/" + ts.ProjectID + "/templates?a=%zz HTTP/1.1\r\nHost: fake\r\nX-Auth-Token: " + ts.Token + "\r\n\r\n"},
		{"IAM, unknown path", "GET /v3/users HTTP/1.1\r\nHost: fake\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := rawRequest(t, ts, tc.raw)
			if resp.status < 400 || resp.header.Get("Content-Type") != "application/json" || !bytes.HasPrefix(resp.body, []byte("{")) ||
				resp.header.Get("X-Request-Id") == "" {
				t.Errorf("answer %d %q with X-Request-Id %q: %.200s; want a JSON error from the fake",
					resp.status, resp.header.Get("Content-Type"), resp.header.Get("X-Request-Id"), resp.body)
			}
		})
	}
}

// TestWhatNetHTTPAnswers checks the malformed requests that Go's HTTP
// server refuses before the fake sees them — the list docs/drsfake.md and
// the package documentation give: a plain-text (or empty) answer without
// X-Request-Id.
func TestWhatNetHTTPAnswers(t *testing.T) {
	ts := start(t)
	p := ts.ProjectID
	for _, tc := range []struct {
		name, raw string
		status    int
	}{
		{"malformed percent-escape in the path", "GET /v5/" + p + "/jobs/%/export/progress HTTP/1.1\r\nHost: fake\r\n\r\n", 400},
		{"two Host headers", "GET /v5/" + p + "/templates HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"HTTP/1.1 without Host", "GET /v5/" + p + "/templates HTTP/1.1\r\n\r\n", 400},
		{"malformed header line", "GET /v5/" + p + "/templates HTTP/1.1\r\nHost: fake\r\nno colon\r\n\r\n", 400},
		{"invalid header name", "GET /v5/" + p + "/templates HTTP/1.1\r\nHost: fake\r\nX Auth: 1\r\n\r\n", 400},
		{"two different Content-Lengths", "POST /v5/" + p + "/templates/download HTTP/1.1\r\nHost: fake\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}", 400},
		{"unsupported Transfer-Encoding", "POST /v5/" + p + "/templates/download HTTP/1.1\r\nHost: fake\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"unsupported HTTP version", "GET /v5/" + p + "/templates HTTP/3.0\r\nHost: fake\r\n\r\n", 505},
		{"Expect other than 100-continue", "GET /v5/" + p + "/templates HTTP/1.1\r\nHost: fake\r\nExpect: coffee\r\n\r\n", 417},
		{"a header block over 1 MB", "GET /v5/" + p + "/templates HTTP/1.1\r\nHost: fake\r\nX-Big: " + strings.Repeat("a", 1<<20+8192) + "\r\n\r\n", 431},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := rawRequest(t, ts, tc.raw)
			ct := resp.header.Get("Content-Type")
			if resp.status != tc.status || !strings.HasPrefix(ct, "text/plain") && len(resp.body) > 0 || resp.header.Get("X-Request-Id") != "" {
				t.Errorf("answer %d %q with X-Request-Id %q: %.200s; want net/http's own %d in text/plain",
					resp.status, ct, resp.header.Get("X-Request-Id"), resp.body, tc.status)
			}
		})
	}
}

// rawResponse is what rawRequest read.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// rawRequest writes raw to a new connection to ts and reads one answer.
func rawRequest(t *testing.T, ts *testServer, raw string) rawResponse {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard: the answer comes at once
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: body}
}
