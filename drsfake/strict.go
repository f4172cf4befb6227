package drsfake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// operations implements the generated strict server interfaces of both
// contracts for a Server: its methods (in export.go, list.go, download.go,
// iam.go and projects.go) are the handlers the pipeline's last step reaches
// through the generated servers. They are not part of the package's API.
type operations struct{ s *Server }

var (
	_ drsserver.StrictServerInterface = operations{}
	_ iamserver.StrictServerInterface = operations{}
)

// reqInfo is what the pipeline tells the handlers about a request.
type reqInfo struct {
	op   Operation
	id   string
	now  time.Time
	base string // scheme://host the request was sent to ("" outside ServeHTTP)
}

type ctxKey struct{}

// withInfo returns r carrying info for the handlers.
func withInfo(r *http.Request, info reqInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
}

// info returns the request's id and time (the zero id and the fake's time
// outside ServeHTTP, e.g. when a handler method is called directly).
func (o operations) info(ctx context.Context) reqInfo {
	if ri, ok := ctx.Value(ctxKey{}).(reqInfo); ok {
		return ri
	}
	return reqInfo{now: o.s.clock.Now()}
}

// newDRSServer returns the generated DRS server for o, routed on a.mux,
// with Huawei-shaped JSON errors.
func newDRSServer(o operations, a *api) http.Handler {
	strict := drsserver.NewStrictHandlerWithOptions(o, nil, drsserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: a.bindingFailed, ResponseErrorHandlerFunc: a.handlerFailed,
	})
	return drsserver.HandlerWithOptions(strict, drsserver.StdHTTPServerOptions{
		BaseRouter: a.mux, ErrorHandlerFunc: a.bindingFailed,
	})
}

// newIAMServer returns the generated IAM server for o, routed on a.mux,
// with Keystone-shaped JSON errors.
func newIAMServer(o operations, a *api) http.Handler {
	strict := iamserver.NewStrictHandlerWithOptions(o, nil, iamserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: a.bindingFailed, ResponseErrorHandlerFunc: a.handlerFailed,
	})
	return iamserver.HandlerWithOptions(strict, iamserver.StdHTTPServerOptions{
		BaseRouter: a.mux, ErrorHandlerFunc: a.bindingFailed,
	})
}

// bindingFailed answers a request the generated server cannot bind
// (kin-openapi validation normally refuses it first).
func (a *api) bindingFailed(w http.ResponseWriter, r *http.Request, err error) {
	info, _ := r.Context().Value(ctxKey{}).(reqInfo)
	a.invalid(info.op, describeBinding(err)).write(w)
}

// handlerFailed answers a handler error with 500. Handlers return errors
// only before their answer has started.
func (a *api) handlerFailed(w http.ResponseWriter, _ *http.Request, _ error) {
	a.internalError().write(w)
}

// describeBinding describes an error of the generated parameter binding or
// body decoding.
func describeBinding(err error) string {
	var pf *drsserver.InvalidParamFormatError
	var tm *drsserver.TooManyValuesForParamError
	var ipf *iamserver.InvalidParamFormatError
	var itm *iamserver.TooManyValuesForParamError
	switch {
	case errors.As(err, &pf):
		return "parameter " + quote(pf.ParamName) + ": invalid value"
	case errors.As(err, &ipf):
		return "parameter " + quote(ipf.ParamName) + ": invalid value"
	case errors.As(err, &tm):
		return "parameter " + quote(tm.ParamName) + ": sent more than once"
	case errors.As(err, &itm):
		return "parameter " + quote(itm.ParamName) + ": sent more than once"
	case strings.Contains(err.Error(), "decode JSON body"):
		return "request body: not valid JSON"
	default:
		return "the request cannot be parsed"
	}
}
