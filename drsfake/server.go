package drsfake

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// Server is the fake DRS service: an [http.Handler] that serves the four DRS
// template calls under /v5/ and IAM's POST /v3/auth/tokens and GET
// /v3/projects on one handler. Its ServeHTTP takes every request the same
// way — route, authenticate, validate, faults, handler (pipeline.go) — and
// the handlers behind it implement the generated strict server interfaces of
// both contracts. A Server is safe for concurrent use.
type Server struct {
	clock         Clock
	region        string
	projects      []string
	tasks         *taskSet        // commits add tasks (taskset.go)
	engines       map[string]bool // engines an import may name (taskset.go)
	tokenTTL      time.Duration
	validation    time.Duration // how long a batch job validates
	pending       time.Duration
	running       time.Duration
	pageSizeLimit int

	auth    *authStore // every credential, behind a pointer (see Format)
	store   *store
	batches *batchStore
	faults  *injector
	limiter *limiter
	ids     *randSource
	reqIDs  *randSource
	calls   callCounts // requests per operation (calls.go)

	drs, iam *api
}

var _ http.Handler = (*Server)(nil)

// New returns a fake DRS service configured by opts. Without options it has
// one project with a seeded id, [DefaultGeneratedTasks] seeded tasks and no
// credentials: add some with [WithToken], [WithAccessKey] or [WithUser] (or
// use [NewWithDefaults], which adds working ones).
func New(opts ...Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return newServer(cfg)
}

// newServer builds the Server cfg describes.
func newServer(cfg *config) (*Server, error) {
	setup := newRandSource(cfg.seed, streamSetup)
	if len(cfg.projects) == 0 {
		cfg.projects = []string{setup.hex(32)}
	}
	tasks, order, err := buildTasks(cfg, setup)
	if err != nil {
		return nil, err
	}
	s := &Server{
		clock: cfg.clock, region: cfg.region, projects: slices.Clone(cfg.projects),
		tasks: &taskSet{byID: tasks, order: order}, engines: knownEngines(tasks),
		tokenTTL: cfg.tokenTTL, pending: cfg.pending, running: cfg.running, validation: cfg.validation,
		pageSizeLimit: cfg.pageSizeLimit,
		auth:          newAuthStore(cfg),
		store:         newStore(cfg.retention, cfg.listOrder, cfg.seed),
		batches:       newBatchStore(cfg.retention),
		faults:        &injector{rand: newRandSource(cfg.seed, streamFaults)},
		limiter:       &limiter{},
		ids:           newRandSource(cfg.seed, streamIDs),
		reqIDs:        newRandSource(cfg.seed, streamRequest),
		calls:         newCallCounts(),
	}
	if err := s.faults.set(cfg.faults); err != nil {
		return nil, err
	}
	if err := s.limiter.set(cfg.ratePerSecond, cfg.rateBurst); err != nil {
		return nil, err
	}
	ops := operations{s}
	ctx := context.Background()
	if s.drs, err = newAPI(ctx, drsserver.GetSpec, false, func(a *api) http.Handler { return newDRSServer(ops, a) }); err != nil {
		return nil, err
	}
	if s.iam, err = newAPI(ctx, iamserver.GetSpec, true, func(a *api) http.Handler { return newIAMServer(ops, a) }); err != nil {
		return nil, err
	}
	return s, nil
}

// buildTasks fills in task defaults and generates tasks.
func buildTasks(cfg *config, setup *randSource) (map[string]Task, []string, error) {
	list := slices.Clone(cfg.tasks)
	n := cfg.generatedTasks
	if n < 0 {
		n = 0
		if len(list) == 0 {
			n = DefaultGeneratedTasks
		}
	}
	list = append(list, generateTasks(setup, n, cfg.projects[0], cfg.region)...)
	tasks := make(map[string]Task, len(list))
	order := make([]string, 0, len(list))
	for _, t := range list {
		t = t.clone()
		t.Region = cmp.Or(t.Region, cfg.region)
		t.ProjectID = cmp.Or(t.ProjectID, cfg.projects[0])
		t.Type = cmp.Or(t.Type, "migration")
		if err := t.validate(cfg.projects); err != nil {
			return nil, nil, err
		}
		if _, dup := tasks[t.ID]; dup {
			return nil, nil, fmt.Errorf("drsfake: task id %s given twice", t.ID)
		}
		tasks[t.ID] = t
		order = append(order, t.ID)
	}
	return tasks, order, nil
}
