package drsfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

// Error codes the fake answers with, in the `error_code` field of its JSON
// error bodies. The APIGW./APIG. codes are the API gateway's, the DRS. codes
// the DRS service's (see api/openapi.yaml). Those the client also branches on
// are the shared values of internal/huaweierr. (IAM's own refusals carry no
// code: they answer Keystone's {"error":{"code":<status>,...}} body.)
const (
	// CodeAuthFailed, "APIGW.0301" (HTTP 401): missing, unknown, expired or revoked token,
	// unknown access key, wrong or malformed signature, bad security token.
	CodeAuthFailed = huaweierr.CodeAuthFailed
	// CodeForbidden (HTTP 403): the credentials are valid but belong to another
	// project than the one in the URI (token scope or X-Project-Id).
	CodeForbidden = "APIGW.0302"
	// CodeSignatureExpired, "APIGW.0303" (HTTP 401): X-Sdk-Date is more than 15 minutes
	// away from the fake's clock.
	CodeSignatureExpired = huaweierr.CodeSignatureExpired
	// CodeAPINotFound (HTTP 404): no API at this method and path.
	CodeAPINotFound = "APIGW.0101"
	// CodeThrottled, "APIG.0308" (HTTP 429, with Retry-After): rate limit exceeded or an
	// injected throttling fault.
	CodeThrottled = huaweierr.CodeThrottled
	// CodeInvalidParameter, "DRS.M00007" (HTTP 400): the request violates the API contract
	// (a malformed query or body, a body over its size limit), or names a task that does
	// not exist.
	CodeInvalidParameter = huaweierr.CodeInvalidParameter
	// CodeNotFound (HTTP 404): unknown project, export id, template file or
	// batch job.
	CodeNotFound = "DRS.M00404"
	// CodeImportParseFailed, "DRS.10120001" (HTTP 400, Huawei's code and
	// message "Failed to parse the imported file"): the uploaded file is not
	// a workbook of the template's layout, or rows of it are refused (listed
	// in import_error_messages).
	CodeImportParseFailed = "DRS.10120001"
	// CodeTemplateDownloadFailed, "DRS.10030009" (HTTP 400, Huawei's code):
	// no blank template for the engine_type asked for.
	CodeTemplateDownloadFailed = "DRS.10030009"
	// CodeNotCommittable (HTTP 400; Huawei documents no code for it): a
	// commit of a batch job that is not AUTO_PARAM_VALIDATE_SUCCESS.
	CodeNotCommittable = "DRS.M00409"
	// CodeInternalError (HTTP 500): an injected fault or an internal failure.
	CodeInternalError = "DRS.M00500"
	// CodeServiceUnavailable (HTTP 503): an injected fault.
	CodeServiceUnavailable = "DRS.M00503"
)

// Error messages, in the `error_msg` field. None of them contains a secret or
// echoes a credential. They are unexported: tests compare codes, and the
// wording may change.
const (
	msgAuthPrefix             = "Incorrect IAM authentication information: "
	msgNoCredentials          = msgAuthPrefix + "the request has no X-Auth-Token and no Authorization header"
	msgTokenInvalid           = msgAuthPrefix + "the token is invalid"
	msgTokenExpired           = msgAuthPrefix + "the token has expired, obtain a new token"
	msgTokenRevoked           = msgAuthPrefix + "the token has been revoked, obtain a new token"
	msgAuthorizationMalformed = msgAuthPrefix + "the Authorization header is malformed"
	msgSdkDateInvalid         = msgAuthPrefix + "X-Sdk-Date is missing or invalid"
	msgAccessKeyUnknown       = msgAuthPrefix + "the access key does not exist"
	msgSignatureMismatch      = msgAuthPrefix + "verify aksk signature fail"
	msgSecurityTokenInvalid   = msgAuthPrefix + "the security token is missing, not signed or invalid"
	msgCredentialsExpired     = msgAuthPrefix + "the temporary access key has expired"
	// The Date response header carries the fake's time.
	msgSignatureExpired       = "Incorrect app authentication information: signature expired, X-Sdk-Date is more than 15 minutes away from the server time"
	msgProjectMismatch        = "The IAM user is not authorized to access the API: the credentials are for another project than the one in the URI"
	msgAPINotFound            = "The API does not exist or has not been published in the environment"
	msgThrottled              = "The throttling threshold has been reached"
	msgInvalidParameterPrefix = "Invalid parameter: " // a short description of the violation follows
	msgProjectNotFound        = "The project does not exist"
	msgExportNotFound         = "The export job does not exist"
	msgFileNotFoundPrefix     = "The template file does not exist: " // the quoted file name follows
	msgBatchJobNotFound       = "The batch job does not exist"
	msgImportParseFailed      = "Failed to parse the imported file"   // Huawei's message
	msgTemplateDownloadFailed = "Download template file failed."      // Huawei's message
	msgNotCommittablePrefix   = "The batch job cannot be committed: " // why follows
	msgInternalError          = "Internal service error."
	msgServiceUnavailable     = "The service is temporarily unavailable."
)

// IAM's (Keystone-style) error messages.
const (
	iamMsgWrongPassword        = "The username or password is wrong."
	iamMsgProjectNotFound      = "Could not find project."
	iamMsgBadRequestPrefix     = "The request body is invalid: " // of the password login
	iamMsgInvalidRequestPrefix = "The request is invalid: "      // of other IAM calls
	iamMsgNotFound             = "The resource could not be found."
	iamMsgInternalError        = "An unexpected error prevented the server from fulfilling your request."
	iamMsgServiceUnavailable   = "The service is unavailable."
	iamMsgThrottled            = "The throttling threshold has been reached."
)

// maxEcho bounds how much of an outside value an error message quotes.
const maxEcho = 64

// maxMessage bounds the length of any error_msg the fake writes.
const maxMessage = 240

// headerRequestID is the response header that carries the request id.
const headerRequestID = "X-Request-Id"

// failure is a refusal, written in the shape of the API that refuses: a
// gateway body (error_code APIGW.*/APIG.*, with the request id), a DRS body
// (DRS.*) or, without a code, IAM's Keystone body.
type failure struct {
	status     int
	code       string // "" for a Keystone body
	msg        string
	retryAfter int // seconds; sent as Retry-After when positive
}

// write answers the request with f.
func (f *failure) write(w http.ResponseWriter) {
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
	}
	msg := oneLine(f.msg)
	switch {
	case f.code == "":
		title := http.StatusText(f.status)
		writeJSON(w, f.status, iamapi.IAMError{Error: iamapi.IAMErrorDetail{Code: f.status, Title: &title, Message: msg}})
	case strings.HasPrefix(f.code, "APIG"):
		body := drsapi.ErrorResponse{ErrorCode: f.code, ErrorMsg: msg}
		if id := w.Header().Get(headerRequestID); id != "" {
			body.RequestId = &id
		}
		writeJSON(w, f.status, body)
	default:
		writeJSON(w, f.status, drsapi.ErrorResponse{ErrorCode: f.code, ErrorMsg: msg})
	}
}

// Refusals of the API gateway, the same for DRS and IAM calls.

func unauthorized(msg string) *failure {
	return &failure{status: http.StatusUnauthorized, code: CodeAuthFailed, msg: msg}
}

func signatureExpired() *failure {
	return &failure{status: http.StatusUnauthorized, code: CodeSignatureExpired, msg: msgSignatureExpired}
}

func forbidden() *failure {
	return &failure{status: http.StatusForbidden, code: CodeForbidden, msg: msgProjectMismatch}
}

// Refusals in the shape of one API: the gateway's and DRS's bodies for DRS
// calls, Keystone's for IAM calls.

// noRoute answers a request for no operation of the API.
func (a *api) noRoute() *failure {
	if a.iam {
		return &failure{status: http.StatusNotFound, msg: iamMsgNotFound}
	}
	return &failure{status: http.StatusNotFound, code: CodeAPINotFound, msg: msgAPINotFound}
}

// invalid answers a request of op that violates the contract; detail says
// how, without quoting more than maxEcho bytes of it.
func (a *api) invalid(op Operation, detail string) *failure {
	switch {
	case op == OpCreateUserTokenByPassword:
		return &failure{status: http.StatusBadRequest, msg: iamMsgBadRequestPrefix + detail}
	case a.iam:
		return &failure{status: http.StatusBadRequest, msg: iamMsgInvalidRequestPrefix + detail}
	}
	return &failure{status: http.StatusBadRequest, code: CodeInvalidParameter, msg: msgInvalidParameterPrefix + detail}
}

// throttled answers 429 with Retry-After, for the rate limit and for
// injected throttling alike: APIG.0308 on DRS calls, Keystone's body (as the
// contract has it) on IAM calls.
func (a *api) throttled(retryAfterSeconds int) *failure {
	f := &failure{status: http.StatusTooManyRequests, code: CodeThrottled, msg: msgThrottled, retryAfter: max(retryAfterSeconds, 1)}
	if a.iam {
		f.code, f.msg = "", iamMsgThrottled
	}
	return f
}

// internalError answers 500.
func (a *api) internalError() *failure {
	if a.iam {
		return &failure{status: http.StatusInternalServerError, msg: iamMsgInternalError}
	}
	return &failure{status: http.StatusInternalServerError, code: CodeInternalError, msg: msgInternalError}
}

// unavailable answers 503.
func (a *api) unavailable() *failure {
	if a.iam {
		return &failure{status: http.StatusServiceUnavailable, msg: iamMsgServiceUnavailable}
	}
	return &failure{status: http.StatusServiceUnavailable, code: CodeServiceUnavailable, msg: msgServiceUnavailable}
}

// quote returns s quoted for an error message: cut to maxEcho bytes, and
// more while its quoted form (where a control character takes four bytes)
// is longer than 2·maxEcho.
func quote(s string) string {
	s = clip.String(s, maxEcho)
	for {
		if q := strconv.Quote(s); len(q) <= 2*maxEcho {
			return q
		}
		s = clip.String(s, len(s)*3/4)
	}
}

// oneLine makes msg a single line of at most maxMessage bytes.
func oneLine(msg string) string {
	return clip.String(strings.Join(strings.Fields(msg), " "), maxMessage)
}

// writeJSON writes v as JSON with the given status. Encoding errors cannot
// happen for the fixed types passed here; a failed write means the client
// left.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(`{"error_code":"` + CodeInternalError + `","error_msg":"` + msgInternalError + `"}` + "\n")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
