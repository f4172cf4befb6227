package auth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envMap returns a LookupEnv over m.
func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestChainResolve(t *testing.T) {
	home := t.TempDir() // no ~/.huaweicloud/credentials
	profileDir := t.TempDir()
	n := 0
	profile := func(content string) string {
		n++
		p := filepath.Join(profileDir, fmt.Sprintf("profile-%d.ini", n))
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	basic := profile("[basic]\nak = PROFILEAK\nsk = profile-sk-secret\nproject_id = profileproject\n")
	homeWithProfile := t.TempDir()
	if err := os.MkdirAll(filepath.Join(homeWithProfile, ".huaweicloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(homeWithProfile, ".huaweicloud", "credentials"), []byte("[basic]\nak=HOMEAK\nsk=home-sk-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		chain     Chain
		env       map[string]string
		want      string // String() of the credentials
		project   string
		source    string
		err       error
		errHas    []string
		secretsIn []string // values that must not appear in the error
	}{
		{
			name:  "explicit token wins over environment AK/SK",
			chain: Chain{Token: "explicit-token"}, env: map[string]string{"HOME": home, EnvAccessKey: "ENVAK", EnvSecretKey: "env-sk"},
			want: "static IAM token (REDACTED)", source: "settings",
		},
		{
			name: "environment AK/SK with project and security token",
			env:  map[string]string{"HOME": home, EnvAccessKey: "ENVAK", EnvSecretKey: "env-sk", EnvSecurityToken: "env-st", EnvProjectID: "envproject"},
			want: "AK/SK (access key ENVAK, secret key REDACTED, project envproject, temporary)", project: "envproject", source: "environment",
		},
		{
			name:  "explicit project id wins over the environment's",
			chain: Chain{ProjectID: "flagproject"}, env: map[string]string{"HOME": home, EnvAccessKey: "ENVAK", EnvSecretKey: "env-sk", EnvProjectID: "envproject"},
			want: "AK/SK (access key ENVAK, secret key REDACTED, project flagproject)", project: "flagproject", source: "environment",
		},
		{
			name: "environment token",
			env:  map[string]string{"HOME": home, EnvToken: " env-token \n", EnvProjectID: "envproject"},
			want: "static IAM token (REDACTED)", project: "envproject", source: "environment",
		},
		{
			name:   "environment password login scoped by region",
			chain:  Chain{Region: "cn-north-4"},
			env:    map[string]string{"HOME": home, EnvIAMAccount: "acct", EnvIAMUser: "user", EnvIAMPassword: "env-password"},
			want:   "IAM password login (user user of account acct, password REDACTED, project cn-north-4, IAM https://iam.cn-north-4.myhuaweicloud.com)",
			source: "environment",
		},
		{
			name: "password login with project id and IAM endpoint from the environment",
			env: map[string]string{"HOME": home, EnvIAMAccount: "acct", EnvIAMUser: "user", EnvIAMPassword: "env-password",
				EnvProjectID: "envproject", EnvIAMEndpoint: "iam.internal.example.com"},
			want:    "IAM password login (user user of account acct, password REDACTED, project id envproject, IAM https://iam.internal.example.com)",
			project: "envproject", source: "environment",
		},
		{
			name:  "explicit IAM endpoint wins over the environment's",
			chain: Chain{Region: "cn-north-4", IAMEndpoint: mustURL("https://iam.flag.example.com")},
			env: map[string]string{"HOME": home, EnvIAMAccount: "acct", EnvIAMUser: "user", EnvIAMPassword: "env-password",
				EnvIAMEndpoint: "https://iam.env.example.com"},
			want:   "IAM password login (user user of account acct, password REDACTED, project cn-north-4, IAM https://iam.flag.example.com)",
			source: "environment",
		},
		{
			name:  "explicit password login",
			chain: Chain{Account: "a", User: "u", Password: "explicit-password", ProjectID: "p", IAMEndpoint: mustURL("http://127.0.0.1:1")},
			env:   map[string]string{"HOME": home},
			want:  "IAM password login (user u of account a, password REDACTED, project id p, IAM http://127.0.0.1:1)", project: "p", source: "settings",
		},
		{
			name: "profile file named by the environment",
			env:  map[string]string{"HOME": home, EnvCredentialsFile: basic},
			want: "AK/SK (access key PROFILEAK, secret key REDACTED, project profileproject)", project: "profileproject", source: "profile file " + basic,
		},
		{
			name: "environment project id wins over the profile's",
			env:  map[string]string{"HOME": home, EnvCredentialsFile: basic, EnvProjectID: "envproject"},
			want: "AK/SK (access key PROFILEAK, secret key REDACTED, project envproject)", project: "envproject", source: "profile file " + basic,
		},
		{
			name: "default profile in the home directory",
			env:  map[string]string{"HOME": homeWithProfile},
			want: "AK/SK (access key HOMEAK, secret key REDACTED)", source: "profile file " + filepath.Join(homeWithProfile, ".huaweicloud", "credentials"),
		},
		{
			name: "environment wins over the profile",
			env:  map[string]string{"HOME": homeWithProfile, EnvToken: "env-token"},
			want: "static IAM token (REDACTED)", source: "environment",
		},
		{
			name:   "nothing configured names what to set",
			env:    map[string]string{"HOME": home},
			err:    ErrNoCredentials,
			errHas: []string{EnvToken, EnvAccessKey, EnvSecretKey, EnvIAMAccount, EnvIAMUser, EnvIAMPassword, "[basic]", EnvCredentialsFile},
		},
		{
			name: "token and AK/SK in the environment are ambiguous",
			env:  map[string]string{"HOME": home, EnvToken: "env-token-value", EnvAccessKey: "ENVAK", EnvSecretKey: "env-sk-value"},
			err:  ErrAmbiguousCredentials, errHas: []string{"environment", EnvToken, EnvAccessKey},
			secretsIn: []string{"env-token-value", "env-sk-value"},
		},
		{
			name:  "explicit token and password are ambiguous",
			chain: Chain{Token: "tok-value", User: "u", Password: "pw-value"}, env: map[string]string{"HOME": home},
			err: ErrAmbiguousCredentials, errHas: []string{"settings", "Token", "Password"}, secretsIn: []string{"tok-value", "pw-value"},
		},
		{
			name: "AK without SK",
			env:  map[string]string{"HOME": home, EnvAccessKey: "ENVAK"},
			err:  ErrIncompleteCredentials, errHas: []string{EnvSecretKey},
		},
		{
			name: "security token alone",
			env:  map[string]string{"HOME": home, EnvSecurityToken: "st-value"},
			err:  ErrIncompleteCredentials, errHas: []string{EnvAccessKey}, secretsIn: []string{"st-value"},
		},
		{
			name: "password without user",
			env:  map[string]string{"HOME": home, EnvIAMAccount: "a", EnvIAMPassword: "pw-value"},
			err:  ErrIncompleteCredentials, errHas: []string{EnvIAMUser}, secretsIn: []string{"pw-value"},
		},
		{
			name: "password login without project or region",
			env:  map[string]string{"HOME": home, EnvIAMAccount: "a", EnvIAMUser: "u", EnvIAMPassword: "pw-value"},
			err:  ErrIncompleteCredentials, errHas: []string{EnvProjectID, "region"}, secretsIn: []string{"pw-value"},
		},
		{
			name:  "password login with a plain-http remote IAM endpoint",
			chain: Chain{Region: "cn-north-4"},
			env: map[string]string{"HOME": home, EnvIAMAccount: "a", EnvIAMUser: "u", EnvIAMPassword: "pw-value",
				EnvIAMEndpoint: "http://iam.example.com"},
			errHas: []string{"plain http"}, secretsIn: []string{"pw-value"},
		},
		{
			name: "missing profile file named by the environment",
			env:  map[string]string{"HOME": home, EnvCredentialsFile: filepath.Join(profileDir, "nope")},
			err:  os.ErrNotExist, errHas: []string{"profile file"},
		},
		{
			name:   "malformed profile",
			env:    map[string]string{"HOME": home, EnvCredentialsFile: profile("[basic]\nsk secret-in-bad-line\n")},
			errHas: []string{"line 2"}, secretsIn: []string{"secret-in-bad-line"},
		},
		{
			name: "profile with federated identity only",
			env:  map[string]string{"HOME": home, EnvCredentialsFile: profile("[basic]\nidp_id = idp\nid_token_file = /tmp/t\n")},
			err:  ErrNoCredentials, errHas: []string{"idp_id"},
		},
		{
			name: "profile without a basic section",
			env:  map[string]string{"HOME": home, EnvCredentialsFile: profile("[global]\nak = A\nsk = S\n")},
			err:  ErrNoCredentials,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.chain
			c.LookupEnv = envMap(tt.env)
			got, err := c.Resolve()
			if tt.err != nil || tt.errHas != nil {
				if err == nil {
					t.Fatalf("Resolve = %v, want an error", got.Credentials)
				}
				for i, s := range tt.secretsIn {
					if strings.Contains(err.Error(), s) {
						t.Fatalf("the error shows secretsIn[%d]", i)
					}
				}
				if tt.err != nil && !errors.Is(err, tt.err) {
					t.Errorf("err = %v, want %v", err, tt.err)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Credentials.(interface{ String() string }).String(); s != tt.want {
				t.Errorf("credentials %s\n                want %s", s, tt.want)
			}
			if got.ProjectID != tt.project || got.Source != tt.source {
				t.Errorf("project %q source %q, want %q %q", got.ProjectID, got.Source, tt.project, tt.source)
			}
		})
	}
}

func TestChainReadsProcessEnvironment(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv(EnvCredentialsFile, "")
	t.Setenv(EnvToken, "")
	t.Setenv(EnvIAMAccount, "")
	t.Setenv(EnvIAMUser, "")
	t.Setenv(EnvIAMPassword, "")
	t.Setenv(EnvSecurityToken, "")
	t.Setenv(EnvAccessKey, "PROCAK")
	t.Setenv(EnvSecretKey, "proc-sk")
	t.Setenv(EnvProjectID, "procproject")
	got, err := Chain{}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := got.Credentials.(AccessKey); !ok || k.ID != "PROCAK" || k.Secret != "proc-sk" || k.ProjectID != "procproject" {
		t.Fatalf("got %v", got.Credentials)
	}
}

// String says in words what the chain is set to; GoString is the Go syntax.
// Neither shows a secret.
func TestChainString(t *testing.T) {
	tests := []struct {
		chain Chain
		want  string
	}{
		{Chain{}, "credential chain: the environment, then the profile file"},
		{Chain{Region: "cn-north-4", LookupEnv: envMap(nil)}, "credential chain: the environment, then the profile file; region cn-north-4"},
		{Chain{Token: "tok-SECRET-1", ProjectID: "p"}, "credential chain: explicit static IAM token (REDACTED); project p"},
		{
			Chain{AccessKey: "AKID", SecretKey: "sk-SECRET-2", SecurityToken: "st-SECRET-3", Region: "cn-north-4"},
			"credential chain: explicit AK/SK (access key AKID, secret key REDACTED, temporary); region cn-north-4",
		},
		{
			Chain{Account: "acct", User: "user", Password: "pw-SECRET-4", IAMEndpoint: mustURL("https://iam.example.com"),
				TokenCacheDir: "/cache", RefreshMargin: time.Minute},
			"credential chain: explicit IAM password login (user user of account acct, password REDACTED); " +
				"IAM https://iam.example.com; token cache /cache; refresh margin 1m0s",
		},
		{
			Chain{Token: "tok-SECRET-1", AccessKey: "AKID"},
			"credential chain: explicit static IAM token (REDACTED) and AK/SK (access key AKID, secret key unset)",
		},
	}
	for _, tt := range tests {
		for _, verb := range []string{"%v", "%s", "%+v"} {
			if got := fmt.Sprintf(verb, tt.chain); got != tt.want {
				t.Errorf("%s = %q\n want %q", verb, got, tt.want)
			}
		}
		if got := tt.chain.String(); got != tt.want {
			t.Errorf("String() = %q\n want %q", got, tt.want)
		}
		goSyntax := fmt.Sprintf("%#v", tt.chain)
		if goSyntax != tt.chain.GoString() || !strings.HasPrefix(goSyntax, "auth.Chain{") {
			t.Errorf("%%#v = %q, want GoString's Go syntax", goSyntax)
		}
		assertNoSecret(t, "Chain %#v", goSyntax)
	}
}
