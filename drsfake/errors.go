package drsfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

// Error codes the fake answers with, in the `error_code` field of its JSON
// error bodies. The APIGW./APIG. codes are the API gateway's, the DRS. codes
// the DRS service's (see api/openapi.yaml). Those the client also branches on
// are the shared values of internal/huaweierr.
const (
	// CodeAuthFailed, "APIGW.0301" (HTTP 401): missing, unknown, expired or revoked token,
	// unknown access key, wrong or malformed signature, bad security token.
	CodeAuthFailed = huaweierr.CodeAuthFailed
	// CodeForbidden (HTTP 403): the credentials are valid but belong to another
	// project than the one in the URI (token scope or X-Project-Id).
	CodeForbidden = "APIGW.0302"
	// CodeSignatureExpired, "APIGW.0303" (HTTP 401): X-Sdk-Date is more than [MaxClockSkew]
	// away from the fake's clock.
	CodeSignatureExpired = huaweierr.CodeSignatureExpired
	// CodeAPINotFound (HTTP 404): no API at this method and path.
	CodeAPINotFound = "APIGW.0101"
	// CodeThrottled, "APIG.0308" (HTTP 429, with Retry-After): rate limit exceeded or an
	// injected throttling fault.
	CodeThrottled = huaweierr.CodeThrottled
	// CodeInvalidParameter, "DRS.M00007" (HTTP 400): the request violates the API contract,
	// or names a task that does not exist.
	CodeInvalidParameter = huaweierr.CodeInvalidParameter
	// CodeNotFound (HTTP 404): unknown project, export id or template file.
	CodeNotFound = "DRS.M00404"
	// CodeInternalError (HTTP 500): an injected fault or an internal failure.
	CodeInternalError = "DRS.M00500"
	// CodeServiceUnavailable (HTTP 503): an injected fault.
	CodeServiceUnavailable = "DRS.M00503"
)

// Error messages, in the `error_msg` field. None of them contains a secret or
// echoes a credential.
const (
	// MsgAuthPrefix starts every 401 APIGW.0301 message.
	MsgAuthPrefix = "Incorrect IAM authentication information: "
	// MsgNoCredentials: neither X-Auth-Token nor Authorization was sent.
	MsgNoCredentials = MsgAuthPrefix + "the request has no X-Auth-Token and no Authorization header"
	// MsgTokenInvalid: the X-Auth-Token is not one the fake knows.
	MsgTokenInvalid = MsgAuthPrefix + "the token is invalid"
	// MsgTokenExpired: the X-Auth-Token has expired; get a new one.
	MsgTokenExpired = MsgAuthPrefix + "the token has expired, obtain a new token"
	// MsgTokenRevoked: the X-Auth-Token was revoked; get a new one.
	MsgTokenRevoked = MsgAuthPrefix + "the token has been revoked, obtain a new token"
	// MsgAuthorizationMalformed: the Authorization header is not a
	// well-formed SDK-HMAC-SHA256 value.
	MsgAuthorizationMalformed = MsgAuthPrefix + "the Authorization header is malformed"
	// MsgSdkDateInvalid: X-Sdk-Date is missing, repeated or not in
	// YYYYMMDDTHHMMSSZ form.
	MsgSdkDateInvalid = MsgAuthPrefix + "X-Sdk-Date is missing or invalid"
	// MsgAccessKeyUnknown: the access key is not one the fake knows.
	MsgAccessKeyUnknown = MsgAuthPrefix + "the access key does not exist"
	// MsgSignatureMismatch: the signature does not match the request (wrong
	// secret key, or a changed method, path, query, signed header or body).
	MsgSignatureMismatch = MsgAuthPrefix + "verify aksk signature fail"
	// MsgSecurityTokenInvalid: temporary credentials without a signed, valid
	// X-Security-Token.
	MsgSecurityTokenInvalid = MsgAuthPrefix + "the security token is missing, not signed or invalid"
	// MsgCredentialsExpired: the temporary access key has expired.
	MsgCredentialsExpired = MsgAuthPrefix + "the temporary access key has expired"
	// MsgSignatureExpired (APIGW.0303): X-Sdk-Date too far from server time.
	// The Date response header carries the fake's time.
	MsgSignatureExpired = "Incorrect app authentication information: signature expired, X-Sdk-Date is more than 15 minutes away from the server time"
	// MsgProjectMismatch (APIGW.0302): token scope or X-Project-Id differ
	// from the project in the URI.
	MsgProjectMismatch = "The IAM user is not authorized to access the API: the credentials are for another project than the one in the URI"
	// MsgAPINotFound (APIGW.0101): no such method and path.
	MsgAPINotFound = "The API does not exist or has not been published in the environment"
	// MsgThrottled (APIG.0308).
	MsgThrottled = "The throttling threshold has been reached"
	// MsgInvalidParameterPrefix starts every DRS.M00007 message; a short
	// description of the violation follows.
	MsgInvalidParameterPrefix = "Invalid parameter: "
	// MsgProjectNotFound (DRS.M00404): the project in the URI does not exist.
	MsgProjectNotFound = "The project does not exist"
	// MsgExportNotFound (DRS.M00404): unknown async job id.
	MsgExportNotFound = "The export job does not exist"
	// MsgFileNotFoundPrefix (DRS.M00404) is followed by the quoted file name.
	MsgFileNotFoundPrefix = "The template file does not exist: "
	// MsgInternalError (DRS.M00500).
	MsgInternalError = "Internal service error."
	// MsgServiceUnavailable (DRS.M00503).
	MsgServiceUnavailable = "The service is temporarily unavailable."
)

// IAM (Keystone-style) error messages of POST /v3/auth/tokens and GET
// /v3/projects. (Refused credentials on GET /v3/projects get the gateway's
// APIGW.0301 / APIGW.0303 bodies, as on DRS calls.)
const (
	// IAMMsgWrongPassword (401): unknown account or user, or wrong password.
	IAMMsgWrongPassword = "The username or password is wrong."
	// IAMMsgProjectNotFound (404): the scope names a project the fake lacks.
	IAMMsgProjectNotFound = "Could not find project."
	// IAMMsgBadRequestPrefix (400, POST /v3/auth/tokens) is followed by a
	// short description.
	IAMMsgBadRequestPrefix = "The request body is invalid: "
	// IAMMsgInvalidRequestPrefix (400, other IAM calls, e.g. an empty name
	// query parameter of GET /v3/projects) is followed by a short description.
	IAMMsgInvalidRequestPrefix = "The request is invalid: "
	// IAMMsgNotFound (404): no IAM API at this method and path.
	IAMMsgNotFound = "The resource could not be found."
)

// maxEcho bounds how much of an outside value an error message quotes.
const maxEcho = 64

// maxMessage bounds the length of any error_msg the fake writes.
const maxMessage = 240

// HeaderRequestID is the response header that carries the request id.
const HeaderRequestID = "X-Request-Id"

// quote returns s quoted for an error message, cut to maxEcho bytes.
func quote(s string) string {
	return strconv.Quote(clip(s, maxEcho))
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// oneLine makes msg a single line of at most maxMessage bytes.
func oneLine(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	return clip(msg, maxMessage)
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
		buf.WriteString(`{"error_code":"` + CodeInternalError + `","error_msg":"` + MsgInternalError + `"}` + "\n")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeDRSError writes a DRS-service error body {"error_code","error_msg"}.
func writeDRSError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, drsapi.ErrorResponse{ErrorCode: code, ErrorMsg: oneLine(msg)})
}

// writeGatewayError writes an API-gateway error body, which also carries the
// request id.
func writeGatewayError(w http.ResponseWriter, status int, code, msg string) {
	body := drsapi.ErrorResponse{ErrorCode: code, ErrorMsg: oneLine(msg)}
	if id := w.Header().Get(HeaderRequestID); id != "" {
		body.RequestId = &id
	}
	writeJSON(w, status, body)
}

// writeThrottled writes 429 APIG.0308 with Retry-After (whole seconds, ≥ 1).
func writeThrottled(w http.ResponseWriter, retryAfterSeconds int) {
	w.Header().Set("Retry-After", strconv.Itoa(max(retryAfterSeconds, 1)))
	writeGatewayError(w, http.StatusTooManyRequests, CodeThrottled, MsgThrottled)
}

// writeIAMError writes IAM's Keystone-style error body.
func writeIAMError(w http.ResponseWriter, status int, msg string) {
	title := http.StatusText(status)
	writeJSON(w, status, iamapi.IAMError{Error: iamapi.IAMErrorDetail{
		Code: status, Title: &title, Message: oneLine(msg),
	}})
}

// IAM messages of injected faults.
const (
	// IAMMsgInternalError (500).
	IAMMsgInternalError = "An unexpected error prevented the server from fulfilling your request."
	// IAMMsgServiceUnavailable (503).
	IAMMsgServiceUnavailable = "The service is unavailable."
	// IAMMsgThrottled (429).
	IAMMsgThrottled = "The throttling threshold has been reached."
)
