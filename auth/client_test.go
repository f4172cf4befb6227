package auth

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewHTTPClientTLS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	quiet := log.New(io.Discard, "", 0) // the refused handshakes are expected
	modern := httptest.NewUnstartedServer(ok)
	modern.Config.ErrorLog = quiet
	modern.StartTLS()
	defer modern.Close()
	old := httptest.NewUnstartedServer(ok)
	old.Config.ErrorLog = quiet
	old.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	old.StartTLS()
	defer old.Close()

	// Certificates are verified: the test server's is self-signed.
	if err := getErr(NewHTTPClient(nil), modern.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("unverified certificate accepted: err = %v", err)
	}

	trusting := func(srv *httptest.Server, c *http.Client) *http.Client {
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		base := c.Transport.(*http.Transport)
		if base.TLSClientConfig.MinVersion != tls.VersionTLS12 || base.TLSClientConfig.InsecureSkipVerify {
			t.Fatalf("base TLS config %+v", base.TLSClientConfig)
		}
		base.TLSClientConfig.RootCAs = pool
		return c
	}
	resp, err := trusting(modern, NewHTTPClient(nil)).Get(modern.URL)
	if err != nil {
		t.Fatalf("TLS 1.2+ server with a trusted certificate: %v", err)
	}
	_ = resp.Body.Close()
	if err := getErr(trusting(old, NewHTTPClient(nil)), old.URL); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("TLS 1.1 server accepted: err = %v", err)
	}

	// An authenticating client uses the same hardened base.
	c := NewHTTPClient(&Transport{Credentials: StaticToken("t"), Endpoint: modern.URL})
	tr := c.Transport.(*Transport)
	if base, isBase := tr.Base.(*http.Transport); !isBase || base.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Fatalf("authenticating client's base is %T", tr.Base)
	}
	if tr.UserAgent != DefaultUserAgent || c.CheckRedirect == nil {
		t.Fatalf("client defaults: UA %q, CheckRedirect set %v", tr.UserAgent, c.CheckRedirect != nil)
	}
}

func TestNewHTTPClientKeepsCallerSettings(t *testing.T) {
	base := &http.Transport{}
	in := &Transport{Credentials: StaticToken("t"), Endpoint: "https://x", Base: base, UserAgent: "mine/1.0"}
	tr := NewHTTPClient(in).Transport.(*Transport)
	if tr == in {
		t.Fatal("NewHTTPClient must copy the Transport, not adopt it")
	}
	if tr.Base != base || tr.UserAgent != "mine/1.0" {
		t.Fatalf("caller's Base or UserAgent replaced: %+v", tr)
	}
	if in.Base != base || in.UserAgent != "mine/1.0" {
		t.Fatal("the caller's Transport was modified")
	}
}
