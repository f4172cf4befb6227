package drsfake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// reqInfo is what the pipeline tells the handlers about a request.
type reqInfo struct {
	id   string
	now  time.Time
	base string // scheme://host the request was sent to ("" outside ServeHTTP)
}

type ctxKey struct{}

// requestInfo returns the request's id and time (the zero reqInfo outside
// ServeHTTP, e.g. when a handler method is called directly).
func (s *Server) requestInfo(ctx context.Context) reqInfo {
	if ri, ok := ctx.Value(ctxKey{}).(reqInfo); ok {
		return ri
	}
	return reqInfo{now: s.clock.Now()}
}

// errBodyTooLarge reports a request body over sdksign.MaxSignedBody.
var errBodyTooLarge = errors.New("request body larger than 12 MB")

// readBody reads the whole request body, as received, once.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, sdksign.MaxSignedBody+1))
	_ = r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	if len(b) > sdksign.MaxSignedBody {
		return nil, errBodyTooLarge
	}
	return b, nil
}

// ServeHTTP answers one request. Every response carries X-Request-Id and a
// Date header read from the fake's clock.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	info := reqInfo{id: s.reqIDs.hex(32), now: now, base: baseURL(r)}
	w.Header().Set(HeaderRequestID, info.id)
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
	tw := &trackingWriter{ResponseWriter: w}

	iam := strings.HasPrefix(r.URL.Path, "/v3/")
	body, err := readBody(r)
	if err != nil {
		msg := "request body: cannot be read"
		if errors.Is(err, errBodyTooLarge) {
			msg = "request body: larger than 12 MB"
		}
		if iam {
			writeIAMError(tw, http.StatusBadRequest, IAMMsgBadRequestPrefix+msg)
		} else {
			writeDRSError(tw, http.StatusBadRequest, CodeInvalidParameter, MsgInvalidParameterPrefix+msg)
		}
		return
	}
	if iam {
		s.serveIAM(tw, r, body, now)
		return
	}
	s.serveDRS(tw, r, body, now)
}

// serveDRS runs the gateway and service steps of a DRS request in order:
// authentication, routing, project scope, rate limit, faults, validation,
// project existence, handler.
func (s *Server) serveDRS(w http.ResponseWriter, r *http.Request, body []byte, now time.Time) {
	p, aerr := s.auth.authenticate(r, body, now)
	if aerr != nil {
		aerr.write(w)
		return
	}
	route, params, ok := s.drs.route(r)
	if !ok {
		writeGatewayError(w, http.StatusNotFound, CodeAPINotFound, MsgAPINotFound)
		return
	}
	project := params["project_id"]
	if aerr := checkProject(r, p, project); aerr != nil {
		aerr.write(w)
		return
	}
	// Only existing projects have a bucket, so made-up paths cannot grow
	// the limiter; their requests end in 400 or 404 below anyway.
	if slices.Contains(s.projects, project) {
		if ok, retry := s.limiter.allow(project, now); !ok {
			writeThrottled(w, retry)
			return
		}
	}
	handle := func(w http.ResponseWriter) {
		if err := s.drs.check(r.Context(), r, route, params, body); err != nil {
			writeDRSError(w, http.StatusBadRequest, CodeInvalidParameter, MsgInvalidParameterPrefix+describeValidation(err))
			return
		}
		if !slices.Contains(s.projects, project) {
			writeDRSError(w, http.StatusNotFound, CodeNotFound, MsgProjectNotFound)
			return
		}
		if _, pattern := s.drsMux.Handler(r); pattern == "" {
			writeGatewayError(w, http.StatusNotFound, CodeAPINotFound, MsgAPINotFound)
			return
		}
		s.drsHandlerFn.ServeHTTP(w, r)
	}
	s.withFaults(w, r, Operation(route.Operation.OperationID), false, handle)
}

// serveIAM answers the IAM calls (and 404 for anything else under /v3/),
// with IAM's Keystone-style error bodies. Calls whose operation requires
// credentials (GET /v3/projects; not the password login) are authenticated
// first, like DRS calls, and refused with the gateway's JSON.
func (s *Server) serveIAM(w http.ResponseWriter, r *http.Request, body []byte, now time.Time) {
	route, params, ok := s.iam.route(r)
	if !ok {
		writeIAMError(w, http.StatusNotFound, IAMMsgNotFound)
		return
	}
	if requiresCredentials(route) {
		if _, aerr := s.auth.authenticate(r, body, now); aerr != nil {
			aerr.write(w)
			return
		}
	}
	handle := func(w http.ResponseWriter) {
		if err := s.iam.check(r.Context(), r, route, params, body); err != nil {
			writeIAMError(w, http.StatusBadRequest, iamInvalidPrefix(r)+describeValidation(err))
			return
		}
		s.iamHandlerFn.ServeHTTP(w, r)
	}
	s.withFaults(w, r, Operation(route.Operation.OperationID), true, handle)
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

// iamInvalidPrefix starts IAM's 400 message for r: the password login's
// complaints are about its body, those of other calls about parameters.
func iamInvalidPrefix(r *http.Request) string {
	if r.URL.Path == "/v3/auth/tokens" {
		return IAMMsgBadRequestPrefix
	}
	return IAMMsgInvalidRequestPrefix
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

// withFaults runs handle under the faults drawn for op.
func (s *Server) withFaults(w http.ResponseWriter, r *http.Request, op Operation, iam bool, handle func(http.ResponseWriter)) {
	d := s.faults.decide(op)
	if !wait(r, d.latency) {
		abandon(w) // the client gave up, or the server is stopping
		return
	}
	switch d.kind {
	case faultInternal:
		if iam {
			writeIAMError(w, http.StatusInternalServerError, IAMMsgInternalError)
		} else {
			writeDRSError(w, http.StatusInternalServerError, CodeInternalError, MsgInternalError)
		}
	case faultUnavailable:
		if iam {
			writeIAMError(w, http.StatusServiceUnavailable, IAMMsgServiceUnavailable)
		} else {
			writeDRSError(w, http.StatusServiceUnavailable, CodeServiceUnavailable, MsgServiceUnavailable)
		}
	case faultThrottle:
		if iam {
			w.Header().Set("Retry-After", fmt.Sprint(d.retryAfter))
			writeIAMError(w, http.StatusTooManyRequests, IAMMsgThrottled)
		} else {
			writeThrottled(w, d.retryAfter)
		}
	case faultReset, faultTruncate:
		rec := newRecorder(w.Header())
		handle(rec)
		sendBroken(w, rec, d.kind)
	default:
		handle(w)
	}
}

// trackingWriter remembers whether the response has started, so that a late
// error does not try to write a second status.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader records that the response started.
func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

// Write records that the response started.
func (t *trackingWriter) Write(p []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(p)
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// started reports whether a response has already begun on w.
func started(w http.ResponseWriter) bool {
	for {
		switch v := w.(type) {
		case *trackingWriter:
			return v.wrote
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return false
		}
	}
}
