package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// testServer is a small IAM + DRS service: POST /v3/auth/tokens issues
// tokens for one user; every other path is a DRS call that accepts valid
// tokens or signatures by one access key, and answers Huawei-shaped errors
// with request ids.
type testServer struct {
	URL   string
	rt    http.RoundTripper // reaches the service in memory; nil: URL is on loopback
	clock *drsfake.ManualClock

	mu         sync.Mutex
	logins     int
	drsCalls   int
	issue      []string // tokens IAM issues, in order; then "token-<n>"
	ttl        time.Duration
	valid      map[string]bool // tokens DRS accepts
	revoked    map[string]bool // tokens DRS refuses even if IAM issues them again
	blockLogin chan struct{}   // when set, logins wait for it to close
	loginBody  map[string]any  // the last login request body
	loginQuery string
	lastDRS    *http.Request // the last DRS request, with its body in lastBody
	lastBody   []byte
}

const (
	testAccount  = "example-account"
	testUser     = "example-user"
	testPassword = "pa55-Word!"
	testAK       = "TESTAKEXAMPLE0001"
	testSK       = "testSecretKeyExampleExample0001"
	testProject  = "0123456789abcdef0123456789abcdef"
)

// newTestServer serves the test service on loopback.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := newService()
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// newMemServer serves the test service in memory, through the clients that
// s.client and s.password make, for tests in a testing/synctest bubble
// (where a socket would keep the fake clock from advancing).
func newMemServer() *testServer {
	s := newService()
	s.URL, s.rt = "http://drs.test", handlerTransport{http.HandlerFunc(s.serve)}
	return s
}

func newService() *testServer {
	return &testServer{clock: drsfake.NewManualClock(time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC)), ttl: 24 * time.Hour,
		valid: map[string]bool{}, revoked: map[string]bool{}}
}

// handlerTransport is an http.RoundTripper that answers through a handler,
// in memory.
type handlerTransport struct{ http.Handler }

func (h handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	in.Host, in.RequestURI = r.URL.Host, r.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, in)
	_ = in.Body.Close()
	if err := r.Context().Err(); err != nil { // as net/http reports a request given up
		return nil, err
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.clock.Now().Format(http.TimeFormat))
	if r.URL.Path == "/v3/auth/tokens" {
		s.serveLogin(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.drsCalls++
	id := "req-" + strconv.Itoa(s.drsCalls)
	s.lastDRS, s.lastBody = r.Clone(r.Context()), body
	s.mu.Unlock()
	w.Header().Set("X-Request-Id", id)
	if tok := r.Header.Get(HeaderAuthToken); tok != "" {
		s.mu.Lock()
		ok := s.valid[tok] && !s.revoked[tok]
		s.mu.Unlock()
		if !ok {
			writeErr(w, 401, "APIGW.0301", "Incorrect IAM authentication information: the token "+tok+" has been revoked")
			return
		}
	} else {
		_, err := sdksign.Verify(r, body, func(ak string) (string, bool) { return testSK, ak == testAK }, s.clock.Now(), 15*time.Minute)
		switch {
		case err == nil:
		case errors.Is(err, sdksign.ErrDateSkew):
			writeErr(w, 401, "APIGW.0303", "Incorrect app authentication information: signature expired")
			return
		default:
			writeErr(w, 401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail, "+
				"canonical request x-security-token:"+r.Header.Get(HeaderSecurityToken))
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"count":0,"export_report_obs_files":[],"echo":%q}`, body)
}

func (s *testServer) serveLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Auth struct {
			Identity struct {
				Methods  []string `json:"methods"`
				Password struct {
					User struct {
						Domain   struct{ Name string } `json:"domain"`
						Name     string                `json:"name"`
						Password string                `json:"password"`
					} `json:"user"`
				} `json:"password"`
			} `json:"identity"`
			Scope struct {
				Project struct{ ID, Name string } `json:"project"`
			} `json:"scope"`
		} `json:"auth"`
	}
	raw, _ := io.ReadAll(r.Body)
	var generic map[string]any
	_ = json.Unmarshal(raw, &generic)
	_ = json.Unmarshal(raw, &req)
	s.mu.Lock()
	s.logins++
	n := s.logins
	s.loginBody, s.loginQuery = generic, r.URL.RawQuery
	block := s.blockLogin
	s.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
			return
		}
	}
	u := req.Auth.Identity.Password.User
	w.Header().Set("X-Request-Id", "iam-"+strconv.Itoa(n))
	if u.Domain.Name != testAccount || u.Name != testUser || u.Password != testPassword {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, `{"error":{"code":401,"title":"Unauthorized","message":"The username or password is wrong: %s"}}`, u.Password)
		return
	}
	s.mu.Lock()
	tok := "token-" + strconv.Itoa(n)
	if len(s.issue) > 0 {
		tok, s.issue = s.issue[0], s.issue[1:]
	}
	s.valid[tok] = true
	s.mu.Unlock()
	now := s.clock.Now()
	w.Header().Set("X-Subject-Token", tok)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = fmt.Fprintf(w, `{"token":{"expires_at":%q,"issued_at":%q,"methods":["password"],"project":{"id":%q,"name":"cn-north-4"}}}`,
		now.Add(s.ttl).Format("2006-01-02T15:04:05.000000Z"), now.Format("2006-01-02T15:04:05.000000Z"), testProject)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error_code":%q,"error_msg":%q,"request_id":"body-id"}`, code, msg)
}

func (s *testServer) counts() (logins, drs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins, s.drsCalls
}

func (s *testServer) revoke(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[tok] = true
}

// password returns Password credentials for the test server's user.
func (s *testServer) password(t *testing.T, mod func(*PasswordLogin)) *PasswordCredentials {
	t.Helper()
	l := PasswordLogin{IAMEndpoint: mustURL(s.URL), Account: testAccount, User: testUser, Password: testPassword, ProjectID: testProject}
	if s.rt != nil {
		l.HTTPClient = &http.Client{Transport: s.rt}
	}
	if mod != nil {
		mod(&l)
	}
	p, err := NewPassword(l)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// client returns an HTTP client authenticating with creds against s.
func (s *testServer) client(creds Credentials) *http.Client {
	return NewHTTPClient(&Transport{Credentials: creds, Endpoint: mustURL(s.URL), Now: s.clock.Now, Base: s.rt})
}

// getErr sends GET u with c and returns only the error, closing any body.
func getErr(c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	return doErr(c, req)
}

// doErr sends req with c and returns only the error, closing any body.
func doErr(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	return err
}

// mustGet is get that fails the test unless the reply is 200.
func (s *testServer) mustGet(t *testing.T, c *http.Client) {
	t.Helper()
	if status, err := s.get(t, c); err != nil || status != http.StatusOK {
		t.Fatalf("GET = %d, %v; want 200", status, err)
	}
}

// get sends GET /v5/<project>/templates with c and returns the status.
func (s *testServer) get(t *testing.T, c *http.Client) (int, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/v5/"+testProject+"/templates?limit=10&offset=0", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// mustURL parses a URL the test wrote; it panics on a typo in the test.
func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// reply is what a client sees of a response: the response (its body
// closed), the body, what huaweierr.ParseResponse reads from it and what
// Refusal makes of it.
type reply struct {
	resp    *http.Response
	body    []byte
	info    huaweierr.Info
	refusal error
}

// send sends req with c, which must get a response, and reads it as the
// client will.
func send(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v, want a response", req.Method, req.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	info := huaweierr.ParseResponse(resp, body)
	return reply{resp: resp, body: body, info: info, refusal: Refusal(resp, body)}
}

// sendGet sends GET u with c; see send.
func sendGet(t *testing.T, c *http.Client, u string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, c, req)
}
