package drsfake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/gen/iamapi"
)

func iamClient(t *testing.T, ts *testServer) *iamapi.ClientWithResponses {
	t.Helper()
	c, err := iamapi.NewClientWithResponses(ts.URL, iamapi.WithHTTPClient(checkedClient(t, ts)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func loginBody(account, user, password string, project iamapi.ProjectRef) iamapi.PasswordTokenRequest {
	var b iamapi.PasswordTokenRequest
	b.Auth.Identity.Methods = []iamapi.PasswordIdentityMethods{iamapi.Password}
	b.Auth.Identity.Password.User = iamapi.PasswordUser{Domain: iamapi.DomainRef{Name: &account}, Name: user, Password: password}
	b.Auth.Scope.Project = project
	return b
}

// TestIAMLogin logs in by project name and by project id, uses the token on
// DRS, and lets it expire on the fake's clock.
func TestIAMLogin(t *testing.T) {
	clock := NewManualClock(t0.Add(123456 * time.Microsecond))
	ts := start(t, WithClock(clock), WithTokenTTL(time.Hour), WithRegion("ap-southeast-1"))
	c := iamClient(t, ts)
	ctx := context.Background()
	u := ts.User
	region, pid := "ap-southeast-1", ts.ProjectID

	for _, scope := range []iamapi.ProjectRef{{Name: &region}, {Id: &pid}, {Id: &pid, Name: &region}} {
		r, err := c.KeystoneCreateUserTokenByPasswordWithResponse(ctx, nil, loginBody(u.Account, u.Name, u.Password, scope))
		if err != nil || r.StatusCode() != http.StatusCreated || r.JSON201 == nil {
			t.Fatalf("login: %v %d %s", err, r.StatusCode(), r.Body)
		}
		tok := r.HTTPResponse.Header.Get(headerSubjectToken)
		if !strings.HasPrefix(tok, "MII") || len(tok) < 100 {
			t.Fatalf("the X-Subject-Token (%d bytes) does not look like an IAM token: want MII and at least 100 bytes", len(tok))
		}
		issued := clock.Now().UTC()
		var raw struct {
			Token struct {
				ExpiresAt string `json:"expires_at"`
				IssuedAt  string `json:"issued_at"`
				Project   struct{ ID, Name string }
			}
		}
		if err := json.Unmarshal(r.Body, &raw); err != nil {
			t.Fatal(err)
		}
		if want := issued.Add(time.Hour).Format("2006-01-02T15:04:05.000000Z"); raw.Token.ExpiresAt != want {
			t.Errorf("expires_at %q, want %q (IAM's layout, fake clock + TTL)", raw.Token.ExpiresAt, want)
		}
		if want := issued.Format("2006-01-02T15:04:05.000000Z"); raw.Token.IssuedAt != want {
			t.Errorf("issued_at %q, want %q", raw.Token.IssuedAt, want)
		}
		if p := r.JSON201.Token.Project; p == nil || *p.Id != pid || *p.Name != region {
			t.Errorf("project %+v, want %s %s", p, pid, region)
		}
		if !r.JSON201.Token.ExpiresAt.Equal(issued.Add(time.Hour)) {
			t.Errorf("generated client reads expires_at %v", r.JSON201.Token.ExpiresAt)
		}

		drs := drsClient(t, ts, tok)
		if l, err := drs.ListTemplatesWithResponse(ctx, ts.ProjectID, nil); err != nil || l.StatusCode() != 200 {
			t.Fatalf("DRS with the IAM token: %v %s", err, l.Body)
		}
		clock.Advance(time.Hour - time.Microsecond)
		if l, _ := drs.ListTemplatesWithResponse(ctx, ts.ProjectID, nil); l.StatusCode() != 200 {
			t.Fatalf("token refused before it expires: %s", l.Body)
		}
		clock.Advance(time.Microsecond)
		l, _ := drs.ListTemplatesWithResponse(ctx, ts.ProjectID, nil)
		if e := errBody(t, l.HTTPResponse.Header.Get("Content-Type"), l.Body); l.StatusCode() != 401 || e.ErrorMsg != msgTokenExpired {
			t.Fatalf("expired token: %d %+v", l.StatusCode(), e)
		}
	}
}

// TestIAMLoginRefused checks IAM's Keystone-style refusals.
func TestIAMLoginRefused(t *testing.T) {
	ts := start(t)
	c := iamClient(t, ts)
	u := ts.User
	region := DefaultRegion
	unknown := "not-a-region"
	domainID := nameID("domain", u.Account)
	byDomainID := loginBody(u.Account, u.Name, u.Password, iamapi.ProjectRef{Name: &region})
	byDomainID.Auth.Identity.Password.User.Domain = iamapi.DomainRef{Id: &domainID}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"wrong password", loginBody(u.Account, u.Name, u.Password+"x", iamapi.ProjectRef{Name: &region}), 401, iamMsgWrongPassword},
		{"wrong user", loginBody(u.Account, "someone", u.Password, iamapi.ProjectRef{Name: &region}), 401, iamMsgWrongPassword},
		{"wrong account", loginBody("other", u.Name, u.Password, iamapi.ProjectRef{Name: &region}), 401, iamMsgWrongPassword},
		{"unknown project", loginBody(u.Account, u.Name, u.Password, iamapi.ProjectRef{Name: &unknown}), 404, iamMsgProjectNotFound},
		{"project without id or name", loginBody(u.Account, u.Name, u.Password, iamapi.ProjectRef{}), 400, iamMsgBadRequestPrefix + "scope.project needs an id or a name"},
		{"no scope", map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"password"}}}}, 400, iamMsgBadRequestPrefix},
		{"unknown method", map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}}}}, 400, iamMsgBadRequestPrefix},
		{"account by id", byDomainID, 201, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := json.Marshal(tc.body)
			r, err := c.KeystoneCreateUserTokenByPasswordWithBodyWithResponse(context.Background(), nil, "application/json;charset=utf8", strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode() != tc.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode(), tc.status, r.Body)
			}
			if tc.status == 201 {
				return
			}
			var e iamapi.IAMError
			if err := json.Unmarshal(r.Body, &e); err != nil || e.Error.Code != tc.status || e.Error.Title == nil || *e.Error.Title != http.StatusText(tc.status) {
				t.Fatalf("not a Keystone error body: %s", r.Body)
			}
			if strings.HasSuffix(tc.msg, ": ") && !strings.HasPrefix(e.Error.Message, tc.msg) || !strings.HasSuffix(tc.msg, ": ") && e.Error.Message != tc.msg {
				t.Errorf("message %q, want %q", e.Error.Message, tc.msg)
			}
			if strings.Contains(string(r.Body), u.Password) {
				t.Error("the answer echoes the password")
			}
		})
	}
}

// TestIAMTokenScope checks that an IAM token only works for its project.
func TestIAMTokenScope(t *testing.T) {
	second := "0123456789abcdef0123456789abcdef"
	ts := start(t, WithProjectID("5237e10fe9aa4ad5b16b6a5245248314", second))
	name := ts.ProjectName(second)
	if name != DefaultRegion+"_2" {
		t.Fatalf("second project is named %q", name)
	}
	r, err := iamClient(t, ts).KeystoneCreateUserTokenByPasswordWithResponse(context.Background(), nil,
		loginBody(ts.User.Account, ts.User.Name, ts.User.Password, iamapi.ProjectRef{Name: &name}))
	if err != nil || r.StatusCode() != 201 {
		t.Fatalf("login: %v %s", err, r.Body)
	}
	tok := r.HTTPResponse.Header.Get(headerSubjectToken)
	drs := drsClient(t, ts, tok)
	if l, _ := drs.ListTemplatesWithResponse(context.Background(), second, nil); l.StatusCode() != 200 {
		t.Errorf("own project: %d %s", l.StatusCode(), l.Body)
	}
	if l, _ := drs.ListTemplatesWithResponse(context.Background(), ts.ProjectID, nil); l.StatusCode() != 403 {
		t.Errorf("other project: %d %s", l.StatusCode(), l.Body)
	}
	// Unknown IAM paths answer IAM-shaped 404s, without asking for credentials.
	w := serve(ts.Server, "GET", "/v3/users", "", "")
	if w.Code != 404 || !strings.Contains(w.Body.String(), `"code":404`) {
		t.Errorf("GET /v3/users: %d %s", w.Code, w.Body)
	}
}
