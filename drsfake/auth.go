package drsfake

import (
	"crypto/sha256"
	"sync"
	"time"
)

// principal is who a request was authenticated as.
type principal struct {
	// project is the only project the credentials are valid for; "" means
	// every project of the fake.
	project string
}

// tokenInfo is what the fake knows about an accepted X-Auth-Token.
type tokenInfo struct {
	project string    // "" for every project
	expires time.Time // zero: never
	revoked bool
}

// authStore holds every credential the fake accepts: tokens, access keys
// and IAM users. It holds no secret by value — tokens are kept as SHA-256
// digests, users and access keys behind pointers — so that fmt, which prints
// what a pointer at the top points to but not what nested pointers point to,
// cannot show one, whatever is formatted (a copy of a Server included).
type authStore struct {
	users     []*IAMUser            // fixed by New
	keys      map[string]*accessKey // by access key id; fixed by New
	retention time.Duration

	mu        sync.Mutex
	tokens    map[tokenDigest]*tokenInfo
	nextSweep time.Time
}

// tokenDigest is the SHA-256 digest of a token.
type tokenDigest [sha256.Size]byte

func newAuthStore(cfg *config) *authStore {
	a := &authStore{
		keys:      make(map[string]*accessKey, len(cfg.keys)),
		retention: cfg.retention,
		tokens:    make(map[tokenDigest]*tokenInfo, len(cfg.tokens)),
	}
	for _, u := range cfg.users {
		a.users = append(a.users, &u)
	}
	for _, t := range cfg.tokens {
		a.tokens[sha256.Sum256([]byte(t))] = &tokenInfo{}
	}
	for _, k := range cfg.keys {
		a.keys[k.ID] = &k
	}
	return a
}

// forgotten reports whether a token that expires at expires is forgotten at
// now: retention after it expired.
func (a *authStore) forgotten(expires, now time.Time) bool {
	return !expires.IsZero() && !now.Before(expires.Add(a.retention))
}

// addToken accepts tok for project ("" for all) until expires (zero:
// never). Now and then, on the fake's clock, it drops the forgotten tokens.
func (a *authStore) addToken(tok, project string, expires, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens[sha256.Sum256([]byte(tok))] = &tokenInfo{project: project, expires: expires}
	if interval := sweepInterval(a.retention); now.Before(a.nextSweep) && a.nextSweep.Sub(now) <= interval {
		return
	}
	a.nextSweep = now.Add(sweepInterval(a.retention))
	for t, ti := range a.tokens {
		if a.forgotten(ti.expires, now) {
			delete(a.tokens, t)
		}
	}
}

// sweepInterval is how often, on the fake's clock, state kept for retention
// is swept: a sixteenth of it, so that at most about 6% more than the
// retention's worth is held.
func sweepInterval(retention time.Duration) time.Duration {
	return max(retention/16, time.Second)
}

// revoke marks tok revoked; it reports whether the token was known.
func (a *authStore) revoke(tok string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ti, ok := a.tokens[sha256.Sum256([]byte(tok))]; ok {
		ti.revoked = true
		return true
	}
	return false
}

// token checks an X-Auth-Token at now.
func (a *authStore) token(tok string, now time.Time) (principal, *failure) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ti, ok := a.tokens[sha256.Sum256([]byte(tok))]
	switch {
	case !ok || a.forgotten(ti.expires, now):
		return principal{}, unauthorized(msgTokenInvalid)
	case ti.revoked:
		return principal{}, unauthorized(msgTokenRevoked)
	case !ti.expires.IsZero() && !now.Before(ti.expires):
		return principal{}, unauthorized(msgTokenExpired)
	}
	return principal{project: ti.project}, nil
}

// key returns the access key ak.
func (a *authStore) key(ak string) (*accessKey, bool) {
	k, ok := a.keys[ak]
	return k, ok
}
