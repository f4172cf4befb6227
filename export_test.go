package drstemplate_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/drsfake"
)

func TestExport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(3)}})
		before := time.Now()
		exp, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		if exp.ID == "" || exp.RequestStatus != "SUCCESS" {
			t.Errorf("export = %+v", exp)
		}
		// Accepted is the server's Date header: whole seconds of its clock.
		if want := before.UTC().Truncate(time.Second); !exp.Accepted.Equal(want) {
			t.Errorf("Accepted = %v, want the fake's time %v", exp.Accepted, want)
		}
		if strings.Join(exp.TaskIDs, ",") != strings.Join(e.tasks, ",") {
			t.Errorf("TaskIDs = %v, want %v", exp.TaskIDs, e.tasks)
		}
		if st, err := e.client.Wait(t.Context(), exp.ID, nil); err != nil || !st.Succeeded() {
			t.Errorf("Wait = %q, %v", st, err)
		}
	})
}

func TestExportRefusesBadInputBeforeAnyCall(t *testing.T) {
	long := strings.Repeat("a", 129)
	for _, tc := range []struct {
		name string
		ids  []string
		want string
	}{
		{"none", nil, "no task ids"},
		{"blank", []string{"a", "  "}, `#2 "  " has white space in it`},
		{"empty", []string{""}, `#1 "" is empty`},
		{"repeated", []string{"a", "b", "a"}, `"a" is given twice (#1 and #3)`},
		{"too long", []string{long}, "longer than 128"},
		{"control character", []string{"a\x1bb"}, "control or non-printable"},
		{"invalid UTF-8", []string{"a\xffb"}, "not valid UTF-8"},
		{"inner space", []string{"a b"}, "white space in it"},
		{"too many", make([]string, 4), "more than the 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{client: []drstemplate.Option{drstemplate.WithMaxTasksPerExport(3)}})
				_, err := e.client.Export(t.Context(), tc.ids...)
				if !errors.Is(err, drstemplate.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err = %v, want ErrInvalidInput saying %q", err, tc.want)
				}
				if n := e.calls.count("", ""); n != 0 {
					t.Errorf("%d requests were sent", n)
				}
			})
		})
	}
}

func TestExportAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(r *http.Request, rec *httptest.ResponseRecorder)
		ids    func(e *env) []string
		check  func(t *testing.T, err error)
		expect int // requests made
	}{
		{
			name: "unknown task", ids: func(*env) []string { return []string{"no-such-task"} },
			check: func(t *testing.T, err error) {
				var apiErr *drstemplate.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Code != drsfake.CodeInvalidParameter || apiErr.RequestID == "" {
					t.Errorf("err = %#v, want a 400 DRS.M00007 APIError with a request id", err)
				}
			},
			expect: 1,
		},
		{
			name: "200 instead of 202",
			edit: func(_ *http.Request, rec *httptest.ResponseRecorder) { rec.Code = http.StatusOK },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, drstemplate.ErrUnexpectedResponse) {
					t.Errorf("err = %v, want ErrUnexpectedResponse", err)
				}
			},
			expect: 1,
		},
		{
			name: "no id",
			edit: func(_ *http.Request, rec *httptest.ResponseRecorder) {
				rec.Body.Reset()
				rec.Body.WriteString(`{"id":"","status":"SUCCESS"}`)
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, drstemplate.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "without an export id") {
					t.Errorf("err = %v", err)
				}
			},
			expect: 1,
		},
		{
			name: "HTML from a proxy",
			edit: func(_ *http.Request, rec *httptest.ResponseRecorder) {
				rec.Body.Reset()
				rec.Body.WriteString("<html><body>Gateway login</body></html>")
				rec.Header().Set("Content-Type", "text/html")
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, drstemplate.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "text/html") {
					t.Errorf("err = %v", err)
				}
			},
			expect: 1,
		},
		{
			name: "500 is not retried: DRS may have started the export",
			edit: func(_ *http.Request, rec *httptest.ResponseRecorder) {
				rec.Code = http.StatusInternalServerError
				rec.Body.Reset()
				rec.Body.WriteString(`{"error_code":"DRS.M00500","error_msg":"Internal service error."}`)
			},
			check: func(t *testing.T, err error) {
				var apiErr *drstemplate.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError || !strings.Contains(err.Error(), "try again later") {
					t.Errorf("err = %v", err)
				}
			},
			expect: 1,
		},
		{
			name: "429 is retried: the gateway refused it before DRS saw it",
			edit: throttleFirst(1, "2"),
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("err = %v", err)
				}
			},
			expect: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := envConfig{}
				if tc.edit != nil {
					cfg.wrap = rewrite(pathExport, tc.edit)
				}
				e := newEnv(t, cfg)
				ids := e.tasks[:1]
				if tc.ids != nil {
					ids = tc.ids(e)
				}
				start := time.Now()
				_, err := e.client.Export(t.Context(), ids...)
				tc.check(t, err)
				if n := e.calls.count(http.MethodPost, pathExport); n != tc.expect {
					t.Errorf("%d export requests, want %d", n, tc.expect)
				}
				if tc.expect == 2 && time.Since(start) < 2*time.Second {
					t.Errorf("retried after %s, before the Retry-After of 2s", time.Since(start))
				}
			})
		})
	}
}

// throttleFirst returns an edit that answers the first n requests with 429
// APIG.0308 and the given Retry-After.
func throttleFirst(n int, retryAfter string) func(*http.Request, *httptest.ResponseRecorder) {
	var (
		mu   sync.Mutex
		seen int
	)
	return func(_ *http.Request, rec *httptest.ResponseRecorder) {
		mu.Lock()
		defer mu.Unlock()
		if seen++; seen > n {
			return
		}
		rec.Code = http.StatusTooManyRequests
		rec.Header().Set("Retry-After", retryAfter)
		rec.Body.Reset()
		rec.Body.WriteString(`{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}`)
	}
}
