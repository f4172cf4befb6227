package drsfaketest_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// TestStartInMemory waits for a ten-minute export inside a synctest bubble:
// on the in-memory network the fake and the client run on the bubble's
// clock, so the wait takes no real time.
func TestStartInMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ts := drsfaketest.StartInMemory(t, drsfake.WithExportTimings(4*time.Minute, 6*time.Minute))
		hc := ts.Client()
		// call makes a request and decodes its JSON answer into v.
		call := func(method, path, body string, v any) int {
			t.Helper()
			req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+"/v5/"+ts.ProjectID+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Auth-Token", ts.Token)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode
		}
		var exp struct{ ID string }
		if status := call(http.MethodPost, "/jobs/export/template", `{"jobs":["`+ts.TaskIDs[0]+`"]}`, &exp); status != http.StatusAccepted {
			t.Fatalf("export: HTTP %d", status)
		}
		start := time.Now()
		for {
			var p struct {
				ProcessStatus string `json:"process_status"`
			}
			call(http.MethodGet, "/jobs/"+exp.ID+"/export/progress", "", &p)
			if p.ProcessStatus == "success" {
				break
			}
			time.Sleep(30 * time.Second)
		}
		if waited := time.Since(start); waited != 10*time.Minute {
			t.Errorf("the export took %s of the bubble's time, want 10m0s", waited)
		}
	})
}

// TestFormatRedactsSecrets formats a Server, alone and nested, with the
// usual verbs: its credentials never show, its URL and project do.
func TestFormatRedactsSecrets(t *testing.T) {
	secrets := []string{"tok-SECRET-1", "sk-SECRET-2", "st-SECRET-3", "pw-SECRET-4"}
	ts := drsfaketest.Start(t, drsfake.WithToken(secrets[0]),
		drsfake.WithTemporaryAccessKey("AKID", secrets[1], secrets[2], time.Time{}),
		drsfake.WithUser("acct", "alice", secrets[3]))
	if ts.Token != secrets[0] || ts.SecretKey != secrets[1] || ts.User.Password != secrets[3] {
		t.Fatal("Start does not report the credentials it was given")
	}
	values := map[string]any{"*Server": ts, "Server": *ts, "nested": struct{ A any }{ts}, "embedded": struct{ *drsfaketest.Server }{ts}}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			for _, sec := range secrets {
				if strings.Contains(out, sec) || strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(sec))) {
					t.Errorf("%s %s shows a secret", name, verb)
				}
			}
		}
	}
	got := fmt.Sprintf("%+v", ts)
	for _, want := range []string{"Server:drsfake.Server{region cn-north-4", "Credentials:{Token:REDACTED AccessKey:AKID", "URL:" + ts.URL, "ProjectID:" + ts.ProjectID} {
		if !strings.Contains(got, want) {
			t.Errorf("Server %%+v = %q, lacks %q", got, want)
		}
	}
	if got := fmt.Sprintf("%#v", ts); !strings.HasPrefix(got, "drsfaketest.Server{") {
		t.Errorf("Server %%#v = %q, want drsfaketest.Server{...}", got)
	}
	var nilTS *drsfaketest.Server
	if got := fmt.Sprintf("%v|%+v", nilTS, nilTS); got != "<nil>|<nil>" {
		t.Errorf("nil *Server = %q", got)
	}
}

// TestStartFailsOnBadOptions checks that an invalid option fails the test
// instead of starting a fake.
func TestStartFailsOnBadOptions(t *testing.T) {
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		drsfaketest.Start(ft, drsfake.WithGeneratedTasks(-5))
	}()
	if !ft.failed {
		t.Error("Start with an invalid option did not fail the test")
	}
}

// fatalRecorder records a Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
