package drsfake

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
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
		User:      IAMUser{Account: DefaultAccount, Name: "drsfake-user", Password: text(16, credentialAlphabet)},
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
	return newCredentials(cryptoText)
}

// cryptoText returns n characters drawn uniformly from alphabet (at most 256
// characters) with crypto/rand.
func cryptoText(n int, alphabet string) string {
	// Bytes at or above limit are redrawn, so every character is equally
	// likely.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// TestServer is a [Server] listening on a loopback port for the duration of
// a test, with everything a client needs to call it. Its [Credentials] are
// embedded: ts.Token, ts.AccessKey, ts.SecretKey and ts.User are theirs.
// Formatting it with fmt never shows a secret.
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
		ts.AccessKey, ts.SecretKey = given.keys[0].ID, given.keys[0].Secret
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
