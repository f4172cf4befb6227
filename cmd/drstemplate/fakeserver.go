package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/endpoint"
)

// fakeServerFlags are the flags of `drstemplate fake-server`.
type fakeServerFlags struct {
	addr           string
	allowRemote    bool
	projectIDs     []string
	region         string
	token          string
	ak, sk         string
	securityToken  string
	iamAccount     string
	iamUser        string
	iamPassword    string
	tasks          int
	failTasks      []string
	exportDuration time.Duration
	tokenTTL       time.Duration
	pageSizeLimit  int
	seed           uint64
	seedSet        bool // --seed was given
	faults         drsfake.FaultRates
	retryAfter     time.Duration
	rateLimit      float64
	rateBurst      int
}

func newFakeServerCommand(g *globals) *cobra.Command {
	var f fakeServerFlags
	cmd := &cobra.Command{
		Use:   "fake-server",
		Short: "Run a fake DRS service on loopback",
		Long: `Run a fake Huawei Cloud DRS service (drsfake) until interrupted (Ctrl-C or SIGTERM).

It serves the four DRS template calls under /v5/ and IAM's POST /v3/auth/tokens,
checks X-Auth-Token and AK/SK signatures like the real gateway, runs exports
pending → running → success over --export-duration, and writes real .xlsx files.

On start it prints the base URL, the project id, the task ids, the credentials
it accepts, "export" lines to paste into a shell so that drstemplate (and
Huawei's SDKs) use the fake, and a curl command; with -o json, one JSON object
with the same (docs/cli-json.md). When it stops, it prints the calls it
received per operation (on stderr with -o json). Printing credentials is
intended: they are made-up test credentials of this fake (seeded by --seed
unless given), never real ones. It listens on loopback only, unless --allow-remote.

With --allow-remote and without --seed, the credentials not given by flags
are random (crypto/rand, new on every start) instead of seeded: the seeded
ones are the same everywhere (the documentation prints those of seed 1), so
anyone who can reach the fake could use them.`,
		Example: `  drstemplate fake-server
  drstemplate fake-server --addr 127.0.0.1:9000 --tasks 5 --export-duration 10s
  drstemplate fake-server --fault-503 0.2 --fault-429 0.1 --latency 200ms --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.seedSet = cmd.Flags().Changed("seed")
			return runFakeServer(cmd.Context(), cmd, g, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --addr (the fake has no real security); without --seed, credentials not given are random")
	fl.StringSliceVar(&f.projectIDs, "project-id", nil, "project id(s), 32 lower-case hex characters (default: seeded)")
	fl.StringVar(&f.region, "region", drsfake.DefaultRegion, "region; also the IAM project name of the first project")
	fl.StringVar(&f.token, "token", "", "accepted X-Auth-Token (default: seeded)")
	fl.StringVar(&f.ak, "ak", "", "accepted access key (with --sk; default: seeded)")
	fl.StringVar(&f.sk, "sk", "", "secret key of --ak")
	fl.StringVar(&f.securityToken, "security-token", "", "make --ak/--sk temporary credentials needing this X-Security-Token")
	fl.StringVar(&f.iamAccount, "iam-account", "", "IAM account (domain) name of the login user (default: drsfake-account)")
	fl.StringVar(&f.iamUser, "iam-user", "", "IAM user name (default: drsfake-user)")
	fl.StringVar(&f.iamPassword, "iam-password", "", "IAM user password (default: seeded)")
	fl.IntVar(&f.tasks, "tasks", drsfake.DefaultGeneratedTasks, "number of seeded DRS tasks")
	fl.StringSliceVar(&f.failTasks, "fail-task", nil, "task id(s) whose exports end failed")
	durationVar(fl, &f.exportDuration, "export-duration", 5*time.Second, "time from export to success (1/5 pending, 4/5 running)")
	durationVar(fl, &f.tokenTTL, "token-ttl", drsfake.DefaultTokenTTL, "lifetime of IAM-issued tokens")
	fl.IntVar(&f.pageSizeLimit, "page-size-limit", drsfake.DefaultPageSizeLimit, "most files ListTemplates returns per page")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of ids, generated credentials and fault draws (with --allow-remote, credentials are random unless --seed is given)")
	fl.Float64Var(&f.faults.InternalError, "fault-500", 0, "probability of 500 DRS.M00500 per request")
	fl.Float64Var(&f.faults.Unavailable, "fault-503", 0, "probability of 503 DRS.M00503 per request")
	fl.Float64Var(&f.faults.Throttle, "fault-429", 0, "probability of 429 APIG.0308 (with Retry-After) per request")
	fl.Float64Var(&f.faults.Reset, "fault-reset", 0, "probability of a connection reset mid-response")
	fl.Float64Var(&f.faults.Truncate, "fault-truncate", 0, "probability of a truncated body")
	durationVar(fl, &f.faults.Latency, "latency", 0, "real time added to requests")
	fl.Float64Var(&f.faults.LatencyRate, "latency-rate", 1, "probability that --latency is added")
	durationVar(fl, &f.retryAfter, "retry-after", 3*time.Second, "Retry-After of injected 429s")
	fl.Float64Var(&f.rateLimit, "rate-limit", 0, "requests per second allowed per project (0: unlimited)")
	fl.IntVar(&f.rateBurst, "rate-burst", 10, "burst allowed by --rate-limit")
	return cmd
}

// options turns the flags into drsfake options and the credentials to print.
// Credentials not given by flags are the seeded ones, or random ones for a
// fake other machines can reach (--allow-remote) unless --seed was given.
func (f *fakeServerFlags) options() ([]drsfake.Option, drsfake.Credentials, error) {
	creds := drsfake.DefaultCredentials(f.seed)
	if f.allowRemote && !f.seedSet {
		creds = drsfake.RandomCredentials()
	}
	if f.token != "" {
		creds.Token = f.token
	}
	switch {
	case (f.ak == "") != (f.sk == ""):
		return nil, creds, errors.New("--ak and --sk go together")
	case f.ak != "":
		creds.AccessKey, creds.SecretKey = f.ak, f.sk
	}
	if f.iamAccount != "" {
		creds.User.Account = f.iamAccount
	}
	if f.iamUser != "" {
		creds.User.Name = f.iamUser
	}
	if f.iamPassword != "" {
		creds.User.Password = f.iamPassword
	}
	if f.exportDuration < 0 {
		return nil, creds, errors.New("--export-duration must not be negative")
	}
	if f.tasks < 0 {
		return nil, creds, errors.New("--tasks must not be negative")
	}
	faults := f.faults
	if faults.Latency == 0 {
		faults.LatencyRate = 0
	}
	pending := f.exportDuration / 5
	opts := []drsfake.Option{
		drsfake.WithSeed(f.seed),
		drsfake.WithRegion(f.region),
		drsfake.WithGeneratedTasks(f.tasks),
		drsfake.WithExportTimings(pending, f.exportDuration-pending),
		drsfake.WithTokenTTL(f.tokenTTL),
		drsfake.WithPageSizeLimit(f.pageSizeLimit),
		drsfake.WithToken(creds.Token),
		drsfake.WithUser(creds.User.Account, creds.User.Name, creds.User.Password),
		drsfake.WithFaults(drsfake.Faults{All: faults, RetryAfter: f.retryAfter}),
		drsfake.WithRateLimit(f.rateLimit, f.rateBurst),
	}
	if len(f.projectIDs) > 0 {
		opts = append(opts, drsfake.WithProjectID(f.projectIDs...))
	}
	if f.securityToken != "" {
		opts = append(opts, drsfake.WithTemporaryAccessKey(creds.AccessKey, creds.SecretKey, f.securityToken, time.Time{}))
	} else {
		opts = append(opts, drsfake.WithAccessKey(creds.AccessKey, creds.SecretKey))
	}
	if len(f.failTasks) > 0 {
		failing, err := failingTasks(opts, f.failTasks)
		if err != nil {
			return nil, creds, err
		}
		opts = append(opts, drsfake.WithGeneratedTasks(0), drsfake.WithTasks(failing...))
	}
	return opts, creds, nil
}

// failingTasks returns the tasks a fake built with opts generates, those
// named in ids marked to fail their exports (drsfake's Task.FailExport):
// given back with WithTasks and no generated tasks, they make the same fake
// with failing tasks.
func failingTasks(opts []drsfake.Option, ids []string) ([]drsfake.Task, error) {
	fake, err := drsfake.New(opts...)
	if err != nil {
		return nil, err
	}
	tasks := fake.Tasks()
	for _, id := range ids {
		i := slices.IndexFunc(tasks, func(t drsfake.Task) bool { return t.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("--fail-task %q is not a task of the fake (see --tasks and --seed)", id)
		}
		tasks[i].FailExport = true
	}
	return tasks, nil
}

// checkLoopback refuses to listen beyond this machine unless allowed.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if allowRemote || endpoint.IsLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("--addr %q is not a loopback address; the fake accepts made-up credentials, so pass --allow-remote to listen there anyway", addr)
}

func runFakeServer(ctx context.Context, cmd *cobra.Command, g *globals, f *fakeServerFlags) error {
	if err := checkLoopback(f.addr, f.allowRemote); err != nil {
		return err
	}
	opts, creds, err := f.options()
	if err != nil {
		return err
	}
	fake, err := drsfake.New(opts...)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", f.addr, err)
	}
	// Shutdown waits for handlers but does not cancel their contexts, and a
	// request held by --latency waits on its context: cancel them all first
	// so that stopping is prompt (such requests get no answer).
	base, stopRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRequests()
	srv := newHTTPServer(fake, base)
	// The server's own lines (a handler that panicked, a TLS or accept
	// error) to stderr as log records, values quoted: the process's
	// standard logger goes nowhere (see main).
	srv.ErrorLog = slog.NewLogLogger(slog.NewTextHandler(cmd.ErrOrStderr(), nil), slog.LevelWarn)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	banner := newFakeBanner("http://"+ln.Addr().String(), fake, creds, f.securityToken)
	if err := printOutput(cmd.OutOrStdout(), g, banner); err != nil {
		return fmt.Errorf("printing the banner: %w", err)
	}

	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	stopRequests()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("stopping: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	stoppedTo := cmd.OutOrStdout()
	if g.json() {
		stoppedTo = cmd.ErrOrStderr() // stdout holds one JSON object
	}
	_, _ = fmt.Fprintln(stoppedTo, callsLine(fake.Calls()))
	_, _ = fmt.Fprintln(stoppedTo, "drsfake: stopped")
	return nil
}

// callsLine is the line fake-server prints when it stops: the requests it
// received per operation (drsfake's Calls), as "drsfake: calls:" and then
// operation=count pairs sorted by operation, or "none".
// internal/benchproc reads it back.
func callsLine(calls map[drsfake.Operation]int64) string {
	var b strings.Builder
	b.WriteString("drsfake: calls:")
	ops := slices.Sorted(maps.Keys(calls))
	for _, op := range ops {
		fmt.Fprintf(&b, " %s=%d", op, calls[op])
	}
	if len(ops) == 0 {
		b.WriteString(" none")
	}
	return b.String()
}

// Limits of the fake's HTTP server: what a stalled, idle or oversized
// connection may hold. A request body is bounded by drsfake itself (by the
// contract's limits, and read only once authenticated).
const (
	readHeaderTimeout = 10 * time.Second // the request line and headers
	readTimeout       = 30 * time.Second // the whole request, body included
	idleTimeout       = 60 * time.Second // a kept-alive connection between requests
	maxHeaderBytes    = 64 << 10         // the request line and headers
)

// newHTTPServer returns the HTTP server of fake-server: the fake as its
// handler, with base as every request's context, and the limits above. It
// sets no WriteTimeout: answers may be held back by --latency, and
// downloads stream.
func newHTTPServer(fake http.Handler, base context.Context) *http.Server {
	return &http.Server{
		Handler:           fake,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// OPTIONS * is the fake's to answer (404 in JSON), not net/http's.
		DisableGeneralOptionsHandler: true,
		BaseContext:                  func(net.Listener) context.Context { return base },
	}
}
