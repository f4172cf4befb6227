package drsfake

import (
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// Defaults used by [New] for anything its options leave open.
const (
	// DefaultRegion is the region whose name scopes IAM logins by project name.
	DefaultRegion = "cn-north-4"
	// DefaultTokenTTL is the lifetime of tokens issued by POST /v3/auth/tokens.
	DefaultTokenTTL = 24 * time.Hour
	// DefaultPageSizeLimit caps the limit of ListTemplates; larger limits
	// are served with this many records (the contract allows fewer).
	DefaultPageSizeLimit = 100
	// DefaultGeneratedTasks is the number of tasks seeded when no task
	// option is given.
	DefaultGeneratedTasks = 3
)

// Further defaults, documented with the options that change them.
const (
	defaultPending   = 100 * time.Millisecond // WithExportTimings
	defaultRunning   = 400 * time.Millisecond
	defaultPageSize  = 10 // ListTemplates without a limit
	defaultRetention = 24 * time.Hour
	// defaultValidation is how long a batch job stays ASYNC_JOB_VALIDATING
	// (WithImportValidation).
	defaultValidation = 300 * time.Millisecond
	// maxClockSkew is how far X-Sdk-Date may be from the fake's clock, as at
	// Huawei's API gateway.
	maxClockSkew = 15 * time.Minute
)

// Option configures a [Server] built by [New] or [NewWithDefaults].
type Option func(*config) error

// IAMUser is an IAM user that can log in with POST /v3/auth/tokens.
// Formatting it with fmt never shows the password.
type IAMUser struct {
	// Account is the account (domain) name, auth.identity.password.user.domain.name.
	Account string
	// Name is the IAM user name.
	Name string
	// Password is the user's password.
	Password string
}

// accessKey is an AK/SK pair the fake accepts for SDK-HMAC-SHA256 signatures
// (added with [WithAccessKey] or [WithTemporaryAccessKey]). Formatting it
// with fmt shows the key id but never the secret key or the security token.
type accessKey struct {
	// ID is the access key id (AK), sent in the Authorization header.
	ID string
	// Secret is the secret key (SK) the signature is keyed with.
	Secret string
	// SecurityToken, when set, makes this a temporary credential: requests
	// must also carry it, signed, in X-Security-Token.
	SecurityToken string
	// Expires, when not zero, is the instant (on the fake's clock) from which
	// the key is refused.
	Expires time.Time
}

// config is what the options build; New turns it into a Server.
type config struct {
	clock          Clock
	seed           uint64
	region         string
	projects       []string
	tasks          []Task
	generatedTasks int
	tokens         []string
	keys           []accessKey
	users          []IAMUser
	tokenTTL       time.Duration
	pending        time.Duration
	running        time.Duration
	pageSizeLimit  int
	listOrder      ListOrder
	faults         Faults
	ratePerSecond  float64
	rateBurst      int
	retention      time.Duration
	validation     time.Duration
}

// newConfig applies opts (nil ones are skipped) to the defaults.
func newConfig(opts []Option) (*config, error) {
	cfg := &config{
		clock:          systemClock{},
		seed:           1,
		region:         DefaultRegion,
		generatedTasks: -1,
		tokenTTL:       DefaultTokenTTL,
		pending:        defaultPending,
		running:        defaultRunning,
		pageSizeLimit:  DefaultPageSizeLimit,
		retention:      defaultRetention,
		validation:     defaultValidation,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// projectIDPattern is the pattern of a project id, compiled when first used
// (see taskIDPattern).
var projectIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{32}$`) })

// WithClock makes the fake read time from c instead of the wall clock. Pass a
// [*ManualClock] to step exports and token expiry without sleeping.
func WithClock(c Clock) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("drsfake: WithClock: nil clock")
		}
		cfg.clock = c
		return nil
	}
}

// WithSeed seeds everything the fake makes up — project, task and export ids,
// tokens, generated credentials — and the fault-injection draws, so two
// servers with the same seed and the same requests behave the same. The
// default seed is 1.
func WithSeed(seed uint64) Option {
	return func(cfg *config) error {
		cfg.seed = seed
		return nil
	}
}

// WithRegion sets the region (default [DefaultRegion]), an id shaped as
// endpoint.ValidateRegion requires (e.g. cn-north-4). Its name is the name
// of the first project for IAM logins scoped by project name, and the default
// region of seeded tasks.
func WithRegion(region string) Option {
	return func(cfg *config) error {
		if err := endpoint.ValidateRegion(region); err != nil {
			return fmt.Errorf("drsfake: WithRegion: %w", err)
		}
		cfg.region = region
		return nil
	}
}

// WithProjectID adds projects (32 lower-case hex characters each). The first
// one is named after the region (e.g. cn-north-4), the others
// "{region}_{n}". Without this option the fake has one project with a seeded
// id.
func WithProjectID(ids ...string) Option {
	return func(cfg *config) error {
		for _, id := range ids {
			if !projectIDPattern().MatchString(id) {
				return fmt.Errorf("drsfake: WithProjectID: %q is not 32 lower-case hex characters", id)
			}
			cfg.projects = append(cfg.projects, id)
		}
		return nil
	}
}

// WithTasks adds DRS tasks that can be exported; those with
// [Task.FailExport] make their exports fail. Without WithTasks or
// [WithGeneratedTasks] the fake seeds [DefaultGeneratedTasks] tasks.
func WithTasks(tasks ...Task) Option {
	return func(cfg *config) error {
		cfg.tasks = append(cfg.tasks, tasks...)
		return nil
	}
}

// WithGeneratedTasks adds n tasks with seeded ids, names, engines and
// endpoints (n = 0 with no [WithTasks] gives a fake without tasks).
func WithGeneratedTasks(n int) Option {
	return func(cfg *config) error {
		if n < 0 || n > 10000 {
			return fmt.Errorf("drsfake: WithGeneratedTasks: %d is not in [0, 10000]", n)
		}
		cfg.generatedTasks = n
		return nil
	}
}

// WithToken makes the fake accept tok as X-Auth-Token for every project. It
// never expires (so it is never forgotten); [Server.RevokeToken] revokes it.
func WithToken(tok string) Option {
	return func(cfg *config) error {
		if tok == "" {
			return errors.New("drsfake: WithToken: empty token")
		}
		cfg.tokens = append(cfg.tokens, tok)
		return nil
	}
}

// WithAccessKey makes the fake accept SDK-HMAC-SHA256 signatures by the
// permanent AK/SK pair ak, sk for every project. ak must be printable ASCII
// without space or comma (what an Authorization header can carry).
func WithAccessKey(ak, sk string) Option {
	return func(cfg *config) error {
		return cfg.addKey("WithAccessKey", accessKey{ID: ak, Secret: sk})
	}
}

// WithTemporaryAccessKey makes the fake accept signatures by a temporary
// AK/SK pair: requests must also carry securityToken in a signed
// X-Security-Token header, and from expires on (if not zero, on the fake's
// clock) the key is refused.
func WithTemporaryAccessKey(ak, sk, securityToken string, expires time.Time) Option {
	return func(cfg *config) error {
		if securityToken == "" {
			return errors.New("drsfake: WithTemporaryAccessKey: empty security token")
		}
		return cfg.addKey("WithTemporaryAccessKey", accessKey{ID: ak, Secret: sk, SecurityToken: securityToken, Expires: expires})
	}
}

// addKey checks k and adds it; opt names the option in errors, which never
// quote the secret key.
func (cfg *config) addKey(opt string, k accessKey) error {
	if k.ID == "" || k.Secret == "" {
		return fmt.Errorf("drsfake: %s: access key and secret key must not be empty", opt)
	}
	if !sdksign.ValidAccessKey(k.ID) {
		return fmt.Errorf("drsfake: %s: access key contains a space, a comma or a character that is not printable ASCII", opt)
	}
	for _, prev := range cfg.keys {
		if prev.ID == k.ID {
			return fmt.Errorf("drsfake: %s: access key %s given twice", opt, k.ID)
		}
	}
	cfg.keys = append(cfg.keys, k)
	return nil
}

// WithUser adds an IAM user that can obtain tokens with POST /v3/auth/tokens.
func WithUser(account, name, password string) Option {
	return func(cfg *config) error {
		if account == "" || name == "" || password == "" {
			return errors.New("drsfake: WithUser: account, name and password must not be empty")
		}
		cfg.users = append(cfg.users, IAMUser{Account: account, Name: name, Password: password})
		return nil
	}
}

// WithTokenTTL sets the lifetime of tokens issued by POST /v3/auth/tokens
// (default [DefaultTokenTTL]), measured on the fake's clock.
func WithTokenTTL(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return fmt.Errorf("drsfake: WithTokenTTL: %v is not positive", d)
		}
		cfg.tokenTTL = d
		return nil
	}
}

// WithExportTimings sets how long an export stays "pending" and then
// "running" before it ends "success" or "failed", on the fake's clock
// (default 100 ms and 400 ms). Zero durations skip a state.
func WithExportTimings(pending, running time.Duration) Option {
	return func(cfg *config) error {
		if pending < 0 || running < 0 {
			return errors.New("drsfake: WithExportTimings: durations must not be negative")
		}
		cfg.pending, cfg.running = pending, running
		return nil
	}
}

// WithPageSizeLimit caps the number of files ListTemplates returns in one
// page (default [DefaultPageSizeLimit]); larger limits are served with n.
// Without a limit a page has 10 files (or n, if smaller).
func WithPageSizeLimit(n int) Option {
	return func(cfg *config) error {
		if n < 1 {
			return fmt.Errorf("drsfake: WithPageSizeLimit: %d is less than 1", n)
		}
		cfg.pageSizeLimit = n
		return nil
	}
}

// ListOrder is the order in which ListTemplates lists the files. Huawei
// does not document one, so a client must not depend on it: the orders
// other than the default catch a client that does.
type ListOrder int

const (
	// ListNewestFirst lists the newest files first (the default).
	ListNewestFirst ListOrder = iota
	// ListOldestFirst lists the oldest files first.
	ListOldestFirst
	// ListShuffled lists the files in an order unrelated to their times,
	// fixed by the seed ([WithSeed]) and their names, so that paging
	// through the list still works.
	ListShuffled
)

// WithListOrder sets the order of ListTemplates' files (default
// [ListNewestFirst]).
func WithListOrder(o ListOrder) Option {
	return func(cfg *config) error {
		if o < ListNewestFirst || o > ListShuffled {
			return fmt.Errorf("drsfake: WithListOrder: unknown order %d", o)
		}
		cfg.listOrder = o
		return nil
	}
}

// WithFaults starts the fake with fault injection configured as f; see
// [Server.SetFaults].
func WithFaults(f Faults) Option {
	return func(cfg *config) error {
		if err := f.validate(); err != nil {
			return err
		}
		cfg.faults = f
		return nil
	}
}

// WithRateLimit limits DRS requests per project to perSecond on average with
// bursts of up to burst, on the fake's clock; excess requests get 429
// APIG.0308 with Retry-After. perSecond <= 0 means no limit (the default).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(cfg *config) error {
		if err := validateRate(perSecond, burst); err != nil {
			return err
		}
		cfg.ratePerSecond, cfg.rateBurst = perSecond, burst
		return nil
	}
}

// WithRetention sets how long, on the fake's clock, the fake remembers what
// has ended (default 24 h): a finished export and its files are forgotten
// d after the export finished — ShowExportProgress then answers 404
// DRS.M00404, ListTemplates no longer lists the files, downloads answer 404
// — and an expired token d after it expired (it is then refused as unknown
// rather than as expired). So a long-running fake holds a bounded state.
func WithRetention(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return fmt.Errorf("drsfake: WithRetention: %v is not positive", d)
		}
		cfg.retention = d
		return nil
	}
}

// WithImportValidation sets how long, on the fake's clock, the batch job of
// an accepted import stays ASYNC_JOB_VALIDATING before it ends
// AUTO_PARAM_VALIDATE_SUCCESS or ASYNC_JOB_VALIDATE_FAILED (default 300 ms;
// zero: at once).
func WithImportValidation(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 0 {
			return fmt.Errorf("drsfake: WithImportValidation: %v is negative", d)
		}
		cfg.validation = d
		return nil
	}
}
