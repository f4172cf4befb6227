package drsfake

import (
	"crypto/rand"
	"strings"
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

// DefaultCredentials returns the credentials that [NewWithDefaults] adds for a seed
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

// NewWithDefaults is [New] with working credentials, for tests and demos:
// for each kind of credential opts do not give (token, access key, IAM
// user) it adds the seeded [DefaultCredentials] (see [WithSeed]). It returns
// the first credentials of each kind the server accepts. drsfaketest.Start
// serves what it returns.
func NewWithDefaults(opts ...Option) (*Server, Credentials, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, Credentials{}, err
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
		return nil, Credentials{}, err
	}
	return s, Credentials{Token: cfg.tokens[0], AccessKey: cfg.keys[0].ID, SecretKey: cfg.keys[0].Secret, User: cfg.users[0]}, nil
}
