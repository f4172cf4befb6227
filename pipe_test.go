package drstemplate_test

import (
	"net/http"
	"testing"

	"github.com/drs-tools/drstemplate/internal/memnet"
)

// servePipe serves h on an in-memory network until the test ends and
// returns a transport that reaches it whatever the URL's host. Inside a
// testing/synctest bubble, the server and a client on the transport run on
// the bubble's fake time (see internal/memnet).
func servePipe(t testing.TB, h http.Handler) *http.Transport {
	l := memnet.Listen()
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	tr := &http.Transport{DialContext: l.DialContext, MaxIdleConnsPerHost: 64}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = srv.Close()
		<-done
	})
	return tr
}
