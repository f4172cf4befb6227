package auth

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// IAM answering a login with a redirect must not make the client post the
// password to the host it names — not even through a client of the
// caller's that follows redirects.
func TestLoginIsNeverRedirected(t *testing.T) {
	const password = "pw-SECRET-redirect"
	var reached, leaked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		if body, _ := io.ReadAll(r.Body); bytes.Contains(body, []byte(password)) {
			leaked.Add(1)
		}
	}))
	defer elsewhere.Close()
	iam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer iam.Close()

	following := &http.Client{} // the default policy follows a 307, body and all
	for _, hc := range []*http.Client{following, nil} {
		p, err := NewPassword(PasswordLogin{IAMEndpoint: mustURL(iam.URL), Account: "a", User: "u", Password: password,
			ProjectName: "cn-north-4", HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.ProjectID(t.Context())
		if n := leaked.Load(); n > 0 {
			t.Fatalf("caller's client %v: the password was posted to the redirect target", hc != nil)
		}
		if n := reached.Load(); n > 0 {
			t.Fatalf("caller's client %v: the redirect target was contacted", hc != nil)
		}
		var ae *LoginError
		if !errors.As(err, &ae) || !errors.Is(err, ErrLoginFailed) || ae.StatusCode != http.StatusTemporaryRedirect {
			t.Fatalf("caller's client %v: err = %v, want ErrLoginFailed with status 307", hc != nil, err)
		}
		if want := "IAM redirected the login; redirects are not followed"; ae.Message != want {
			t.Fatalf("message %q, want %q", ae.Message, want)
		}
	}
	if following.CheckRedirect != nil || following.Transport != nil {
		t.Fatal("NewPassword modified the caller's client")
	}
}

// The login client sends to the IAM endpoint's scheme and host only, even
// if something (a caller's transport, a redirect) points a request
// elsewhere.
func TestLoginClientIsBoundToTheIAMHost(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer other.Close()
	iam := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer iam.Close()
	origin, err := url.Parse(iam.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := confine(&http.Client{}, origin)
	for _, u := range []string{other.URL, strings.Replace(iam.URL, "http:", "https:", 1), strings.Replace(iam.URL, "127.0.0.1", "localhost", 1)} {
		if err := getErr(c, u+"/v3/auth/tokens"); !errors.Is(err, ErrForeignHost) {
			t.Errorf("%s: err = %v, want ErrForeignHost", u, err)
		}
	}
	if reached.Load() != 0 {
		t.Fatal("a login request reached another host")
	}
	if err := getErr(c, iam.URL+"/v3/auth/tokens"); err != nil {
		t.Fatalf("the IAM host itself: %v", err)
	}
}
