package auth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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

	client := func(srv *httptest.Server) *http.Client {
		return NewHTTPClient(&Transport{Credentials: StaticToken("t"), Endpoint: mustURL(srv.URL)})
	}
	// Certificates are verified: the test server's is self-signed.
	if err := getErr(client(modern), modern.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("unverified certificate accepted: err = %v", err)
	}

	trusting := func(srv *httptest.Server) *http.Client {
		c := client(srv)
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		tr := c.Transport.(*Transport)
		base, isBase := tr.Base.(*http.Transport)
		if !isBase || base.TLSClientConfig.MinVersion != tls.VersionTLS12 || base.TLSClientConfig.InsecureSkipVerify {
			t.Fatalf("base transport %T, TLS config %+v", tr.Base, base.TLSClientConfig)
		}
		base.TLSClientConfig.RootCAs = pool
		return c
	}
	resp, err := trusting(modern).Get(modern.URL)
	if err != nil {
		t.Fatalf("TLS 1.2+ server with a trusted certificate: %v", err)
	}
	_ = resp.Body.Close()
	if err := getErr(trusting(old), old.URL); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("TLS 1.1 server accepted: err = %v", err)
	}

	c := client(modern)
	if tr := c.Transport.(*Transport); tr.UserAgent != DefaultUserAgent || c.CheckRedirect == nil {
		t.Fatalf("client defaults: UA %q, CheckRedirect set %v", tr.UserAgent, c.CheckRedirect != nil)
	}

	// A password login without a client of the caller's verifies
	// certificates too.
	p, err := NewPassword(PasswordLogin{IAMEndpoint: mustURL(modern.URL), Account: "a", User: "u", Password: "pw-SECRET", ProjectName: "cn-north-4"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ProjectID(t.Context()); err == nil {
		t.Fatal("IAM login accepted an unverified certificate")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("IAM login: err = %v, want a certificate error", err)
	}
}

func TestNewHTTPClientKeepsCallerSettings(t *testing.T) {
	base := &http.Transport{}
	in := &Transport{Credentials: StaticToken("t"), Endpoint: mustURL("https://x"), Base: base, UserAgent: "mine/1.0"}
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

// NewHTTPClient copies the Transport: every exported field must be copied.
func TestNewHTTPClientCopiesEveryField(t *testing.T) {
	now := func() time.Time { return time.Time{} }
	in := &Transport{Credentials: StaticToken("t"), Endpoint: mustURL("https://x"), Base: &http.Transport{}, UserAgent: "ua", Now: now}
	out := NewHTTPClient(in).Transport.(*Transport)
	vin, vout := reflect.ValueOf(in).Elem(), reflect.ValueOf(out).Elem()
	for i := range vin.NumField() {
		f := vin.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		a, b := vin.Field(i), vout.Field(i)
		if a.IsZero() {
			t.Fatalf("test: set field %s", f.Name)
		}
		same := a.Kind() == reflect.Func && a.Pointer() == b.Pointer() ||
			a.Kind() != reflect.Func && a.Interface() == b.Interface()
		if !same {
			t.Errorf("field %s not copied", f.Name)
		}
	}
}

// There is no unauthenticated client: NewHTTPClient(nil) sends nothing.
func TestNewHTTPClientNil(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	if err := getErr(NewHTTPClient(nil), srv.URL); !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("err = %v, want ErrNoCredentials", err)
	}
	if hits.Load() != 0 {
		t.Fatal("an unauthenticated request was sent")
	}
}

// TestBaseTransportClonesTheDefault checks that the base transport is
// http.DefaultTransport's settings with the few overrides a client of one
// host needs, in a copy of its own: changing it changes neither
// http.DefaultTransport nor its TLS settings.
func TestBaseTransportClonesTheDefault(t *testing.T) {
	def := http.DefaultTransport.(*http.Transport)
	b := newBaseTransport()
	if b == def || b.TLSClientConfig == def.TLSClientConfig {
		t.Fatal("the base transport shares http.DefaultTransport or its TLS config")
	}
	if b.Proxy == nil || b.DialContext == nil || b.TLSHandshakeTimeout != def.TLSHandshakeTimeout ||
		b.IdleConnTimeout != def.IdleConnTimeout || b.MaxIdleConns != def.MaxIdleConns || !b.ForceAttemptHTTP2 {
		t.Errorf("the base transport lost a setting of http.DefaultTransport: %+v", b)
	}
	if b.MaxIdleConnsPerHost != 100 || b.ResponseHeaderTimeout != 2*time.Minute || b.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Errorf("overrides: MaxIdleConnsPerHost %d, ResponseHeaderTimeout %s, TLS min %x",
			b.MaxIdleConnsPerHost, b.ResponseHeaderTimeout, b.TLSClientConfig.MinVersion)
	}
}
