package drsfake

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/drs-tools/drstemplate/internal/memnet"
)

// Credentials are one working set of each kind of credential of the fake.
// Formatting them with fmt shows the access key id and the user's account
// and name, never the token, the secret key or the password.
type Credentials struct {
	// Token is accepted as X-Auth-Token for every project.
	Token string
	// AccessKey and SecretKey are an AK/SK pair for SDK-HMAC-SHA256.
	AccessKey, SecretKey string
	// User can obtain tokens from POST /v3/auth/tokens.
	User IAMUser
}

// credentialAlphabet is what generated access keys, secret keys and
// passwords are made of (access keys: its upper-case letters and digits).
const credentialAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newCredentials makes a set of credentials with characters drawn by text.
func newCredentials(text func(n int, alphabet string) string) Credentials {
	return Credentials{
		Token:     "MIIdrsfake" + text(64, tokenAlphabet),
		AccessKey: text(20, credentialAlphabet[:26]+credentialAlphabet[52:]),
		SecretKey: text(40, credentialAlphabet),
		User:      IAMUser{Account: defaultAccount, Name: "drsfake-user", Password: text(16, credentialAlphabet)},
	}
}

// DefaultCredentials returns the credentials that [Start] adds for a seed
// (see [WithSeed]). They are made up, not secret: this is a fake, and the
// ones of a seed are the same on every run (the documentation prints those
// of seed 1). For a fake that other machines can reach, use
// [RandomCredentials].
func DefaultCredentials(seed uint64) Credentials {
	return newCredentials(newRandSource(seed, streamCreds).text)
}

// RandomCredentials returns credentials shaped like [DefaultCredentials] but
// drawn from crypto/rand, so nobody can know them in advance: for a fake
// reachable from other machines (drstemplate fake-server --allow-remote).
func RandomCredentials() Credentials {
	// crypto/rand.Text's base32 alphabet (A-Z, 2-7) lies within every
	// alphabet newCredentials asks for.
	return newCredentials(func(n int, _ string) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(rand.Text())
		}
		return b.String()[:n]
	})
}

// TestServer is a [Server] listening for the duration of a test — on a
// loopback port ([Start]) or an in-memory network ([StartInMemory]) — with
// everything a client needs to call it. Its [Credentials] are embedded:
// ts.Token, ts.AccessKey, ts.SecretKey and ts.User are theirs. Formatting it
// with fmt never shows a secret (its Server and Credentials format
// themselves).
type TestServer struct {
	*Server
	// Credentials are working credentials of each kind: the first ones given
	// in the options, else the seeded [DefaultCredentials].
	Credentials
	// URL is the base URL, e.g. http://127.0.0.1:40123 (no trailing slash).
	URL string
	// ProjectID is the fake's first project.
	ProjectID string
	// TaskIDs are the ids of the fake's tasks.
	TaskIDs []string
	// Clock is the ManualClock passed with WithClock, or nil.
	Clock *ManualClock

	client *http.Client
	close  func()
}

// Start starts a fake DRS service on a loopback port and stops it when the
// test ends. For each kind of credential not given in opts (token, access
// key, IAM user) it adds the seeded [DefaultCredentials]; it fails the test
// if opts are invalid.
func Start(tb testing.TB, opts ...Option) *TestServer {
	tb.Helper()
	ts := newTestServer(tb, opts)
	hs := httptest.NewUnstartedServer(ts.Server)
	// OPTIONS * is the fake's to answer (404), not net/http's.
	hs.Config.DisableGeneralOptionsHandler = true
	hs.Start()
	ts.URL, ts.client, ts.close = hs.URL, hs.Client(), hs.Close
	tb.Cleanup(ts.Close)
	return ts
}

// StartInMemory is [Start] on an in-memory network instead of a loopback
// port, for tests in a testing/synctest bubble: there a goroutine blocked on
// a socket keeps the bubble's clock from moving, while one blocked on the
// in-memory network lets it. Called inside a bubble, the fake, a client
// using ts.Client().Transport and their timers then all run on the bubble's
// fake time — an export of ten minutes is waited for in no time at all.
//
// Only ts.Client() reaches the server; ts.URL ("http://127.0.0.1:1") is its
// base URL for building requests, not an address anything listens on.
func StartInMemory(tb testing.TB, opts ...Option) *TestServer {
	tb.Helper()
	ts := newTestServer(tb, opts)
	l := memnet.Listen()
	srv := &http.Server{Handler: ts.Server, DisableGeneralOptionsHandler: true}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	tr := &http.Transport{DialContext: l.DialContext, MaxIdleConnsPerHost: 100}
	ts.URL = "http://127.0.0.1:1"
	ts.client = &http.Client{Transport: tr}
	ts.close = sync.OnceFunc(func() {
		_ = srv.Close()
		tr.CloseIdleConnections()
		<-done
	})
	tb.Cleanup(ts.Close)
	return ts
}

// newTestServer builds the Server of Start and StartInMemory: opts with the
// seeded credentials of each kind they lack.
func newTestServer(tb testing.TB, opts []Option) *TestServer {
	tb.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		tb.Fatalf("drsfake: %v", err)
	}
	def := DefaultCredentials(cfg.seed)
	if len(cfg.tokens) == 0 {
		cfg.tokens = []string{def.Token}
	}
	if len(cfg.keys) == 0 {
		cfg.keys = []accessKey{{ID: def.AccessKey, Secret: def.SecretKey}}
	}
	if len(cfg.users) == 0 {
		cfg.users = []IAMUser{def.User}
	}
	s, err := newServer(cfg)
	if err != nil {
		tb.Fatalf("drsfake: %v", err)
	}
	ts := &TestServer{
		Server:      s,
		Credentials: Credentials{Token: cfg.tokens[0], AccessKey: cfg.keys[0].ID, SecretKey: cfg.keys[0].Secret, User: cfg.users[0]},
		ProjectID:   s.projects[0],
		TaskIDs:     slices.Clone(s.taskOrder),
	}
	ts.Clock, _ = cfg.clock.(*ManualClock)
	return ts
}

// Client returns an HTTP client for the server whose idle connections are
// closed when the server stops.
func (ts *TestServer) Client() *http.Client { return ts.client }

// Close stops the server before the test ends (it is safe to call twice).
func (ts *TestServer) Close() { ts.close() }
