package drsfake

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/internal/memnet"
)

// TestFaultStatistics sends 2000 requests with 10% each of 500, 503 and 429
// and checks the observed rates for the fixed seed.
func TestFaultStatistics(t *testing.T) {
	s := mustNew(t, WithSeed(42), WithToken("tok"), WithFaults(Faults{All: FaultRates{InternalError: 0.1, Unavailable: 0.1, Throttle: 0.1}}))
	target := "/v5/" + s.ProjectIDs()[0] + "/templates"
	const n = 2000
	counts := map[int]int{}
	for range n {
		w := serve(s, "GET", target, "tok", "")
		counts[w.Code]++
		if w.Code != 200 {
			e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes())
			want := map[int]string{500: CodeInternalError, 503: CodeServiceUnavailable, 429: CodeThrottled}[w.Code]
			if e.ErrorCode != want {
				t.Fatalf("%d with code %s", w.Code, e.ErrorCode)
			}
			if w.Code == 429 && w.Header().Get("Retry-After") != "3" {
				t.Fatalf("429 with Retry-After %q", w.Header().Get("Retry-After"))
			}
		}
	}
	for status, p := range map[int]float64{500: 0.1, 503: 0.1, 429: 0.1, 200: 0.7} {
		got := float64(counts[status]) / n
		if math.Abs(got-p) > 0.025 {
			t.Errorf("status %d: rate %.3f, want %.2f ± 0.025", status, got, p)
		}
	}
	if len(counts) != 4 {
		t.Errorf("statuses %v", counts)
	}
	t.Logf("seed 42, %d requests: %v", n, counts)
}

// TestFaultDecisions checks the draws directly, latency included.
func TestFaultDecisions(t *testing.T) {
	in := &injector{rand: newRandSource(5, streamFaults)}
	if err := in.set(Faults{All: FaultRates{Reset: 0.2, Truncate: 0.3, Latency: time.Millisecond, LatencyRate: 0.4}, RetryAfter: 4500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	const n = 4000
	kinds := map[faultKind]int{}
	slow := 0
	for range n {
		d := in.decide(OpDownloadCreateTemplate)
		kinds[d.kind]++
		if d.latency > 0 {
			slow++
		}
		if d.retryAfter != 5 {
			t.Fatalf("retryAfter %d, want 5 (4.5s rounded up)", d.retryAfter)
		}
	}
	for kind, p := range map[faultKind]float64{faultReset: 0.2, faultTruncate: 0.3, faultNone: 0.5} {
		if got := float64(kinds[kind]) / n; math.Abs(got-p) > 0.025 {
			t.Errorf("kind %d: rate %.3f, want %.2f", kind, got, p)
		}
	}
	if got := float64(slow) / n; math.Abs(got-0.4) > 0.025 {
		t.Errorf("latency rate %.3f, want 0.4", got)
	}
}

// TestFaultsDeterministic checks that a seed fixes the sequence of outcomes.
func TestFaultsDeterministic(t *testing.T) {
	run := func(seed uint64) string {
		s := mustNew(t, WithSeed(seed), WithToken("tok"), WithFaults(Faults{All: FaultRates{InternalError: 0.3, Throttle: 0.2}}))
		var b strings.Builder
		for range 200 {
			b.WriteString(http.StatusText(serve(s, "GET", "/v5/"+s.ProjectIDs()[0]+"/templates", "tok", "").Code)[:1])
		}
		return b.String()
	}
	a, b, c := run(9), run(9), run(10)
	if a != b {
		t.Errorf("same seed, different outcomes:\n%s\n%s", a, b)
	}
	if a == c {
		t.Error("different seeds, same outcomes")
	}
}

// TestFaultsPerOperationAtRuntime changes the faults while the server runs.
func TestFaultsPerOperationAtRuntime(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	p := s.ProjectIDs()[0]
	list := func() int { return serve(s, "GET", "/v5/"+p+"/templates", "tok", "").Code }
	progress := func() int { return serve(s, "GET", "/v5/"+p+"/jobs/x/export/progress", "tok", "").Code }
	if list() != 200 {
		t.Fatal("no faults yet")
	}
	f := Faults{PerOperation: map[Operation]FaultRates{OpListTemplates: {Unavailable: 1}}}
	if err := s.SetFaults(f); err != nil {
		t.Fatal(err)
	}
	f.PerOperation[OpListTemplates] = FaultRates{} // the server keeps its own copy
	if list() != 503 || progress() != 404 {
		t.Error("per-operation fault not applied to its operation only")
	}
	if err := s.SetFaults(Faults{}); err != nil || list() != 200 {
		t.Error("faults not turned off")
	}
	// IAM is subject to faults too, with IAM-shaped bodies.
	if err := s.SetFaults(Faults{PerOperation: map[Operation]FaultRates{OpCreateUserTokenByPassword: {Throttle: 1}}}); err != nil {
		t.Fatal(err)
	}
	w := serve(s, "POST", "/v3/auth/tokens", "", passwordLogin("a", "u", "p", s.ProjectIDs()[0]))
	if w.Code != 429 || !strings.Contains(w.Body.String(), `"code":429`) || w.Header().Get("Retry-After") == "" {
		t.Errorf("IAM fault: %d %s", w.Code, w.Body)
	}
}

// TestFaultConfigValidated checks the refusal of impossible configurations.
func TestFaultConfigValidated(t *testing.T) {
	s := mustNew(t)
	for _, f := range []Faults{
		{All: FaultRates{InternalError: 1.5}},
		{All: FaultRates{InternalError: 0.6, Unavailable: 0.6}},
		{All: FaultRates{Throttle: math.NaN()}},
		{All: FaultRates{Latency: -time.Second, LatencyRate: 1}},
		{All: FaultRates{LatencyRate: 2}},
		{PerOperation: map[Operation]FaultRates{"Nope": {}}},
		{PerOperation: map[Operation]FaultRates{OpListTemplates: {Reset: -0.1}}},
		{RetryAfter: -time.Second},
	} {
		if err := s.SetFaults(f); err == nil {
			t.Errorf("SetFaults(%+v) accepted", f)
		}
		if _, err := New(WithFaults(f)); err == nil {
			t.Errorf("WithFaults(%+v) accepted", f)
		}
	}
}

// TestLatencyIsRealAndInterruptible checks that added latency delays the
// answer by exactly its duration and that the wait ends when the client
// gives up. It runs in a synctest bubble, whose clock moves only when every
// goroutine waits.
func TestLatencyIsRealAndInterruptible(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := mustNew(t, WithToken("tok"), WithFaults(Faults{All: FaultRates{Latency: 50 * time.Millisecond, LatencyRate: 1}}))
		returned := make(chan struct{}, 2) // one per request the handler has finished with
		ln := memnet.Listen()
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() { returned <- struct{}{} }()
			s.ServeHTTP(w, r)
		})}
		go func() { _ = srv.Serve(ln) }()
		defer func() { _ = srv.Close() }()
		hc := &http.Client{Transport: &http.Transport{DialContext: ln.DialContext}}
		defer hc.CloseIdleConnections()
		list := func(ctx context.Context) (int, error) {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://fake/v5/"+s.ProjectIDs()[0]+"/templates", nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("X-Auth-Token", "tok")
			resp, err := hc.Do(r)
			if err != nil {
				return 0, err
			}
			_ = resp.Body.Close()
			return resp.StatusCode, nil
		}

		start := time.Now()
		if status, err := list(context.Background()); err != nil || status != 200 {
			t.Fatalf("%d %v", status, err)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("answered after %v, want the latency of 50ms", d)
		}
		<-returned

		if err := s.SetFaults(Faults{All: FaultRates{Latency: time.Minute, LatencyRate: 1}}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		start = time.Now()
		if _, err := list(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v, want the client's deadline", err)
		}
		synctest.Wait()
		select {
		case <-returned:
		default:
			t.Fatal("the handler kept waiting after the client left")
		}
		if d := time.Since(start); d != 30*time.Millisecond {
			t.Errorf("the request took %v, want the client's 30ms", d)
		}
	})
}

// TestBrokenConnections checks connection resets and truncated bodies as a
// client sees them.
func TestBrokenConnections(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithExportTimings(0, 0))
	h := &exportHarness{t: t, ts: ts, c: drsClient(t, ts, ts.Token), clock: clock}
	h.export(ts.TaskIDs...)
	file := names(h.list(nil, nil))[0]
	type answer struct {
		status        int
		contentLength int64
	}
	get := func(op Operation, kind string) (*answer, []byte, error) {
		rates := FaultRates{Reset: 1}
		if kind == "truncate" {
			rates = FaultRates{Truncate: 1}
		}
		if err := ts.SetFaults(Faults{PerOperation: map[Operation]FaultRates{op: rates}}); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = ts.SetFaults(Faults{}) }()
		var req *http.Request
		if op == OpDownloadCreateTemplate {
			req, _ = http.NewRequest(http.MethodPost, ts.URL+"/v5/"+ts.ProjectID+"/templates/download", strings.NewReader(`{"files":["`+file+`"]}`))
		} else {
			req, _ = http.NewRequest(http.MethodGet, ts.URL+"/v5/"+ts.ProjectID+"/templates", nil)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", ts.Token)
		resp, err := ts.Client().Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(resp.Body)
		return &answer{resp.StatusCode, resp.ContentLength}, b, err
	}
	for _, op := range []Operation{OpListTemplates, OpDownloadCreateTemplate} {
		t.Run(string(op)+"/truncate", func(t *testing.T) {
			resp, b, err := get(op, "truncate")
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("reading the body: %v, want unexpected EOF", err)
			}
			if resp.status != http.StatusOK || resp.contentLength <= 0 || int64(len(b)) != resp.contentLength/2 {
				t.Errorf("status %d, Content-Length %d, got %d bytes; want half", resp.status, resp.contentLength, len(b))
			}
		})
		t.Run(string(op)+"/reset", func(t *testing.T) {
			_, _, err := get(op, "reset")
			if err == nil {
				t.Fatal("the client read a whole answer through a reset connection")
			}
			t.Logf("client saw: %v", err)
		})
	}
	// Without a connection to take over, the response is aborted the way
	// net/http means: with http.ErrAbortHandler.
	if err := ts.SetFaults(Faults{All: FaultRates{Reset: 1}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r, _ := recover().(error); !errors.Is(r, http.ErrAbortHandler) {
			t.Errorf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	serve(ts.Server, "GET", "/v5/"+ts.ProjectID+"/templates", ts.Token, "")
	t.Error("the response was not aborted")
}
