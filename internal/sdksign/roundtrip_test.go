package sdksign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// seen is what the loopback server observed for one request.
type seen struct {
	path, rawPath string
	query         url.Values
	err           error
}

// TestRoundTripLoopback signs requests with awkward paths and queries, sends
// them through net/http over loopback and verifies them on the server, which
// sees whatever net/http actually put on the wire.
func TestRoundTripLoopback(t *testing.T) {
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxSignedBody+1))
		if err == nil {
			_, err = Verify(r, body, testSecrets, time.Now(), 15*time.Minute)
		}
		got <- seen{path: r.URL.Path, rawPath: r.URL.EscapedPath(), query: r.URL.Query(), err: err}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	paths := []struct{ path, rawPath string }{
		{"", ""},
		{"/", ""},
		{"/v5/0123456789abcdef/templates", ""},
		{"/v5/p/jobs/62a055ae-ce03-4232-beb6-46c83b8ef2b2/export/progress", ""},
		{"/a b/c  d/", ""},
		{"/ünïcødé/日本語/🙂", ""},
		{"/@:+$&=,;/x", ""},
		{"/%41/100%/%2F", ""},
		{"/a/b/c", "/a/b%2Fc"}, // encoded slash on the wire, decoded on both sides
		{"/a//b///", ""},
		{"/~user/._-/!*'()", ""},
		{"/q\"<>[]{}|\\^`", ""},
	}
	queries := []string{
		"",
		"limit=10&offset=0",
		"a=2&a=1&a=10&a=1",
		"a&b=1",         // bare key = empty value
		"a=&b&c=&d=x",   // mixed empty forms
		"q=a+b",         // '+' on the wire is a space
		"q=a%2Bb&q=%20", // encoded '+'
		url.Values{"plus": {"a+b", "+"}, "space": {"a b"}, "amp": {"&=?#"}, "ü": {"日本"}, "": {"empty-name"}}.Encode(),
		"k=%3D%26%25&%7E=~",
		"x=1&X=2&_=3",
	}

	for _, p := range paths {
		for _, q := range queries {
			for _, variant := range []string{"json", "text", "host"} {
				name := fmt.Sprintf("%s/%q?%s", variant, p.path, q)
				u := *base
				u.Path, u.RawPath, u.RawQuery = p.path, p.rawPath, q
				body := []byte(testBody)
				r, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				r.URL.Path, r.URL.RawPath, r.URL.RawQuery = p.path, p.rawPath, q
				r.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0; test")
				r.Header.Set(HeaderProjectID, "p1")
				r.Header.Set(HeaderSecurityToken, testToken)
				r.Header.Set("X-Language", " en-us ")
				r.Header.Set("TEST_UNDERSCORE", "not signed")
				switch variant {
				case "json":
					r.Header.Set("Content-Type", "application/json;charset=UTF-8")
				case "text":
					r.Header.Set("Content-Type", "text/plain")
				case "host":
					r.Header.Set("Host", base.Host)
				}
				if err := Sign(r, body, testAK, testSK, time.Now()); err != nil {
					t.Fatalf("%s: Sign: %v", name, err)
				}
				resp, err := srv.Client().Do(r)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				_ = resp.Body.Close()
				s := <-got
				if s.err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("%s: server saw path %q (wire %q) query %v: status %d, %v",
						name, s.path, s.rawPath, s.query, resp.StatusCode, s.err)
					continue
				}
				// Sanity: the server decoded what the client meant.
				want := p.path
				if want == "" {
					want = "/"
				}
				if s.path != want {
					t.Errorf("%s: server path %q, want %q", name, s.path, want)
				}
				if p.path == "/@:+$&=,;/x" && s.rawPath != p.path {
					t.Errorf("%s: expected net/http to leave @:+$&=,; unescaped on the wire, got %q", name, s.rawPath)
				}
				if CanonicalQuery(s.query) != CanonicalQuery(r.URL.Query()) {
					t.Errorf("%s: server query %v, client %v", name, s.query, r.URL.Query())
				}
			}
		}
	}

	// And a negative over the wire: a request signed with another SK.
	r, _ := http.NewRequest(http.MethodGet, srv.URL+"/v5/p/templates?limit=1", nil)
	if err := Sign(r, nil, testAK, "wrong", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if s := <-got; !errors.Is(s.err, ErrSignatureMismatch) || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong SK over the wire: %d, %v", resp.StatusCode, s.err)
	}
}
