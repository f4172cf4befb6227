package auth

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Values that could never be sent are refused by Resolve, with where they
// were set, and without showing them.
func TestChainRefusesValuesThatCannotBeSent(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	profile := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	comment := profile("comment", "[basic]\nak = AKFILE # my key\nsk = file-sk-secret\n")
	skSpace := profile("sk-space", "[basic]\n# keys\nak = AKFILE\nsk = file sk secret\n")
	projectLF := profile("project", "[basic]\nak = AKFILE\nsk = file-sk-secret\nproject_id = 'p/../x'\n")
	tests := []struct {
		name   string
		chain  Chain
		env    map[string]string
		errHas []string
		secret string // must not appear in the error
	}{
		{
			name:   "inline comment after the AK in the profile",
			env:    map[string]string{"HOME": home, EnvCredentialsFile: comment},
			errHas: []string{"ak on line 2 of profile file " + comment, "holds white space", "no inline comments"},
		},
		{
			name:   "secret key with spaces in the profile",
			env:    map[string]string{"HOME": home, EnvCredentialsFile: skSpace},
			errHas: []string{"sk on line 4 of profile file " + skSpace, "holds white space"}, secret: "file sk secret",
		},
		{
			name:   "project id with a path in the profile",
			env:    map[string]string{"HOME": home, EnvCredentialsFile: projectLF},
			errHas: []string{"project_id on line 4 of profile file " + projectLF, "other than letters, digits"},
		},
		{
			name:   "AK with a space in the environment",
			env:    map[string]string{"HOME": home, EnvAccessKey: "AK EXAMPLE", EnvSecretKey: "env-sk-secret"},
			errHas: []string{EnvAccessKey + " in the environment holds white space"}, secret: "env-sk-secret",
		},
		{
			name:   "project id with CR/LF in the environment",
			env:    map[string]string{"HOME": home, EnvAccessKey: "AKENV", EnvSecretKey: "env-sk-secret", EnvProjectID: "abc\r\nX-Forged: 1"},
			errHas: []string{EnvProjectID + " in the environment holds"},
		},
		{
			name:   "project id with CR/LF in the settings, for a token from the environment",
			chain:  Chain{ProjectID: "p\r\n"},
			env:    map[string]string{"HOME": home, EnvToken: "env-token-secret"},
			errHas: []string{"ProjectID in the settings holds a control character"}, secret: "env-token-secret",
		},
		{
			name:   "token with a control character",
			chain:  Chain{Token: "tok\x00en-secret"},
			env:    map[string]string{"HOME": home},
			errHas: []string{"Token in the settings holds a control character"}, secret: "en-secret",
		},
		{
			name:   "security token that is not ASCII",
			env:    map[string]string{"HOME": home, EnvAccessKey: "AKENV", EnvSecretKey: "env-sk-secret", EnvSecurityToken: "sécurité-secret"},
			errHas: []string{EnvSecurityToken + " in the environment holds a character that is not ASCII"}, secret: "sécurité-secret",
		},
		{
			name:   "user name with a line break",
			chain:  Chain{Region: "cn-north-4"},
			env:    map[string]string{"HOME": home, EnvIAMAccount: "acct", EnvIAMUser: "user\nname", EnvIAMPassword: "pw-secret"},
			errHas: []string{EnvIAMUser + " in the environment holds a control character"}, secret: "pw-secret",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.chain
			c.LookupEnv = envMap(tt.env)
			got, err := c.Resolve()
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("Resolve = %v, %v; want ErrInvalidCredentials", got.Credentials, err)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Error("the error shows the secret")
			}
			if strings.ContainsAny(err.Error(), "\r\n\x00") {
				t.Errorf("the error %q holds a control character", err)
			}
		})
	}
	// A user name with a space inside is fine: IAM allows it.
	c := Chain{Region: "cn-north-4", LookupEnv: envMap(map[string]string{"HOME": home, EnvIAMAccount: "acct", EnvIAMUser: "Jane Doe", EnvIAMPassword: "pw"})}
	if _, err := c.Resolve(); err != nil {
		t.Fatalf("user name with a space: %v", err)
	}
}

// The profile file is trusted as the token cache is: a regular file of
// this user's that nobody else can read or write. Anything else is an error
// that says what is wrong — returned at once, even for a FIFO.
func TestChainProfileTrust(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes, owners and FIFOs are Unix matters")
	}
	dir := t.TempDir()
	const content = "[basic]\nak = AKFILE\nsk = file-sk-secret\n"
	write := func(name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	private := write("private", 0o600)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(private, link); err != nil {
		t.Fatal(err)
	}
	readable := write("readable", 0o644)
	linkToReadable := filepath.Join(dir, "link-to-readable")
	if err := os.Symlink(readable, linkToReadable); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		errHas string // "" for success
	}{
		{private, ""},
		{link, ""}, // a link to a trusted file is followed
		{write("owner-read-only", 0o400), ""},
		{write("world-writable", 0o666), "group or others can access it (mode 0666)"},
		{readable, "group or others can access it (mode 0644)"},
		{write("group-readable", 0o640), "(mode 0640)"},
		{linkToReadable, "(mode 0644)"},
		{fifo, "not a regular file"},
		{dir, "not a regular file"},
	}
	for _, tt := range tests {
		_, err := Chain{LookupEnv: envMap(map[string]string{"HOME": dir, EnvCredentialsFile: tt.path})}.Resolve()
		if tt.errHas == "" {
			if err != nil {
				t.Errorf("%s: %v", filepath.Base(tt.path), err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidCredentials) || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), "profile file "+tt.path) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", filepath.Base(tt.path), err, tt.errHas)
		}
	}

}
