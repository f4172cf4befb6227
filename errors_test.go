package drstemplate_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/drs-tools/drstemplate"
)

// TestAPIErrorHeaderHoldsNoCredential answers every call with a 503 whose
// header echoes the credentials the request carried and adds some of its
// own: the APIError's Header keeps the answer's other headers and no
// credential, with token and AK/SK credentials alike.
func TestAPIErrorHeaderHoldsNoCredential(t *testing.T) {
	for _, aksk := range []bool{false, true} {
		t.Run(map[bool]string{false: "token", true: "AK/SK"}[aksk], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				echo := func(http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						h := w.Header()
						h.Set("X-Request-Id", "req-echo")
						h.Set("Retry-After", "1")
						h.Set("X-Subject-Token", "issued-SECRET-token")
						h.Set("Set-Cookie", "session=SECRET")
						h.Set("X-Auth-Token", r.Header.Get("X-Auth-Token"))
						for _, sent := range []string{"X-Auth-Token", "Authorization"} {
							if v := r.Header.Get(sent); v != "" {
								h.Add("X-Echo", "you sent "+v)
							}
						}
						h.Add("X-Echo", "kept")
						h.Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusServiceUnavailable)
						_, _ = w.Write([]byte(`{"error_code":"DRS.M00503","error_msg":"busy"}`))
					})
				}
				e := newEnv(t, envConfig{aksk: aksk, wrap: echo,
					client: []drstemplate.Option{drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 1})}})
				_, err := e.client.Export(t.Context(), e.tasks[0])
				var apiErr *drstemplate.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
					t.Fatalf("err = %v, want a 503 APIError", err)
				}
				h := apiErr.Header
				if h.Get("X-Request-Id") != "req-echo" || h.Get("Retry-After") != "1" || h.Get("Content-Type") != "application/json" {
					t.Errorf("Header lost the answer's own headers: %v", h)
				}
				if got := h.Values("X-Echo"); len(got) != 1 || got[0] != "kept" {
					t.Errorf("X-Echo = %q, want only the value without a credential", got)
				}
				secrets := []string{testToken, testSK, "SECRET", "Signature="}
				for name, values := range h {
					for _, v := range values {
						for _, s := range secrets {
							if strings.Contains(v, s) {
								t.Errorf("Header %s = %q keeps a credential", name, v)
							}
						}
					}
				}
				for _, name := range []string{"X-Auth-Token", "X-Subject-Token", "Set-Cookie"} {
					if _, ok := h[name]; ok {
						t.Errorf("Header keeps %s", name)
					}
				}
			})
		})
	}
}
