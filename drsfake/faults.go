package drsfake

import (
	"cmp"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Operation names an operation of the fake, by its OpenAPI operationId. The
// constants are named Op + the operationId, without the Keystone prefix of
// IAM's operations.
type Operation string

// The operations of the fake.
const (
	// OpExportCreationTemplate is DRS's POST
	// /v5/{project_id}/jobs/export/template, which starts an export.
	OpExportCreationTemplate Operation = "ExportCreationTemplate"
	// OpShowExportProgress is DRS's GET
	// /v5/{project_id}/jobs/{async_job_id}/export/progress.
	OpShowExportProgress Operation = "ShowExportProgress"
	// OpListTemplates is DRS's GET /v5/{project_id}/templates.
	OpListTemplates Operation = "ListTemplates"
	// OpDownloadCreateTemplate is DRS's POST
	// /v5/{project_id}/templates/download.
	OpDownloadCreateTemplate Operation = "DownloadCreateTemplate"
	// OpDownloadBatchCreateTemplate is DRS's GET
	// /v5/{project_id}/jobs/template, the blank batch-import template.
	OpDownloadBatchCreateTemplate Operation = "DownloadBatchCreateTemplate"
	// OpImportBatchCreateJobs is DRS's POST /v5/{project_id}/jobs/template,
	// the multipart upload of a filled workbook.
	OpImportBatchCreateJobs Operation = "ImportBatchCreateJobs"
	// OpListAsyncJobs is DRS's GET /v5/{project_id}/batch-async-jobs.
	OpListAsyncJobs Operation = "ListAsyncJobs"
	// OpListAsyncJobDetail is DRS's GET
	// /v5/{project_id}/batch-async-jobs/{async_job_id}.
	OpListAsyncJobDetail Operation = "ListAsyncJobDetail"
	// OpCommitAsyncJob is DRS's POST
	// /v5/{project_id}/batch-async-jobs/{async_job_id}/commit.
	OpCommitAsyncJob Operation = "CommitAsyncJob"
	// OpCreateUserTokenByPassword is IAM's POST /v3/auth/tokens, the
	// password login (operationId KeystoneCreateUserTokenByPassword).
	OpCreateUserTokenByPassword Operation = "KeystoneCreateUserTokenByPassword"
	// OpListProjects is IAM's GET /v3/projects, the project lookup
	// (operationId KeystoneListProjects).
	OpListProjects Operation = "KeystoneListProjects"
)

// allOperations returns every operation of the fake.
func allOperations() []Operation {
	return []Operation{
		OpExportCreationTemplate, OpShowExportProgress, OpListTemplates, OpDownloadCreateTemplate,
		OpDownloadBatchCreateTemplate, OpImportBatchCreateJobs, OpListAsyncJobs, OpListAsyncJobDetail, OpCommitAsyncJob,
		OpCreateUserTokenByPassword, OpListProjects,
	}
}

// FaultRates are the probabilities of the faults injected into one
// operation. The five outcome probabilities must add up to at most 1; one
// draw per request picks at most one of them.
type FaultRates struct {
	// InternalError answers 500 (DRS.M00500).
	InternalError float64
	// Unavailable answers 503 (DRS.M00503).
	Unavailable float64
	// Throttle answers 429 APIG.0308 with Retry-After.
	Throttle float64
	// Reset sends the status line, headers and half the body, then resets
	// the TCP connection.
	Reset float64
	// Truncate declares the full Content-Length, sends half the body and
	// closes the connection.
	Truncate float64
	// Latency is real time added, with probability LatencyRate, before the
	// request is handled. The wait ends early when the request's context is
	// cancelled, and the request then gets no answer (its connection is
	// closed): when the client gives up, or when the server stops if its
	// http.Server cancels request contexts on shutdown (Shutdown alone waits
	// for handlers without cancelling them; give the http.Server a
	// BaseContext that you cancel first, as drstemplate fake-server does).
	Latency time.Duration
	// LatencyRate is the probability that Latency is added.
	LatencyRate float64
}

func (f FaultRates) zero() bool { return f == FaultRates{} }

func (f FaultRates) validate() error {
	for _, p := range []float64{f.InternalError, f.Unavailable, f.Throttle, f.Reset, f.Truncate, f.LatencyRate} {
		if !(p >= 0 && p <= 1) { // also refuses NaN
			return fmt.Errorf("drsfake: fault probability %v is not in [0, 1]", p)
		}
	}
	sum := f.InternalError + f.Unavailable + f.Throttle + f.Reset + f.Truncate
	if sum > 1+1e-9 {
		return fmt.Errorf("drsfake: fault probabilities add up to %v, more than 1", sum)
	}
	if f.Latency < 0 || f.Latency > time.Hour {
		return fmt.Errorf("drsfake: latency %v is not in [0, 1h]", f.Latency)
	}
	return nil
}

// Faults configures fault injection. Decisions are drawn from the fake's
// seeded random source (see [WithSeed]): the n-th request that is subject to
// faults gets the n-th draw, so a sequential run repeats exactly.
type Faults struct {
	// All applies to every operation without an entry in PerOperation.
	All FaultRates
	// PerOperation overrides All for single operations.
	PerOperation map[Operation]FaultRates
	// RetryAfter is the Retry-After of injected 429s, rounded up to whole
	// seconds (default 3s, within Huawei's advice of 2 to 5 s).
	RetryAfter time.Duration
}

// defaultRetryAfter is the Retry-After of injected 429s without
// Faults.RetryAfter.
const defaultRetryAfter = 3 * time.Second

func (f Faults) validate() error {
	if err := f.All.validate(); err != nil {
		return err
	}
	for op, r := range f.PerOperation {
		if !slices.Contains(allOperations(), op) {
			return fmt.Errorf("drsfake: unknown operation %q", op)
		}
		if err := r.validate(); err != nil {
			return fmt.Errorf("%w (operation %s)", err, op)
		}
	}
	if f.RetryAfter < 0 {
		return fmt.Errorf("drsfake: negative RetryAfter %v", f.RetryAfter)
	}
	return nil
}

func (f Faults) rates(op Operation) FaultRates {
	if r, ok := f.PerOperation[op]; ok {
		return r
	}
	return f.All
}

// faultKind is the outcome of one draw.
type faultKind int

const (
	faultNone faultKind = iota
	faultInternal
	faultUnavailable
	faultThrottle
	faultReset
	faultTruncate
)

// decision is what the injector decided for one request.
type decision struct {
	kind       faultKind
	latency    time.Duration
	retryAfter int
}

// injector holds the current fault configuration and the seeded draws.
type injector struct {
	mu     sync.Mutex
	faults Faults
	rand   *randSource
}

func (in *injector) set(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	f.PerOperation = maps.Clone(f.PerOperation)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.faults = f
	return nil
}

// decide draws the faults of one request of op.
func (in *injector) decide(op Operation) decision {
	in.mu.Lock()
	f := in.faults
	r := f.rates(op)
	in.mu.Unlock()
	if r.zero() {
		return decision{}
	}
	u := in.rand.float64s(2)
	retryAfter := cmp.Or(f.RetryAfter, defaultRetryAfter)
	d := decision{retryAfter: int((retryAfter + time.Second - 1) / time.Second)}
	if u[1] < r.LatencyRate {
		d.latency = r.Latency
	}
	x := u[0]
	for _, c := range []struct {
		p    float64
		kind faultKind
	}{
		{r.InternalError, faultInternal}, {r.Unavailable, faultUnavailable}, {r.Throttle, faultThrottle},
		{r.Reset, faultReset}, {r.Truncate, faultTruncate},
	} {
		if x < c.p {
			d.kind = c.kind
			return d
		}
		x -= c.p
	}
	return d
}

// wait sleeps for d of real time unless the request is cancelled first; it
// reports whether the full time passed.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// abandon ends a request that will not be answered (its context was
// cancelled) by closing its connection, so that a client still waiting sees
// the connection end rather than an empty 200. Where the connection cannot be
// taken over (HTTP/2, a ResponseWriter without a connection) it does
// nothing.
func abandon(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// sendBroken sends the status, header (with the full Content-Length) and
// half of body, then breaks the connection:
// with a TCP reset for faultReset, a plain close for faultTruncate. Where the
// connection cannot be taken over (HTTP/2, or a ResponseWriter without a
// connection) it aborts the response with http.ErrAbortHandler, as net/http
// intends.
func sendBroken(w http.ResponseWriter, status int, header http.Header, body []byte, kind faultKind) {
	header.Set("Content-Length", strconv.Itoa(len(body)))
	header.Set("Connection", "close")
	half := body[:len(body)/2]

	rc := http.NewResponseController(w)
	conn, brw, err := rc.Hijack()
	if err != nil {
		maps.Copy(w.Header(), header)
		w.WriteHeader(status)
		_, _ = w.Write(half)
		_ = rc.Flush()
		panic(http.ErrAbortHandler)
	}
	defer func() { _ = conn.Close() }() // the client sees the break
	bw := brw.Writer
	_, _ = fmt.Fprintf(bw, "HTTP/1.1 %03d %s\r\n", status, http.StatusText(status))
	_ = header.Write(bw)
	_, _ = bw.WriteString("\r\n")
	_, _ = bw.Write(half)
	_ = bw.Flush()
	if kind == faultReset {
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with RST instead of FIN
		}
	}
}
