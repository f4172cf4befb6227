package drsfake

import (
	"errors"
	"net/http"
	"strings"

	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// badDRSRequest answers a request the generated DRS server cannot bind.
func badDRSRequest(w http.ResponseWriter, _ *http.Request, err error) {
	writeDRSError(w, http.StatusBadRequest, CodeInvalidParameter, MsgInvalidParameterPrefix+describeBinding(err))
}

// drsResponseFailed answers a handler error with 500 DRS.M00500, unless the
// response has already started (then there is nothing left to say).
func drsResponseFailed(w http.ResponseWriter, _ *http.Request, _ error) {
	if !started(w) {
		writeDRSError(w, http.StatusInternalServerError, CodeInternalError, MsgInternalError)
	}
}

// badIAMRequest answers a request the generated IAM server cannot bind.
func badIAMRequest(w http.ResponseWriter, r *http.Request, err error) {
	writeIAMError(w, http.StatusBadRequest, iamInvalidPrefix(r)+describeBinding(err))
}

// iamResponseFailed answers an IAM handler error with 500.
func iamResponseFailed(w http.ResponseWriter, _ *http.Request, _ error) {
	if !started(w) {
		writeIAMError(w, http.StatusInternalServerError, IAMMsgInternalError)
	}
}

// describeBinding describes an error of the generated parameter binding or
// body decoding (which kin-openapi validation normally catches first).
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
