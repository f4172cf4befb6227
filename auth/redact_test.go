package auth

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The secrets used in this test; none may appear in any formatted output.
var testSecrets = []string{"tok-SECRET-1", "sk-SECRET-2", "st-SECRET-3", "pw-SECRET-4", testPassword}

func TestFormattingRedactsSecrets(t *testing.T) {
	s := newTestServer(t)
	password := s.password(t, nil) // logs in with testPassword
	login := PasswordLogin{IAMEndpoint: mustURL(s.URL), Account: "acct", User: "user", Password: "pw-SECRET-4", ProjectID: testProject}
	key := AccessKey{ID: "AKID", Secret: "sk-SECRET-2", SecurityToken: "st-SECRET-3", ProjectID: testProject}
	chain := Chain{Token: "tok-SECRET-1", AccessKey: "AKID", SecretKey: "sk-SECRET-2", SecurityToken: "st-SECRET-3",
		Account: "acct", User: "user", Password: "pw-SECRET-4"}
	// A password whose token has been fetched holds the token too.
	s.issue = []string{"tok-SECRET-1"}
	if status, err := s.get(t, s.client(password)); err != nil || status != http.StatusOK {
		t.Fatalf("login: %d %v", status, err)
	}

	values := map[string]any{
		"AccessKey":            key,
		"*AccessKey":           &key,
		"StaticToken":          StaticToken("tok-SECRET-1"),
		"PasswordLogin":        login,
		"*PasswordLogin":       &login,
		"*PasswordCredentials": password,
		"Chain":                chain,
		"*Chain":               &chain,
		"Resolved":             Resolved{Credentials: key, Source: "settings"},
		"*Transport":           &Transport{Credentials: key, Endpoint: mustURL("https://x")},
		"Transport":            Transport{Credentials: StaticToken("tok-SECRET-1"), Endpoint: mustURL("https://x")},
		"nested struct":        struct{ A, B, C any }{key, login, password},
		"slice":                []any{key, StaticToken("tok-SECRET-1"), password, chain},
		"map":                  map[string]any{"k": key, "l": login},
		"[]AccessKey":          []AccessKey{key},
		"map of Password":      map[string]*PasswordCredentials{"p": password},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.4v", "%-20s", "%T %v"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if verb == "%T %v" {
				out = fmt.Sprintf(verb, v, v)
			}
			assertNoSecret(t, name+" "+verb, out)
		}
		if s, ok := v.(fmt.Stringer); ok {
			assertNoSecret(t, name+" String()", s.String())
		}
		if g, ok := v.(fmt.GoStringer); ok {
			assertNoSecret(t, name+" GoString()", g.GoString())
		}
	}

	// The redacted forms still say what is set.
	if got := fmt.Sprintf("%v", key); got != "AK/SK (access key AKID, secret key REDACTED, project "+testProject+", temporary)" {
		t.Errorf("AccessKey %%v = %q", got)
	}
	if got := fmt.Sprintf("%#v", key); got != `auth.AccessKey{ID:"AKID", Secret:"REDACTED", SecurityToken:"REDACTED", ProjectID:"`+testProject+`"}` {
		t.Errorf("AccessKey %%#v = %q", got)
	}
	if got := fmt.Sprintf("%#v", AccessKey{ID: "AKID"}); !strings.Contains(got, `Secret:""`) {
		t.Errorf("an unset secret must show as empty: %q", got)
	}
	if got := fmt.Sprintf("%v", StaticToken("")); got != "static IAM token (unset)" {
		t.Errorf("empty StaticToken = %q", got)
	}
	var nilPassword *PasswordCredentials
	if got := fmt.Sprintf("%v|%#v", nilPassword, nilPassword); got != "<nil>|(*auth.PasswordCredentials)(nil)" {
		t.Errorf("nil *PasswordCredentials = %q", got)
	}
}

func TestErrorsCarryNoSecrets(t *testing.T) {
	s := newTestServer(t)
	var errs []error

	// Refusals whose server messages echo the credentials sent: what
	// ParseResponse reads from them, and what Refusal makes of them.
	for _, creds := range []Credentials{
		StaticToken("tok-SECRET-1"),
		AccessKey{ID: testAK, Secret: "sk-SECRET-2", SecurityToken: "st-SECRET-3"},
	} {
		got := sendGet(t, s.client(creds), s.URL+"/v5/"+testProject+"/templates")
		if got.refusal == nil {
			t.Fatalf("%v: no refusal", creds)
		}
		errs = append(errs, got.refusal)
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			assertNoSecret(t, fmt.Sprintf("%v: parsed refusal %s", creds, verb), fmt.Sprintf(verb, got.info))
		}
		if !strings.Contains(got.info.Message, redacted) {
			t.Errorf("%v: the echoed secret was not replaced by %s", creds, redacted)
		}
	}
	// A login refusal that echoes the password.
	_, err := s.get(t, s.client(s.password(t, func(l *PasswordLogin) { l.Password = "pw-SECRET-4" })))
	errs = append(errs, err)
	// Configuration errors.
	_, err = Chain{Token: "tok-SECRET-1", SecretKey: "sk-SECRET-2", LookupEnv: envMap(nil)}.Resolve()
	errs = append(errs, err)
	_, err = Chain{SecurityToken: "st-SECRET-3", LookupEnv: envMap(nil)}.Resolve()
	errs = append(errs, err)
	_, err = Chain{Password: "pw-SECRET-4", LookupEnv: envMap(nil)}.Resolve()
	errs = append(errs, err)
	_, err = NewPassword(PasswordLogin{IAMEndpoint: mustURL("http://user:pw-SECRET-4@iam.example.com"), Account: "a", User: "u", Password: "pw-SECRET-4", ProjectID: "p"})
	errs = append(errs, err)
	err = StaticToken("tok-SECRET-1\n").Authenticate(httptestRequest(t, s.URL), nil, time.Now())
	errs = append(errs, err)
	err = AccessKey{ID: "A", Secret: "sk-SECRET-2", SecurityToken: "st-SECRET-3\r\nX: y"}.Authenticate(httptestRequest(t, s.URL), func() ([]byte, error) { return nil, nil }, time.Now())
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			assertNoSecret(t, fmt.Sprintf("error %d %s", i, verb), fmt.Sprintf(verb, err))
		}
		var ae *LoginError
		if errors.As(err, &ae) {
			if !strings.Contains(ae.Message, redacted) {
				t.Errorf("error %d: the echoed secret was not replaced by %s", i, redacted)
			}
		}
	}
}

// assertNoSecret fails if out shows any of testSecrets, as is or in hex. It
// names the secret by its index and never prints out.
func assertNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for i, sec := range testSecrets {
		for form, s := range map[string]string{"": sec, " in hex": fmt.Sprintf("%x", sec), " in upper-case hex": fmt.Sprintf("%X", sec)} {
			if strings.Contains(out, s) {
				t.Errorf("%s shows testSecrets[%d]%s", what, i, form)
			}
		}
	}
}

// Every field of every exported type that holds a secret is classified
// here. The test fills each string field with a marker of its own: no
// secret's marker may show under any verb, and every other string field
// must show in %#v — so a GoString cannot leave a field out. A field added
// to one of these types fails the test until it is classified.
func TestFormattingCoversEveryField(t *testing.T) {
	types := []struct {
		v      any             // a pointer to a value of the type
		secret map[string]bool // every field: is it a secret?
	}{
		{&AccessKey{}, map[string]bool{"ID": false, "Secret": true, "SecurityToken": true, "ProjectID": false}},
		{&PasswordLogin{}, map[string]bool{
			"IAMEndpoint": false, "Account": false, "User": false, "Password": true, "ProjectID": false,
			"ProjectName": false, "RefreshMargin": false, "CacheDir": false, "HTTPClient": false,
		}},
		{&Chain{}, map[string]bool{
			"Token": true, "AccessKey": false, "SecretKey": true, "SecurityToken": true, "Account": false, "User": false,
			"Password": true, "ProjectID": false, "IAMEndpoint": false, "Region": false, "TokenCacheDir": false,
			"RefreshMargin": false, "LookupEnv": false,
		}},
		{&staticToken{}, map[string]bool{"token": true}}, // classified only: StaticToken is tested above
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"}
	for _, tt := range types {
		rv := reflect.ValueOf(tt.v).Elem()
		typ := rv.Type()
		var secrets, public []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			secret, known := tt.secret[f.Name]
			if !known {
				t.Errorf("%s.%s is not classified in this test: is it a secret?", typ, f.Name)
				continue
			}
			if !f.IsExported() || f.Type.Kind() != reflect.String {
				continue
			}
			marker := "MARK-" + f.Name + "-7f3a"
			rv.Field(i).SetString(marker)
			if secret {
				secrets = append(secrets, marker)
			} else {
				public = append(public, marker)
			}
		}
		v := rv.Interface()
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if verb == "%T %v" {
				out = fmt.Sprintf(verb, v, v)
			}
			for _, m := range secrets {
				for _, form := range []string{m, fmt.Sprintf("%x", m), fmt.Sprintf("%X", m)} {
					if strings.Contains(out, form) {
						t.Errorf("%s %s shows a secret field (%s)", typ, verb, m)
					}
				}
			}
		}
		goSyntax := fmt.Sprintf("%#v", v)
		for _, m := range public {
			if !strings.Contains(goSyntax, m) {
				t.Errorf("%s %%#v leaves out a field (%s): %s", typ, m, goSyntax)
			}
		}
	}
}

// A setting with a line break (say, a project id read with its newline)
// prints quoted: it cannot break a log line or forge one.
func TestFormattingQuotesControlCharacters(t *testing.T) {
	values := []any{
		AccessKey{ID: "AK\nID", ProjectID: "p\r\nX-Forged: 1"},
		PasswordLogin{User: "u\n", Account: "a\r", ProjectName: "cn-north-4\n"},
		Chain{ProjectID: "p\r\n", Region: "r\n", User: "u\n"},
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%s", "%+v"} {
			if out := fmt.Sprintf(verb, v); strings.ContainsAny(out, "\r\n") {
				t.Errorf("%T %s = %q: a raw line break", v, verb, out)
			}
		}
	}
}
