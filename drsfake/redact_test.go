package drsfake

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// The secrets of TestFormattingRedactsSecrets, by name; none may appear in
// any formatted output, as text or in hex.
var formatSecrets = map[string]string{
	"token":          "tok-SECRET-1",
	"secret key":     "sk-SECRET-2",
	"security token": "st-SECRET-3",
	"password":       "pw-SECRET-4",
}

// TestFormattingRedactsSecrets formats every type of the package that holds
// credentials with the usual verbs, alone and nested, and checks that no
// secret shows while the rest still does.
func TestFormattingRedactsSecrets(t *testing.T) {
	key := accessKey{ID: "AKID", Secret: formatSecrets["secret key"], SecurityToken: formatSecrets["security token"], Expires: t0}
	user := IAMUser{Account: "acct", Name: "alice", Password: formatSecrets["password"]}
	creds := Credentials{Token: formatSecrets["token"], AccessKey: "AKID", SecretKey: formatSecrets["secret key"], User: user}
	ts := Start(t, WithClock(NewManualClock(t0)), WithToken(creds.Token),
		WithTemporaryAccessKey(key.ID, key.Secret, key.SecurityToken, key.Expires),
		WithUser(user.Account, user.Name, user.Password))
	if ts.Credentials != creds {
		t.Fatal("Start did not report the credentials it was given")
	}

	values := map[string]any{
		"AccessKey":          key,
		"*AccessKey":         &key,
		"IAMUser":            user,
		"*IAMUser":           &user,
		"Credentials":        creds,
		"*Credentials":       &creds,
		"*TestServer":        ts,
		"TestServer":         *ts,
		"*Server":            ts.Server,
		"[]accessKey":        []accessKey{key},
		"map of IAMUser":     map[string]IAMUser{"u": user},
		"nested struct":      struct{ A, B, C, D any }{key, user, creds, ts},
		"[]any of pointers":  []any{&key, &user, &creds, ts},
		"TestServer.Server":  *ts.Server,
		"embedded in struct": struct{ *TestServer }{ts},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.4v", "%-20s"}
	for name, v := range values {
		for _, verb := range verbs {
			checkNoSecret(t, name+" "+verb, fmt.Sprintf(verb, v))
		}
		if s, ok := v.(fmt.Stringer); ok {
			checkNoSecret(t, name+" String()", s.String())
		}
		if g, ok := v.(fmt.GoStringer); ok {
			checkNoSecret(t, name+" GoString()", g.GoString())
		}
	}

	// The redacted forms still say what is set.
	for _, c := range []struct {
		name, got, want string
	}{
		{"AccessKey %v", fmt.Sprintf("%v", key), "AK/SK (access key AKID, secret key REDACTED, temporary, expires " + t0.String() + ")"},
		{"AccessKey %#v", fmt.Sprintf("%#v", key), `drsfake.accessKey{ID:"AKID", Secret:"REDACTED", SecurityToken:"REDACTED", Expires:time.Date(2025, time.July, 3, 9, 44, 12, 0, time.UTC)}`},
		{"unset AccessKey %#v", fmt.Sprintf("%#v", accessKey{ID: "AKID"}), `drsfake.accessKey{ID:"AKID", Secret:"", SecurityToken:"", Expires:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)}`},
		{"IAMUser %v", fmt.Sprintf("%v", user), "IAM user alice of account acct (password REDACTED)"},
		{"IAMUser %q", fmt.Sprintf("%q", user), `"IAM user alice of account acct (password REDACTED)"`},
		{"IAMUser %#v", fmt.Sprintf("%#v", user), `drsfake.IAMUser{Account:"acct", Name:"alice", Password:"REDACTED"}`},
		{"Credentials %+v", fmt.Sprintf("%+v", creds), "drsfake credentials (token REDACTED, access key AKID, secret key REDACTED, IAM user alice of account acct (password REDACTED))"},
		{"Credentials %#v", fmt.Sprintf("%#v", creds), `drsfake.Credentials{Token:"REDACTED", AccessKey:"AKID", SecretKey:"REDACTED", User:drsfake.IAMUser{Account:"acct", Name:"alice", Password:"REDACTED"}}`},
		{"empty Credentials %v", fmt.Sprintf("%v", Credentials{}), "drsfake credentials (token (unset), access key (unset), secret key (unset), IAM user (unset) of account (unset) (password (unset)))"},
		{"TestServer %v", fmt.Sprintf("%v", ts), "drsfake test server at " + ts.URL + " (project " + ts.ProjectID + ", 3 tasks, " + creds.String() + ")"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if got := fmt.Sprintf("%#v", ts); !strings.HasPrefix(got, "drsfake.TestServer{Server:(*drsfake.Server)(0x") ||
		!strings.Contains(got, ", Credentials:"+creds.GoString()+", URL:"+fmt.Sprintf("%q", ts.URL)+", ") ||
		!strings.Contains(got, fmt.Sprintf("TaskIDs:%#v, Clock:(*drsfake.ManualClock)(0x", ts.TaskIDs)) || !strings.HasSuffix(got, ")}") {
		t.Errorf("TestServer %%#v = %q", got)
	}
	var nilTS *TestServer
	if got := fmt.Sprintf("%v|%+v|%s", nilTS, nilTS, nilTS); got != "<nil>|<nil>|<nil>" {
		t.Errorf("nil *TestServer = %q", got)
	}
}

// checkNoSecret fails the test if out shows one of formatSecrets, as text or
// in hex. It names the secret, never its value, and does not print out.
func checkNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for name, sec := range formatSecrets {
		lower := strings.ToLower(out)
		if strings.Contains(out, sec) || strings.Contains(lower, hex.EncodeToString([]byte(sec))) {
			t.Errorf("%s shows the %s", what, name)
		}
	}
}
