package drstemplate

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/endpoint"
)

// TestClassify is the table of what is worth another attempt, and who
// makes it: the call (for the export only what DRS cannot have acted on),
// the flow's resubmission of an export (what the call left alone because
// DRS may have acted), the download again (a body that broke off) and the
// waiter (anything not permanent).
func TestClassify(t *testing.T) {
	status := func(code int) error {
		return &APIError{Operation: opProgress.String(), StatusCode: code, RetryAfter: 7 * time.Second}
	}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	for _, tc := range []struct {
		name string
		err  error
		want failure
	}{
		{"429", status(http.StatusTooManyRequests), unsent},
		{"500", status(http.StatusInternalServerError), unanswered},
		{"502", status(http.StatusBadGateway), unanswered},
		{"503", status(http.StatusServiceUnavailable), unanswered},
		{"504", status(http.StatusGatewayTimeout), unanswered},
		{"501", status(http.StatusNotImplemented), permanent},
		{"400", status(http.StatusBadRequest), permanent},
		{"401", status(http.StatusUnauthorized), permanent},
		{"404", status(http.StatusNotFound), permanent},
		{"a failed dial", fmt.Errorf("drstemplate: x: %w", dial), unsent},
		{"a reset after sending", fmt.Errorf("drstemplate: x: %w", read), unanswered},
		{"an answer cut short", fmt.Errorf("reading the answer: %w", io.ErrUnexpectedEOF), unanswered},
		{"the context ended", fmt.Errorf("%w (%w)", context.DeadlineExceeded, read), permanent},
		{"cancelled", context.Canceled, permanent},
		{"bad input", ErrInvalidInput, permanent},
		{"off the contract", errBodyTooLarge, permanent},
		{"a certificate", x509.UnknownAuthorityError{}, permanent},
		{"no credentials", auth.ErrNoCredentials, permanent},
		{"a foreign host", auth.ErrForeignHost, permanent},
		{"a bad endpoint", endpoint.ErrInvalidEndpoint, permanent},
		{"a failed login", &auth.LoginError{StatusCode: 500}, permanent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, after := classify(tc.err)
			if got != tc.want {
				t.Fatalf("classify = %d, want %d", got, tc.want)
			}
			var apiErr *APIError
			if errors.As(tc.err, &apiErr) && after != apiErr.RetryAfter {
				t.Errorf("Retry-After %s, want the error's %s", after, apiErr.RetryAfter)
			}
			retried := tc.want != permanent
			if d := opProgress.decide(tc.err); d.Retry != retried || d.After != after {
				t.Errorf("a read: retry %v after %s; want %v", d.Retry, d.After, retried)
			}
			if d := opExport.decide(tc.err); d.Retry != (tc.want == unsent) {
				t.Errorf("the export call: retry %v; want it only where DRS cannot have acted", d.Retry)
			}
			if d := decideResubmit(tc.err); d.Retry != (tc.want == unanswered) {
				t.Errorf("the flow's resubmission: %v; want it only where the call left it because DRS may have acted", d.Retry)
			}
			if d := decideDownloadAgain(tc.err); d.Retry {
				t.Error("downloaded again after an error that is no broken body")
			}
			if d := decideDownloadAgain(&bodyError{err: tc.err}); d.Retry != retried {
				t.Errorf("a body broken by it: download again %v, want %v", d.Retry, retried)
			}
		})
	}
}
