package drstemplate

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// TestTLSConnectionsAreReused runs the whole flow over TLS with the
// client's own transport: the connections it opens are bounded by the calls
// it runs at once, not by the number of tasks. (net/http keeps two idle
// connections per host unless told otherwise; every new one costs a TLS
// handshake.)
func TestTLSConnectionsAreReused(t *testing.T) {
	fake, err := drsfake.New(drsfake.WithToken("tls-token"), drsfake.WithGeneratedTasks(120), drsfake.WithExportTimings(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	// Count the connections opened, and those that carried a request.
	var opened, used atomic.Int64
	type connKey struct{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if first := r.Context().Value(connKey{}).(*atomic.Bool); first.CompareAndSwap(false, true) {
			used.Add(1)
		}
		fake.ServeHTTP(w, r)
	}))
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, new(atomic.Bool))
	}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	c, err := New(WithEndpoint(srv.URL), WithProjectID(fake.ProjectIDs()[0]), WithCredentials(auth.StaticToken("tls-token")),
		WithMaxTasksPerExport(10))
	if err != nil {
		t.Fatal(err)
	}
	// Trust the test server's certificate in the client's own transport.
	base := c.api.Client.(*http.Client).Transport.(stallGuard).next.(*auth.Transport).Base.(*http.Transport)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	base.TLSClientConfig.RootCAs = pool

	var tasks []string
	for _, task := range fake.Tasks() {
		tasks = append(tasks, task.ID)
	}
	opts := &ExportAndDownloadOptions{Exports: 3, Downloads: 6, Wait: &WaitOptions{MinDelay: 10 * time.Millisecond}}
	if _, err := c.ExportAndDownload(t.Context(), t.TempDir(), tasks, opts); err != nil {
		t.Fatal(err)
	}
	// The calls at once need as many connections, and a few more: a request
	// that finds none idle dials one, and keeps it for later if another
	// frees up first. Without idle connections kept per host, 120 tasks
	// opened 70, and more tasks opened more.
	at := int64(opts.Exports + opts.Downloads)
	t.Logf("%d connections opened, %d of them used, for %d calls at once", opened.Load(), used.Load(), at)
	if n := used.Load(); n > at+5 {
		t.Errorf("%d connections carried requests, for %d calls at once", n, at)
	}
	if n := opened.Load(); n > 3*at {
		t.Errorf("%d connections opened, for %d calls at once", n, at)
	}
}
