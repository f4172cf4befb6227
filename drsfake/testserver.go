package drsfake

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// Credentials are one working set of each kind of credential of the fake.
type Credentials struct {
	// Token is accepted as X-Auth-Token for every project.
	Token string
	// AccessKey and SecretKey are an AK/SK pair for SDK-HMAC-SHA256.
	AccessKey, SecretKey string
	// User can obtain tokens from POST /v3/auth/tokens.
	User IAMUser
}

// DefaultCredentials returns the credentials that [Start] adds for a seed
// (see [WithSeed]). They are made up, not secret: this is a fake.
func DefaultCredentials(seed uint64) Credentials {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rs := newRandSource(seed, streamCreds)
	return Credentials{
		Token:     "MIIdrsfake" + rs.text(64, tokenAlphabet),
		AccessKey: rs.text(20, alnum[:26]+alnum[52:]),
		SecretKey: rs.text(40, alnum),
		User:      IAMUser{Account: DefaultAccount, Name: "drsfake-user", Password: rs.text(16, alnum)},
	}
}

// TestServer is a [Server] listening on a loopback port for the duration of
// a test, with everything a client needs to call it.
type TestServer struct {
	*Server
	// URL is the base URL, e.g. http://127.0.0.1:40123 (no trailing slash).
	URL string
	// ProjectID is the fake's first project.
	ProjectID string
	// Token is accepted as X-Auth-Token for every project.
	Token string
	// AccessKey and SecretKey are an accepted AK/SK pair.
	AccessKey, SecretKey string
	// User can log in with POST /v3/auth/tokens.
	User IAMUser
	// TaskIDs are the ids of the fake's tasks.
	TaskIDs []string
	// Clock is the ManualClock passed with WithClock, or nil.
	Clock *ManualClock

	hs *httptest.Server
}

// Start starts a fake DRS service on a loopback port and stops it when the
// test ends. For each kind of credential not given in opts (token, access
// key, IAM user) it adds the seeded [DefaultCredentials]; it fails the test
// if opts are invalid.
func Start(tb testing.TB, opts ...Option) *TestServer {
	tb.Helper()
	given := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&given); err != nil {
			tb.Fatalf("drsfake.Start: %v", err)
		}
	}
	def := DefaultCredentials(given.seed)
	all := slices.Clone(opts)
	ts := &TestServer{}
	if len(given.tokens) == 0 {
		all = append(all, WithToken(def.Token))
		ts.Token = def.Token
	} else {
		ts.Token = given.tokens[0]
	}
	if len(given.keys) == 0 {
		all = append(all, WithAccessKey(def.AccessKey, def.SecretKey))
		ts.AccessKey, ts.SecretKey = def.AccessKey, def.SecretKey
	} else {
		ts.AccessKey, ts.SecretKey = given.keys[0].AK, given.keys[0].SK
	}
	if len(given.users) == 0 {
		all = append(all, WithUser(def.User.Account, def.User.Name, def.User.Password))
		ts.User = def.User
	} else {
		ts.User = given.users[0]
	}
	s, err := New(all...)
	if err != nil {
		tb.Fatalf("drsfake.Start: %v", err)
	}
	ts.Server = s
	ts.ProjectID = s.projects[0]
	ts.TaskIDs = slices.Clone(s.taskOrder)
	ts.Clock, _ = given.clock.(*ManualClock)
	ts.hs = httptest.NewServer(s)
	ts.URL = ts.hs.URL
	tb.Cleanup(ts.hs.Close)
	return ts
}

// Client returns an HTTP client for the server whose idle connections are
// closed when the server stops.
func (ts *TestServer) Client() *http.Client { return ts.hs.Client() }

// Close stops the server before the test ends (it is safe to call twice).
func (ts *TestServer) Close() { ts.hs.Close() }
