package drsfake

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/gen/iamserver"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// t0 is the time tests pin the ManualClock at.
var t0 = time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)

// specRouters routes requests to the operations of both contracts, for
// response validation.
type specRouters struct{ drs, iam routers.Router }

// specRoutersOnce loads both contracts' routers once for the test binary.
var specRoutersOnce = sync.OnceValues(func() (specRouters, error) {
	load := func(get func() (*openapi3.T, error)) (routers.Router, error) {
		doc, err := get()
		if err != nil {
			return nil, err
		}
		doc.Servers = nil
		return gorillamux.NewRouter(doc)
	}
	drs, err := load(drsserver.GetSpec)
	if err != nil {
		return specRouters{}, err
	}
	iam, err := load(iamserver.GetSpec)
	return specRouters{drs: drs, iam: iam}, err
})

func loadRouters(t testing.TB) specRouters {
	t.Helper()
	rs, err := specRoutersOnce()
	if err != nil {
		t.Fatalf("loading the specs: %v", err)
	}
	return rs
}

// validateResponse checks a response against the contract: its status must be
// declared, its headers and (for JSON) its body must fit. The body is left
// readable. Requests the contracts do not know are not checked.
func validateResponse(t testing.TB, req *http.Request, resp *http.Response) {
	t.Helper()
	rs := loadRouters(t)
	router := rs.drs
	if strings.HasPrefix(req.URL.Path, "/v3/") {
		router = rs.iam
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("reading the response to %s %s: %v", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		ExcludeResponseBody:   mt != "application/json",
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	})
	if err != nil {
		t.Errorf("%s %s → %d does not fit the contract: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

// validatingTransport validates every response it carries.
type validatingTransport struct {
	t    testing.TB
	next http.RoundTripper
}

func (v validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.next.RoundTrip(req)
	if err == nil {
		validateResponse(v.t, req, resp)
	}
	return resp, err
}

// checkedClient returns an http.Client for ts whose responses are validated.
func checkedClient(t testing.TB, ts *testServer) *http.Client {
	return &http.Client{Transport: validatingTransport{t: t, next: ts.Client().Transport}}
}

// drsClient returns the generated client for ts, authenticating with token
// ("" for none) and validating every response.
func drsClient(t testing.TB, ts *testServer, token string) *drsapi.ClientWithResponses {
	t.Helper()
	opts := []drsapi.ClientOption{drsapi.WithHTTPClient(checkedClient(t, ts))}
	if token != "" {
		opts = append(opts, drsapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-Auth-Token", token)
			return nil
		}))
	}
	c, err := drsapi.NewClientWithResponses(ts.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// errBody decodes a Huawei error body, failing the test if it is not one.
func errBody(t testing.TB, contentType string, body []byte) drsapi.ErrorResponse {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "application/json" {
		t.Fatalf("error Content-Type %q, want application/json (body %q)", contentType, body)
	}
	var e drsapi.ErrorResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.ErrorCode == "" || e.ErrorMsg == "" {
		t.Fatalf("not a Huawei error body (%v): %q", err, body)
	}
	return e
}

// serve runs one request through s in-process.
func serve(s http.Handler, method, target, token, body string, hdr ...string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("X-Auth-Token", token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// mustNew builds a Server or fails the test.
func mustNew(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signedPart describes an Authorization header value for a failure message:
// its access key and signed headers, with the signature redacted.
func signedPart(authorization string) string {
	a, err := sdksign.ParseAuthorization(authorization)
	if err != nil {
		return "a malformed Authorization (not shown)"
	}
	return a.String()
}

// passwordLogin is the body of an IAM password login scoped to project.
func passwordLogin(account, user, password, project string) string {
	return `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + account + `"},"name":"` +
		user + `","password":"` + password + `"}}},"scope":{"project":{"id":"` + project + `"}}}}`
}

// checkKeystoneBody checks that w holds IAM's {"error":{...}} JSON body.
func checkKeystoneBody(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" || !strings.HasPrefix(w.Body.String(), `{"error":{"code":`) {
		t.Errorf("not a Keystone JSON body (%s): %.200s", ct, w.Body)
	}
}
