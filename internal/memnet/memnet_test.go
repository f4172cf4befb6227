package memnet

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// TestHTTPOnFakeTime serves HTTP on a Listener inside a bubble: a handler
// that sleeps an hour answers at once in real time, an hour later in the
// bubble's.
func TestHTTPOnFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Listen()
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(time.Hour)
			_, _ = io.WriteString(w, "late")
		})}
		go func() { _ = srv.Serve(l) }()
		tr := &http.Transport{DialContext: l.DialContext}
		defer func() {
			tr.CloseIdleConnections()
			_ = srv.Close()
		}()
		start := time.Now()
		resp, err := (&http.Client{Transport: tr}).Get("http://anywhere.invalid/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(body) != "late" || time.Since(start) != time.Hour {
			t.Errorf("got %q after %s, want \"late\" after 1h of the bubble's time", body, time.Since(start))
		}
	})
}

func TestClosed(t *testing.T) {
	l := Listen()
	if l.Addr().String() != "memnet" || l.Addr().Network() != "memnet" {
		t.Errorf("Addr = %v", l.Addr())
	}
	_ = l.Close()
	_ = l.Close()
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close: %v", err)
	}
	if _, err := l.DialContext(context.Background(), "tcp", "x"); !errors.Is(err, net.ErrClosed) {
		t.Errorf("DialContext after Close: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Listen().DialContext(ctx, "tcp", "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("DialContext with a cancelled context: %v", err)
	}
}
