package auth

import (
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate/endpoint"
)

// A Transport without a usable Endpoint sends nothing: credentials are
// never bound to nothing in particular.
func TestTransportRefusesAnInvalidEndpoint(t *testing.T) {
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	for _, ep := range []*url.URL{nil, mustURL("/v5"), mustURL("drs.example.com"), mustURL("ftp://drs.example.com"), mustURL("https://user:pw@drs.example.com")} {
		tr := &Transport{Credentials: StaticToken("tok-SECRET"), Endpoint: ep, Base: base}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://drs.example.com/v5/p/templates", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := tr.RoundTrip(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, endpoint.ErrInvalidEndpoint) {
			t.Errorf("Endpoint %v: err = %v, want endpoint.ErrInvalidEndpoint", ep, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

// Whether plain http is acceptable is decided once, by package endpoint: a
// Transport sends to the origin of the URL it was given.
func TestTransportTakesWhatEndpointAllowed(t *testing.T) {
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	if _, err := endpoint.Parse("http://drsfake:8080", false); !errors.Is(err, endpoint.ErrInvalidEndpoint) {
		t.Fatalf("endpoint.Parse accepted plain http to a remote host: %v", err)
	}
	ep, err := endpoint.Parse("http://drsfake:8080", true)
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transport{Credentials: StaticToken("t"), Endpoint: ep, Base: base}
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
