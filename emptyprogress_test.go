package drstemplate_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// TestPollEmptyProgress: a progress answer without a process_status ({})
// is malformed, not "still running".
func TestPollEmptyProgress(t *testing.T) {
	for _, body := range []string{`{}`, `{"process_status":""}`, `{"process_status":"  "}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}))
		c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
			drstemplate.WithCredentials(auth.StaticToken(testToken)))
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Poll(t.Context(), "job-1")
		if !errors.Is(err, drstemplate.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "process_status") {
			t.Errorf("Poll of %s = %q, %v; want ErrUnexpectedResponse", body, st, err)
		}
		srv.Close()
	}
}
