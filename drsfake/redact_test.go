package drsfake

import (
	"encoding/hex"
	"fmt"
	"reflect"
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
	ts := start(t, WithClock(NewManualClock(t0)), WithToken(creds.Token),
		WithTemporaryAccessKey(key.ID, key.Secret, key.SecurityToken, key.Expires),
		WithUser(user.Account, user.Name, user.Password))
	if ts.Credentials != creds {
		t.Fatal("NewWithDefaults did not report the credentials it was given")
	}

	values := map[string]any{
		"accessKey":          key,
		"*accessKey":         &key,
		"IAMUser":            user,
		"*IAMUser":           &user,
		"Credentials":        creds,
		"*Credentials":       &creds,
		"*Server":            ts.Server,
		"[]accessKey":        []accessKey{key},
		"map of IAMUser":     map[string]IAMUser{"u": user},
		"nested struct":      struct{ A, B, C, D any }{key, user, creds, ts.Server},
		"[]any of pointers":  []any{&key, &user, &creds, ts.Server},
		"Server value":       *ts.Server,
		"embedded in struct": struct{ *Server }{ts.Server},
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
		{"IAMUser %v", fmt.Sprintf("%v", user), "{Account:acct Name:alice Password:REDACTED}"},
		{"IAMUser %q", fmt.Sprintf("%q", user), `"{Account:acct Name:alice Password:REDACTED}"`},
		{"IAMUser %#v", fmt.Sprintf("%#v", user), `drsfake.IAMUser{Account:"acct", Name:"alice", Password:"REDACTED"}`},
		{"Credentials %+v", fmt.Sprintf("%+v", creds), "{Token:REDACTED AccessKey:AKID SecretKey:REDACTED User:{Account:acct Name:alice Password:REDACTED}}"},
		{"Credentials %#v", fmt.Sprintf("%#v", creds), `drsfake.Credentials{Token:"REDACTED", AccessKey:"AKID", SecretKey:"REDACTED", User:drsfake.IAMUser{Account:"acct", Name:"alice", Password:"REDACTED"}}`},
		{"empty Credentials %v", fmt.Sprintf("%v", Credentials{}), "{Token: AccessKey: SecretKey: User:{Account: Name: Password:}}"},
		{"accessKey %#v", fmt.Sprintf("%#v", key), `drsfake.accessKey{ID:"AKID", Secret:"REDACTED", SecurityToken:"REDACTED", Expires:time.Date(2025, time.July, 3, 9, 44, 12, 0, time.UTC)}`},
		{"*Server %v", fmt.Sprintf("%v", ts.Server), "drsfake.Server{region cn-north-4, 1 projects, 3 tasks}"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestRedactedFormsCannotGoStale fills every string field of each type that
// holds credentials with a marker of its own and checks the formatted forms:
// every field is shown by name, the markers of the secret fields never, those
// of the other fields always. A field added to one of these types is covered
// without anyone listing it; a new secret field makes this test fail until
// it is masked (and added to secretFields).
func TestRedactedFormsCannotGoStale(t *testing.T) {
	secretFields := map[string]bool{"Password": true, "Token": true, "SecretKey": true, "Secret": true, "SecurityToken": true}
	for _, v := range []any{&IAMUser{}, &Credentials{}, &accessKey{}} {
		rv := reflect.ValueOf(v).Elem()
		markers := map[string]string{} // field path → marker
		var fill func(prefix string, rv reflect.Value)
		fill = func(prefix string, rv reflect.Value) {
			for i := range rv.NumField() {
				f, fv := rv.Type().Field(i), rv.Field(i)
				switch fv.Kind() {
				case reflect.String:
					markers[prefix+f.Name] = fmt.Sprintf("marker-%d-%s", len(markers), f.Name)
					fv.SetString(markers[prefix+f.Name])
				case reflect.Struct:
					fill(prefix+f.Name+".", fv)
				}
			}
		}
		fill("", rv)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out := fmt.Sprintf(verb, rv.Interface())
			for path, marker := range markers {
				name := path[strings.LastIndexByte(path, '.')+1:]
				if shown := strings.Contains(out, marker); shown == secretFields[name] {
					t.Errorf("%T %s: field %s shown: %t", rv.Interface(), verb, path, shown)
				}
				if verb != "%v" && verb != "%s" && verb != "%q" && !strings.Contains(out, name+":") {
					t.Errorf("%T %s does not name field %s", rv.Interface(), verb, path)
				}
			}
		}
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
