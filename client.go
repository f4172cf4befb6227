package drstemplate

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
	"github.com/drs-tools/drstemplate/internal/version"
)

// Client exports DRS task creation templates: it starts exports, waits for
// them, lists the template files and downloads them. Make one with [New]
// and share it: it is safe for concurrent use.
type Client struct {
	api       *drsapi.Client
	endpoint  string
	creds     auth.Credentials
	language  *drsapi.Language
	log       *slog.Logger
	retry     RetryPolicy
	now       func() time.Time
	maxTasks  int
	projectID func(context.Context) (string, error)
	jitter    func() float64 // nil: math/rand/v2; set by tests to repeat a run
	maxFile   int64          // 0: MaxTemplateSize; set by tests to reach the bound
}

// New returns a client configured by opts. It needs a region or an
// endpoint; credentials come from [WithCredentials] or, without it, from the
// environment and the SDK's profile file (auth.Chain). New checks every
// option and refuses bad ones; it makes no network call.
func New(opts ...Option) (*Client, error) {
	o := options{retry: mustDefaults(RetryPolicy{}), maxTasks: defaultMaxTasksPerExport}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.httpClient != nil && o.transport != nil {
		return nil, fmt.Errorf("%w: WithHTTPClient and WithTransport both set the transport: give one", ErrInvalidInput)
	}
	if o.region == "" && o.endpoint == "" {
		return nil, fmt.Errorf("%w: set a region (WithRegion) or an endpoint (WithEndpoint)", ErrInvalidInput)
	}
	drsURL, err := endpoint.Config{Region: o.region, DRSEndpoint: o.endpoint}.DRS()
	if err != nil {
		return nil, fmt.Errorf("DRS endpoint: %w", err)
	}
	c := &Client{
		endpoint: drsURL.String(),
		creds:    o.credentials,
		log:      o.logger,
		retry:    o.retry,
		now:      time.Now,
		maxTasks: o.maxTasks,
	}
	if o.clock != nil {
		c.now = o.clock.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if o.language != "" {
		c.language = &o.language
	}
	projectID := o.projectID
	if c.creds == nil {
		found, err := auth.Chain{Region: o.region, ProjectID: projectID}.Resolve()
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		c.creds, projectID = found.Credentials, found.ProjectID
	}
	if c.projectID, err = projectIDSource(projectID, c.creds); err != nil {
		return nil, err
	}

	userAgent := "drstemplate/" + version.Get()
	if o.userAgent != "" {
		userAgent += " " + o.userAgent
	}
	base := o.transport
	if o.httpClient != nil {
		base = o.httpClient.Transport
	}
	hc := auth.NewHTTPClient(&auth.Transport{
		Credentials: c.creds,
		Endpoint:    drsURL,
		Base:        base,
		UserAgent:   userAgent,
		Now:         c.now,
	})
	if o.httpClient != nil {
		hc.Timeout, hc.Jar = o.httpClient.Timeout, o.httpClient.Jar
	}
	stall := o.stall
	if stall == 0 {
		stall = defaultStallTimeout
	}
	hc.Transport = stallGuard{next: hc.Transport, stall: stall}
	c.api, err = drsapi.NewClient(c.endpoint, drsapi.WithHTTPClient(hc), drsapi.WithRequestEditorFn(contentType))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// mustDefaults fills in a policy known to be valid.
func mustDefaults(p RetryPolicy) RetryPolicy {
	p, _ = p.withDefaults()
	return p
}

// contentType sets Content-Type: application/json on every request that
// has none, GETs included: Huawei documents it as mandatory on every call,
// and its SDKs send it. A request that has one keeps it: the import's
// multipart/form-data names the boundary of its parts, and a JSON type on
// it would also make the signer read and hash the streamed body.
func contentType(_ context.Context, req *http.Request) error {
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// projectIDSource returns how the client learns its project id: the one
// configured, else the one the credentials carry or know (a password login
// scoped by region learns it when it logs in). Credentials that carry
// another project than the one configured, or no way to learn one, are an
// error.
func projectIDSource(id string, creds auth.Credentials) (func(context.Context) (string, error), error) {
	var keyProject string
	switch k := creds.(type) {
	case auth.AccessKey:
		keyProject = k.ProjectID
	case *auth.AccessKey:
		if k != nil {
			keyProject = k.ProjectID
		}
	}
	switch {
	case id != "" && keyProject != "" && id != keyProject:
		return nil, fmt.Errorf("%w: the project id %s differs from the access key's project %s, sent as X-Project-Id",
			ErrInvalidInput, id, clip.String(keyProject, 64))
	case id == "" && keyProject != "" && !validProjectID(keyProject):
		return nil, fmt.Errorf("%w: the access key's project id %q: want 32 lower-case hexadecimal characters", ErrInvalidInput, clip.String(keyProject, 64))
	}
	if id = cmp.Or(id, keyProject); id != "" {
		return func(context.Context) (string, error) { return id, nil }, nil
	}
	src, ok := creds.(interface {
		ProjectID(context.Context) (string, error)
	})
	if !ok {
		return nil, fmt.Errorf("%w: %w: set one (WithProjectID, %s or project_id in the profile file)",
			ErrInvalidInput, ErrNoProjectID, auth.EnvProjectID)
	}
	var (
		mu    sync.Mutex
		found string
	)
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if found != "" {
			return found, nil
		}
		id, err := src.ProjectID(ctx)
		if err != nil {
			return "", fmt.Errorf("project id: %w", err)
		}
		if !validProjectID(id) {
			return "", fmt.Errorf("%w: IAM gave project id %q, not 32 hexadecimal characters", ErrUnexpectedResponse, clip.String(id, 64))
		}
		found = id
		return id, nil
	}, nil
}

// Endpoint returns the DRS endpoint the client calls, e.g.
// "https://drs.cn-north-4.myhuaweicloud.com".
func (c *Client) Endpoint() string { return c.endpoint }

// ProjectID returns the project id the client works in, asking IAM for it
// if the credentials are a password login scoped by region.
func (c *Client) ProjectID(ctx context.Context) (string, error) { return c.projectID(ctx) }

// CloseIdleConnections closes the connections the client keeps open for
// later calls, as http.Client.CloseIdleConnections does: for programs and
// tests that check no goroutine outlives them. The client remains usable.
func (c *Client) CloseIdleConnections() {
	if hc, ok := c.api.Client.(*http.Client); ok {
		hc.CloseIdleConnections()
	}
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// apiError reads an error answer into an *APIError. A body that cannot be
// read because the context ended gives the context's error instead: the
// answer was not seen whole.
func (c *Client) apiError(ctx context.Context, op operation, resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%s: reading the HTTP %d answer: %w", op, resp.StatusCode, ctx.Err())
	}
	return newAPIError(op, resp, body)
}

// newAPIError is the *APIError of an error answer whose body (or its
// start) has been read.
func newAPIError(op operation, resp *http.Response, body []byte) *APIError {
	info := huaweierr.ParseResponse(resp, body)
	return &APIError{
		Operation:  op.String(),
		StatusCode: resp.StatusCode,
		Code:       info.Code,
		Message:    info.Message,
		RequestID:  info.RequestID,
		RetryAfter: parseRetryAfter(resp.Header),
		Header:     huaweierr.ScrubHeader(resp),
		Err:        auth.Refusal(resp, body),
	}
}
