package drsfake

import (
	"maps"
	"net/http"
	"sync"
	"testing"
)

// TestCalls: every request routed to an operation counts against it,
// whatever its answer; a request for no operation counts nowhere; the
// figures are a copy.
func TestCalls(t *testing.T) {
	s, creds, err := NewWithDefaults(WithGeneratedTasks(2))
	if err != nil {
		t.Fatal(err)
	}
	project := s.ProjectIDs()[0]
	v5 := "/v5/" + project
	task := s.Tasks()[0].ID
	if got := s.Calls(); len(got) != 0 {
		t.Fatalf("a new fake: Calls() = %v, want none", got)
	}
	for _, tc := range []struct {
		name, method, target, token, body string
		status                            int
		op                                Operation // "": counted nowhere
	}{
		{"a listing", http.MethodGet, v5 + "/templates", creds.Token, "", http.StatusOK, OpListTemplates},
		{"refused credentials", http.MethodGet, v5 + "/templates", "wrong", "", http.StatusUnauthorized, OpListTemplates},
		{"no credentials", http.MethodGet, v5 + "/templates", "", "", http.StatusUnauthorized, OpListTemplates},
		{"an invalid query", http.MethodGet, v5 + "/templates?limit=0", creds.Token, "", http.StatusBadRequest, OpListTemplates},
		{"an export", http.MethodPost, v5 + "/jobs/export/template", creds.Token, `{"jobs":["` + task + `"]}`, http.StatusAccepted, OpExportCreationTemplate},
		{"an unknown export", http.MethodGet, v5 + "/jobs/00000000-0000-0000-0000-000000000000/export/progress", creds.Token, "", http.StatusNotFound, OpShowExportProgress},
		{"an unknown path", http.MethodGet, v5 + "/nothing", creds.Token, "", http.StatusNotFound, ""},
		{"a wrong method", http.MethodDelete, v5 + "/templates", creds.Token, "", http.StatusNotFound, ""},
		{"an IAM login", http.MethodPost, "/v3/auth/tokens", "", passwordLogin(creds.User.Account, creds.User.Name, creds.User.Password, project), http.StatusCreated, OpCreateUserTokenByPassword},
	} {
		before := s.Calls()
		w := serve(s, tc.method, tc.target, tc.token, tc.body)
		if w.Code != tc.status {
			t.Fatalf("%s: status %d, want %d: %s", tc.name, w.Code, tc.status, w.Body)
		}
		want := maps.Clone(before)
		if tc.op != "" {
			want[tc.op]++
		}
		if got := s.Calls(); !maps.Equal(got, want) {
			t.Errorf("%s: Calls() = %v, want %v", tc.name, got, want)
		}
	}

	// Refused by the rate limit: still calls made.
	if err := s.SetRateLimit(0.001, 1); err != nil {
		t.Fatal(err)
	}
	before := s.Calls()[OpListTemplates]
	throttled := 0
	for range 5 {
		if serve(s, http.MethodGet, v5+"/templates", creds.Token, "").Code == http.StatusTooManyRequests {
			throttled++
		}
	}
	if throttled == 0 {
		t.Fatal("the rate limit refused nothing: the case is not exercised")
	}
	if got := s.Calls()[OpListTemplates]; got != before+5 {
		t.Errorf("after 5 listings (%d throttled): %d ListTemplates calls, want %d", throttled, got, before+5)
	}

	calls := s.Calls()
	calls[OpListTemplates] = 1000
	if s.Calls()[OpListTemplates] == 1000 {
		t.Error("changing the map Calls returned changed the fake's figures")
	}
}

// TestCallsConcurrent: concurrent requests are each counted once (run with
// -race).
func TestCallsConcurrent(t *testing.T) {
	s, creds, err := NewWithDefaults(WithGeneratedTasks(1))
	if err != nil {
		t.Fatal(err)
	}
	target := "/v5/" + s.ProjectIDs()[0] + "/templates"
	const n = 40
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { serve(s, http.MethodGet, target, creds.Token, "") })
	}
	wg.Wait()
	if got := s.Calls(); !maps.Equal(got, map[Operation]int64{OpListTemplates: n}) {
		t.Errorf("Calls() = %v, want %d ListTemplates", got, n)
	}
}
