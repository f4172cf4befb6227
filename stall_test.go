package drstemplate_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// TestStalledCalls: a server that stops sending — before the headers, or
// in the middle of a body — fails the call within the stall timeout (a
// small one here), with no deadline on the context, and the call is tried
// again like any network failure.
func TestStalledCalls(t *testing.T) {
	const stall = 50 * time.Millisecond
	tests := []struct {
		name string
		head bool   // headers and part of the body sent before the silence
		body string // what is sent before the silence
		call func(c *drstemplate.Client, dir string) error
	}{
		{"list, headers never sent", false, "", func(c *drstemplate.Client, _ string) error {
			for _, err := range c.Templates(t.Context()) {
				return err
			}
			return nil
		}},
		{"list, body stalls", true, `{"count": 1, "export_report_obs_fi`, func(c *drstemplate.Client, _ string) error {
			for _, err := range c.Templates(t.Context()) {
				return err
			}
			return nil
		}},
		{"download, body stalls", true, "PK\x03\x04 and then nothing", func(c *drstemplate.Client, dir string) error {
			_, err := c.DownloadToDir(t.Context(), dir, []string{"a.xlsx"}, nil)
			return err
		}},
		{"download, headers never sent", false, "", func(c *drstemplate.Client, dir string) error {
			_, err := c.DownloadToDir(t.Context(), dir, []string{"a.xlsx"}, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				// Read the request whole: net/http notices a closed
				// connection only then, ending the handler's context.
				_, _ = io.Copy(io.Discard, r.Body)
				if tt.head {
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Length", "100000")
					_, _ = w.Write([]byte(tt.body))
					w.(http.Flusher).Flush()
				}
				<-r.Context().Done() // silence until the client gives up
			}))
			t.Cleanup(srv.Close)
			c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
				drstemplate.WithCredentials(auth.StaticToken(testToken)), drstemplate.WithStallTimeout(stall),
				drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			err = tt.call(c, dir)
			if !errors.Is(err, drstemplate.ErrStalled) || !strings.Contains(err.Error(), "no progress") {
				t.Fatalf("%v; want ErrStalled", err)
			}
			if got := calls.Load(); got != 2 {
				t.Errorf("%d calls; want 2: a stalled call is tried again", got)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the stalled download left %v", entries)
			}
		})
	}
	if _, err := drstemplate.New(drstemplate.WithStallTimeout(0)); !errors.Is(err, drstemplate.ErrInvalidInput) {
		t.Errorf("WithStallTimeout(0): %v; want ErrInvalidInput", err)
	}
}
