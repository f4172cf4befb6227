package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/drs-tools/drstemplate/internal/redact"

	"github.com/drs-tools/drstemplate/gen/iamapi"
)

// DefaultRefreshMargin is how long before its expiry a password login's
// token is replaced, unless [PasswordLogin.RefreshMargin] says otherwise.
// Huawei's tokens live 24 hours and can be revoked early; an hour's margin
// keeps a token from expiring in the middle of a long export.
const DefaultRefreshMargin = time.Hour

// PasswordLogin says how to log in to IAM with a user name and password;
// [NewPassword] turns it into [PasswordCredentials]. Formatting it with fmt
// redacts the password.
type PasswordLogin struct {
	// IAMEndpoint is the base URL of IAM, as package endpoint returns it
	// (endpoint.Config.IAM, endpoint.Parse) — which is where plain http is
	// allowed or refused. The password is sent only to its scheme, host and
	// port. NewPassword keeps a copy. Required.
	IAMEndpoint *url.URL
	// Account is the name of the account (IAM domain) the user belongs to.
	// Required.
	Account string
	// User is the IAM user name. Required.
	User string
	// Password is the user's password. Required.
	Password string
	// ProjectID scopes the tokens to the project with this id. Exactly one
	// of ProjectID and ProjectName must be set.
	ProjectID string
	// ProjectName scopes the tokens to the project with this name; a
	// region id such as "cn-north-4" names the region's default project.
	ProjectName string
	// RefreshMargin is how long before its expiry a token is replaced;
	// zero means [DefaultRefreshMargin]. A token issued for less than twice
	// the margin is replaced once half its lifetime is over.
	RefreshMargin time.Duration
	// CacheDir, when set, keeps tokens in a file in this directory so that
	// later processes reuse them (see [DefaultCacheDir]); empty disables
	// the disk cache.
	CacheDir string
	// HTTPClient sends the logins. NewPassword keeps a copy of it (sharing
	// its Transport and connection pool; the client given is not modified)
	// that never follows redirects and sends only to IAMEndpoint's scheme
	// and host, so the password cannot be posted anywhere else. Nil means a
	// client of the credentials' own, built on the first login: certificates
	// verified, TLS 1.2 or later, with its own connection pool — pass a
	// client to share one between several PasswordCredentials.
	HTTPClient *http.Client
}

// String describes the login without the password.
func (l PasswordLogin) String() string {
	iam := unset
	if l.IAMEndpoint != nil {
		iam = l.IAMEndpoint.Redacted()
	}
	return "IAM password login (user " + cmp.Or(show(l.User), unset) + " of account " + cmp.Or(show(l.Account), unset) +
		", password " + cmp.Or(redact.Mask(l.Password), unset) + ", " + scopeString(l.ProjectID, l.ProjectName) +
		", IAM " + iam + ")"
}

// GoString renders a Go-syntax form with the password redacted (for %#v).
func (l PasswordLogin) GoString() string {
	type passwordLogin PasswordLogin // no methods: %#v lists every field
	l.Password = redact.Mask(l.Password)
	return redact.GoSyntax("auth.PasswordLogin", passwordLogin(l))
}

// Format redacts the password for every fmt verb.
func (l PasswordLogin) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, l.String(), l.GoString())
}

func scopeString(id, name string) string {
	switch {
	case id != "":
		return "project id " + show(id)
	case name != "":
		return "project " + show(name)
	}
	return "no project"
}

// PasswordCredentials are credentials that log in to IAM with a user name
// and password and send the token as X-Auth-Token. Create them with
// [NewPassword].
//
// They log in on first use and reuse the token until RefreshMargin before
// its expiry; concurrent requests that need a new token share one login.
// When DRS refuses the token (expired early or revoked), [Transport] calls
// Invalidate and retries the request once with a new token.
type PasswordCredentials struct {
	login  PasswordLogin
	iam    *iamapi.Client
	cache  *diskCache // nil: no disk cache
	margin time.Duration

	logins singleflight.Group // concurrent callers share one login

	mu     sync.Mutex
	tok    iamToken
	loaded bool // the disk cache was consulted
}

// iamToken is a token with what its login said about it.
type iamToken struct {
	value     string
	expires   time.Time
	issued    time.Time
	projectID string
}

// NewPassword checks l and returns credentials that log in with it. It does
// not contact IAM; the first request does.
func NewPassword(l PasswordLogin) (*PasswordCredentials, error) {
	var missing []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"IAM endpoint", l.IAMEndpoint != nil}, {"account name", l.Account != ""}, {"user name", l.User != ""}, {"password", l.Password != ""},
	} {
		if !f.set {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: a password login needs %s", ErrIncompleteCredentials, joinAnd(missing))
	}
	if (l.ProjectID == "") == (l.ProjectName == "") {
		return nil, fmt.Errorf("%w: a password login needs exactly one of a project id and a project name", ErrIncompleteCredentials)
	}
	if l.RefreshMargin < 0 {
		return nil, errors.New("auth: the refresh margin must not be negative")
	}
	for _, f := range []struct {
		name, v string
		rule    func(string) string
	}{
		{"account name", l.Account, checkName}, {"user name", l.User, checkName},
		{"project id", l.ProjectID, checkProjectID}, {"project name", l.ProjectName, checkName},
	} {
		if why := f.rule(f.v); f.v != "" && why != "" {
			return nil, fmt.Errorf("%w: the %s %s", ErrInvalidCredentials, f.name, why)
		}
	}
	if err := checkEndpoint(l.IAMEndpoint); err != nil {
		return nil, fmt.Errorf("auth: IAM endpoint: %w", err)
	}
	ep := *l.IAMEndpoint
	l.IAMEndpoint = &ep
	doer := loginClient(sync.OnceValue(func() *http.Client {
		hc := l.HTTPClient
		if hc == nil {
			hc = &http.Client{Transport: newBaseTransport()}
		}
		return confine(hc, &ep)
	}))
	iam, err := iamapi.NewClient(ep.String(), iamapi.WithHTTPClient(doer))
	if err != nil {
		return nil, fmt.Errorf("auth: IAM client: %w", err)
	}
	p := &PasswordCredentials{login: l, iam: iam, margin: cmp.Or(l.RefreshMargin, DefaultRefreshMargin)}
	if l.CacheDir != "" {
		p.cache = newDiskCache(l.CacheDir, cacheKey(l))
	}
	return p, nil
}

// Authenticate sets X-Auth-Token to a token that is good at now, logging in
// if there is none.
func (p *PasswordCredentials) Authenticate(r *http.Request, _ func() ([]byte, error), now time.Time) error {
	tok, err := p.token(r.Context(), func(t iamToken) bool { return p.fresh(t, now) })
	if err != nil {
		return err
	}
	r.Header.Set(HeaderAuthToken, tok.value)
	return nil
}

// Invalidate drops the token that refused carried, in memory and on disk, so
// that the next request logs in again. A token other than the current one
// (already replaced by a concurrent request) is ignored.
func (p *PasswordCredentials) Invalidate(refused *http.Request) {
	v := refused.Header.Get(HeaderAuthToken)
	p.mu.Lock()
	defer p.mu.Unlock()
	if v == "" || v != p.tok.value {
		return
	}
	p.tok = iamToken{}
	if p.cache != nil {
		p.cache.remove()
	}
}

// ProjectID returns the id of the project the tokens are scoped to: the
// configured ProjectID, else the project of the current token (logging in
// if there is none). DRS URLs need it when the login names its project.
func (p *PasswordCredentials) ProjectID(ctx context.Context) (string, error) {
	if p.login.ProjectID != "" {
		return p.login.ProjectID, nil
	}
	tok, err := p.token(ctx, func(t iamToken) bool { return t.value != "" && t.projectID != "" })
	if err != nil {
		return "", err
	}
	if tok.projectID == "" {
		return "", fmt.Errorf("auth: IAM did not say which project the token is for (project %q)", p.login.ProjectName)
	}
	return tok.projectID, nil
}

// fresh reports whether t can be used at now: it exists and more than the
// refresh margin (or half its lifetime, for short-lived tokens) remains.
func (p *PasswordCredentials) fresh(t iamToken, now time.Time) bool {
	if t.value == "" {
		return false
	}
	margin := p.margin
	if life := t.expires.Sub(t.issued); life < 2*margin {
		margin = life / 2
	}
	return now.Before(t.expires.Add(-margin))
}

// loginTimeout bounds a login that goes on after the caller that started it
// gave up (for the callers still waiting for it).
const loginTimeout = time.Minute

// token returns the current token if ok accepts it, else the token of a
// login — the one in progress, or a new one. Concurrent callers share one
// login (singleflight); a caller whose context ends stops waiting, while the
// login itself carries on for the others, detached from that context
// (context.WithoutCancel) and bounded by loginTimeout.
func (p *PasswordCredentials) token(ctx context.Context, ok func(iamToken) bool) (iamToken, error) {
	if t, good := p.current(ok); good {
		return t, nil
	}
	ch := p.logins.DoChan("", func() (any, error) {
		if t, good := p.current(ok); good { // a login finished meanwhile
			return t, nil
		}
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loginTimeout)
		defer cancel()
		t, err := p.logIn(lctx)
		if err != nil {
			return iamToken{}, err
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.tok = t
		if p.cache != nil {
			p.cache.store(t) // under the lock: an Invalidate cannot slip in between
		}
		return t, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return iamToken{}, r.Err
		}
		return r.Val.(iamToken), nil
	case <-ctx.Done():
		return iamToken{}, fmt.Errorf("auth: waiting for the IAM login: %w", context.Cause(ctx))
	}
}

// current returns the token in memory (or, on the first call, in the disk
// cache) and whether ok accepts it.
func (p *PasswordCredentials) current(ok func(iamToken) bool) (iamToken, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded {
		p.loaded = true
		if p.cache != nil && p.tok.value == "" {
			if t, found := p.cache.load(); found {
				p.tok = t
			}
		}
	}
	return p.tok, ok(p.tok)
}

// String describes the credentials without the password or token.
func (p *PasswordCredentials) String() string {
	if p == nil {
		return "<nil>"
	}
	return p.login.String()
}

// GoString renders a Go-syntax form without secrets (for %#v): the login
// (password redacted), not the state of the credentials, which holds the
// token.
func (p *PasswordCredentials) GoString() string {
	if p == nil {
		return "(*auth.PasswordCredentials)(nil)"
	}
	return "&auth.PasswordCredentials{login:" + p.login.GoString() + ", …}"
}

// Format redacts the password and token for every fmt verb.
func (p *PasswordCredentials) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, p.String(), p.GoString())
}

// loginClient sends the IAM logins of one PasswordCredentials through the
// client it returns: the caller's, confined, or one of its own, built on the
// first login.
type loginClient func() *http.Client

// Do sends req.
func (c loginClient) Do(req *http.Request) (*http.Response, error) {
	return c().Do(req)
}

// joinAnd joins words as "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	s := words[0]
	for _, w := range words[1 : len(words)-1] {
		s += ", " + w
	}
	return s + " and " + words[len(words)-1]
}
