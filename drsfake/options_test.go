package drsfake

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/memnet"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// TestAccessKeyOptionsAgreeWithSigner checks that the fake accepts exactly
// the access key ids the signer can put in an Authorization header, and
// that a key with '=' (which both allow) really works.
func TestAccessKeyOptionsAgreeWithSigner(t *testing.T) {
	for _, ak := range []string{
		"AK", "QTWAOYTTINDUT2QVKYUC", "AK=1", "a=b=", "AK-_.:;/~!", "A,K", "A K", "", "AK\t", "AK\x7f", "AKé",
	} {
		_, err := New(WithAccessKey(ak, "sk"))
		if (err == nil) != sdksign.ValidAccessKey(ak) {
			t.Errorf("WithAccessKey(%q): %v; sdksign.ValidAccessKey says %t", ak, err, sdksign.ValidAccessKey(ak))
		}
		_, err = New(WithTemporaryAccessKey(ak, "sk", "st", time.Time{}))
		if (err == nil) != sdksign.ValidAccessKey(ak) {
			t.Errorf("WithTemporaryAccessKey(%q): %v; sdksign.ValidAccessKey says %t", ak, err, sdksign.ValidAccessKey(ak))
		}
	}
	for _, opt := range []Option{WithAccessKey("AK", ""), WithTemporaryAccessKey("AK", "", "st", time.Time{})} {
		if _, err := New(opt); err == nil {
			t.Error("an empty secret key was accepted")
		}
	}

	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithAccessKey("AK=1", "sk-with-equals"))
	r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.URL+"/v5/"+ts.ProjectID+"/templates", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sdksign.Sign(r, nil, "AK=1", "sk-with-equals", t0); err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a request signed by access key AK=1: status %d, want 200", resp.StatusCode)
	}
}

// TestRegionOptionAgreesWithEndpoint checks that WithRegion accepts exactly
// the region ids endpoint.ValidateRegion does.
func TestRegionOptionAgreesWithEndpoint(t *testing.T) {
	for _, region := range []string{
		"cn-north-4", "ap-southeast-1", "eu-west-101", "x", "a1-b2", strings.Repeat("a", 63),
		strings.Repeat("a", 64), "", "North 4", "cn--north", "-cn", "cn-", "CN-north-4", "cn_north_4",
	} {
		_, err := New(WithRegion(region))
		want := endpoint.ValidateRegion(region)
		if (err == nil) != (want == nil) {
			t.Errorf("WithRegion(%q): %v; endpoint.ValidateRegion says %v", region, err, want)
		}
		if err != nil && !errors.Is(err, endpoint.ErrInvalidRegion) {
			t.Errorf("WithRegion(%q): %v does not wrap endpoint.ErrInvalidRegion", region, err)
		}
	}
}

// TestCodesAreHuaweierrs checks that the codes the fake answers with are the
// ones the client branches on.
func TestCodesAreHuaweierrs(t *testing.T) {
	for _, c := range [][2]string{
		{CodeAuthFailed, huaweierr.CodeAuthFailed},
		{CodeSignatureExpired, huaweierr.CodeSignatureExpired},
		{CodeThrottled, huaweierr.CodeThrottled},
		{CodeInvalidParameter, huaweierr.CodeInvalidParameter},
	} {
		if c[0] != c[1] {
			t.Errorf("drsfake answers %s where huaweierr has %s", c[0], c[1])
		}
	}
}

// TestOperationConstants checks the Op constants in faults.go: each has its
// own doc comment starting with its name, is named Op + its operationId
// (without IAM's Keystone prefix) and is listed by Operations.
func TestOperationConstants(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "faults.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Operation" {
				continue
			}
			for i, name := range vs.Names {
				names = append(names, name.Name)
				if vs.Doc == nil || !strings.HasPrefix(vs.Doc.Text(), name.Name+" ") {
					t.Errorf("%s has no doc comment of its own starting with its name", name.Name)
				}
				value, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				if want := "Op" + strings.TrimPrefix(value, "Keystone"); name.Name != want {
					t.Errorf("the constant for operationId %s is %s, want %s", value, name.Name, want)
				}
			}
		}
	}
	var listed []string
	for _, op := range allOperations() {
		listed = append(listed, "Op"+strings.TrimPrefix(string(op), "Keystone"))
	}
	slices.Sort(names)
	slices.Sort(listed)
	if !slices.Equal(names, listed) {
		t.Errorf("constants %v, allOperations() %v", names, listed)
	}
}

// TestLatencyEndsWithTheServer checks that a request held by injected
// latency ends as soon as its context is cancelled by the server stopping
// (an http.Server whose BaseContext is cancelled, as drstemplate fake-server
// does), and that it then gets no answer rather than an empty 200. It runs
// in a synctest bubble: the minute of latency is not waited for.
func TestLatencyEndsWithTheServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := mustNew(t, WithToken("tok"), WithFaults(Faults{All: FaultRates{Latency: time.Minute, LatencyRate: 1}}))
		base, stop := context.WithCancel(context.Background())
		defer stop()
		ln := memnet.Listen()
		srv := &http.Server{Handler: s, BaseContext: func(net.Listener) context.Context { return base }}
		go func() { _ = srv.Serve(ln) }()
		defer func() { _ = srv.Close() }()

		hc := &http.Client{Transport: &http.Transport{DialContext: ln.DialContext}}
		defer hc.CloseIdleConnections()
		r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://fake/v5/"+s.ProjectIDs()[0]+"/templates", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Auth-Token", "tok")
		type result struct {
			status int
			err    error
		}
		done := make(chan result, 1)
		go func() {
			resp, err := hc.Do(r)
			if err != nil {
				done <- result{err: err}
				return
			}
			_ = resp.Body.Close()
			done <- result{status: resp.StatusCode}
		}()
		synctest.Wait() // the request waits out its latency
		select {
		case res := <-done:
			t.Fatalf("answered before the latency passed: %+v", res)
		default:
		}
		start := time.Now()
		stop()
		synctest.Wait()
		select {
		case res := <-done:
			if res.err == nil {
				t.Errorf("the request held by latency was answered %d after the server stopped; want no answer", res.status)
			}
		default:
			t.Fatal("the request held by latency did not end when the server stopped")
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("the request ended %v after the server stopped", d)
		}
	})
}

// TestRandomCredentials checks that RandomCredentials are shaped like the
// seeded ones, differ on every call, and work.
func TestRandomCredentials(t *testing.T) {
	a, b, def := RandomCredentials(), RandomCredentials(), DefaultCredentials(1)
	for _, c := range []struct {
		name      string
		a, b, def string
	}{
		{"token", a.Token, b.Token, def.Token},
		{"access key", a.AccessKey, b.AccessKey, def.AccessKey},
		{"secret key", a.SecretKey, b.SecretKey, def.SecretKey},
		{"password", a.User.Password, b.User.Password, def.User.Password},
	} {
		if c.a == c.b || c.a == c.def {
			t.Errorf("two random %ss are equal, or one is the seed-1 one", c.name)
		}
		if len(c.a) != len(c.def) {
			t.Errorf("a random %s has %d characters, the seeded one %d", c.name, len(c.a), len(c.def))
		}
	}
	if !strings.HasPrefix(a.Token, "MIIdrsfake") || strings.Trim(a.AccessKey, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" ||
		a.User.Account != def.User.Account || a.User.Name != def.User.Name {
		t.Error("random credentials are not shaped like the seeded ones")
	}
	ts := start(t, WithToken(a.Token), WithAccessKey(a.AccessKey, a.SecretKey), WithUser(a.User.Account, a.User.Name, a.User.Password))
	if ts.Credentials != a {
		t.Error("Start does not report the random credentials it was given")
	}
}
