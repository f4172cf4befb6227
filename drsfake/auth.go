package drsfake

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// apiError is a refusal by the API gateway (the fake's authentication step),
// answered with a gateway-shaped JSON body that carries the request id.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) write(w http.ResponseWriter) {
	writeGatewayError(w, e.status, e.code, e.msg)
}

func unauthorized(msg string) *apiError {
	return &apiError{status: http.StatusUnauthorized, code: CodeAuthFailed, msg: msg}
}

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

// authStore holds the accepted tokens and access keys.
type authStore struct {
	mu     sync.Mutex
	tokens map[string]*tokenInfo
	keys   map[string]accessKey
}

func newAuthStore(tokens []string, keys []accessKey) *authStore {
	a := &authStore{tokens: make(map[string]*tokenInfo), keys: make(map[string]accessKey)}
	for _, t := range tokens {
		a.tokens[t] = &tokenInfo{}
	}
	for _, k := range keys {
		a.keys[k.ID] = k
	}
	return a
}

// addToken accepts tok for project ("" for all) until expires (zero: never).
func (a *authStore) addToken(tok, project string, expires time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens[tok] = &tokenInfo{project: project, expires: expires}
}

// revoke marks tok revoked; it reports whether the token was known.
func (a *authStore) revoke(tok string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ti, ok := a.tokens[tok]; ok {
		ti.revoked = true
		return true
	}
	return false
}

func (a *authStore) checkToken(tok string, now time.Time) (principal, *apiError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ti, ok := a.tokens[tok]
	switch {
	case !ok:
		return principal{}, unauthorized(MsgTokenInvalid)
	case ti.revoked:
		return principal{}, unauthorized(MsgTokenRevoked)
	case !ti.expires.IsZero() && !now.Before(ti.expires):
		return principal{}, unauthorized(MsgTokenExpired)
	}
	return principal{project: ti.project}, nil
}

func (a *authStore) key(ak string) (accessKey, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k, ok := a.keys[ak]
	return k, ok
}

// authenticate checks the credentials of a DRS request the way Huawei's API
// gateway does: an X-Auth-Token if one is sent, else an SDK-HMAC-SHA256
// signature over the request as received (body holds its exact bytes).
func (a *authStore) authenticate(r *http.Request, body []byte, now time.Time) (principal, *apiError) {
	if toks := r.Header.Values("X-Auth-Token"); len(toks) > 0 {
		if len(toks) != 1 {
			return principal{}, unauthorized(MsgTokenInvalid)
		}
		return a.checkToken(toks[0], now)
	}
	if len(r.Header.Values(sdksign.HeaderAuthorization)) == 0 {
		return principal{}, unauthorized(MsgNoCredentials)
	}
	secretFor := func(ak string) (string, bool) {
		k, ok := a.key(ak)
		return k.Secret, ok
	}
	ak, err := sdksign.Verify(r, body, secretFor, now, MaxClockSkew)
	if err != nil {
		return principal{}, signatureError(err)
	}
	k, _ := a.key(ak)
	if k.SecurityToken != "" {
		auth, err := sdksign.ParseAuthorization(r.Header.Get(sdksign.HeaderAuthorization))
		sent := r.Header.Values(sdksign.HeaderSecurityToken)
		if err != nil || !slices.Contains(auth.SignedHeaders, "x-security-token") || len(sent) != 1 ||
			subtle.ConstantTimeCompare([]byte(sent[0]), []byte(k.SecurityToken)) != 1 {
			return principal{}, unauthorized(MsgSecurityTokenInvalid)
		}
	}
	if !k.Expires.IsZero() && !now.Before(k.Expires) {
		return principal{}, unauthorized(MsgCredentialsExpired)
	}
	return principal{}, nil
}

// signatureError maps a verification failure to the gateway's answer.
func signatureError(err error) *apiError {
	switch {
	case errors.Is(err, sdksign.ErrDateSkew):
		return &apiError{status: http.StatusUnauthorized, code: CodeSignatureExpired, msg: MsgSignatureExpired}
	case errors.Is(err, sdksign.ErrUnknownAccessKey):
		return unauthorized(MsgAccessKeyUnknown)
	case errors.Is(err, sdksign.ErrInvalidDate):
		return unauthorized(MsgSdkDateInvalid)
	case errors.Is(err, sdksign.ErrSignatureMismatch):
		return unauthorized(MsgSignatureMismatch)
	default: // malformed or repeated Authorization, body over 12 MB
		return unauthorized(MsgAuthorizationMalformed)
	}
}

// checkProject refuses credentials scoped to another project than the URI's,
// and an X-Project-Id header that differs from it.
func checkProject(r *http.Request, p principal, project string) *apiError {
	forbidden := &apiError{status: http.StatusForbidden, code: CodeForbidden, msg: MsgProjectMismatch}
	if p.project != "" && p.project != project {
		return forbidden
	}
	if sent := r.Header.Values(sdksign.HeaderProjectID); len(sent) > 0 {
		if len(sent) != 1 || sent[0] != project {
			return forbidden
		}
	}
	return nil
}
