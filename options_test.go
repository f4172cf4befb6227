package drstemplate_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/endpoint"
)

// clearEnv empties the environment variables the client and auth read, and
// points HOME at an empty directory, so that a test sees only what it sets.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HUAWEICLOUD_") || strings.HasPrefix(name, "DRSTEMPLATE_") {
			t.Setenv(name, "")
		}
	}
	t.Setenv("HOME", t.TempDir())
}

func TestNewRefusesBadOptions(t *testing.T) {
	clearEnv(t)
	creds := drstemplate.WithCredentials(auth.StaticToken(testToken))
	for _, tc := range []struct {
		name string
		opts []drstemplate.Option
		want error
		says string
	}{
		{"no region or endpoint", []drstemplate.Option{creds}, drstemplate.ErrInvalidInput, "WithRegion"},
		{"bad project id", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithProjectID("ABC")}, drstemplate.ErrInvalidInput, "32 lower-case"},
		{"bad language", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithLanguage("fr-fr")}, drstemplate.ErrInvalidInput, "en-us or zh-cn"},
		{"bad user agent", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithUserAgent("a\r\nX-Evil: 1")}, drstemplate.ErrInvalidInput, "printable ASCII"},
		{"nil credentials", []drstemplate.Option{drstemplate.WithRegion("cn-north-4"), drstemplate.WithCredentials(nil)}, drstemplate.ErrInvalidInput, "nil credentials"},
		{"nil clock", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithClock(nil)}, drstemplate.ErrInvalidInput, "nil clock"},
		{"no tasks per export", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithMaxTasksPerExport(0)}, drstemplate.ErrInvalidInput, "1 to 1000"},
		{"too many tasks per export", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithMaxTasksPerExport(1001)}, drstemplate.ErrInvalidInput, "1 to 1000"},
		{"negative retry", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: -1})}, drstemplate.ErrInvalidInput, "negative"},
		{"retry delays reversed", []drstemplate.Option{creds, drstemplate.WithRegion("cn-north-4"), drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MinDelay: time.Minute, MaxDelay: time.Second})}, drstemplate.ErrInvalidInput, "below MinDelay"},
		{"region with a slash", []drstemplate.Option{creds, drstemplate.WithRegion("cn/north")}, endpoint.ErrInvalidRegion, ""},
		{"plain http to a remote host", []drstemplate.Option{creds, drstemplate.WithEndpoint("http://drs.example.com")}, endpoint.ErrInvalidEndpoint, "https"},
		{"endpoint with user info", []drstemplate.Option{creds, drstemplate.WithEndpoint("https://user:secret@drs.example.com")}, endpoint.ErrInvalidEndpoint, ""},
		{"no credentials anywhere", []drstemplate.Option{drstemplate.WithRegion("cn-north-4")}, auth.ErrNoCredentials, "HUAWEICLOUD_SDK_AK"},
		{"no project id", []drstemplate.Option{drstemplate.WithRegion("cn-north-4"), creds}, drstemplate.ErrInvalidInput, "no project id"},
		{"no project id, by its sentinel", []drstemplate.Option{drstemplate.WithRegion("cn-north-4"), creds}, drstemplate.ErrNoProjectID, "WithProjectID"},
		{"another project than the access key's", []drstemplate.Option{drstemplate.WithRegion("cn-north-4"),
			drstemplate.WithProjectID("0123456789abcdef0123456789abcdef"),
			drstemplate.WithCredentials(&auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: "fedcba9876543210fedcba9876543210"})},
			drstemplate.ErrInvalidInput, "differs from the access key's project"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := drstemplate.New(tc.opts...)
			if c != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("New = %v, %v; want %v saying %q", c, err, tc.want, tc.says)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the endpoint's password: %v", err)
			}
		})
	}
}

func TestNewEndpoints(t *testing.T) {
	clearEnv(t)
	creds := drstemplate.WithCredentials(&auth.AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject})
	for _, tc := range []struct {
		opts []drstemplate.Option
		env  map[string]string
		want string
	}{
		{[]drstemplate.Option{drstemplate.WithRegion("cn-north-4")}, nil, "https://drs.cn-north-4.myhuaweicloud.com"},
		{[]drstemplate.Option{drstemplate.WithRegion("eu-west-101")}, nil, "https://drs.eu-west-101.myhuaweicloud.eu"},
		{[]drstemplate.Option{drstemplate.WithRegion("xx-new-9")}, nil, "https://drs.xx-new-9.myhuaweicloud.com"},
		{[]drstemplate.Option{drstemplate.WithRegion("cn-north-4"), drstemplate.WithEndpoint("https://proxy.example.com/drs/")}, nil, "https://proxy.example.com/drs"},
		{[]drstemplate.Option{drstemplate.WithRegion("cn-south-2")}, map[string]string{"HUAWEICLOUD_SDK_REGION_DRS_CN_SOUTH_2": "drs.internal.example.com"}, "https://drs.internal.example.com"},
		{[]drstemplate.Option{drstemplate.WithEndpoint("http://127.0.0.1:8080")}, nil, "http://127.0.0.1:8080"},
	} {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		c, err := drstemplate.New(append(tc.opts, creds)...)
		if err != nil {
			t.Errorf("%s: %v", tc.want, err)
			continue
		}
		if got := c.Endpoint(); got != tc.want {
			t.Errorf("Endpoint() = %s, want %s", got, tc.want)
		}
	}
}

func TestNewFindsCredentialsAndProject(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clearEnv(t)
		fake, err := drsfake.New(drsfake.WithAccessKey(testAK, testSK))
		if err != nil {
			t.Fatal(err)
		}
		project := fake.ProjectIDs()[0]
		t.Setenv(auth.EnvAccessKey, testAK)
		t.Setenv(auth.EnvSecretKey, testSK)
		t.Setenv(auth.EnvProjectID, project)
		c, err := drstemplate.New(drstemplate.WithEndpoint("http://127.0.0.1"), drstemplate.WithTransport(servePipe(t, fake)))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.ProjectID(t.Context()); got != project || err != nil {
			t.Errorf("ProjectID = %q, %v; want %s from the environment", got, err, project)
		}
		if _, err := c.Export(t.Context(), fake.Tasks()[0].ID); err != nil {
			t.Errorf("an export signed with the environment's AK/SK: %v", err)
		}
	})
}

func TestProjectIDFromPasswordLogin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clearEnv(t)
		fake, err := drsfake.New(drsfake.WithUser("acct", "user", "Pa55word-never-printed"))
		if err != nil {
			t.Fatal(err)
		}
		tr := servePipe(t, fake)
		creds, err := auth.NewPassword(auth.PasswordLogin{
			IAMEndpoint: &url.URL{Scheme: "http", Host: "127.0.0.1"}, Account: "acct", User: "user", Password: "Pa55word-never-printed",
			ProjectName: fake.Region(), HTTPClient: &http.Client{Transport: tr},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := drstemplate.New(drstemplate.WithEndpoint("http://127.0.0.1"), drstemplate.WithTransport(tr), drstemplate.WithCredentials(creds))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.ProjectID(t.Context()); got != fake.ProjectIDs()[0] || err != nil {
			t.Errorf("ProjectID = %q, %v; want the region's project, from IAM", got, err)
		}
		if _, err := c.Export(t.Context(), fake.Tasks()[0].ID); err != nil {
			t.Errorf("export with a password login: %v", err)
		}
	})
}

func TestEveryRequestCarriesTheHeadersHuaweiRequires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var seen []http.Header
		e := newEnv(t, envConfig{
			aksk: true,
			wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					seen = append(seen, r.Header.Clone())
					h.ServeHTTP(w, r)
				})
			},
			client: []drstemplate.Option{drstemplate.WithLanguage("zh-CN"), drstemplate.WithUserAgent("my-tool/1.0")},
		})
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks[:1], nil); err != nil {
			t.Fatal(err)
		}
		if len(seen) < 4 {
			t.Fatalf("%d requests", len(seen))
		}
		for _, h := range seen {
			if h.Get("Content-Type") != "application/json" || h.Get("X-Language") != "zh-cn" ||
				!strings.HasPrefix(h.Get("User-Agent"), "drstemplate/") || !strings.HasSuffix(h.Get("User-Agent"), " my-tool/1.0") ||
				!strings.Contains(h.Get("Authorization"), "SignedHeaders=user-agent;x-language;x-project-id;x-sdk-date,") {
				t.Errorf("request headers %v", h)
			}
		}
	})
}

func TestClockSkewIsExplained(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := drsfake.NewManualClock(time.Now().Add(20 * time.Minute))
		e := newEnv(t, envConfig{aksk: true, client: []drstemplate.Option{drstemplate.WithClock(clock)}})
		_, err := e.client.Export(t.Context(), e.tasks...)
		var apiErr *drstemplate.APIError
		if !errors.Is(err, auth.ErrClockSkew) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
			t.Fatalf("err = %v, want a 401 APIError matching auth.ErrClockSkew", err)
		}
		if !strings.Contains(err.Error(), "20m0s ahead") {
			t.Errorf("the error does not say how far off the clock is: %v", err)
		}
	})
}

func TestLogsSayWhatHappenedAndNoSecret(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, aksk := range []bool{false, true} {
			e := newEnv(t, envConfig{aksk: aksk, fake: []drsfake.Option{
				drsfake.WithSeed(5),
				drsfake.WithFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
					drsfake.OpShowExportProgress: {Unavailable: 0.5},
				}}),
			}})
			results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, nil)
			if err != nil {
				t.Fatal(err)
			}
			log := e.logs.text()
			for _, want := range []string{"operation=ExportCreationTemplate", "operation=ShowExportProgress", "operation=ListTemplates",
				"operation=DownloadCreateTemplate", "status=503", "request_id=", "attempt=2", "duration=", "drstemplate: retrying"} {
				if !strings.Contains(log, want) {
					t.Errorf("the log lacks %q", want)
				}
			}
			checkNoSecrets(t, "log", log)
			for _, r := range results {
				checkNoSecrets(t, "result", slogValue(r))
			}
		}
	})
}

// checkNoSecrets fails the test if s holds one of the test's secrets.
func checkNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testToken, testSK, "Pa55word-never-printed"} {
		if strings.Contains(s, secret) {
			t.Errorf("the %s holds a secret", what)
		}
	}
	if strings.Contains(s, "Signature=") {
		t.Errorf("the %s holds an AK/SK signature", what)
	}
}

// slogValue renders v as a log line would.
func slogValue(v any) string {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "v", v)
	return b.String()
}
