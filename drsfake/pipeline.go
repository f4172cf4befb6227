package drsfake

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// call is one request on its way through the pipeline, and what the steps
// have learnt about it so far.
type call struct {
	w   http.ResponseWriter
	r   *http.Request
	id  string    // the request id, sent as X-Request-Id
	now time.Time // the fake's time when the request came in

	api    *api // set by route
	route  *routers.Route
	params map[string]string
	op     Operation

	body     []byte // set by readBody
	bodyRead bool

	broken faultKind // faultReset or faultTruncate, drawn by injectFaults
}

// refuse answers c with f and ends its way: the steps return refuse's
// result.
func (c *call) refuse(f *failure) bool {
	f.write(c.w)
	return false
}

// ServeHTTP answers one request. Every request takes the same way through
// the steps below, in this order and in this file: route, authenticate,
// validate, injectFaults, handle. A step that refuses the request answers
// it and ends the way. Every response carries X-Request-Id and a Date header
// read from the fake's clock.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, id: s.reqIDs.hex(32), now: s.clock.Now()}
	w.Header().Set(headerRequestID, c.id)
	w.Header().Set("Date", c.now.UTC().Format(http.TimeFormat))
	for _, step := range []func(*call) bool{s.route, s.authenticate, s.validate, s.injectFaults, s.handle} {
		if !step(c) {
			return
		}
	}
}

// route finds the operation, IAM's under /v3/, DRS's elsewhere, and counts
// the request against it (see Calls). A request for no operation is 404
// (APIGW.0101, or Keystone's body under /v3/) whatever its credentials:
// like Huawei's gateway, the fake knows how to authenticate a request only
// once it knows the API.
func (s *Server) route(c *call) bool {
	c.api = s.drs
	if strings.HasPrefix(c.r.URL.Path, "/v3/") {
		c.api = s.iam
	}
	route, params, ok := c.api.route(c.r)
	if !ok {
		return c.refuse(c.api.noRoute())
	}
	// The generated server routes with net/http's ServeMux, which may not
	// agree with kin-openapi's router on an odd path (an escaped slash).
	if _, pattern := c.api.mux.Handler(c.r); pattern == "" {
		return c.refuse(c.api.noRoute())
	}
	c.route, c.params, c.op = route, params, Operation(route.Operation.OperationID)
	s.calls.count(c.op)
	return true
}

// authenticate checks the credentials of the operations that need them (all
// but IAM's password login), the way Huawei's API gateway does: an
// X-Auth-Token if one is sent, else an SDK-HMAC-SHA256 signature. Nothing
// of the body is read before the request proves to hold a known token or a
// well-formed signature by a known access key, so that an unauthenticated
// upload is refused without being accepted (no 100 Continue either). DRS
// credentials must then be valid for the project in the URI.
func (s *Server) authenticate(c *call) bool {
	if !requiresCredentials(c.route) {
		return true
	}
	var p principal
	switch toks := c.r.Header.Values("X-Auth-Token"); {
	case len(toks) > 1:
		return c.refuse(unauthorized(msgTokenInvalid))
	case len(toks) == 1:
		var f *failure
		if p, f = s.auth.token(toks[0], c.now); f != nil {
			return c.refuse(f)
		}
	case len(c.r.Header.Values(sdksign.HeaderAuthorization)) > 0:
		if !s.verifySignature(c) {
			return false
		}
	default:
		return c.refuse(unauthorized(msgNoCredentials))
	}
	if c.api.iam { // GET /v3/projects: any valid token, whatever its project
		return true
	}
	project := c.params["project_id"]
	if p.project != "" && p.project != project {
		return c.refuse(forbidden())
	}
	if sent := c.r.Header.Values(sdksign.HeaderProjectID); len(sent) > 0 && (len(sent) != 1 || sent[0] != project) {
		return c.refuse(forbidden())
	}
	return true
}

// requiresCredentials reports whether the contract names a security
// requirement for route's operation (its own, else the document's): an
// empty list, as for POST /v3/auth/tokens, means none.
func requiresCredentials(route *routers.Route) bool {
	sec := route.Operation.Security
	if sec == nil && route.Spec != nil {
		sec = &route.Spec.Security
	}
	return sec != nil && len(*sec) > 0
}

// verifySignature checks an SDK-HMAC-SHA256 signature over the request as
// received. sdksign.Verify needs the body; it is read only for a
// well-formed, dated signature by an access key the fake knows (a first
// Verify, with no body and no key known, runs every check before the key
// lookup), and not at all for a request signed with UNSIGNED-PAYLOAD where
// Huawei's signer uses it (a multipart upload: it stays streamed).
func (s *Server) verifySignature(c *call) bool {
	ak, err := sdksign.Verify(c.r, nil, func(string) (string, bool) { return "", false }, c.now, maxClockSkew)
	k, known := s.auth.key(ak)
	if !errors.Is(err, sdksign.ErrUnknownAccessKey) || !known {
		return c.refuse(signatureRefusal(err))
	}
	if !sdksign.UnsignedBody(c.r.Header) && !s.readBody(c) {
		return false
	}
	secret := func(string) (string, bool) { return k.Secret, true }
	if _, err := sdksign.Verify(c.r, c.body, secret, c.now, maxClockSkew); err != nil {
		return c.refuse(signatureRefusal(err))
	}
	if k.SecurityToken != "" {
		auth, err := sdksign.ParseAuthorization(c.r.Header.Get(sdksign.HeaderAuthorization))
		sent := c.r.Header.Values(sdksign.HeaderSecurityToken)
		if err != nil || !slices.Contains(auth.SignedHeaders, "x-security-token") || len(sent) != 1 ||
			subtle.ConstantTimeCompare([]byte(sent[0]), []byte(k.SecurityToken)) != 1 {
			return c.refuse(unauthorized(msgSecurityTokenInvalid))
		}
	}
	if !k.Expires.IsZero() && !c.now.Before(k.Expires) {
		return c.refuse(unauthorized(msgCredentialsExpired))
	}
	return true
}

// signatureRefusal maps a verification failure to the gateway's answer.
func signatureRefusal(err error) *failure {
	switch {
	case errors.Is(err, sdksign.ErrDateSkew):
		return signatureExpired()
	case errors.Is(err, sdksign.ErrUnknownAccessKey):
		return unauthorized(msgAccessKeyUnknown)
	case errors.Is(err, sdksign.ErrInvalidDate):
		return unauthorized(msgSdkDateInvalid)
	case errors.Is(err, sdksign.ErrSignatureMismatch):
		return unauthorized(msgSignatureMismatch)
	default: // malformed or repeated Authorization
		return unauthorized(msgAuthorizationMalformed)
	}
}

// readBody reads the request body whole, once, within the operation's size
// limit: a body larger than that is refused unread when Content-Length
// says so, else after limit+1 bytes.
func (s *Server) readBody(c *call) bool {
	if c.bodyRead {
		return true
	}
	c.bodyRead = true
	limit := c.api.maxBody[c.op]
	tooLarge := c.api.invalid(c.op, fmt.Sprintf("request body: larger than %d bytes", limit))
	if c.r.ContentLength > limit {
		return c.refuse(tooLarge)
	}
	if c.r.Body == nil {
		return true
	}
	b, err := io.ReadAll(io.LimitReader(c.r.Body, limit+1))
	_ = c.r.Body.Close()
	switch {
	case err != nil:
		return c.refuse(c.api.invalid(c.op, "request body: cannot be read"))
	case int64(len(b)) > limit:
		return c.refuse(tooLarge)
	}
	c.body = b
	return true
}

// boundForm prepares the multipart form body of c for its handler, which
// reads it streamed: its Content-Type must be multipart/form-data with a
// boundary, and it is bounded by the operation's limit (the same rule as
// readBody's, from the contract): refused unread when Content-Length says
// it is larger, else cut by http.MaxBytesReader, which the handler reports.
// A body already read (to verify a signature over it) is handed on as read.
func (s *Server) boundForm(c *call) bool {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != formContentType || params["boundary"] == "" {
		return c.refuse(c.api.invalid(c.op, "request body: Content-Type must be multipart/form-data with a boundary"))
	}
	limit := c.api.maxBody[c.op]
	switch {
	case c.bodyRead:
		resetBody(c.r, c.body)
	case c.r.ContentLength > limit:
		return c.refuse(c.api.invalid(c.op, fmt.Sprintf("request body: larger than %d bytes", limit)))
	case c.r.Body != nil:
		c.r.Body = http.MaxBytesReader(c.w, c.r.Body, limit)
	}
	return true
}

// validate checks the request against the contract: the query (well-formed,
// no parameter repeated, few unknown ones, not oversized), the body (within
// its limit, one JSON value with nothing after it, no array longer than the
// contract allows), then kin-openapi's validation of parameters, headers and
// body; a DRS call's project must exist.
func (s *Server) validate(c *call) bool {
	if detail := checkQuery(c.r.URL.RawQuery, c.route); detail != "" {
		return c.refuse(c.api.invalid(c.op, detail))
	}
	if _, form := c.api.formLimits[c.op]; form {
		if !s.boundForm(c) {
			return false
		}
	} else if !s.readBody(c) {
		return false
	}
	if hasJSONBody(c.r, c.route) && len(c.body) > 0 {
		if !json.Valid(c.body) { // data after the value included
			return c.refuse(c.api.invalid(c.op, "request body: not valid JSON"))
		}
		if n := c.api.maxItems[c.op]; n > 0 && arrayLonger(c.body, n) {
			return c.refuse(c.api.invalid(c.op, fmt.Sprintf("request body: an array has more than %d items", n)))
		}
	}
	if err := c.api.check(c.r.Context(), c.r, c.route, c.params, c.body); err != nil {
		return c.refuse(c.api.invalid(c.op, describeValidation(err)))
	}
	if !c.api.iam && !slices.Contains(s.projects, c.params["project_id"]) {
		return c.refuse(&failure{status: http.StatusNotFound, code: CodeNotFound, msg: msgProjectNotFound})
	}
	return true
}

// injectFaults applies the per-project rate limit of DRS calls, then the
// faults drawn for the operation: latency first (a request whose context
// ends meanwhile gets no answer: its connection is closed), then a 500, 503
// or 429 — the rate limit's and the injected 429 are the same answer — or a
// reset or truncation, left for handle.
func (s *Server) injectFaults(c *call) bool {
	if !c.api.iam {
		if ok, retry := s.limiter.allow(c.params["project_id"], c.now); !ok {
			return c.refuse(c.api.throttled(retry))
		}
	}
	d := s.faults.decide(c.op)
	if !wait(c.r, d.latency) {
		abandon(c.w) // the client gave up, or the server is stopping
		return false
	}
	switch d.kind {
	case faultInternal:
		return c.refuse(c.api.internalError())
	case faultUnavailable:
		return c.refuse(c.api.unavailable())
	case faultThrottle:
		return c.refuse(c.api.throttled(d.retryAfter))
	}
	c.broken = d.kind
	return true
}

// handle runs the operation's handler (through the generated server, which
// binds the parameters and decodes the body again) and sends its answer:
// whole, or broken as injectFaults drew.
func (s *Server) handle(c *call) bool {
	r := withInfo(c.r, reqInfo{op: c.op, id: c.id, now: c.now, base: baseURL(c.r)})
	if c.broken == faultNone {
		c.api.handler.ServeHTTP(c.w, r)
		return true
	}
	rec := &recorder{header: c.w.Header().Clone(), status: http.StatusOK}
	c.api.handler.ServeHTTP(rec, r)
	sendBroken(c.w, rec.status, rec.header, rec.body.Bytes(), c.broken)
	return true
}

// recorder keeps a whole answer in memory, so that a broken one can be sent
// with the Content-Length of the whole: a ResponseWriter of the fake's own,
// so that the product does not link net/http/httptest.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}

// baseURL is the scheme and host r was sent to, as the client wrote them.
func baseURL(r *http.Request) string {
	if r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
