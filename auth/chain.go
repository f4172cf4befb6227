package auth

import (
	"cmp"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/redact"

	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/internal/envvar"
)

// Chain finds the credentials to use. It looks at three levels, in order:
//
//  1. its own fields (explicit settings, e.g. from command-line flags);
//  2. the environment: [EnvToken] for a token; [EnvAccessKey],
//     [EnvSecretKey] and [EnvSecurityToken] for an access key;
//     [EnvIAMAccount], [EnvIAMUser] and [EnvIAMPassword] for a password
//     login;
//  3. the SDK profile file ([EnvCredentialsFile], default
//     ~/.huaweicloud/credentials): ak, sk and security_token in its
//     [basic] section.
//
// The first level that configures any way to authenticate decides; the
// levels below it are not consulted. Two ways at that level (a token and an
// access key, say) are an error ([ErrAmbiguousCredentials]), as is a way
// configured only in part ([ErrIncompleteCredentials]); no way at any level
// is [ErrNoCredentials], whose message says what to set.
//
// The project id is looked up by the same precedence: the Chain's ProjectID,
// then [EnvProjectID], then — only when the credentials come from the
// profile file — its project_id. The IAM endpoint of a password login is the
// Chain's IAMEndpoint, else what endpoint.Config finds for Region (which
// reads [EnvIAMEndpoint]).
//
// The zero Chain reads the process environment and the profile file in the
// user's home directory. Formatting a Chain with fmt redacts its secrets.
type Chain struct {
	// Token is an IAM token to send as is ([StaticToken]).
	Token string
	// AccessKey and SecretKey are an access key pair ([AccessKey]);
	// SecurityToken makes it temporary.
	AccessKey, SecretKey, SecurityToken string
	// Account, User and Password are an IAM password login ([NewPassword]).
	Account, User, Password string
	// ProjectID is the project id: sent as X-Project-Id with an access key,
	// and the scope of password logins.
	ProjectID string
	// IAMEndpoint is the IAM endpoint for password logins, as package
	// endpoint returns it. It wins over [EnvIAMEndpoint]; nil means what
	// endpoint.Config finds for Region (the environment's, else the
	// region's, with plain http for loopback hosts only).
	IAMEndpoint *url.URL
	// Region is the region id. Password logins without a project id are
	// scoped to the project named after it, at the region's IAM endpoint.
	Region string
	// TokenCacheDir, when set, is where password logins keep their tokens
	// ([PasswordLogin.CacheDir]).
	TokenCacheDir string
	// RefreshMargin is passed to password logins
	// ([PasswordLogin.RefreshMargin]).
	RefreshMargin time.Duration
	// LookupEnv reads the environment; nil means os.LookupEnv. The home
	// directory for the default profile file is read through it too
	// (HOME, or USERPROFILE on Windows).
	LookupEnv func(key string) (string, bool)
}

// Resolved is what [Chain.Resolve] found.
type Resolved struct {
	// Credentials authenticate requests; use them in a [Transport].
	Credentials Credentials
	// ProjectID is the project id found with them; empty if none was (a
	// password login scoped by region then knows it once it has logged in:
	// see [PasswordCredentials.ProjectID]).
	ProjectID string
	// Source says where the credentials were found: "settings",
	// "environment" or "profile file <path>".
	Source string
}

// setting is one credential setting found at a level of the chain, with
// where the user set it.
type setting struct {
	value string
	name  string // the field, variable or key that set it
	line  int    // its line in the profile file; 0 elsewhere
}

// level is the credential settings found at one level of the chain.
type level struct {
	source                  string // "settings", "environment", "profile file <path>"
	token                   setting
	ak, sk, securityToken   setting
	account, user, password setting
	projectID               setting
}

// where says where s was set at l, for messages: "HUAWEICLOUD_SDK_AK in the
// environment", "ak on line 3 of profile file /home/u/.huaweicloud/credentials".
func (l *level) where(s setting) string {
	if s.line > 0 {
		return s.name + " on line " + strconv.Itoa(s.line) + " of " + l.source
	}
	return s.name + " in the " + l.source
}

// Resolve finds the credentials; see [Chain]. Every value it takes is
// checked before it returns: one that could never be sent or accepted (an
// access key id with a space in it, a project id with a line break, …) is
// an error matching [ErrInvalidCredentials] that names where it was set.
func (c Chain) Resolve() (Resolved, error) {
	explicit := level{
		source: "settings", token: setting{c.Token, "Token", 0},
		ak: setting{c.AccessKey, "AccessKey", 0}, sk: setting{c.SecretKey, "SecretKey", 0},
		securityToken: setting{c.SecurityToken, "SecurityToken", 0},
		account:       setting{c.Account, "Account", 0}, user: setting{c.User, "User", 0},
		password: setting{c.Password, "Password", 0}, projectID: setting{c.ProjectID, "ProjectID", 0},
	}
	getenv := envvar.Lookup(c.LookupEnv).Get
	env := level{source: "environment"}
	for _, s := range []struct {
		to   *setting
		name string
	}{
		{&env.token, EnvToken}, {&env.ak, EnvAccessKey}, {&env.sk, EnvSecretKey}, {&env.securityToken, EnvSecurityToken},
		{&env.account, EnvIAMAccount}, {&env.user, EnvIAMUser}, {&env.password, EnvIAMPassword}, {&env.projectID, EnvProjectID},
	} {
		*s.to = setting{getenv(s.name), s.name, 0}
	}
	ancillary := []*level{&explicit, &env}
	for _, l := range []*level{&explicit, &env} {
		if len(l.methods()) > 0 {
			return c.build(l, ancillary)
		}
	}
	path, err := c.profilePath()
	if err != nil {
		return Resolved{}, err
	}
	if path != "" {
		profile, err := readProfile(path)
		if err != nil {
			return Resolved{}, err
		}
		if profile != nil && len(profile.methods()) > 0 {
			return c.build(profile, append(ancillary, profile))
		}
	}
	return Resolved{}, fmt.Errorf("%w: set %s; or %s and %s (and %s for temporary keys); or %s, %s and %s; or ak and sk in the [basic] section of %s (%s)",
		ErrNoCredentials, EnvToken, EnvAccessKey, EnvSecretKey, EnvSecurityToken,
		EnvIAMAccount, EnvIAMUser, EnvIAMPassword, cmp.Or(path, "~/.huaweicloud/credentials"), EnvCredentialsFile)
}

// methods lists the ways to authenticate l configures, even in part.
func (l *level) methods() []string {
	var m []string
	if l.token.value != "" {
		m = append(m, "a token ("+l.token.name+")")
	}
	if l.ak.value != "" || l.sk.value != "" || l.securityToken.value != "" {
		m = append(m, "an access key ("+l.ak.name+", "+l.sk.name+")")
	}
	if l.account.value != "" || l.user.value != "" || l.password.value != "" {
		m = append(m, "a password login ("+l.account.name+", "+l.user.name+", "+l.password.name+")")
	}
	return m
}

// build makes the credentials of the one way l configures; ancillary lists
// the levels that may supply the project id, in order.
func (c Chain) build(l *level, ancillary []*level) (Resolved, error) {
	if m := l.methods(); len(m) > 1 {
		return Resolved{}, fmt.Errorf("%w: the %s sets %s; keep one", ErrAmbiguousCredentials, l.source, joinAnd(m))
	}
	projectID, from := setting{}, l
	for _, a := range ancillary {
		if projectID.value == "" && a.projectID.value != "" {
			projectID, from = a.projectID, a
		}
	}
	checks := []check{{from, projectID, checkProjectID}}
	res := Resolved{ProjectID: projectID.value, Source: l.source}
	switch {
	case l.token.value != "":
		if err := validate(append(checks, check{l, l.token, checkToken})...); err != nil {
			return Resolved{}, err
		}
		res.Credentials = StaticToken(l.token.value)
	case l.account.value != "" || l.user.value != "" || l.password.value != "":
		var missing []string
		for _, f := range []setting{l.account, l.user, l.password} {
			if f.value == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			return Resolved{}, fmt.Errorf("%w: the %s sets a password login without %s", ErrIncompleteCredentials, l.source, joinAnd(missing))
		}
		if projectID.value == "" && c.Region == "" {
			return Resolved{}, fmt.Errorf("%w: a password login needs a project: set %s or a region", ErrIncompleteCredentials, EnvProjectID)
		}
		if err := validate(append(checks, check{l, l.account, checkName}, check{l, l.user, checkName})...); err != nil {
			return Resolved{}, err
		}
		iam := c.IAMEndpoint
		if iam == nil {
			var err error // endpoint.Config reads the environment's IAM endpoint
			if iam, err = (endpoint.Config{Region: c.Region, LookupEnv: c.LookupEnv}).IAM(); err != nil {
				return Resolved{}, fmt.Errorf("auth: IAM endpoint for the password login: %w", err)
			}
		}
		login := PasswordLogin{
			IAMEndpoint: iam, Account: l.account.value, User: l.user.value, Password: l.password.value,
			ProjectID: projectID.value, RefreshMargin: c.RefreshMargin, CacheDir: c.TokenCacheDir,
		}
		if projectID.value == "" {
			login.ProjectName = c.Region
		}
		p, err := NewPassword(login)
		if err != nil {
			return Resolved{}, err
		}
		res.Credentials = p
	default:
		switch {
		case l.ak.value == "":
			return Resolved{}, fmt.Errorf("%w: the %s sets no %s", ErrIncompleteCredentials, l.source, l.ak.name)
		case l.sk.value == "":
			return Resolved{}, fmt.Errorf("%w: the %s sets %s but no %s", ErrIncompleteCredentials, l.source, l.ak.name, l.sk.name)
		}
		if err := validate(append(checks, check{l, l.ak, checkAccessKeyID}, check{l, l.sk, checkSecret},
			check{l, l.securityToken, checkSecret})...); err != nil {
			return Resolved{}, err
		}
		res.Credentials = AccessKey{ID: l.ak.value, Secret: l.sk.value, SecurityToken: l.securityToken.value, ProjectID: projectID.value}
	}
	return res, nil
}

// check is a setting to validate with a rule (see validate.go).
type check struct {
	at   *level
	s    setting
	rule func(string) string
}

// validate applies the checks to the settings that are set and returns the
// first failure as an error that names where the setting was made. It never
// quotes the value, which may be a secret.
func validate(checks ...check) error {
	for _, c := range checks {
		if c.s.value == "" {
			continue
		}
		if why := c.rule(c.s.value); why != "" {
			if c.s.line > 0 && looksLikeInlineComment(c.s.value) {
				why += "; the profile file has no inline comments: put a comment on a line of its own"
			}
			return fmt.Errorf("%w: %s %s", ErrInvalidCredentials, c.at.where(c.s), why)
		}
	}
	return nil
}

// String describes the chain's explicit settings without their secrets:
// the way to authenticate they configure, if any (else that the environment
// and the profile file decide), and the project, region and IAM endpoint.
func (c Chain) String() string {
	var ways []string
	if c.Token != "" {
		ways = append(ways, staticToken{token: c.Token}.String())
	}
	if c.AccessKey != "" || c.SecretKey != "" || c.SecurityToken != "" {
		ways = append(ways, AccessKey{ID: c.AccessKey, Secret: c.SecretKey, SecurityToken: c.SecurityToken}.String())
	}
	if c.Account != "" || c.User != "" || c.Password != "" {
		ways = append(ways, "IAM password login (user "+cmp.Or(show(c.User), unset)+" of account "+cmp.Or(show(c.Account), unset)+
			", password "+cmp.Or(redact.Mask(c.Password), unset)+")")
	}
	parts := []string{"the environment, then the profile file"}
	if len(ways) > 0 {
		parts[0] = "explicit " + joinAnd(ways)
	}
	iam := ""
	if c.IAMEndpoint != nil {
		iam = c.IAMEndpoint.Redacted()
	}
	for _, f := range []struct{ name, v string }{
		{"project ", c.ProjectID}, {"region ", c.Region}, {"IAM ", iam}, {"token cache ", c.TokenCacheDir},
	} {
		if f.v != "" {
			parts = append(parts, f.name+show(f.v))
		}
	}
	if c.RefreshMargin != 0 {
		parts = append(parts, "refresh margin "+c.RefreshMargin.String())
	}
	return "credential chain: " + strings.Join(parts, "; ")
}

// GoString renders a Go-syntax form with the secrets redacted (for %#v).
func (c Chain) GoString() string {
	type chain Chain // no methods: %#v lists every field
	c.Token, c.SecretKey, c.SecurityToken = redact.Mask(c.Token), redact.Mask(c.SecretKey), redact.Mask(c.SecurityToken)
	c.Password = redact.Mask(c.Password)
	return redact.GoSyntax("auth.Chain", chain(c))
}

// Format redacts the secrets for every fmt verb.
func (c Chain) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }
