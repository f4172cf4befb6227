package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

func TestTransportStaticToken(t *testing.T) {
	s := newTestServer(t)
	s.valid["tok-static"] = true
	status, err := s.get(t, s.client(StaticToken("tok-static")))
	if err != nil || status != http.StatusOK {
		t.Fatalf("get = %d, %v; want 200", status, err)
	}
	if got := s.lastDRS.Header.Get(HeaderAuthToken); got != "tok-static" {
		t.Fatalf("X-Auth-Token is not the static token (%d bytes)", len(got))
	}
	if got := s.lastDRS.Header.Get("User-Agent"); got != DefaultUserAgent {
		t.Fatalf("User-Agent = %q, want %q", got, DefaultUserAgent)
	}
	if s.lastDRS.Header.Get("Authorization") != "" || s.lastDRS.Header.Get("X-Sdk-Date") != "" {
		t.Fatal("token request carries AK/SK headers")
	}
}

func TestTransportAccessKeySignsWhatItSends(t *testing.T) {
	tests := []struct {
		name       string
		key        AccessKey
		method     string
		body       string
		header     map[string]string
		wantSigned string
	}{
		{
			name: "GET with project", key: AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject},
			method: http.MethodGet, wantSigned: "user-agent;x-project-id;x-sdk-date",
		},
		{
			name: "POST JSON body with X-Language", key: AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject},
			method: http.MethodPost, body: `{"jobs":["62a055ae-ce03-4232-beb6-46c83b8ef2b2"]}` + "\n",
			header:     map[string]string{"Content-Type": "application/json", "X-Language": "en-us"},
			wantSigned: "user-agent;x-language;x-project-id;x-sdk-date",
		},
		{
			name: "temporary credentials", key: AccessKey{ID: testAK, Secret: testSK, SecurityToken: "sec-token-1", ProjectID: testProject},
			method: http.MethodPost, body: `{"files":["a b.xlsx"]}`, header: map[string]string{"Content-Type": "application/json"},
			wantSigned: "user-agent;x-project-id;x-sdk-date;x-security-token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, s.URL+"/v5/"+testProject+"/templates/download?limit=1&name=a%20b", body)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := s.client(tt.key).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: the test server did not verify the signature", resp.StatusCode)
			}
			a, err := sdksign.ParseAuthorization(s.lastDRS.Header.Get("Authorization"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(a.SignedHeaders, ";"); got != tt.wantSigned {
				t.Errorf("SignedHeaders = %q, want %q", got, tt.wantSigned)
			}
			if got := string(s.lastBody); got != tt.body {
				t.Errorf("server received body %q, want %q", got, tt.body)
			}
			if got := s.lastDRS.Header.Get("X-Sdk-Date"); got != s.clock.Now().UTC().Format(sdksign.DateLayout) {
				t.Errorf("X-Sdk-Date = %q, want the transport clock's time", got)
			}
			if got := s.lastDRS.Header.Get(HeaderProjectID); got != testProject {
				t.Errorf("X-Project-Id = %q", got)
			}
			if got := s.lastDRS.Header.Get(HeaderSecurityToken); got != tt.key.SecurityToken {
				t.Errorf("X-Security-Token is not the key's security token (%d bytes, want %d)", len(got), len(tt.key.SecurityToken))
			}
			if len(req.Header) != len(tt.header) {
				t.Errorf("the caller's request was modified: headers %v", slices.Sorted(maps.Keys(req.Header)))
			}
		})
	}
}

// A layer above the transport that sends the same request again must get a
// new X-Sdk-Date and signature, not a replay of the first.
func TestTransportFreshSignaturePerAttempt(t *testing.T) {
	s := newTestServer(t)
	c := s.client(AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/"+testProject+"/jobs/export/template",
		bytes.NewReader([]byte(`{"jobs":["j1"]}`)))
	var dates, sigs []string
	for range 2 {
		r := req.Clone(req.Context()) // what a retrying layer does
		r.Body, _ = req.GetBody()
		resp, err := c.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		dates = append(dates, s.lastDRS.Header.Get("X-Sdk-Date"))
		sigs = append(sigs, s.lastDRS.Header.Get("Authorization"))
		s.clock.Advance(3 * time.Second)
	}
	if dates[0] == dates[1] {
		t.Fatalf("second attempt reused the first's X-Sdk-Date %s", dates[0])
	}
	if sigs[0] == sigs[1] {
		t.Fatal("second attempt reused the first's signature")
	}
	// A stale X-Sdk-Date on the caller's request is replaced too.
	stale := req.Clone(req.Context())
	stale.Body, _ = req.GetBody()
	stale.Header.Set("X-Sdk-Date", "20000101T000000Z")
	resp, err := c.Do(stale)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || s.lastDRS.Header.Get("X-Sdk-Date") == "20000101T000000Z" {
		t.Fatalf("stale X-Sdk-Date was sent (status %d)", resp.StatusCode)
	}
}

// countingBody is a request body that counts its Close calls and, when
// done is not nil, closes done on the first.
type countingBody struct {
	io.Reader
	closed *atomic.Int32
	done   chan struct{}
}

func (b countingBody) Close() error {
	if b.closed.Add(1) == 1 && b.done != nil {
		close(b.done)
	}
	return nil
}

func TestTransportReadsBodyOnce(t *testing.T) {
	const payload = `{"jobs":["j1"]}`
	tests := []struct {
		name         string
		creds        func(s *testServer) Credentials
		getBody      bool
		wantGetBody  int32
		wantReceived string
	}{
		{"AK/SK with GetBody: read once through GetBody", func(*testServer) Credentials { return AccessKey{ID: testAK, Secret: testSK} }, true, 1, payload},
		{"AK/SK without GetBody: the original body is read", func(*testServer) Credentials { return AccessKey{ID: testAK, Secret: testSK} }, false, 0, payload},
		{"token: the body is not read, only sent", func(s *testServer) Credentials { s.valid["t"] = true; return StaticToken("t") }, true, 0, payload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			var closed atomic.Int32
			var getBodyCalls atomic.Int32
			closedNow := make(chan struct{})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", nil)
			req.Body = countingBody{strings.NewReader(payload), &closed, closedNow}
			req.ContentLength = int64(len(payload))
			if tt.getBody {
				req.GetBody = func() (io.ReadCloser, error) {
					getBodyCalls.Add(1)
					return io.NopCloser(strings.NewReader(payload)), nil
				}
			}
			resp, err := s.client(tt.creds(s)).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || string(s.lastBody) != tt.wantReceived {
				t.Fatalf("status %d, server got %q", resp.StatusCode, s.lastBody)
			}
			if got := getBodyCalls.Load(); got != tt.wantGetBody {
				t.Errorf("GetBody called %d times, want %d", got, tt.wantGetBody)
			}
			// net/http may close a body it sent after RoundTrip returns
			// (its write loop does): wait for the Close (a body never
			// closed fails the test by its timeout).
			<-closedNow
		})
	}
}

func TestTransportBodyTooLarge(t *testing.T) {
	s := newTestServer(t)
	big := bytes.Repeat([]byte("x"), sdksign.MaxSignedBody+1)
	for _, known := range []bool{true, false} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", bytes.NewReader(big))
		if !known {
			req.ContentLength = -1
		}
		err := doErr(s.client(AccessKey{ID: testAK, Secret: testSK}), req)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("length known=%v: err = %v, want ErrBodyTooLarge", known, err)
		}
	}
	if _, drs := s.counts(); drs != 0 {
		t.Fatalf("%d oversized requests reached the server", drs)
	}
	// Token authentication has no such limit.
	s.valid["t"] = true
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", bytes.NewReader(big))
	resp, err := s.client(StaticToken("t")).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(s.lastBody) != len(big) {
		t.Fatalf("token upload: status %d, %d bytes received", resp.StatusCode, len(s.lastBody))
	}
}

func TestTransportPassesOtherResponsesUntouched(t *testing.T) {
	tests := []struct {
		status int
		body   string
	}{
		{500, `{"error_code":"DRS.M00500","error_msg":"Internal service error."}`},
		{403, `{"error_code":"APIGW.0302","error_msg":"The IAM user is not authorized"}`},
		{404, `not json`},
		{302, ``},
		{204, ``},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "rid")
			if tt.status == 302 {
				w.Header().Set("Location", "https://elsewhere.example.com/")
			}
			w.WriteHeader(tt.status)
			_, _ = io.WriteString(w, tt.body)
		}))
		c := NewHTTPClient(&Transport{Credentials: StaticToken("t"), Endpoint: mustURL(srv.URL)})
		resp, err := c.Get(srv.URL + "/v5/p/x")
		if err != nil {
			t.Fatalf("status %d: err %v", tt.status, err)
		}
		got, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		srv.Close()
		if resp.StatusCode != tt.status || string(got) != tt.body || resp.Header.Get("X-Request-Id") != "rid" {
			t.Errorf("status %d: got %d %q", tt.status, resp.StatusCode, got)
		}
	}
}

func TestTransportReturnsRefusalsAsResponses(t *testing.T) {
	tests := []struct {
		name      string
		creds     Credentials
		skew      time.Duration // local clock minus server clock
		kind      error
		wantSkew  time.Duration
		code      string
		inMessage string // in the scrubbed message
		says      string // in the refusal's message
	}{
		{
			name: "revoked static token", creds: StaticToken("tok-revoked"), kind: ErrTokenRejected, code: "APIGW.0301",
			inMessage: "the token REDACTED has been revoked", says: "the IAM token was refused",
		},
		{
			name: "wrong secret key", creds: AccessKey{ID: testAK, Secret: "wrong", SecurityToken: "sec-123456", ProjectID: testProject},
			kind: ErrInvalidSignature, code: "APIGW.0301", inMessage: "x-security-token:REDACTED", says: "signature was refused",
		},
		{
			name: "local clock 20 minutes fast", creds: AccessKey{ID: testAK, Secret: testSK}, skew: 20 * time.Minute,
			kind: ErrClockSkew, wantSkew: 20 * time.Minute, code: "APIGW.0303",
			says: "local clock is off: it is 20m0s ahead of the server's clock; synchronise it (e.g. with NTP)",
		},
		{
			name: "local clock 17 minutes slow", creds: AccessKey{ID: testAK, Secret: testSK}, skew: -17 * time.Minute,
			kind: ErrClockSkew, wantSkew: -17 * time.Minute, code: "APIGW.0303", says: "it is 17m0s behind the server's clock",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			c := NewHTTPClient(&Transport{Credentials: tt.creds, Endpoint: mustURL(s.URL),
				Now: func() time.Time { return s.clock.Now().Add(tt.skew) }})
			got := sendGet(t, c, s.URL+"/v5/"+testProject+"/templates")
			if got.resp.StatusCode != http.StatusUnauthorized || got.resp.Header.Get("X-Request-Id") != "req-1" {
				t.Fatalf("status %d, request id %q", got.resp.StatusCode, got.resp.Header.Get("X-Request-Id"))
			}
			if !bytes.HasPrefix(got.body, []byte(`{"error_code":"`+tt.code+`"`)) {
				t.Errorf("body %q is not the server's", got.body)
			}
			if got.info.Code != tt.code || got.info.RequestID != "req-1" || !strings.Contains(got.info.Message, tt.inMessage) {
				t.Errorf("parsed %+v", got.info)
			}
			if !errors.Is(got.refusal, tt.kind) || !errors.Is(got.refusal, ErrUnauthorized) {
				t.Errorf("Refusal = %v, want %v and ErrUnauthorized", got.refusal, tt.kind)
			}
			for _, other := range []error{ErrTokenRejected, ErrInvalidSignature, ErrClockSkew} {
				if !errors.Is(tt.kind, other) && errors.Is(got.refusal, other) {
					t.Errorf("Refusal = %v also matches %v", got.refusal, other)
				}
			}
			var cs *ClockSkewError
			if errors.As(got.refusal, &cs) != errors.Is(tt.kind, ErrClockSkew) || cs != nil && cs.Skew != tt.wantSkew {
				t.Errorf("Refusal = %#v, want skew %v", got.refusal, tt.wantSkew)
			}
			if !strings.Contains(got.refusal.Error(), tt.says) {
				t.Errorf("Refusal says %q, want %q in it", got.refusal, tt.says)
			}
			if _, drs := s.counts(); drs != 1 {
				t.Errorf("%d DRS calls, want 1 (no retry for these credentials)", drs)
			}
		})
	}
}

func TestRefusal(t *testing.T) {
	signed := http.Header{"Authorization": {"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=abc"}, "X-Sdk-Date": {"20250703T092000Z"}}
	token := http.Header{"X-Auth-Token": {"t"}}
	date := http.Header{"Date": {"Thu, 03 Jul 2025 09:00:00 GMT"}}
	tests := []struct {
		name   string
		status int
		code   string
		sent   http.Header
		got    http.Header
		want   error // nil: not a refusal
		skew   time.Duration
	}{
		{"401 to a token", 401, "APIGW.0301", token, nil, ErrTokenRejected, 0},
		{"401 without a body code", 401, "", token, nil, ErrTokenRejected, 0},
		{"403 invalid token", 403, "DRS.M00100", token, nil, ErrTokenRejected, 0},
		{"401 to a signature", 401, "APIGW.0301", signed, nil, ErrInvalidSignature, 0},
		{"clock skew", 401, "APIGW.0303", signed, date, ErrClockSkew, 20 * time.Minute},
		{"clock skew, no Date", 401, "APIGW.0303", signed, nil, ErrClockSkew, 0},
		{"clock skew, no X-Sdk-Date", 401, "APIGW.0303", token, date, ErrClockSkew, 0},
		{"401 to no credentials", 401, "APIGW.0301", nil, nil, ErrUnauthorized, 0},
		{"403 not authorized (a permission, not a credential)", 403, "APIGW.0302", token, nil, nil, 0},
		{"403 without a body code", 403, "", token, nil, nil, 0},
		{"404", 404, "DRS.M00201", token, nil, nil, 0},
		{"500", 500, "", signed, nil, nil, 0},
		{"200", 200, "", token, nil, nil, 0},
	}
	for _, tt := range tests {
		resp := &http.Response{StatusCode: tt.status, Header: tt.got, Request: &http.Request{Header: tt.sent}}
		var body []byte
		if tt.code != "" {
			body = []byte(`{"error_code":"` + tt.code + `","error_msg":"refused"}`)
		}
		err := Refusal(resp, body)
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: Refusal = %v, want nil", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrUnauthorized) {
			t.Errorf("%s: Refusal = %v, want %v", tt.name, err, tt.want)
		}
		var cs *ClockSkewError
		if errors.As(err, &cs) && cs.Skew != tt.skew {
			t.Errorf("%s: skew %v, want %v", tt.name, cs.Skew, tt.skew)
		}
	}
	if Refusal(nil, nil) != nil || Refusal(&http.Response{StatusCode: http.StatusUnauthorized}, nil) == nil {
		t.Error("Refusal without a response or without its request")
	}
	if got := (&ClockSkewError{}).Error(); !strings.Contains(got, "differs from the server's by more than 15 minutes") {
		t.Errorf("unknown skew: %q", got)
	}
}

// A refusal's status, header and body reach the caller intact, also when
// the Transport read the body to learn its code (password credentials) —
// one larger than what it reads included.
func TestTransportRefusalBodyIntact(t *testing.T) {
	big := strings.Repeat("x", maxErrorBody+10)
	for _, tc := range []struct {
		name   string
		status int
		code   string
		pad    string
	}{
		{"401", 401, "APIGW.0301", ""},
		{"401, body larger than what is read", 401, "APIGW.0301", big},
		{"403 other than invalid token", 403, "APIGW.0302", big},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			var want string
			drs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "rid")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, want)
			}))
			defer drs.Close()
			want = `{"error_code":"` + tc.code + `","error_msg":"no","pad":"` + tc.pad + `"}`
			for _, creds := range []Credentials{StaticToken("t"), s.password(t, nil)} {
				c := NewHTTPClient(&Transport{Credentials: creds, Endpoint: mustURL(drs.URL), Now: s.clock.Now})
				got := sendGet(t, c, drs.URL+"/v5/p/templates")
				if got.resp.StatusCode != tc.status || got.resp.Header.Get("X-Request-Id") != "rid" || string(got.body) != want {
					t.Errorf("%v: got %d, %d bytes", creds, got.resp.StatusCode, len(got.body))
				}
				if got.info.Code != tc.code || got.resp.Request.Header.Get(HeaderAuthToken) == "" {
					t.Errorf("%v: code %q; the response's Request is not the request as sent", creds, got.info.Code)
				}
			}
		})
	}
}

// A refusal whose body drips past the context's deadline is a read error
// wrapping context.DeadlineExceeded for the caller, not a refusal — also
// when the Transport reads the body to decide on a renewal.
func TestTransportRefusalBodyPastDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer()
		var sent int
		drip := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent++
			body := io.MultiReader(strings.NewReader(`{"error_code":"APIGW.03`), ctxReader{r.Context()})
			return &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{}, Body: io.NopCloser(body), Request: r}, nil
		})
		for _, creds := range []Credentials{StaticToken("t"), s.password(t, nil)} {
			sent = 0
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			c := NewHTTPClient(&Transport{Credentials: creds, Endpoint: mustURL(s.URL), Base: drip, Now: s.clock.Now})
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/v5/p/templates", nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("%v: %v, want the response", creds, err)
			}
			_, err = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%v: reading the body: %v, want context.DeadlineExceeded", creds, err)
			}
			if sent != 1 {
				t.Errorf("%v: %d requests sent, want 1 (no renewal on an unread refusal)", creds, sent)
			}
		}
	})
}

// ctxReader is a body that blocks until its context ends.
type ctxReader struct{ ctx context.Context }

func (r ctxReader) Read([]byte) (int, error) {
	<-r.ctx.Done()
	return 0, r.ctx.Err()
}

func TestTransportForeignHost(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer other.Close()
	s := newTestServer(t)
	tr := &Transport{Credentials: StaticToken("secret-token"), Endpoint: mustURL(s.URL)}
	tests := []string{
		other.URL + "/v5/p/templates",
		strings.Replace(s.URL, "http://", "https://", 1) + "/v5/p/templates",
		strings.Replace(s.URL, "127.0.0.1", "localhost", 1) + "/v5/p/templates",
	}
	for _, u := range tests {
		err := getErr(NewHTTPClient(tr), u)
		if !errors.Is(err, ErrForeignHost) {
			t.Errorf("GET %s: err = %v, want ErrForeignHost", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatal("a request reached the foreign host")
	}
	// The same host with an explicit default port is the same origin.
	ep := &Transport{Credentials: StaticToken("t"), Endpoint: mustURL("https://drs.example.com")}
	if err := ep.check(httptestRequest(t, "https://DRS.example.com:443/v5")); err != nil {
		t.Fatalf("same origin refused: %v", err)
	}
	for _, bad := range []*Transport{{Endpoint: mustURL(s.URL)}, {Credentials: StaticToken("t")}, {Credentials: StaticToken("t"), Endpoint: mustURL("/relative")}} {
		if err := bad.check(httptestRequest(t, s.URL)); err == nil {
			t.Errorf("%+v: check passed", bad)
		}
	}
}

func httptestRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A redirect to another host must not carry credentials there, neither with
// NewHTTPClient (which does not follow redirects) nor with a client that
// follows them (the transport's host binding refuses).
func TestRedirectsNeverLeakCredentials(t *testing.T) {
	var leaked atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(HeaderAuthToken) != "" || r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
	}))
	defer evil.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer origin.Close()
	for _, creds := range []Credentials{StaticToken("secret-token"), AccessKey{ID: testAK, Secret: testSK}} {
		tr := &Transport{Credentials: creds, Endpoint: mustURL(origin.URL)}
		resp, err := NewHTTPClient(tr).Get(origin.URL + "/v5/p/x")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect {
			t.Fatalf("NewHTTPClient followed the redirect: status %d", resp.StatusCode)
		}
		following := &http.Client{Transport: tr}
		if err := getErr(following, origin.URL+"/v5/p/x"); !errors.Is(err, ErrForeignHost) {
			t.Fatalf("following client: err = %v, want ErrForeignHost", err)
		}
	}
	if leaked.Load() != 0 {
		t.Fatal("credentials reached the redirect target")
	}
}

func TestTransportReturnsAuthenticateErrors(t *testing.T) {
	s := newTestServer(t)
	var closed atomic.Int32
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", nil)
	req.Body = countingBody{strings.NewReader("x"), &closed, nil}
	err := doErr(s.client(AccessKey{ID: testAK}), req)
	if !errors.Is(err, ErrIncompleteCredentials) {
		t.Fatalf("err = %v", err)
	}
	if closed.Load() != 1 {
		t.Fatal("request body not closed after a failed Authenticate")
	}
	if _, drs := s.counts(); drs != 0 {
		t.Fatal("an unauthenticated request was sent")
	}
}
