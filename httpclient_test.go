package drstemplate_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// countingTransport counts the requests it carries to next.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// TestWithHTTPClient checks what the client takes of an *http.Client: its
// Transport carries the authenticated requests, its Timeout bounds a call,
// its Jar is used, and its CheckRedirect is not (no redirect is followed).
func TestWithHTTPClient(t *testing.T) {
	t.Run("transport and jar", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var counted *countingTransport
			jar, _ := cookiejar.New(nil)
			var cookie atomic.Value
			e := newEnv(t, envConfig{
				httpClient: func(rt http.RoundTripper) *http.Client {
					counted = &countingTransport{next: rt}
					return &http.Client{Transport: counted, Jar: jar}
				},
				wrap: func(h http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if c, err := r.Cookie("seen"); err == nil {
							cookie.Store(c.Value)
						}
						if r.Header.Get("X-Auth-Token") != testToken {
							t.Errorf("the request reached the given transport without its token")
						}
						http.SetCookie(w, &http.Cookie{Name: "seen", Value: "yes", Path: "/"})
						h.ServeHTTP(w, r)
					})
				},
			})
			if _, err := e.client.Export(t.Context(), e.tasks[0]); err != nil {
				t.Fatal(err)
			}
			for _, err := range e.client.Templates(t.Context()) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if counted.n.Load() != 2 {
				t.Errorf("the given transport carried %d requests, want 2", counted.n.Load())
			}
			if cookie.Load() != "yes" {
				t.Error("the jar's cookie was not sent with the second call")
			}
		})
	})
	t.Run("timeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			e := newEnv(t, envConfig{
				httpClient: func(rt http.RoundTripper) *http.Client {
					return &http.Client{Transport: rt, Timeout: 5 * time.Second}
				},
				wrap: func(http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						<-release // an answer that never starts, as far as the client waits
					})
				},
			})
			start := time.Now()
			_, err := e.client.Export(t.Context(), e.tasks[0])
			// net/http says "Client.Timeout exceeded" only when its timer's
			// goroutine wins the race with the request's context deadline,
			// which it sets to the same instant: both match DeadlineExceeded,
			// and the call's context has no deadline of its own.
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the http.Client's timeout", err)
			}
			if waited := time.Since(start); waited != 5*time.Second {
				t.Errorf("the call ended after %s of the bubble's time, want the 5s timeout", waited)
			}
		})
	})
	t.Run("no redirect", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var followed atomic.Bool
			e := newEnv(t, envConfig{
				httpClient: func(rt http.RoundTripper) *http.Client {
					return &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
						followed.Store(true)
						return nil
					}}
				},
				wrap: func(http.Handler) http.Handler {
					return http.RedirectHandler("http://127.0.0.1/elsewhere", http.StatusFound)
				},
			})
			_, err := e.client.Export(t.Context(), e.tasks[0])
			var apiErr *drstemplate.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound {
				t.Fatalf("err = %v, want a 302 APIError", err)
			}
			if followed.Load() {
				t.Error("the given CheckRedirect was consulted")
			}
		})
	})
}

// TestWithHTTPClientRefusals checks the options that cannot work.
func TestWithHTTPClientRefusals(t *testing.T) {
	base := []drstemplate.Option{drstemplate.WithEndpoint("http://127.0.0.1:1"), drstemplate.WithProjectID(strings.Repeat("a", 32)),
		drstemplate.WithCredentials(auth.StaticToken("t"))}
	for name, opts := range map[string][]drstemplate.Option{
		"nil client":             {drstemplate.WithHTTPClient(nil)},
		"client and transport":   {drstemplate.WithHTTPClient(&http.Client{}), drstemplate.WithTransport(http.DefaultTransport)},
		"transport, then client": {drstemplate.WithTransport(http.DefaultTransport), drstemplate.WithHTTPClient(&http.Client{})},
	} {
		if _, err := drstemplate.New(append(base, opts...)...); !errors.Is(err, drstemplate.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := drstemplate.New(append(base, drstemplate.WithHTTPClient(&http.Client{Timeout: time.Minute}))...); err != nil {
		t.Errorf("a client without a transport: %v", err)
	}
}
