package drsfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStateDoesNotGrow runs a stream of exports and IAM logins, one a
// minute for 20 hours on the fake's clock: finished exports, their files
// and expired tokens are forgotten after the retention, so what the fake
// holds stays bounded by about a retention's worth.
func TestStateDoesNotGrow(t *testing.T) {
	clock := NewManualClock(t0)
	s := mustNew(t, WithClock(clock), WithToken("tok"), WithUser("acct", "user", "pw"),
		WithExportTimings(time.Second, time.Second), WithTokenTTL(time.Hour), WithRetention(time.Hour))
	p := s.ProjectIDs()[0]
	task := s.Tasks()[0].ID
	login := passwordLogin("acct", "user", "pw", p)
	var peakExports, peakFiles, peakTokens int
	for i := range 1200 {
		if w := serve(s, http.MethodPost, "/v5/"+p+"/jobs/export/template", "tok", `{"jobs":["`+task+`"]}`); w.Code != 202 {
			t.Fatalf("export %d: %d %s", i, w.Code, w.Body)
		}
		if w := serve(s, http.MethodPost, "/v3/auth/tokens", "", login); w.Code != 201 {
			t.Fatalf("login %d: %d %s", i, w.Code, w.Body)
		}
		clock.Advance(time.Minute)
		serve(s, http.MethodGet, "/v5/"+p+"/templates", "tok", "")
		s.store.mu.Lock()
		peakExports, peakFiles = max(peakExports, len(s.store.exports)), max(peakFiles, len(s.store.files[p]))
		s.store.mu.Unlock()
		s.auth.mu.Lock()
		peakTokens = max(peakTokens, len(s.auth.tokens))
		s.auth.mu.Unlock()
	}
	// An hour of retention at one a minute is 60 exports and files, and 120
	// tokens (valid for an hour, then remembered for one); the bounds leave
	// room for the sweeps, which run every 1/16 of the retention.
	t.Logf("held at most %d exports, %d files, %d tokens", peakExports, peakFiles, peakTokens)
	if peakExports > 70 || peakFiles > 70 || peakTokens > 130 {
		t.Errorf("state grew without bound: at most %d exports, %d files, %d tokens held at once", peakExports, peakFiles, peakTokens)
	}
}

// TestRetention steps the fake's clock past the retention of a finished
// export, its file and an expired token: until then they answer as before;
// from then on the export is 404, the file is neither listed nor
// downloadable, and the token is refused as unknown.
func TestRetention(t *testing.T) {
	clock := NewManualClock(t0)
	s := mustNew(t, WithClock(clock), WithToken("tok"), WithExportTimings(time.Second, time.Second), WithRetention(time.Hour))
	p := s.ProjectIDs()[0]
	task := s.Tasks()[0]
	w := serve(s, http.MethodPost, "/v5/"+p+"/jobs/export/template", "tok", `{"jobs":["`+task.ID+`"]}`)
	var job struct{ ID string }
	if w.Code != 202 || json.Unmarshal(w.Body.Bytes(), &job) != nil {
		t.Fatalf("export: %d %s", w.Code, w.Body)
	}
	short, err := s.IssueToken(p, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	file := fileName(task, t0.Add(2*time.Second))
	progress := func() int {
		return serve(s, http.MethodGet, "/v5/"+p+"/jobs/"+job.ID+"/export/progress", "tok", "").Code
	}
	listed := func() bool {
		return strings.Contains(serve(s, http.MethodGet, "/v5/"+p+"/templates", "tok", "").Body.String(), file)
	}
	download := func() int {
		return serve(s, http.MethodPost, "/v5/"+p+"/templates/download", "tok", `{"files":["`+file+`"]}`).Code
	}
	tokenRefusal := func() string {
		w := serve(s, http.MethodGet, "/v5/"+p+"/templates", short, "")
		return errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()).ErrorMsg
	}

	clock.Advance(time.Hour + time.Second) // the export finished at t0+2s, the token expired at t0+1m
	if progress() != 200 || !listed() || download() != 200 || tokenRefusal() != msgTokenExpired {
		t.Fatalf("forgotten before the retention: progress %d, listed %t, download %d, token %q", progress(), listed(), download(), tokenRefusal())
	}
	clock.Advance(time.Second) // an hour after the export finished
	if got := progress(); got != http.StatusNotFound {
		t.Errorf("progress of a forgotten export: %d, want 404", got)
	}
	if listed() {
		t.Error("a forgotten file is still listed")
	}
	if got := download(); got != http.StatusNotFound {
		t.Errorf("download of a forgotten file: %d, want 404", got)
	}
	clock.Advance(time.Minute) // an hour after the token expired
	if got := tokenRefusal(); got != msgTokenInvalid {
		t.Errorf("a forgotten token is refused with %q, want %q", got, msgTokenInvalid)
	}
	if _, err := New(WithRetention(0)); err == nil {
		t.Error("WithRetention(0) was accepted")
	}
}
