package drsfake

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// Server is the fake DRS service: an [http.Handler] that serves the four DRS
// template calls under /v5/ and IAM's POST /v3/auth/tokens and GET
// /v3/projects on one handler.
// It implements the generated strict server interfaces of both APIs
// (drsserver.StrictServerInterface, iamserver.StrictServerInterface); its
// ServeHTTP puts authentication, throttling, fault injection and
// kin-openapi request validation in front of them. A Server is safe for
// concurrent use.
type Server struct {
	clock         Clock
	region        string
	projects      []string
	tasks         map[string]Task
	taskOrder     []string
	users         []IAMUser
	tokenTTL      time.Duration
	pending       time.Duration
	running       time.Duration
	pageSizeLimit int

	auth    *authStore
	store   *store
	faults  *injector
	limiter *limiter
	ids     *randSource
	reqIDs  *randSource

	drs, iam     *validator
	drsMux       *http.ServeMux
	iamMux       *http.ServeMux
	drsHandlerFn http.Handler
	iamHandlerFn http.Handler
}

var (
	_ http.Handler                    = (*Server)(nil)
	_ drsserver.StrictServerInterface = (*Server)(nil)
	_ iamserver.StrictServerInterface = (*Server)(nil)
)

// New returns a fake DRS service configured by opts. Without options it has
// one project with a seeded id, [DefaultGeneratedTasks] seeded tasks and no
// credentials: add some with [WithToken], [WithAccessKey] or [WithUser] (or
// use [Start], which adds working ones).
func New(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	setup := newRandSource(cfg.seed, streamSetup)
	if len(cfg.projects) == 0 {
		cfg.projects = []string{setup.hex(32)}
	}
	tasks, order, err := buildTasks(&cfg, setup)
	if err != nil {
		return nil, err
	}
	s := &Server{
		clock: cfg.clock, region: cfg.region, projects: slices.Clone(cfg.projects),
		tasks: tasks, taskOrder: order, users: slices.Clone(cfg.users),
		tokenTTL: cfg.tokenTTL, pending: cfg.pending, running: cfg.running,
		pageSizeLimit: cfg.pageSizeLimit,
		auth:          newAuthStore(cfg.tokens, cfg.keys),
		store:         newStore(),
		faults:        &injector{rand: newRandSource(cfg.seed, streamFaults)},
		limiter:       &limiter{},
		ids:           newRandSource(cfg.seed, streamIDs),
		reqIDs:        newRandSource(cfg.seed, streamRequest),
	}
	if err := s.faults.set(cfg.faults); err != nil {
		return nil, err
	}
	if err := s.limiter.set(cfg.ratePerSecond, cfg.rateBurst); err != nil {
		return nil, err
	}
	if err := s.buildHandlers(context.Background()); err != nil {
		return nil, err
	}
	return s, nil
}

// buildTasks fills in task defaults, generates tasks and marks failing ones.
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
		if t.Region == "" {
			t.Region = cfg.region
		}
		if t.ProjectID == "" {
			t.ProjectID = cfg.projects[0]
		}
		if t.Type == "" {
			t.Type = "migration"
		}
		if err := t.validate(cfg.projects); err != nil {
			return nil, nil, err
		}
		if _, dup := tasks[t.ID]; dup {
			return nil, nil, fmt.Errorf("drsfake: task id %s given twice", t.ID)
		}
		tasks[t.ID] = t
		order = append(order, t.ID)
	}
	for _, id := range cfg.failing {
		t, ok := tasks[id]
		if !ok {
			return nil, nil, fmt.Errorf("drsfake: WithFailingTasks: %q is not a task of the fake", id)
		}
		t.FailExport = true
		tasks[id] = t
	}
	return tasks, order, nil
}

// buildHandlers prepares the validators and the generated strict servers.
func (s *Server) buildHandlers(ctx context.Context) error {
	var err error
	if s.drs, err = newValidator(ctx, drsapi.GetSpec); err != nil {
		return err
	}
	if s.iam, err = newValidator(ctx, iamapi.GetSpec); err != nil {
		return err
	}
	s.drsMux = http.NewServeMux()
	strict := drsserver.NewStrictHandlerWithOptions(s, nil, drsserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: badDRSRequest, ResponseErrorHandlerFunc: drsResponseFailed,
	})
	s.drsHandlerFn = drsserver.HandlerWithOptions(strict, drsserver.StdHTTPServerOptions{
		BaseRouter: s.drsMux, ErrorHandlerFunc: badDRSRequest,
	})
	s.iamMux = http.NewServeMux()
	istrict := iamserver.NewStrictHandlerWithOptions(s, nil, iamserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: badIAMRequest, ResponseErrorHandlerFunc: iamResponseFailed,
	})
	s.iamHandlerFn = iamserver.HandlerWithOptions(istrict, iamserver.StdHTTPServerOptions{
		BaseRouter: s.iamMux, ErrorHandlerFunc: badIAMRequest,
	})
	return nil
}
