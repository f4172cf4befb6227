// Package drsfaketest runs a [drsfake] service for the duration of a Go test,
// as net/http/httptest does for a handler: [Start] on a loopback port,
// [StartInMemory] on an in-memory network for tests in a testing/synctest
// bubble. Each adds working credentials and stops the fake when the test
// ends. It stands beside package drsfake so that programs which embed the
// fake (the drstemplate demo, fake-server) do not link package testing.
package drsfaketest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/memnet"
	"github.com/drs-tools/drstemplate/internal/redact"
)

// Server is a [drsfake.Server] listening for the duration of a test, with
// everything a client needs to call it. Its [drsfake.Credentials] are
// embedded: ts.Token, ts.AccessKey, ts.SecretKey and ts.User are theirs.
// Formatting it with fmt never shows a secret (its Server and Credentials
// format themselves).
type Server struct {
	*drsfake.Server
	// Credentials are working credentials of each kind: the first ones given
	// in the options, else the seeded drsfake.DefaultCredentials.
	drsfake.Credentials
	// URL is the base URL, e.g. http://127.0.0.1:40123 (no trailing slash).
	URL string
	// ProjectID is the fake's first project.
	ProjectID string
	// TaskIDs are the ids of the fake's tasks.
	TaskIDs []string
	// Clock is the ManualClock passed with drsfake.WithClock, or nil.
	Clock *drsfake.ManualClock

	client *http.Client
	close  func()
}

// Start starts a fake DRS service on a loopback port and stops it when the
// test ends. For each kind of credential not given in opts (token, access
// key, IAM user) it adds the seeded drsfake.DefaultCredentials; it fails the
// test if opts are invalid.
func Start(tb testing.TB, opts ...drsfake.Option) *Server {
	tb.Helper()
	ts := newServer(tb, opts)
	hs := httptest.NewUnstartedServer(ts.Server)
	// OPTIONS * is the fake's to answer (404), not net/http's.
	hs.Config.DisableGeneralOptionsHandler = true
	hs.Start()
	ts.URL, ts.client, ts.close = hs.URL, hs.Client(), hs.Close
	tb.Cleanup(ts.Close)
	return ts
}

// StartInMemory is [Start] on an in-memory network instead of a loopback
// port, for tests in a testing/synctest bubble: there a goroutine blocked on
// a socket keeps the bubble's clock from moving, while one blocked on the
// in-memory network lets it. Called inside a bubble, the fake, a client
// using ts.Client().Transport and their timers then all run on the bubble's
// fake time — an export of ten minutes is waited for in no time at all.
//
// Only ts.Client() reaches the server; ts.URL ("http://127.0.0.1:1") is its
// base URL for building requests, not an address anything listens on.
func StartInMemory(tb testing.TB, opts ...drsfake.Option) *Server {
	tb.Helper()
	ts := newServer(tb, opts)
	l := memnet.Listen()
	srv := &http.Server{Handler: ts.Server, DisableGeneralOptionsHandler: true}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	tr := &http.Transport{DialContext: l.DialContext, MaxIdleConnsPerHost: 100}
	ts.URL = "http://127.0.0.1:1"
	ts.client = &http.Client{Transport: tr}
	ts.close = sync.OnceFunc(func() {
		_ = srv.Close()
		tr.CloseIdleConnections()
		<-done
	})
	tb.Cleanup(ts.Close)
	return ts
}

// newServer builds the fake of Start and StartInMemory.
func newServer(tb testing.TB, opts []drsfake.Option) *Server {
	tb.Helper()
	s, creds, err := drsfake.NewWithDefaults(opts...)
	if err != nil {
		tb.Fatalf("drsfaketest: %v", err)
	}
	ts := &Server{Server: s, Credentials: creds, ProjectID: s.ProjectIDs()[0]}
	for _, t := range s.Tasks() {
		ts.TaskIDs = append(ts.TaskIDs, t.ID)
	}
	ts.Clock, _ = s.Clock().(*drsfake.ManualClock)
	return ts
}

// Client returns an HTTP client for the server whose idle connections are
// closed when the server stops.
func (ts *Server) Client() *http.Client { return ts.client }

// Close stops the server before the test ends (it is safe to call twice).
func (ts *Server) Close() { ts.close() }

// Format shows the server — its drsfake.Server, Credentials, URL, project
// and task ids — with the secrets of its credentials redacted, for every
// fmt verb.
func (ts *Server) Format(f fmt.State, verb rune) {
	if ts == nil {
		redact.Format(f, verb, "<nil>", "(*drsfaketest.Server)(nil)")
		return
	}
	type fields Server // its Server and Credentials format themselves
	redact.Format(f, verb, fmt.Sprintf("%+v", fields(*ts)), redact.GoSyntax("drsfaketest.Server", fields(*ts)))
}
