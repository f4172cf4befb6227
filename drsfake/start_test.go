package drsfake

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// testServer is a fake on a loopback port for this package's own tests,
// which cannot import drsfaketest (it imports this package): the same
// fields, built the same way, from NewWithDefaults.
type testServer struct {
	*Server
	Credentials
	URL       string
	ProjectID string
	TaskIDs   []string
	client    *http.Client
}

// start serves NewWithDefaults(opts...) on loopback until the test ends.
func start(tb testing.TB, opts ...Option) *testServer {
	tb.Helper()
	s, creds, err := NewWithDefaults(opts...)
	if err != nil {
		tb.Fatalf("drsfake: %v", err)
	}
	hs := httptest.NewUnstartedServer(s)
	hs.Config.DisableGeneralOptionsHandler = true
	hs.Start()
	tb.Cleanup(hs.Close)
	ts := &testServer{Server: s, Credentials: creds, URL: hs.URL, ProjectID: s.projects[0], client: hs.Client()}
	for _, t := range s.Tasks() {
		ts.TaskIDs = append(ts.TaskIDs, t.ID)
	}
	return ts
}

// Client returns an HTTP client for the server.
func (ts *testServer) Client() *http.Client { return ts.client }
