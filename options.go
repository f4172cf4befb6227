package drstemplate

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// An Option configures a [Client]; pass them to [New].
type Option func(*options) error

// options is what the Options of New set.
type options struct {
	region, endpoint string
	projectID        string
	credentials      auth.Credentials
	transport        http.RoundTripper
	httpClient       *http.Client
	language         drsapi.Language
	userAgent        string
	logger           *slog.Logger
	retry            RetryPolicy
	clock            Clock
	maxTasks         int
	stall            time.Duration
}

// Clock tells the client the time: the X-Sdk-Date of AK/SK signatures and
// the expiry of IAM tokens are read from it. *drsfake.ManualClock is one.
// Delays (between polls and retries) always run on the real clock.
type Clock interface {
	Now() time.Time
}

// WithRegion sets the region, e.g. "cn-north-4": the DRS endpoint is then
// https://drs.{region}.myhuaweicloud.com (or what the environment variable
// HUAWEICLOUD_SDK_REGION_DRS_{REGION} names; see package endpoint), and the
// default credentials look for a password login's project there. Unknown
// regions are not refused: DRS v5 is not in every region, and new ones
// appear.
func WithRegion(region string) Option {
	return func(o *options) error {
		o.region = region
		return nil
	}
}

// WithEndpoint sets the DRS endpoint URL, overriding the region's: for
// another cloud, a proxy, or drsfake. It must be https, or plain http to a
// loopback address.
func WithEndpoint(url string) Option {
	return func(o *options) error {
		o.endpoint = url
		return nil
	}
}

// WithProjectID sets the project id (32 lower-case hexadecimal characters).
// Without it the id comes with the credentials (HUAWEICLOUD_SDK_PROJECT_ID,
// the profile file) or, for a password login scoped by region, from IAM.
func WithProjectID(id string) Option {
	return func(o *options) error {
		if !validProjectID(id) {
			return fmt.Errorf("%w: project id %q: want 32 lower-case hexadecimal characters", ErrInvalidInput, clip.String(id, 64))
		}
		o.projectID = id
		return nil
	}
}

// WithCredentials sets how requests are authenticated (see package auth).
// Without it, New resolves an auth.Chain for the region: the environment,
// then the SDK's profile file.
func WithCredentials(c auth.Credentials) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil credentials", ErrInvalidInput)
		}
		o.credentials = c
		return nil
	}
}

// WithTransport sets the http.RoundTripper that carries the requests once
// they are authenticated — for a proxy, custom TLS settings, or a test
// server's transport. Nil, the default, is a transport of the client's own
// that verifies certificates and requires TLS 1.2.
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error {
		o.transport = rt
		return nil
	}
}

// WithHTTPClient sets the *http.Client whose settings the client's calls
// use, for programs that configure one client for all their HTTP (go-github
// takes one the same way). Of hc, the client uses:
//
//   - Transport, as [WithTransport] does: it carries the requests once they
//     are authenticated, below the client's retries. Nil means the client's
//     own transport, as without this option.
//   - Timeout, for each call as a whole: its retries, and the reading of
//     its body, included. A timeout too short for a large download cuts
//     it off; without one, bound calls with their contexts.
//   - Jar, as http.Client does: it gets the answers' cookies and adds its
//     cookies to requests (DRS sets none).
//
// CheckRedirect is not used: the client never follows a redirect, so that
// no credential reaches the host it names (a 3xx answer is an [*APIError]).
// hc itself is neither modified nor used to send. WithHTTPClient and
// WithTransport cannot both be given.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error {
		if hc == nil {
			return fmt.Errorf("%w: nil *http.Client", ErrInvalidInput)
		}
		o.httpClient = hc
		return nil
	}
}

// WithLanguage sets the language of DRS's error messages, "en-us" or
// "zh-cn" (sent as X-Language). Without it DRS answers in English.
func WithLanguage(lang string) Option {
	return func(o *options) error {
		l := drsapi.Language(strings.ToLower(lang))
		if !l.Valid() {
			return fmt.Errorf("%w: language %q: want en-us or zh-cn", ErrInvalidInput, clip.String(lang, 32))
		}
		o.language = l
		return nil
	}
}

// WithUserAgent appends suffix, e.g. "my-tool/1.0", to the User-Agent the
// client sends ("drstemplate/{version}").
func WithUserAgent(suffix string) Option {
	return func(o *options) error {
		if !printableASCII(suffix) {
			return fmt.Errorf("%w: the user-agent suffix must be printable ASCII", ErrInvalidInput)
		}
		o.userAgent = suffix
		return nil
	}
}

// WithLogger sets where the client logs, at debug level: every attempt of
// every call (operation, status, duration, attempt, request id), retries and
// the statuses a wait observes. It never logs a header, a body or a
// credential. Without it the client does not log.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		o.logger = l
		return nil
	}
}

// WithRetryPolicy sets how calls are retried; see [RetryPolicy].
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) error {
		p, err := p.withDefaults()
		o.retry = p
		return err
	}
}

// WithClock sets the clock the client reads the time from (default: the
// system clock).
func WithClock(c Clock) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidInput)
		}
		o.clock = c
		return nil
	}
}

// WithMaxTasksPerExport sets how many task ids one export request may carry
// (default 1000, the contract's bound): [Client.Export] refuses more, and
// [Client.ExportAndDownload] exports in chunks of at most this size. It must
// be between 1 and 1000.
func WithMaxTasksPerExport(n int) Option {
	return func(o *options) error {
		if n < 1 || n > maxJobsPerRequest {
			return fmt.Errorf("%w: %d tasks per export: want 1 to %d", ErrInvalidInput, n, maxJobsPerRequest)
		}
		o.maxTasks = n
		return nil
	}
}

// defaultMaxTasksPerExport is how many task ids one export request may carry
// unless WithMaxTasksPerExport says otherwise (documented there).
const defaultMaxTasksPerExport = maxJobsPerRequest

// validProjectID reports whether id is 32 lower-case hexadecimal characters.
func validProjectID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := range len(id) {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// printableASCII reports whether s has only printable ASCII characters.
func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
