package auth

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/redact"

	"github.com/drs-tools/drstemplate/auth/internal/ini"
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

// level is the credential settings found at one level of the chain, with
// the names under which the user set them (for messages).
type level struct {
	source                              string
	token, ak, sk, securityToken        string
	account, user, password             string
	projectID                           string
	tokenName, akName, skName           string
	accountName, userName, passwordName string
}

// Resolve finds the credentials; see [Chain].
func (c Chain) Resolve() (Resolved, error) {
	explicit := level{
		source: "settings", token: c.Token, ak: c.AccessKey, sk: c.SecretKey, securityToken: c.SecurityToken,
		account: c.Account, user: c.User, password: c.Password, projectID: c.ProjectID,
		tokenName: "Token", akName: "AccessKey", skName: "SecretKey",
		accountName: "Account", userName: "User", passwordName: "Password",
	}
	getenv := envvar.Lookup(c.LookupEnv).Get
	env := level{
		source: "environment", token: getenv(EnvToken), ak: getenv(EnvAccessKey), sk: getenv(EnvSecretKey),
		securityToken: getenv(EnvSecurityToken), account: getenv(EnvIAMAccount), user: getenv(EnvIAMUser),
		password: getenv(EnvIAMPassword), projectID: getenv(EnvProjectID),
		tokenName: EnvToken, akName: EnvAccessKey, skName: EnvSecretKey,
		accountName: EnvIAMAccount, userName: EnvIAMUser, passwordName: EnvIAMPassword,
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
	if l.token != "" {
		m = append(m, "a token ("+l.tokenName+")")
	}
	if l.ak != "" || l.sk != "" || l.securityToken != "" {
		m = append(m, "an access key ("+l.akName+", "+l.skName+")")
	}
	if l.account != "" || l.user != "" || l.password != "" {
		m = append(m, "a password login ("+l.accountName+", "+l.userName+", "+l.passwordName+")")
	}
	return m
}

// build makes the credentials of the one way l configures; ancillary lists
// the levels that may supply the project id, in order.
func (c Chain) build(l *level, ancillary []*level) (Resolved, error) {
	if m := l.methods(); len(m) > 1 {
		return Resolved{}, fmt.Errorf("%w: the %s sets %s; keep one", ErrAmbiguousCredentials, l.source, joinAnd(m))
	}
	var projectID string
	for _, a := range ancillary {
		projectID = cmp.Or(projectID, a.projectID)
	}
	res := Resolved{ProjectID: projectID, Source: l.source}
	switch {
	case l.token != "":
		res.Credentials = StaticToken(l.token)
	case l.account != "" || l.user != "" || l.password != "":
		var missing []string
		for _, f := range [][2]string{{l.account, l.accountName}, {l.user, l.userName}, {l.password, l.passwordName}} {
			if f[0] == "" {
				missing = append(missing, f[1])
			}
		}
		if len(missing) > 0 {
			return Resolved{}, fmt.Errorf("%w: the %s sets a password login without %s", ErrIncompleteCredentials, l.source, joinAnd(missing))
		}
		if projectID == "" && c.Region == "" {
			return Resolved{}, fmt.Errorf("%w: a password login needs a project: set %s or a region", ErrIncompleteCredentials, EnvProjectID)
		}
		iam := c.IAMEndpoint
		if iam == nil {
			var err error // endpoint.Config reads the environment's IAM endpoint
			if iam, err = (endpoint.Config{Region: c.Region, LookupEnv: c.LookupEnv}).IAM(); err != nil {
				return Resolved{}, fmt.Errorf("auth: IAM endpoint for the password login: %w", err)
			}
		}
		login := PasswordLogin{
			IAMEndpoint: iam, Account: l.account, User: l.user, Password: l.password, ProjectID: projectID,
			RefreshMargin: c.RefreshMargin, CacheDir: c.TokenCacheDir,
		}
		if projectID == "" {
			login.ProjectName = c.Region
		}
		p, err := NewPassword(login)
		if err != nil {
			return Resolved{}, err
		}
		res.Credentials = p
	default:
		switch {
		case l.ak == "":
			return Resolved{}, fmt.Errorf("%w: the %s sets no %s", ErrIncompleteCredentials, l.source, l.akName)
		case l.sk == "":
			return Resolved{}, fmt.Errorf("%w: the %s sets %s but no %s", ErrIncompleteCredentials, l.source, l.akName, l.skName)
		}
		res.Credentials = AccessKey{ID: l.ak, Secret: l.sk, SecurityToken: l.securityToken, ProjectID: projectID}
	}
	return res, nil
}

// profilePath returns the profile file to read: [EnvCredentialsFile] if
// set, else ~/.huaweicloud/credentials if it exists, else "".
func (c Chain) profilePath() (string, error) {
	getenv := envvar.Lookup(c.LookupEnv).Get
	if p := getenv(EnvCredentialsFile); p != "" {
		return p, nil
	}
	var home string
	if c.LookupEnv == nil {
		home, _ = os.UserHomeDir()
	} else if runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	} else {
		home = getenv("HOME")
	}
	if home == "" {
		return "", nil
	}
	p := filepath.Join(home, ".huaweicloud", "credentials")
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return p, nil
}

// readProfile reads the [basic] section of a profile file; a file without
// one gives nil.
func readProfile(path string) (*level, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth: profile file: %w", err)
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, ini.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("auth: profile file %s: %w", path, err)
	}
	sections, err := ini.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("auth: profile file %s: %w", path, err)
	}
	basic, ok := sections["basic"]
	if !ok {
		return nil, nil
	}
	l := &level{
		source: "profile file " + path, ak: basic["ak"], sk: basic["sk"], securityToken: basic["security_token"],
		projectID: basic["project_id"], akName: "ak", skName: "sk",
	}
	if len(l.methods()) == 0 && (basic["idp_id"] != "" || basic["id_token_file"] != "") {
		return nil, fmt.Errorf("%w: profile file %s uses federated identity (idp_id, id_token_file), which drstemplate does not support; use ak and sk",
			ErrNoCredentials, path)
	}
	return l, nil
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
