// Integration tests of package auth against drsfake, the fake DRS + IAM
// service, which checks tokens and SDK-HMAC-SHA256 signatures the way
// Huawei's gateway does. They live in a package of their own so that the unit
// tests (and fuzzing) of package auth do not link the fake and its
// dependencies.

package integration_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

var start = time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC)

// mustURL parses the fake's URL as package endpoint does; it panics if the
// fake hands out a URL endpoint refuses.
func mustURL(raw string) *url.URL {
	u, err := endpoint.Parse(raw, false)
	if err != nil {
		panic(err)
	}
	return u
}

// fake starts drsfake on a manual clock.
func fake(t *testing.T, opts ...drsfake.Option) *drsfaketest.Server {
	t.Helper()
	return drsfaketest.Start(t, append([]drsfake.Option{drsfake.WithClock(drsfake.NewManualClock(start))}, opts...)...)
}

// recorder is a RoundTripper that passes requests on and records what
// happened: the requests sent, the X-Request-Id of every response and, for
// IAM, the logins. With revokeIssued it revokes every token IAM issues, as if
// the user had been disabled right after logging in.
type recorder struct {
	base         http.RoundTripper
	ts           *drsfaketest.Server
	revokeIssued bool

	mu         sync.Mutex
	requests   int
	logins     int
	requestIDs []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if err != nil {
		return nil, err
	}
	r.requestIDs = append(r.requestIDs, resp.Header.Get("X-Request-Id"))
	if req.URL.Path == "/v3/auth/tokens" && resp.StatusCode == http.StatusCreated {
		r.logins++
		if r.revokeIssued {
			r.ts.RevokeToken(resp.Header.Get("X-Subject-Token"))
		}
	}
	return resp, nil
}

func (r *recorder) counts() (requests, logins int, lastID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.requestIDs); n > 0 {
		lastID = r.requestIDs[n-1]
	}
	return r.requests, r.logins, lastID
}

// client returns an authenticating client for ts whose clock is the fake's
// shifted by skew, and the recorder of its DRS traffic.
func client(ts *drsfaketest.Server, creds auth.Credentials, skew time.Duration) (*http.Client, *recorder) {
	rec := &recorder{base: ts.Client().Transport, ts: ts}
	return auth.NewHTTPClient(&auth.Transport{
		Credentials: creds,
		Endpoint:    mustURL(ts.URL),
		Base:        rec,
		Now:         func() time.Time { return ts.Clock.Now().Add(skew) },
	}), rec
}

// password returns password credentials for ts's user; IAM traffic goes
// through the returned recorder.
func password(t *testing.T, ts *drsfaketest.Server, mod func(*auth.PasswordLogin)) (*auth.PasswordCredentials, *recorder) {
	t.Helper()
	rec := &recorder{base: ts.Client().Transport, ts: ts}
	l := auth.PasswordLogin{
		IAMEndpoint: mustURL(ts.URL), Account: ts.User.Account, User: ts.User.Name, Password: ts.User.Password,
		ProjectID: ts.ProjectID, HTTPClient: &http.Client{Transport: rec},
	}
	if mod != nil {
		mod(&l)
	}
	p, err := auth.NewPassword(l)
	if err != nil {
		t.Fatal(err)
	}
	return p, rec
}

// allOperations runs the four DRS calls through the generated client:
// export, progress (after stepping the fake's clock), list and download.
func allOperations(t *testing.T, ts *drsfaketest.Server, hc *http.Client) {
	t.Helper()
	ctx := t.Context()
	c, err := drsapi.NewClientWithResponses(ts.URL, drsapi.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := c.ExportCreationTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: ts.TaskIDs[:2]})
	check(t, "ExportCreationTemplate", exp, err, http.StatusAccepted)
	ts.Clock.Advance(time.Second)
	prog, err := c.ShowExportProgressWithResponse(ctx, ts.ProjectID, exp.JSON202.Id, nil)
	check(t, "ShowExportProgress", prog, err, http.StatusOK)
	if prog.JSON200.ProcessStatus != "success" {
		t.Fatalf("export %s", prog.JSON200.ProcessStatus)
	}
	limit := drsapi.Limit(10)
	list, err := c.ListTemplatesWithResponse(ctx, ts.ProjectID, &drsapi.ListTemplatesParams{Limit: &limit})
	check(t, "ListTemplates", list, err, http.StatusOK)
	if len(list.JSON200.ExportReportObsFiles) < 2 {
		t.Fatalf("ListTemplates: %s", list.Body)
	}
	name := list.JSON200.ExportReportObsFiles[0].FileName
	dl, err := c.DownloadCreateTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.DownloadTemplateRequest{Files: []string{name}})
	check(t, "DownloadCreateTemplate", dl, err, http.StatusOK)
	if !bytes.HasPrefix(dl.Body, []byte("PK\x03\x04")) {
		t.Fatalf("DownloadCreateTemplate %s: not an .xlsx", name)
	}
}

func check(t *testing.T, op string, r interface {
	StatusCode() int
	GetBody() []byte
}, err error, want int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	if r.StatusCode() != want {
		t.Fatalf("%s: status %d, want %d: %s", op, r.StatusCode(), want, r.GetBody())
	}
}

// refused sends GET u with hc, which must get a response, and returns its
// status with what the client makes of it: the Huawei error scrubbed of the
// credentials sent, and auth.Refusal's error.
func refused(t *testing.T, hc *http.Client, u string) (int, huaweierr.Info, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v, want a response", u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	info := huaweierr.ParseResponse(resp, body)
	return resp.StatusCode, info, auth.Refusal(resp, body)
}

func TestDrsfakeEveryModeCompletesAllOperations(t *testing.T) {
	const tmpAK, tmpSK, tmpST = "TMPAKEXAMPLE0000001", "tmpSecretKeyExample0000000000000000001", "tmp-security-token-EXAMPLE"
	tests := []struct {
		name  string
		creds func(t *testing.T, ts *drsfaketest.Server) auth.Credentials
	}{
		{"static token", func(t *testing.T, ts *drsfaketest.Server) auth.Credentials { return auth.StaticToken(ts.Token) }},
		{"IAM password, project id", func(t *testing.T, ts *drsfaketest.Server) auth.Credentials {
			p, _ := password(t, ts, nil)
			return p
		}},
		{"IAM password, project name", func(t *testing.T, ts *drsfaketest.Server) auth.Credentials {
			p, _ := password(t, ts, func(l *auth.PasswordLogin) { l.ProjectID, l.ProjectName = "", ts.Region() })
			if id, err := p.ProjectID(t.Context()); err != nil || id != ts.ProjectID {
				t.Fatalf("ProjectID = %q, %v; want %q", id, err, ts.ProjectID)
			}
			return p
		}},
		{"AK/SK", func(t *testing.T, ts *drsfaketest.Server) auth.Credentials {
			return auth.AccessKey{ID: ts.AccessKey, Secret: ts.SecretKey, ProjectID: ts.ProjectID}
		}},
		{"AK/SK temporary", func(t *testing.T, ts *drsfaketest.Server) auth.Credentials {
			return auth.AccessKey{ID: tmpAK, Secret: tmpSK, SecurityToken: tmpST, ProjectID: ts.ProjectID}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The permanent key first: Start reports the first key given.
			ts := fake(t, drsfake.WithAccessKey("PERMAKEXAMPLE000001", "permSecretKeyExample000000000000000001"),
				drsfake.WithTemporaryAccessKey(tmpAK, tmpSK, tmpST, time.Time{}))
			hc, _ := client(ts, tt.creds(t, ts), 0)
			allOperations(t, ts, hc)
		})
	}
	// Without its security token, the temporary key is refused.
	ts := fake(t, drsfake.WithTemporaryAccessKey(tmpAK, tmpSK, tmpST, time.Time{}))
	hc, _ := client(ts, auth.AccessKey{ID: tmpAK, Secret: tmpSK, ProjectID: ts.ProjectID}, 0)
	if _, _, err := refused(t, hc, ts.URL+"/v5/"+ts.ProjectID+"/templates"); !errors.Is(err, auth.ErrInvalidSignature) {
		t.Fatalf("temporary key without its token: Refusal = %v", err)
	}
}

func TestDrsfakeTokenExpiry(t *testing.T) {
	t.Run("refreshed ahead of expiry", func(t *testing.T) {
		ts := fake(t)
		p, iam := password(t, ts, nil)
		hc, drs := client(ts, p, 0)
		allOperations(t, ts, hc)
		ts.Clock.Advance(23*time.Hour + time.Minute) // past expiry minus the 1h margin
		allOperations(t, ts, hc)
		if _, logins, _ := iam.counts(); logins != 2 {
			t.Fatalf("%d IAM logins, want 2", logins)
		}
		if requests, _, _ := drs.counts(); requests != 8 {
			t.Fatalf("%d DRS requests, want 8: a refresh ahead needs no refused request", requests)
		}
	})
	t.Run("expired at the server: renewed after the refusal", func(t *testing.T) {
		ts := fake(t, drsfake.WithTokenTTL(2*time.Hour))
		p, iam := password(t, ts, func(l *auth.PasswordLogin) { l.RefreshMargin = time.Minute })
		// The local clock is 90 minutes slow: the client believes the token
		// still good when the fake has expired it.
		hc, drs := client(ts, p, -90*time.Minute)
		allOperations(t, ts, hc)
		ts.Clock.Advance(2*time.Hour + time.Minute)
		allOperations(t, ts, hc)
		if _, logins, _ := iam.counts(); logins != 2 {
			t.Fatalf("%d IAM logins, want 2", logins)
		}
		if requests, _, _ := drs.counts(); requests != 9 {
			t.Fatalf("%d DRS requests, want 9: one refused for the expired token, then retried", requests)
		}
	})
}

func TestDrsfakeRevokedToken(t *testing.T) {
	t.Run("password: renewed once", func(t *testing.T) {
		ts := fake(t)
		p, iam := password(t, ts, nil)
		hc, _ := client(ts, p, 0)
		allOperations(t, ts, hc)
		var first string
		{ // learn the token in use from a request, to revoke it
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL, nil)
			if err := p.Authenticate(req, nil, ts.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			first = req.Header.Get(auth.HeaderAuthToken)
		}
		ts.RevokeToken(first)
		allOperations(t, ts, hc)
		if _, logins, _ := iam.counts(); logins != 2 {
			t.Fatalf("%d logins, want 2", logins)
		}
	})
	t.Run("password: one retry, then the refusal", func(t *testing.T) {
		ts := fake(t)
		p, iam := password(t, ts, nil)
		iam.revokeIssued = true // every token is refused by DRS
		hc, drs := client(ts, p, 0)
		status, info, err := refused(t, hc, ts.URL+"/v5/"+ts.ProjectID+"/templates")
		if !errors.Is(err, auth.ErrTokenRejected) || !errors.Is(err, auth.ErrUnauthorized) {
			t.Fatalf("Refusal = %v, want ErrTokenRejected", err)
		}
		requests, _, lastID := drs.counts()
		if _, logins, _ := iam.counts(); logins != 2 || requests != 2 {
			t.Fatalf("%d logins, %d DRS requests; want 2 and 2 (exactly one retry)", logins, requests)
		}
		if info.RequestID == "" || info.RequestID != lastID || info.Code != drsfake.CodeAuthFailed || status != http.StatusUnauthorized {
			t.Fatalf("got %d %+v; want the retry's request id %q", status, info, lastID)
		}
	})
	t.Run("static token: no retry", func(t *testing.T) {
		ts := fake(t)
		ts.RevokeToken(ts.Token)
		hc, drs := client(ts, auth.StaticToken(ts.Token), 0)
		_, info, err := refused(t, hc, ts.URL+"/v5/"+ts.ProjectID+"/templates")
		if strings.Contains(fmt.Sprintf("%+v %+v", info, err), ts.Token) {
			t.Fatal("the error shows the token")
		}
		if !errors.Is(err, auth.ErrTokenRejected) || info.RequestID == "" {
			t.Fatalf("Refusal = %v, %+v", err, info)
		}
		if requests, _, _ := drs.counts(); requests != 1 {
			t.Fatalf("%d requests, want 1", requests)
		}
	})
}

func TestDrsfakeWrongSecretKey(t *testing.T) {
	ts := fake(t)
	hc, drs := client(ts, auth.AccessKey{ID: ts.AccessKey, Secret: "wrong-secret-key-000000", ProjectID: ts.ProjectID}, 0)
	status, info, err := refused(t, hc, ts.URL+"/v5/"+ts.ProjectID+"/templates")
	if out := fmt.Sprintf("%+v %+v", info, err); strings.Contains(out, "wrong-secret-key") || strings.Contains(out, ts.SecretKey) {
		t.Fatal("the error shows a secret key")
	}
	if !errors.Is(err, auth.ErrInvalidSignature) || status != http.StatusUnauthorized || info.Code != drsfake.CodeAuthFailed {
		t.Fatalf("got %d %+v, Refusal %v", status, info, err)
	}
	if _, _, id := drs.counts(); info.RequestID != id || id == "" {
		t.Fatalf("request id %q, want %q", info.RequestID, id)
	}
}

func TestDrsfakeClockSkew(t *testing.T) {
	for _, tt := range []struct {
		name       string
		localAhead time.Duration // by shifting the client's clock
		serverJump time.Duration // by advancing the fake's
		want       time.Duration
		says       string
	}{
		{"local clock 20 minutes fast", 20 * time.Minute, 0, 20 * time.Minute, "it is 20m0s ahead of the server's clock"},
		{"server 20 minutes ahead", 0, 20 * time.Minute, -20 * time.Minute, "it is 20m0s behind the server's clock"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := fake(t)
			local := ts.Clock.Now().Add(tt.localAhead)
			hc := auth.NewHTTPClient(&auth.Transport{
				Credentials: auth.AccessKey{ID: ts.AccessKey, Secret: ts.SecretKey, ProjectID: ts.ProjectID},
				Endpoint:    mustURL(ts.URL),
				Base:        ts.Client().Transport,
				Now:         func() time.Time { return local },
			})
			ts.Clock.Advance(tt.serverJump)
			_, info, err := refused(t, hc, ts.URL+"/v5/"+ts.ProjectID+"/templates")
			var cs *auth.ClockSkewError
			if !errors.As(err, &cs) || !errors.Is(err, auth.ErrClockSkew) || info.Code != drsfake.CodeSignatureExpired {
				t.Fatalf("Refusal = %v (%+v), want ErrClockSkew", err, info)
			}
			if cs.Skew != tt.want {
				t.Fatalf("Skew = %v, want %v", cs.Skew, tt.want)
			}
			if !strings.Contains(err.Error(), "the local clock is off: "+tt.says) {
				t.Fatalf("message %q does not say the local clock is off by %v", err, tt.want)
			}
		})
	}
}

func TestDrsfakeConcurrentCallersShareOneRefresh(t *testing.T) {
	ts := fake(t)
	p, iam := password(t, ts, nil)
	hc, _ := client(ts, p, 0)
	burst := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 12)
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := hc.Get(ts.URL + "/v5/" + ts.ProjectID + "/templates")
				if err == nil {
					_ = resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = errors.New(resp.Status)
					}
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	burst()
	if _, logins, _ := iam.counts(); logins != 1 {
		t.Fatalf("%d logins for the first burst, want 1", logins)
	}
	ts.Clock.Advance(23*time.Hour + 30*time.Minute)
	burst()
	if _, logins, _ := iam.counts(); logins != 2 {
		t.Fatalf("%d logins after the refresh burst, want 2", logins)
	}
}
