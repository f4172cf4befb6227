package drsfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/gen/iamserver"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// Two projects for the listing tests: named cn-north-4 and cn-north-4_2.
const (
	firstProject  = "5237e10fe9aa4ad5b16b6a5245248314"
	secondProject = "0123456789abcdef0123456789abcdef"
)

// listProjects calls GET /v3/projects through the generated client (every
// answer validated against the contract), with token as X-Auth-Token if not
// empty and name as the name query parameter if not nil.
func listProjects(t *testing.T, ts *testServer, token string, name *string) *iamapi.KeystoneListProjectsResponse {
	t.Helper()
	var params *iamapi.KeystoneListProjectsParams
	if name != nil {
		params = &iamapi.KeystoneListProjectsParams{Name: name}
	}
	r, err := iamClient(t, ts).KeystoneListProjectsWithResponse(context.Background(), params,
		func(_ context.Context, r *http.Request) error {
			if token != "" {
				r.Header.Set("X-Auth-Token", token)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// projectNames returns the names of the listed projects, in order.
func projectNames(l *iamapi.ProjectList) []string {
	out := []string{}
	for _, p := range l.Projects {
		out = append(out, p.Name)
	}
	return out
}

// TestListProjects lists the fake's projects with a token: all of them, then
// filtered by exact name (one match, no match → an empty list), and checks
// every field against what Huawei's IAM sends.
func TestListProjects(t *testing.T) {
	ts := start(t, WithProjectID(firstProject, secondProject), WithClock(NewManualClock(t0)))
	domain := nameID("domain", ts.User.Account)
	if ts.domainID() != domain {
		t.Fatalf("domainID() = %s, want the domain id of the IAM user's account %s", ts.domainID(), domain)
	}
	project := func(id, name, parent string) iamapi.Project {
		return iamapi.Project{
			Id: id, Name: name, DomainId: new(domain), Enabled: new(true), Description: new(""),
			ParentId: new(parent), IsDomain: new(false),
			Links: &iamapi.Links{Self: new(ts.URL + "/v3/projects/" + id)},
		}
	}
	first := project(firstProject, "cn-north-4", domain)
	second := project(secondProject, "cn-north-4_2", firstProject)

	for _, tc := range []struct {
		name string
		want []iamapi.Project
		self string
	}{
		{"", []iamapi.Project{first, second}, "/v3/projects"},
		{"cn-north-4", []iamapi.Project{first}, "/v3/projects?name=cn-north-4"},
		{"cn-north-4_2", []iamapi.Project{second}, "/v3/projects?name=cn-north-4_2"},
		{"cn-south-1", []iamapi.Project{}, "/v3/projects?name=cn-south-1"},
		{"CN-NORTH-4", []iamapi.Project{}, "/v3/projects?name=CN-NORTH-4"}, // exact, not case-folded
		{"cn-north", []iamapi.Project{}, "/v3/projects?name=cn-north"},     // exact, not a prefix
	} {
		t.Run("name="+tc.name, func(t *testing.T) {
			var name *string
			if tc.name != "" {
				name = &tc.name
			}
			r := listProjects(t, ts, ts.Token, name)
			if r.StatusCode() != http.StatusOK || r.JSON200 == nil {
				t.Fatalf("status %d: %s", r.StatusCode(), r.Body)
			}
			want := iamapi.ProjectList{Projects: tc.want, Links: &iamapi.Links{Self: new(ts.URL + tc.self)}}
			if diff := cmp.Diff(want, *r.JSON200); diff != "" {
				t.Errorf("projects (-want +got):\n%s", diff)
			}
			if len(tc.want) == 0 && !strings.Contains(string(r.Body), `"projects":[]`) {
				t.Errorf("no match must be an empty list, not null or absent: %s", r.Body)
			}
			h := r.HTTPResponse.Header
			if id := h.Get(headerRequestID); id == "" || h.Get(headerIAMTraceID) != id {
				t.Errorf("X-Request-Id %q, X-IAM-Trace-Id %q: want both, equal", id, h.Get(headerIAMTraceID))
			}
		})
	}
}

// TestListProjectsTokens checks that every kind of valid token may list all
// projects, whatever project it is scoped to: the static token, a token
// issued for the second project, and one from IAM's password login.
func TestListProjectsTokens(t *testing.T) {
	ts := start(t, WithProjectID(firstProject, secondProject))
	scoped, err := ts.IssueToken(secondProject, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	name := ts.ProjectName(secondProject)
	login, err := iamClient(t, ts).KeystoneCreateUserTokenByPasswordWithResponse(context.Background(), nil,
		loginBody(ts.User.Account, ts.User.Name, ts.User.Password, iamapi.ProjectRef{Name: &name}))
	if err != nil || login.StatusCode() != http.StatusCreated {
		t.Fatalf("login: %v %s", err, login.Body)
	}
	for what, tok := range map[string]string{
		"static token":          ts.Token,
		"token of project 2":    scoped,
		"IAM token (project 2)": login.HTTPResponse.Header.Get(headerSubjectToken),
	} {
		r := listProjects(t, ts, tok, nil)
		if r.StatusCode() != http.StatusOK || r.JSON200 == nil {
			t.Fatalf("%s: status %d: %s", what, r.StatusCode(), r.Body)
		}
		if got := projectNames(r.JSON200); !cmp.Equal(got, []string{"cn-north-4", "cn-north-4_2"}) {
			t.Errorf("%s: listed %v", what, got)
		}
	}
	// The domain id of the projects is the one a login reports.
	r := listProjects(t, ts, ts.Token, nil)
	if d := login.JSON201.Token.Project.Domain; d == nil || d.Id == nil || *d.Id != *r.JSON200.Projects[0].DomainId {
		t.Errorf("login's domain %+v differs from the projects' domain_id %s", d, *r.JSON200.Projects[0].DomainId)
	}
}

// sdkProjectLookup builds GET /v3/projects?name=... the way Huawei's Go SDK
// sends it when it looks up a project id (huawei-auth.md section 2): signed
// with SignedHeaders=x-sdk-date only, no X-Project-Id, no Content-Type, no
// User-Agent of its own (net/http sends Go-http-client/1.1, unsigned).
func sdkProjectLookup(t *testing.T, ts *testServer, name, ak, sk string, now time.Time) *http.Request {
	t.Helper()
	r := sdkRequest(t, "GET", ts.URL, "/v3/projects", url.Values{"name": {name}}, nil, nil, ak, sk, now)
	r.Header.Del("Content-Type") // never signed: removing it keeps the signature valid
	if got := r.Header.Get("Authorization"); !strings.Contains(got, "SignedHeaders=x-sdk-date,") {
		t.Fatalf("the mimic does not sign like the SDK's project lookup: %s", signedPart(got))
	}
	return r
}

// do sends r with the validating client and returns the status, body and headers.
func do(t *testing.T, hc *http.Client, r *http.Request) (int, []byte, http.Header) {
	t.Helper()
	resp, err := hc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// TestListProjectsAKSK lists projects with AK/SK signatures: shaped like the
// SDK's project lookup (which must find exactly one project for the region
// name), signed by internal/sdksign, shaped like a DRS call (X-Project-Id
// signed, accepted though not needed), and with temporary credentials.
func TestListProjectsAKSK(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithProjectID(firstProject, secondProject),
		WithAccessKey("PERMANENTAK", "permanent-sk"),
		WithTemporaryAccessKey("TEMPAK", "temp-sk", "sts-token", t0.Add(time.Hour)))
	hc := checkedClient(t, ts)

	check := func(t *testing.T, r *http.Request, want ...string) {
		t.Helper()
		status, body, _ := do(t, hc, r)
		var l iamapi.ProjectList
		if status != http.StatusOK || json.Unmarshal(body, &l) != nil {
			t.Fatalf("status %d: %s", status, body)
		}
		if got := projectNames(&l); !slices.Equal(got, want) {
			t.Errorf("listed %v, want %v", got, want)
		}
	}

	t.Run("SDK project lookup", func(t *testing.T) {
		r := sdkProjectLookup(t, ts, "cn-north-4", "PERMANENTAK", "permanent-sk", clock.Now())
		status, body, _ := do(t, hc, r)
		var l iamapi.ProjectList
		if status != http.StatusOK || json.Unmarshal(body, &l) != nil || len(l.Projects) != 1 || l.Projects[0].Id != firstProject {
			t.Fatalf("the SDK's lookup must find exactly the first project: %d %s", status, body)
		}
	})
	t.Run("SDK project lookup, no match", func(t *testing.T) {
		check(t, sdkProjectLookup(t, ts, "ap-southeast-1", "PERMANENTAK", "permanent-sk", clock.Now()))
	})
	t.Run("internal/sdksign", func(t *testing.T) {
		r, err := http.NewRequest(http.MethodGet, ts.URL+"/v3/projects?name=cn-north-4_2", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := sdksign.Sign(r, nil, "PERMANENTAK", "permanent-sk", clock.Now()); err != nil {
			t.Fatal(err)
		}
		check(t, r, "cn-north-4_2")
	})
	t.Run("signed like a DRS call", func(t *testing.T) {
		h := map[string]string{"User-Agent": sdkUserAgent, "X-Project-Id": secondProject}
		check(t, sdkRequest(t, "GET", ts.URL, "/v3/projects", nil, nil, h, "PERMANENTAK", "permanent-sk", clock.Now()),
			"cn-north-4", "cn-north-4_2")
	})
	t.Run("temporary credentials", func(t *testing.T) {
		h := map[string]string{"X-Security-Token": "sts-token"}
		check(t, sdkRequest(t, "GET", ts.URL, "/v3/projects", url.Values{"name": {"cn-north-4"}}, nil, h, "TEMPAK", "temp-sk", clock.Now()),
			"cn-north-4")
	})
}

// TestListProjectsRefused checks that GET /v3/projects refuses credentials
// exactly like a DRS call, with the API gateway's JSON body (which the
// contract allows next to IAM's own), and that a valid token wins over a bad
// Authorization header.
func TestListProjectsRefused(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock))
	hc := checkedClient(t, ts)
	expiring, err := ts.IssueToken(ts.ProjectID, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := ts.IssueToken(ts.ProjectID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ts.RevokeToken(revoked)
	clock.Advance(time.Minute) // expiring has expired now
	withToken := func(tok string) func() *http.Request {
		return func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, ts.URL+"/v3/projects?name=cn-north-4", nil)
			r.Header.Set("X-Auth-Token", tok)
			return r
		}
	}
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
		msg    string
	}{
		{"no credentials", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, ts.URL+"/v3/projects?name=cn-north-4", nil)
			return r
		}, 401, CodeAuthFailed, msgNoCredentials},
		{"unknown token", withToken("MIIunknown"), 401, CodeAuthFailed, msgTokenInvalid},
		{"expired token", withToken(expiring), 401, CodeAuthFailed, msgTokenExpired},
		{"revoked token", withToken(revoked), 401, CodeAuthFailed, msgTokenRevoked},
		{"empty token", withToken(""), 401, CodeAuthFailed, msgTokenInvalid},
		{"wrong secret key", func() *http.Request {
			return sdkProjectLookup(t, ts, "cn-north-4", ts.AccessKey, "wrong", clock.Now())
		}, 401, CodeAuthFailed, msgSignatureMismatch},
		{"unknown access key", func() *http.Request {
			return sdkProjectLookup(t, ts, "cn-north-4", "UNKNOWNAK", ts.SecretKey, clock.Now())
		}, 401, CodeAuthFailed, msgAccessKeyUnknown},
		{"name changed after signing", func() *http.Request {
			r := sdkProjectLookup(t, ts, "cn-north-4", ts.AccessKey, ts.SecretKey, clock.Now())
			r.URL.RawQuery = "name=cn-north-4_2"
			return r
		}, 401, CodeAuthFailed, msgSignatureMismatch},
		{"X-Sdk-Date 16 minutes ahead", func() *http.Request {
			return sdkProjectLookup(t, ts, "cn-north-4", ts.AccessKey, ts.SecretKey, clock.Now().Add(16*time.Minute))
		}, 401, CodeSignatureExpired, msgSignatureExpired},
		{"malformed Authorization", func() *http.Request {
			r := sdkProjectLookup(t, ts, "cn-north-4", ts.AccessKey, ts.SecretKey, clock.Now())
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=x")
			return r
		}, 401, CodeAuthFailed, msgAuthorizationMalformed},
		{"valid token, bad Authorization", func() *http.Request {
			r := withToken(ts.Token)()
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 garbage")
			return r
		}, 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := do(t, hc, tc.req())
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if tc.status == 200 {
				return
			}
			e := errBody(t, hdr.Get("Content-Type"), body)
			if e.ErrorCode != tc.code || e.ErrorMsg != tc.msg {
				t.Errorf("got %s %q, want %s %q", e.ErrorCode, e.ErrorMsg, tc.code, tc.msg)
			}
			if e.RequestId == nil || *e.RequestId != hdr.Get(headerRequestID) {
				t.Errorf("the gateway body's request_id %v is not the X-Request-Id %q", e.RequestId, hdr.Get(headerRequestID))
			}
			if strings.Contains(string(body), ts.SecretKey) || strings.Contains(string(body), ts.Token) {
				t.Error("the answer echoes a secret")
			}
			// The generated client reads the refusal as the gateway's body.
			var u iamapi.AuthenticationError
			if err := json.Unmarshal(body, &u); err != nil {
				t.Fatal(err)
			}
			if g, err := u.AsGatewayError(); err != nil || g.ErrorCode != tc.code {
				t.Errorf("AsGatewayError: %+v %v", g, err)
			}
		})
	}
}

// TestListProjectsInvalid checks IAM's Keystone-style 400 for a request that
// violates the contract once it is authenticated, and the 404 of IAM paths
// the fake does not serve (without asking for credentials).
func TestListProjectsInvalid(t *testing.T) {
	ts := start(t)
	hc := checkedClient(t, ts)
	for _, tc := range []struct {
		name, target, token string
		status              int
		msg                 string
	}{
		{"empty name", "/v3/projects?name=", ts.Token, 400, iamMsgInvalidRequestPrefix + `query parameter "name": minimum string length is 1`},
		{"empty name, no credentials", "/v3/projects?name=", "", 401, ""},
		{"project by id", "/v3/projects/" + ts.ProjectID, "", 404, iamMsgNotFound},
		{"other IAM path", "/v3/users", ts.Token, 404, iamMsgNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodGet, ts.URL+tc.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.token != "" {
				r.Header.Set("X-Auth-Token", tc.token)
			}
			status, body, _ := do(t, hc, r)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if tc.msg == "" {
				return
			}
			var e iamapi.IAMError
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != tc.status || e.Error.Message != tc.msg {
				t.Errorf("got %s, want Keystone's %d %q", body, tc.status, tc.msg)
			}
		})
	}
	// The name parameter twice: refused, not silently read as one of them.
	w := serve(ts.Server, "GET", "/v3/projects?name=cn-north-4&name=x", ts.Token, "")
	checkAnswer(t, w, true)
	if w.Code != http.StatusBadRequest {
		t.Errorf("name twice: %d %s", w.Code, w.Body)
	}
}

// TestListProjectsFaults injects IAM-shaped 503 and 429 into GET /v3/projects
// only; the answers fit the contract and the password login is unaffected.
func TestListProjectsFaults(t *testing.T) {
	ts := start(t)
	for _, tc := range []struct {
		rates  FaultRates
		status int
		msg    string
	}{
		{FaultRates{Unavailable: 1}, 503, iamMsgServiceUnavailable},
		{FaultRates{Throttle: 1}, 429, iamMsgThrottled},
		{FaultRates{InternalError: 1}, 500, iamMsgInternalError},
	} {
		if err := ts.SetFaults(Faults{PerOperation: map[Operation]FaultRates{OpListProjects: tc.rates}}); err != nil {
			t.Fatal(err)
		}
		r := listProjects(t, ts, ts.Token, nil)
		var e iamapi.IAMError
		if r.StatusCode() != tc.status || json.Unmarshal(r.Body, &e) != nil || e.Error.Message != tc.msg {
			t.Errorf("%+v: %d %s", tc.rates, r.StatusCode(), r.Body)
		}
		if tc.status == 429 && r.HTTPResponse.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		region := DefaultRegion
		login, err := iamClient(t, ts).KeystoneCreateUserTokenByPasswordWithResponse(context.Background(), nil,
			loginBody(ts.User.Account, ts.User.Name, ts.User.Password, iamapi.ProjectRef{Name: &region}))
		if err != nil || login.StatusCode() != http.StatusCreated {
			t.Errorf("login while GET /v3/projects is faulted: %v %d", err, login.StatusCode())
		}
	}
}

// TestListProjectsDirect calls the handler method without ServeHTTP, as the
// strict-server interface allows: no request id, no links.
func TestListProjectsDirect(t *testing.T) {
	s := mustNew(t, WithProjectID(firstProject))
	resp, err := operations{s}.KeystoneListProjects(context.Background(), iamserver.KeystoneListProjectsRequestObject{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	if err := resp.VisitKeystoneListProjectsResponse(w); err != nil {
		t.Fatal(err)
	}
	var l iamapi.ProjectList
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &l) != nil || len(l.Projects) != 1 || l.Links != nil || l.Projects[0].Links != nil {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if got, want := *l.Projects[0].DomainId, nameID("domain", defaultAccount); got != want {
		t.Errorf("without users the domain is defaultAccount's: %s, want %s", got, want)
	}
}
