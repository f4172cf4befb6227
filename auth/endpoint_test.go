package auth

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate/endpoint"
)

// A Transport's Endpoint is checked like every other endpoint: no token
// goes in clear to a remote host, nor to an endpoint with user info.
func TestTransportRefusesAnInvalidEndpoint(t *testing.T) {
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	for _, ep := range []string{"http://drs.example.com", "https://user:pw@drs.example.com", "ftp://drs.example.com"} {
		tr := &Transport{Credentials: StaticToken("tok-SECRET"), Endpoint: ep, Base: base}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ep+"/v5/p/templates", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := tr.RoundTrip(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, endpoint.ErrInvalidEndpoint) {
			t.Errorf("Endpoint %s: err = %v, want endpoint.ErrInvalidEndpoint", ep, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

// AllowHTTP admits a plain http Endpoint on any host, as for
// PasswordLogin.AllowHTTP.
func TestTransportAllowHTTP(t *testing.T) {
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	tr := &Transport{Credentials: StaticToken("t"), Endpoint: "http://drsfake:8080", AllowHTTP: true, Base: base}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://drsfake:8080/v5/p/templates", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if sent.Load() != 1 {
		t.Fatal("the request was not sent")
	}
}

// A Transport written as a struct literal is safe for concurrent use from
// its first request on (the Endpoint is checked once, by whichever request
// comes first; run with -race).
func TestTransportConcurrentFirstUse(t *testing.T) {
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	for _, tc := range []struct {
		endpoint string
		ok       bool
	}{{"https://drs.example.com", true}, {"http://drs.example.com", false}} {
		tr := &Transport{Credentials: StaticToken("t"), Endpoint: tc.endpoint, Base: base}
		const n = 16
		errs := make(chan error, n)
		for range n {
			go func() {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tc.endpoint+"/v5/p/templates", nil)
				if err == nil {
					var resp *http.Response
					if resp, err = tr.RoundTrip(req); err == nil {
						_ = resp.Body.Close()
					}
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; (err == nil) != tc.ok {
				t.Errorf("%s: err = %v", tc.endpoint, err)
			}
		}
	}
	if got := sent.Load(); got != 16 {
		t.Fatalf("%d requests sent, want 16", got)
	}
}
