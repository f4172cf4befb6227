package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// fakeBanner is what fake-server prints on start: where the fake is, what
// it holds and the credentials it accepts — as text, or with -o json as
// one JSON object (docs/cli-json.md).
type fakeBanner struct {
	URL         string           `json:"url"`
	IAMURL      string           `json:"iam_url"`
	Region      string           `json:"region"`
	ProjectID   string           `json:"project_id"`
	Projects    []bannerProject  `json:"projects"`
	Tasks       []bannerTask     `json:"tasks"`
	Credentials bannerCredential `json:"credentials"`
	// Env is the environment that points drstemplate at the fake: the
	// lines the text prints to paste into a shell.
	Env map[string]string `json:"env"`

	envOrder []string // Env's keys, in the order printed
}

// bannerProject is one of the fake's projects.
type bannerProject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// bannerTask is one of the fake's tasks.
type bannerTask struct {
	ID         string `json:"id"`
	Engine     string `json:"engine"`
	Name       string `json:"name"`
	FailExport bool   `json:"fail_export"`
}

// bannerCredential are the made-up credentials the fake accepts.
type bannerCredential struct {
	Token         string `json:"token"`
	AccessKey     string `json:"access_key"`
	SecretKey     string `json:"secret_key"`
	SecurityToken string `json:"security_token,omitempty"`
	IAMAccount    string `json:"iam_account"`
	IAMUser       string `json:"iam_user"`
	IAMPassword   string `json:"iam_password"`
}

// newFakeBanner describes the fake served at base.
func newFakeBanner(base string, fake *drsfake.Server, creds drsfake.Credentials, securityToken string) *fakeBanner {
	b := &fakeBanner{
		URL: base, IAMURL: base + "/v3/auth/tokens", Region: fake.Region(), ProjectID: fake.ProjectIDs()[0],
		Projects: []bannerProject{}, Tasks: []bannerTask{},
		Credentials: bannerCredential{
			Token: creds.Token, AccessKey: creds.AccessKey, SecretKey: creds.SecretKey, SecurityToken: securityToken,
			IAMAccount: creds.User.Account, IAMUser: creds.User.Name, IAMPassword: creds.User.Password,
		},
		Env: map[string]string{},
	}
	for _, p := range fake.ProjectIDs() {
		b.Projects = append(b.Projects, bannerProject{ID: p, Name: fake.ProjectName(p)})
	}
	for _, t := range fake.Tasks() {
		b.Tasks = append(b.Tasks, bannerTask{ID: t.ID, Engine: t.Engine, Name: t.Name, FailExport: t.FailExport})
	}
	b.setEnv(envEndpoint, base)
	b.setEnv(auth.EnvAccessKey, creds.AccessKey)
	b.setEnv(auth.EnvSecretKey, creds.SecretKey)
	if securityToken != "" {
		b.setEnv(auth.EnvSecurityToken, securityToken)
	}
	b.setEnv(auth.EnvProjectID, b.ProjectID)
	return b
}

func (b *fakeBanner) setEnv(k, v string) {
	b.Env[k] = v
	b.envOrder = append(b.envOrder, k)
}

// writeText prints the banner for people, with lines to paste.
func (b *fakeBanner) writeText(w io.Writer) error {
	var s strings.Builder
	fmt.Fprintf(&s, "drsfake: a fake Huawei Cloud DRS service (made-up test credentials, printed on purpose)\n")
	fmt.Fprintf(&s, "Base URL:    %s\n", b.URL)
	fmt.Fprintf(&s, "IAM URL:     %s\n", b.IAMURL)
	fmt.Fprintf(&s, "Region:      %s\n", b.Region)
	fmt.Fprintf(&s, "Project ID:  %s\n", b.ProjectID)
	for _, p := range b.Projects[1:] {
		fmt.Fprintf(&s, "Project ID:  %s (%s)\n", p.ID, p.Name)
	}
	fmt.Fprintf(&s, "Tasks:\n")
	for _, t := range b.Tasks {
		fail := ""
		if t.FailExport {
			fail = "  (exports fail)"
		}
		fmt.Fprintf(&s, "  %s  %-10s  %s%s\n", t.ID, t.Engine, t.Name, fail)
	}
	c := b.Credentials
	fmt.Fprintf(&s, "Credentials:\n")
	fmt.Fprintf(&s, "  X-Auth-Token:    %s\n", c.Token)
	fmt.Fprintf(&s, "  Access key (AK): %s\n", c.AccessKey)
	fmt.Fprintf(&s, "  Secret key (SK): %s\n", c.SecretKey)
	if c.SecurityToken != "" {
		fmt.Fprintf(&s, "  Security token:  %s\n", c.SecurityToken)
	}
	fmt.Fprintf(&s, "  IAM user:        account %s, user %s, password %s\n", c.IAMAccount, c.IAMUser, c.IAMPassword)
	fmt.Fprintf(&s, "Point drstemplate (and Huawei's SDKs) at it: paste into a shell\n")
	for _, k := range b.envOrder {
		fmt.Fprintf(&s, "export %s=%s\n", k, shellQuote(b.Env[k]))
	}
	fmt.Fprintf(&s, "Try:\n")
	fmt.Fprintf(&s, "  curl -sS -H 'X-Auth-Token: %s' %s/v5/%s/templates\n", c.Token, b.URL, b.ProjectID)
	fmt.Fprintf(&s, "Press Ctrl-C to stop.\n")
	_, err := io.WriteString(w, s.String())
	return err
}

// shellQuote quotes s for a POSIX shell: as it is when it holds only
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/@%+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
