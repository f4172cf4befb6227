package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate/endpoint"
)

func TestPasswordLoginRequest(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*PasswordLogin)
		scope map[string]any
	}{
		{"scoped by project id", nil, map[string]any{"id": testProject}},
		{"scoped by project name", func(l *PasswordLogin) { l.ProjectID, l.ProjectName = "", "cn-north-4" }, map[string]any{"name": "cn-north-4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			if status, err := s.get(t, s.client(s.password(t, tt.mod))); err != nil || status != http.StatusOK {
				t.Fatalf("get = %d, %v", status, err)
			}
			want := map[string]any{"auth": map[string]any{
				"identity": map[string]any{
					"methods": []any{"password"},
					"password": map[string]any{"user": map[string]any{
						"domain": map[string]any{"name": testAccount}, "name": testUser, "password": testPassword,
					}},
				},
				"scope": map[string]any{"project": tt.scope},
			}}
			if diff := cmp.Diff(want, s.loginBody); diff != "" {
				t.Errorf("login body (-want +got):\n%s", diff)
			}
			if s.loginQuery != "nocatalog=true" {
				t.Errorf("login query %q, want nocatalog=true", s.loginQuery)
			}
			if got := s.lastDRS.Header.Get(HeaderAuthToken); got != "token-1" {
				t.Error("X-Auth-Token is not the issued token")
			}
		})
	}
}

func TestPasswordReusesAndRefreshesAhead(t *testing.T) {
	tests := []struct {
		name     string
		ttl      time.Duration
		margin   time.Duration
		noLogin  time.Duration // clock advance that must not log in again
		newLogin time.Duration // further advance that must
	}{
		{"default margin of one hour", 24 * time.Hour, 0, 23*time.Hour - time.Second, time.Second},
		{"configured margin", 24 * time.Hour, 10 * time.Minute, 23*time.Hour + 49*time.Minute, 2 * time.Minute},
		{"short-lived token: half its life", 30 * time.Minute, time.Hour, 14 * time.Minute, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			s.ttl = tt.ttl
			c := s.client(s.password(t, func(l *PasswordLogin) { l.RefreshMargin = tt.margin }))
			for range 3 {
				if status, err := s.get(t, c); err != nil || status != http.StatusOK {
					t.Fatalf("get = %d, %v", status, err)
				}
			}
			if logins, _ := s.counts(); logins != 1 {
				t.Fatalf("%d logins for 3 requests, want 1", logins)
			}
			s.clock.Advance(tt.noLogin)
			s.mustGet(t, c)
			if logins, _ := s.counts(); logins != 1 {
				t.Fatalf("logged in again %v after the login, before the margin", tt.noLogin)
			}
			s.clock.Advance(tt.newLogin)
			if status, err := s.get(t, c); err != nil || status != http.StatusOK {
				t.Fatalf("get = %d, %v", status, err)
			}
			if logins, _ := s.counts(); logins != 2 {
				t.Fatalf("%d logins, want a refresh inside the margin", logins)
			}
			if got := s.lastDRS.Header.Get(HeaderAuthToken); got != "token-2" {
				t.Fatal("X-Auth-Token is not the refreshed token (the second issued)")
			}
		})
	}
}

func TestPasswordRenewsRevokedTokenOnce(t *testing.T) {
	s := newTestServer(t)
	c := s.client(s.password(t, nil))
	if status, _ := s.get(t, c); status != http.StatusOK {
		t.Fatal("first request failed")
	}
	s.revoke("token-1")
	// A POST with a replayable body: it is sent again, whole, with the new token.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/"+testProject+"/jobs/export/template",
		bytes.NewReader([]byte(`{"jobs":["j1"]}`)))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(s.lastBody) != `{"jobs":["j1"]}` {
		t.Fatalf("status %d, body %q", resp.StatusCode, s.lastBody)
	}
	if s.lastDRS.Header.Get(HeaderAuthToken) != "token-2" {
		t.Fatal("the retry did not carry the new token (the second issued)")
	}
	if logins, drs := s.counts(); logins != 2 || drs != 3 {
		t.Fatalf("logins %d, DRS calls %d; want 2 and 3 (one refused, one retried)", logins, drs)
	}
}

func TestPasswordRetryRefusedAgain(t *testing.T) {
	s := newTestServer(t)
	s.issue = []string{"same-token", "same-token", "same-token"}
	c := s.client(s.password(t, nil))
	s.mustGet(t, c)
	s.revoke("same-token") // IAM keeps handing out the revoked token
	got := sendGet(t, c, s.URL+"/v5/"+testProject+"/templates")
	if strings.Contains(got.info.Message, "same-token") || !strings.Contains(got.info.Message, "token REDACTED has been revoked") {
		t.Fatalf("message %q: the token is not scrubbed", got.info.Message)
	}
	if got.resp.StatusCode != http.StatusUnauthorized || !errors.Is(got.refusal, ErrTokenRejected) {
		t.Fatalf("status %d, Refusal %v; want 401 and ErrTokenRejected", got.resp.StatusCode, got.refusal)
	}
	if logins, drs := s.counts(); logins != 2 || drs != 3 {
		t.Fatalf("logins %d, DRS calls %d; want 2 and 3: exactly one retry", logins, drs)
	}
	if got.info.RequestID != "req-3" {
		t.Fatalf("request id %q, want the retry's req-3", got.info.RequestID)
	}
}

func TestPasswordNoRetryWithoutReplayableBody(t *testing.T) {
	s := newTestServer(t)
	c := s.client(s.password(t, nil))
	s.mustGet(t, c)
	s.revoke("token-1")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", io.MultiReader(strings.NewReader("once")))
	if req.GetBody != nil {
		t.Fatal("test needs a body without GetBody")
	}
	if got := send(t, c, req); !errors.Is(got.refusal, ErrTokenRejected) {
		t.Fatalf("status %d, Refusal %v; want ErrTokenRejected", got.resp.StatusCode, got.refusal)
	}
	if _, drs := s.counts(); drs != 2 {
		t.Fatalf("%d DRS calls, want 2: the one-shot body cannot be retried", drs)
	}
	// The refused token was still dropped: the next request logs in again.
	if status, _ := s.get(t, c); status != http.StatusOK {
		t.Fatal("no recovery after the refusal")
	}
	if logins, _ := s.counts(); logins != 2 {
		t.Fatalf("%d logins, want 2", logins)
	}
}

func TestPasswordConcurrentCallersShareOneLogin(t *testing.T) {
	for _, phase := range []string{"first login", "refresh", "after revocation"} {
		t.Run(phase, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newMemServer()
				p := s.password(t, nil)
				c := s.client(p)
				wantLogins := 1
				if phase != "first login" {
					s.mustGet(t, c)
					wantLogins = 2
					if phase == "refresh" {
						s.clock.Advance(23*time.Hour + time.Minute)
					} else {
						s.revoke("token-1")
					}
				}
				// IAM holds the login until every caller is blocked: one
				// in the login, all the others waiting for it.
				release := make(chan struct{})
				s.mu.Lock()
				s.blockLogin = release
				s.mu.Unlock()
				const n = 16
				errs := make(chan error, n)
				for range n {
					go func() {
						status, err := s.get(t, c)
						if err == nil && status != http.StatusOK {
							err = errors.New(http.StatusText(status))
						}
						errs <- err
					}()
				}
				synctest.Wait()
				if logins, _ := s.counts(); logins != wantLogins {
					t.Fatalf("%d logins in progress for %d concurrent callers, want %d", logins, n, wantLogins)
				}
				close(release)
				for range n {
					if err := <-errs; err != nil {
						t.Fatal(err)
					}
				}
				if logins, _ := s.counts(); logins != wantLogins {
					t.Fatalf("%d logins for %d concurrent callers, want %d", logins, n, wantLogins)
				}
			})
		})
	}
}

// The caller whose request started a login gives up: it gets its context's
// error at once, and the login carries on for a caller still waiting.
func TestPasswordWaiterSurvivesCancelledLeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer()
		p := s.password(t, nil)
		release := make(chan struct{})
		s.blockLogin = release
		leaderCtx, cancel := context.WithCancel(t.Context())
		leaderErr := make(chan error, 1)
		go func() {
			_, err := p.token(leaderCtx, func(t iamToken) bool { return t.value != "" })
			leaderErr <- err
		}()
		synctest.Wait() // the leader's login is held by IAM
		waiter := make(chan error, 1)
		go func() {
			_, err := p.token(t.Context(), func(t iamToken) bool { return t.value != "" })
			waiter <- err
		}()
		synctest.Wait() // the waiter waits for the same login
		cancel()
		if err := <-leaderErr; !errors.Is(err, context.Canceled) {
			t.Fatalf("leader: %v, want context.Canceled", err)
		}
		close(release)
		if err := <-waiter; err != nil {
			t.Fatalf("waiter failed with the leader's cancellation: %v", err)
		}
		if logins, _ := s.counts(); logins != 1 {
			t.Fatalf("%d logins, want 1: the login was not shared", logins)
		}
	})
}

// A login nobody waits for any more still ends: after loginTimeout.
func TestPasswordAbandonedLoginEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer()
		p := s.password(t, nil)
		s.blockLogin = make(chan struct{}) // IAM never answers this login
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			_, err := p.token(ctx, func(t iamToken) bool { return t.value != "" })
			done <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("caller: %v, want context.Canceled", err)
		}
		time.Sleep(loginTimeout) // on the bubble's clock
		synctest.Wait()
		// The abandoned login is over: a new caller starts a login of its
		// own (joining the old one would block for ever, and the bubble
		// would report the deadlock).
		s.mu.Lock()
		s.blockLogin = nil
		s.mu.Unlock()
		if _, err := p.token(t.Context(), func(t iamToken) bool { return t.value != "" }); err != nil {
			t.Fatal(err)
		}
		if logins, _ := s.counts(); logins != 2 {
			t.Fatalf("%d logins, want 2", logins)
		}
	})
}

func TestPasswordLoginFailure(t *testing.T) {
	s := newTestServer(t)
	c := s.client(s.password(t, func(l *PasswordLogin) { l.Password = "wrong-password-123" }))
	_, err := s.get(t, c)
	if err != nil && strings.Contains(err.Error(), "wrong-password-123") {
		t.Fatal("the error shows the password IAM echoed")
	}
	var ae *LoginError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *auth.LoginError", err)
	}
	if ae.StatusCode != http.StatusUnauthorized || ae.Code != "401" || ae.RequestID != "iam-1" {
		t.Fatalf("got %#v", ae)
	}
	if !errors.Is(err, ErrLoginFailed) || !errors.Is(err, ErrUnauthorized) {
		t.Fatal("errors.Is does not match ErrLoginFailed and ErrUnauthorized")
	}
	const want = "(HTTP 401: The username or password is wrong: REDACTED; request id iam-1)"
	if !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("error %q does not end with %q", err, want)
	}
	if _, drs := s.counts(); drs != 0 {
		t.Fatal("a DRS call was made without a token")
	}
}

func TestPasswordProjectID(t *testing.T) {
	s := newTestServer(t)
	byName := s.password(t, func(l *PasswordLogin) { l.ProjectID, l.ProjectName = "", "cn-north-4" })
	for range 2 {
		id, err := byName.ProjectID(t.Context())
		if err != nil || id != testProject {
			t.Fatalf("ProjectID = %q, %v", id, err)
		}
	}
	if logins, _ := s.counts(); logins != 1 {
		t.Fatalf("%d logins, want 1", logins)
	}
	byID := s.password(t, nil)
	if id, err := byID.ProjectID(t.Context()); err != nil || id != testProject {
		t.Fatalf("ProjectID = %q, %v", id, err)
	}
	if logins, _ := s.counts(); logins != 1 {
		t.Fatal("ProjectID logged in although the id was configured")
	}
}

func TestNewPasswordValidates(t *testing.T) {
	ok := PasswordLogin{IAMEndpoint: mustURL("https://iam.cn-north-4.myhuaweicloud.com"), Account: "a", User: "u", Password: "secret-pw", ProjectName: "cn-north-4"}
	tests := []struct {
		name string
		mod  func(*PasswordLogin)
		want error
	}{
		{"valid", func(*PasswordLogin) {}, nil},
		{"no endpoint", func(l *PasswordLogin) { l.IAMEndpoint = nil }, ErrIncompleteCredentials},
		{"relative endpoint", func(l *PasswordLogin) { l.IAMEndpoint = mustURL("/v3") }, endpoint.ErrInvalidEndpoint},
		{"no password", func(l *PasswordLogin) { l.Password = "" }, ErrIncompleteCredentials},
		{"no user and account", func(l *PasswordLogin) { l.User, l.Account = "", "" }, ErrIncompleteCredentials},
		{"no project", func(l *PasswordLogin) { l.ProjectName = "" }, ErrIncompleteCredentials},
		{"both project id and name", func(l *PasswordLogin) { l.ProjectID = testProject }, ErrIncompleteCredentials},
		{"negative margin", func(l *PasswordLogin) { l.RefreshMargin = -time.Second }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ok
			tt.mod(&l)
			p, err := NewPassword(l)
			if tt.name == "valid" {
				if err != nil || p == nil {
					t.Fatalf("NewPassword = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("NewPassword accepted an invalid login")
			}
			if strings.Contains(err.Error(), "secret-pw") {
				t.Fatal("the error shows the password")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// Plain http to a remote host is for package endpoint to allow or
	// refuse; a URL it allowed is taken.
	l := ok
	if l.IAMEndpoint, _ = endpoint.Parse("http://drsfake:8080", true); l.IAMEndpoint == nil {
		t.Fatal("endpoint.Parse refused an allowed http endpoint")
	}
	if _, err := NewPassword(l); err != nil {
		t.Fatalf("an http endpoint endpoint.Parse allowed: %v", err)
	}
	// NewPassword keeps a copy: changing the caller's URL changes nothing.
	p, _ := NewPassword(l)
	l.IAMEndpoint.Host = "elsewhere.example.com"
	if !strings.Contains(p.String(), "drsfake:8080") {
		t.Fatalf("the credentials follow the caller's URL: %v", p)
	}
}

// DRS's own "invalid token" (403 DRS.M00100) is renewed like a 401; a 403
// of another code (a permission, not the token) is not.
func TestPasswordRenewsOnDRSInvalidToken(t *testing.T) {
	for _, tc := range []struct {
		code       string
		wantStatus int
		wantCalls  int
	}{
		{"DRS.M00100", http.StatusOK, 2},
		{"APIGW.0302", http.StatusForbidden, 1},
	} {
		t.Run(tc.code, func(t *testing.T) {
			s := newTestServer(t)
			var calls atomic.Int32
			drs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if r.Header.Get(HeaderAuthToken) == "token-1" {
					writeErr(w, http.StatusForbidden, tc.code, "refused")
				}
			}))
			defer drs.Close()
			c := NewHTTPClient(&Transport{Credentials: s.password(t, nil), Endpoint: mustURL(drs.URL), Now: s.clock.Now})
			got := sendGet(t, c, drs.URL+"/v5/p/templates")
			if got.resp.StatusCode != tc.wantStatus || int(calls.Load()) != tc.wantCalls {
				t.Fatalf("status %d after %d calls, want %d after %d", got.resp.StatusCode, calls.Load(), tc.wantStatus, tc.wantCalls)
			}
		})
	}
}

// TestPasswordInvalidate checks what Invalidate drops: the refused token,
// in memory and in the cache file, so that no later process loads it; but
// not a token that already replaced the refused one (a concurrent request
// that was refused with the old token must not cost another login).
func TestPasswordInvalidate(t *testing.T) {
	s := newTestServer(t)
	dir := t.TempDir()
	p := s.password(t, func(l *PasswordLogin) { l.CacheDir = dir })
	c := s.client(p)
	s.mustGet(t, c) // token-1
	carrying := func(tok string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, s.URL, nil)
		r.Header.Set(HeaderAuthToken, tok)
		return r
	}
	p.Invalidate(carrying("token-0"))
	s.mustGet(t, c)
	if logins, _ := s.counts(); logins != 1 {
		t.Fatalf("%d logins after invalidating a token that was not the current one, want 1", logins)
	}
	p.Invalidate(carrying("token-1"))
	if files, _ := filepath.Glob(filepath.Join(dir, "iam-token-*.json")); len(files) != 0 {
		t.Fatalf("the cache keeps %v after its token was invalidated", files)
	}
	s.mustGet(t, c)
	if logins, _ := s.counts(); logins != 2 {
		t.Fatalf("%d logins after invalidating the current token, want 2", logins)
	}
}
