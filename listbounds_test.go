package drstemplate_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
)

// hostileList serves pages that page builds from the call's number (from
// 1) and offset, counting the calls.
func hostileList(t *testing.T, calls *atomic.Int64, page func(call, offset, limit int) (count int64, names []string)) *drstemplate.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		count, names := page(int(calls.Add(1)), offset, limit)
		files := make([]map[string]string, len(names))
		for i, n := range names {
			files[i] = map[string]string{"file_name": n, "last_modified": "2025-07-03T09:44:12Z"}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"count": count, "export_report_obs_files": files})
	}))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// freshNames returns n names never sent before, of the documented form.
func freshNames(call, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("task-%d-%d_mysql_20250703094510.xlsx", call, i)
	}
	return names
}

// TestListingBounds: a listing stops at its bounds with a clear error,
// whatever the server announces or sends.
func TestListingBounds(t *testing.T) {
	tests := []struct {
		name     string
		page     func(call, offset, limit int) (int64, []string)
		says     string
		maxCalls int64
	}{
		{"2^31-1 files announced, new names on every page",
			func(call, _, limit int) (int64, []string) { return math.MaxInt32, freshNames(call, limit) },
			"announces 2147483647 files, more than the 100000", 1},
		{"a list that goes back while new names keep coming",
			func(call, _, limit int) (int64, []string) {
				return drstemplate.MaxListedFiles - int64(call%2)*100, freshNames(call, limit)
			},
			"more than 100000 files, the most a listing reads", drstemplate.MaxListedFiles/100 + 1},
		{"a list that goes back, one new name a page",
			func(call, _, limit int) (int64, []string) {
				names := freshNames(0, limit)
				names[0] = fmt.Sprintf("task-new-%d_mysql_20250703094510.xlsx", call)
				return drstemplate.MaxListedFiles - int64(call%2)*100, names
			},
			"more than 2005 pages in one listing", 2*drstemplate.MaxListedFiles/100 + 6},
		{"more files than asked for",
			func(call, _, limit int) (int64, []string) { return 1000, freshNames(call, limit+1) },
			"sent 101 files, more than the 100 asked for", 1},
		{"a name longer than the contract allows",
			func(int, int, int) (int64, []string) { return 1, []string{strings.Repeat("n", 256) + ".xlsx"} },
			"a file name of 261 characters", 1},
		{"the same page whatever the offset, the count constant",
			func(int, int, int) (int64, []string) { return 100_000, freshNames(0, 100) },
			"the count stays at 100000: the server sends files already seen", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			c := hostileList(t, &calls, tt.page)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			n, last := 0, error(nil)
			for _, err := range c.Templates(t.Context()) {
				if err != nil {
					last = err
					break
				}
				n++
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(last, drstemplate.ErrUnexpectedResponse) || !strings.Contains(last.Error(), tt.says) {
				t.Fatalf("after %d files and %d calls: %v; want ErrUnexpectedResponse saying %q", n, calls.Load(), last, tt.says)
			}
			if strings.Contains(tt.says, "stays") && strings.Contains(last.Error(), "keeps changing") {
				t.Errorf("%v: says the count keeps changing, though it stayed", last)
			}
			if n > drstemplate.MaxListedFiles {
				t.Errorf("%d files yielded, more than the %d a listing reads", n, drstemplate.MaxListedFiles)
			}
			if got := calls.Load(); got > tt.maxCalls {
				t.Errorf("%d calls; want at most %d", got, tt.maxCalls)
			}
			t.Logf("%d files, %d calls, %d MiB allocated: %v", n, calls.Load(), (after.TotalAlloc-before.TotalAlloc)>>20, last)
		})
	}
}
