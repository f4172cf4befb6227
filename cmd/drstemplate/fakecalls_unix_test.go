//go:build unix

package main

import (
	"context"
	"maps"
	"net/http"
	"testing"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/benchproc"
)

// TestFakeServerCalls: fake-server, run as a process by benchproc, prints
// the calls it received when it stops, and benchproc reads them back: two
// listings (refused, yet made) and a request for no operation (not counted).
func TestFakeServerCalls(t *testing.T) {
	fake, err := benchproc.Start(t.Context(), benchproc.Config{Bin: binary(t), Tasks: 2, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.TaskIDs) != 2 || len(fake.ProjectID) != 32 || len(fake.Env) != 4 {
		t.Errorf("the fake's banner as read: %d tasks, project %q, env of %d variables", len(fake.TaskIDs), fake.ProjectID, len(fake.Env))
	}
	for _, path := range []string{"/v5/" + fake.ProjectID + "/templates", "/v5/" + fake.ProjectID + "/templates", "/v5/nothing"} {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, fake.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	http.DefaultClient.CloseIdleConnections()
	calls, err := fake.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if want := (benchproc.Calls{string(drsfake.OpListTemplates): 2}); !maps.Equal(calls, want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
}
