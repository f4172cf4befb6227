package drstemplate_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// breakAfterRequest answers no request: it reads each one whole, then
// closes the connection — with a TCP reset when reset is set. The request
// went out; whether DRS acted on it, the client cannot tell.
func breakAfterRequest(t *testing.T, reset bool, calls *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	})
}

// TestExportIsNotSentAgainOnceItWentOut: a connection that breaks after
// the request was sent may break after DRS started the export, so the call
// is not sent again; a read on the same fault is.
func TestExportIsNotSentAgainOnceItWentOut(t *testing.T) {
	for _, reset := range []bool{false, true} {
		name := map[bool]string{false: "closed", true: "reset"}[reset]
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int64
			srv := httptest.NewServer(breakAfterRequest(t, reset, &calls))
			defer srv.Close()
			c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
				drstemplate.WithCredentials(auth.StaticToken(testToken)),
				drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 4, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Export(t.Context(), "task-1"); err == nil {
				t.Fatal("the export succeeded without an answer")
			}
			if n := calls.Swap(0); n != 1 {
				t.Errorf("the export was sent %d times, want once", n)
			}
			if _, err := c.Poll(t.Context(), "62a055ae-ce03-4232-beb6-46c83b8ef2b2"); err == nil {
				t.Fatal("the poll succeeded without an answer")
			}
			if n := calls.Load(); n != 4 {
				t.Errorf("the progress call was sent %d times, want the 4 attempts of the policy", n)
			}
		})
	}
}

// failFirstDial is a transport whose first connection is never made.
type failFirstDial struct {
	next  http.RoundTripper
	tried atomic.Bool
}

func (f *failFirstDial) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.tried.CompareAndSwap(false, true) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return f.next.RoundTrip(r)
}

// TestExportIsSentAgainWhenItNeverWentOut: a connection that was never
// made carried nothing to DRS; the export is sent again.
func TestExportIsSentAgainWhenItNeverWentOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{})
		pipe := servePipe(t, e.fake)
		c, err := drstemplate.New(drstemplate.WithEndpoint("http://127.0.0.1"), drstemplate.WithProjectID(e.project),
			drstemplate.WithCredentials(auth.StaticToken(testToken)), drstemplate.WithTransport(&failFirstDial{next: pipe}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Export(t.Context(), e.tasks...); err != nil {
			t.Errorf("err = %v, want the export sent again after a failed dial", err)
		}
	})
}

// TestRetryDelaysVary: the pauses between attempts are drawn afresh for
// every call, so that clients that failed together do not retry together.
func TestRetryDelaysVary(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		times := &progressTimes{}
		e := newEnv(t, envConfig{
			wrap: func(h http.Handler) http.Handler {
				return times.wrap(rewrite(pathProgress, func(_ *http.Request, rec *httptest.ResponseRecorder) {
					rec.Code = http.StatusServiceUnavailable
					rec.Body.Reset()
					rec.Body.WriteString(`{"error_code":"DRS.M00503","error_msg":"busy"}`)
				})(h))
			},
			client: []drstemplate.Option{drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{
				MaxAttempts: 2, MinDelay: time.Second, MaxDelay: 10 * time.Second,
			})},
		})
		gaps := map[time.Duration]bool{}
		for range 20 {
			times.mu.Lock()
			times.times = nil
			times.mu.Unlock()
			if _, err := e.client.Poll(t.Context(), "62a055ae-ce03-4232-beb6-46c83b8ef2b2"); err == nil {
				t.Fatal("a poll answered 503 twice succeeded")
			}
			times.mu.Lock()
			at := times.times
			times.mu.Unlock()
			if len(at) != 2 {
				t.Fatalf("%d attempts, want 2", len(at))
			}
			gap := at[1].Sub(at[0])
			if gap < 500*time.Millisecond || gap > 1500*time.Millisecond {
				t.Errorf("retried after %s, want MinDelay ±50%%", gap)
			}
			gaps[gap] = true
		}
		if len(gaps) < 10 {
			t.Errorf("20 calls retried after %d distinct pauses, want them spread: %v", len(gaps), gaps)
		}
		if !strings.Contains(e.logs.text(), "drstemplate: retrying") {
			t.Error("the retries were not logged")
		}
	})
}
