package drsfake_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
)

// TestStartInMemory waits for a ten-minute export inside a synctest bubble:
// on the in-memory network the fake and the client run on the bubble's
// clock, so the wait takes no real time.
func TestStartInMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ts := drsfake.StartInMemory(t, drsfake.WithExportTimings(4*time.Minute, 6*time.Minute))
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
