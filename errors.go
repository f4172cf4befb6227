package drstemplate

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The errors of this package say what failed without naming the package
// (as go-github's and azcore's do): a program adds its own prefix once when
// it prints one — the drstemplate command prints "drstemplate: " and the
// error. Errors of package auth start with "auth: ".

// Sentinel errors, for errors.Is. Errors from DRS itself are [*APIError]s;
// those that are refusals of the credentials also match auth.ErrUnauthorized
// and the kind of refusal (auth.ErrTokenRejected, auth.ErrInvalidSignature,
// auth.ErrClockSkew).
var (
	// ErrInvalidInput reports an argument or option refused before any call
	// was made: an empty or oversized list of task ids, a blank or repeated
	// id, an unusable file name or directory.
	ErrInvalidInput = errors.New("invalid input")
	// ErrExportFailed reports an export that DRS ended as failed.
	ErrExportFailed = errors.New("the export failed")
	// ErrNotFound matches an [*APIError] with HTTP status 404: an unknown
	// project, an unknown or expired export id, or a file that is not there.
	ErrNotFound = errors.New("not found")
	// ErrThrottled matches an [*APIError] with HTTP status 429: the caller
	// sends too many requests and must slow down.
	ErrThrottled = errors.New("throttled")
	// ErrNoTemplate reports a task whose export succeeded but whose template
	// file is not among the listed files.
	ErrNoTemplate = errors.New("no template file found for the task")
	// ErrNotTemplate reports a download that is not a template: empty, or
	// not a zip container (an .xlsx, or a .zip of several).
	ErrNotTemplate = errors.New("the download is not a template file")
	// ErrFileExists reports a file that is already in the target directory;
	// it is kept, and the download discarded, unless overwriting was asked for.
	ErrFileExists = errors.New("the file already exists")
	// ErrNotWorkbook reports a file [Client.Import] refused before sending
	// anything: empty, not an .xlsx workbook, or larger than
	// [MaxImportSize]. It comes with [ErrInvalidInput].
	ErrNotWorkbook = errors.New("not a workbook that can be imported")
	// ErrBatchFailed reports a batch job that DRS ended as failed: its
	// validation failed (ASYNC_JOB_VALIDATE_FAILED), so it cannot be
	// committed, or a status that names a failure.
	ErrBatchFailed = errors.New("the batch job failed")
	// ErrUnexpectedResponse reports a response that does not follow the
	// contract: a success status other than the documented one, or a body
	// that cannot be decoded (for example an HTML page from a proxy).
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrNoProjectID reports a client that has no project id and no way to
	// find one: none given with [WithProjectID], none in the environment or
	// the profile file, and credentials that cannot look one up. It comes
	// from [New], and matches ErrInvalidInput too.
	ErrNoProjectID = errors.New("no project id")
)

// APIError is an error answer of DRS (or of the API gateway in front of it):
// every non-2xx response of every call becomes one. Code, Message and
// RequestID come from Huawei's error body and headers; credentials the
// request carried never appear in them.
type APIError struct {
	// Operation is the DRS operation, e.g. "ShowExportProgress".
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is Huawei's error code, e.g. "DRS.M00007" or "APIG.0308".
	Code string
	// Message is the error message, or the start of the body when it holds
	// no recognisable message (e.g. an HTML page from a proxy).
	Message string
	// RequestID identifies the request at Huawei Cloud: quote it to support.
	RequestID string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Header is the answer's header without what could hold a credential:
	// the headers that carry one (Authorization, X-Auth-Token,
	// X-Subject-Token, X-Security-Token, cookies) are left out, and so is
	// any value that echoes a credential the request carried. Nil when the
	// answer had no header.
	Header http.Header
	// Err, when set, says what kind of failure this is: an authentication
	// refusal from auth.Refusal, matched by errors.Is with the sentinels of
	// package auth.
	Err error
}

// Error describes the failure, with what to do about it where that is
// known.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if hint := e.hint(); hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

// hint says what the caller can do next.
func (e *APIError) hint() string {
	switch {
	case e.Err != nil:
		return e.Err.Error()
	case e.StatusCode == http.StatusNotFound && e.Operation == opProgress.String():
		return "the export id is unknown to this project, or the export has expired"
	case e.StatusCode == http.StatusNotFound && e.Operation == opDownload.String():
		return "the file is not (or no longer) among the project's templates"
	case e.StatusCode == http.StatusTooManyRequests:
		h := "throttled: slow down"
		if e.RetryAfter > 0 {
			h += " and retry after " + e.RetryAfter.String()
		}
		return h
	case e.StatusCode >= 500:
		return "the service failed; try again later"
	}
	return ""
}

// Unwrap returns Err and the sentinel of this package the status matches
// ([ErrNotFound], [ErrThrottled]), if any.
func (e *APIError) Unwrap() []error {
	var errs []error
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	switch e.StatusCode {
	case http.StatusNotFound:
		errs = append(errs, ErrNotFound)
	case http.StatusTooManyRequests:
		errs = append(errs, ErrThrottled)
	}
	return errs
}
