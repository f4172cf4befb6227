package drstemplate_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// exportAll exports the tasks and waits for the files.
func exportAll(t *testing.T, e *env, tasks ...string) drstemplate.Export {
	t.Helper()
	exp, err := e.client.Export(t.Context(), tasks...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Wait(t.Context(), exp.ID, nil); err != nil {
		t.Fatal(err)
	}
	return exp
}

// collect reads the whole listing.
func collect(t *testing.T, c *drstemplate.Client) []drstemplate.Template {
	t.Helper()
	var all []drstemplate.Template
	for tpl, err := range c.Templates(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tpl)
	}
	return all
}

func TestTemplatesPagesThroughEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The fake serves at most 7 files a page: 150 files take 22 pages.
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(150), drsfake.WithPageSizeLimit(7)}})
		exportAll(t, e, e.tasks[:100]...)
		time.Sleep(time.Second) // the second export's files get a later time
		exportAll(t, e, e.tasks[100:]...)

		all := collect(t, e.client)
		if len(all) != 150 {
			t.Fatalf("%d templates, want 150", len(all))
		}
		seen := map[string]bool{}
		for _, tpl := range all {
			if seen[tpl.TaskID] {
				t.Errorf("task %s listed twice", tpl.TaskID)
			}
			seen[tpl.TaskID] = true
			if tpl.Engine == "" || tpl.Created.IsZero() || tpl.LastModified.IsZero() || tpl.Name == "" {
				t.Errorf("incomplete template %+v", tpl)
			}
		}
		if pages := e.calls.count(http.MethodGet, pathList); pages != 22 {
			t.Errorf("%d list calls, want 22", pages)
		}
	})
}

func TestTemplatesWhileFilesAreAdded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(40), drsfake.WithPageSizeLimit(5)}})
		exportAll(t, e, e.tasks[:20]...)
		before := collect(t, e.client)

		// New files appear at the top of the list while it is read.
		var got []drstemplate.Template
		added := false
		for tpl, err := range e.client.Templates(t.Context()) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, tpl)
			if len(got) == 7 && !added {
				added = true
				time.Sleep(time.Second)
				exportAll(t, e, e.tasks[20:]...)
			}
		}
		names := map[string]int{}
		for _, tpl := range got {
			names[tpl.Name]++
			if names[tpl.Name] > 1 {
				t.Errorf("%s yielded twice", tpl.Name)
			}
		}
		for _, tpl := range before {
			if names[tpl.Name] != 1 {
				t.Errorf("%s, listed before and after, was yielded %d times", tpl.Name, names[tpl.Name])
			}
		}
	})
}

// shrinkingList serves a list of files newest first, from which the newest
// is removed after each of the first `removals` calls: the files after it
// move up by one.
func shrinkingList(total, removals int) http.Handler {
	files := make([]map[string]string, total)
	for i := range files {
		files[i] = map[string]string{
			"file_name":     fmt.Sprintf("task-%03d_mysql_20250703094510.xlsx", i),
			"last_modified": "2025-07-03T09:44:12Z",
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		limit = min(limit, 4)
		page := files[min(offset, len(files)):min(offset+limit, len(files))]
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"count": len(files), "export_report_obs_files": page})
		if removals > 0 {
			removals--
			files = files[1:] // the newest file expires
		}
	})
}

func TestTemplatesWhileFilesAreRemoved(t *testing.T) {
	srv := httptest.NewServer(shrinkingList(20, 5))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, c)
	seen := map[string]bool{}
	for _, tpl := range got {
		if seen[tpl.Name] {
			t.Errorf("%s yielded twice", tpl.Name)
		}
		seen[tpl.Name] = true
	}
	// Files 0 to 4 were removed while the list was read; the others were
	// there throughout.
	for i := 5; i < 20; i++ {
		if name := fmt.Sprintf("task-%03d_mysql_20250703094510.xlsx", i); !seen[name] {
			t.Errorf("%s, in the list throughout, was skipped", name)
		}
	}
}

// testProject is a project id for tests that need no fake.
const testProject = "0123456789abcdef0123456789abcdef"

func TestTemplatesStopsAtTheFirstError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(10), drsfake.WithPageSizeLimit(3)},
			wrap: rewrite(pathList, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if r.URL.Query().Get("offset") == "6" {
					rec.Code = http.StatusForbidden
					rec.Body.Reset()
					rec.Body.WriteString(`{"error_code":"APIGW.0302","error_msg":"not allowed"}`)
				}
			}),
		})
		exportAll(t, e, e.tasks...)
		var n int
		var last error
		for _, err := range e.client.Templates(t.Context()) {
			if err != nil {
				last = err
				continue
			}
			n++
		}
		var apiErr *drstemplate.APIError
		if n != 6 || !errors.As(last, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
			t.Errorf("got %d templates and %v; want 6, then the 403", n, last)
		}
	})
}

func TestTemplatesBreakStopsCalling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(10), drsfake.WithPageSizeLimit(3)}})
		exportAll(t, e, e.tasks...)
		for _, err := range e.client.Templates(t.Context()) {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		if n := e.calls.count(http.MethodGet, pathList); n != 1 {
			t.Errorf("%d list calls after a break on the first file", n)
		}
	})
}

func TestTemplateNames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		names := []string{
			"2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx",
			"with_underscores_in_id_mysql_20250101000000.xlsx",
			"report.xlsx",
			"x_mysql_2025.xlsx",
			"x_mysql_20251399000000.xlsx",
		}
		e := newEnv(t, envConfig{wrap: rewrite(pathList, func(_ *http.Request, rec *httptest.ResponseRecorder) {
			var files []map[string]string
			for _, n := range names {
				files = append(files, map[string]string{"file_name": n, "last_modified": "2025-07-03T09:44:12+08:00"})
			}
			rec.Body.Reset()
			_ = json.NewEncoder(rec.Body).Encode(map[string]any{"count": len(files), "export_report_obs_files": files})
		})})
		got := collect(t, e.client)
		want := []drstemplate.Template{
			{Name: names[0], TaskID: "2e69ebb1-f06d-4eb2-a789-2883629jb204", Engine: "postgresql", Created: time.Date(2025, 7, 3, 9, 45, 10, 0, time.UTC)},
			{Name: names[1], TaskID: "with_underscores_in_id", Engine: "mysql", Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Name: names[2]},
			{Name: names[3]},
			{Name: names[4]},
		}
		modified := time.Date(2025, 7, 3, 1, 44, 12, 0, time.UTC)
		for i := range want {
			want[i].LastModified = modified
		}
		if !slices.EqualFunc(got, want, func(a, b drstemplate.Template) bool {
			return a.Name == b.Name && a.TaskID == b.TaskID && a.Engine == b.Engine && a.Created.Equal(b.Created) &&
				a.LastModified.Equal(b.LastModified) && a.LastModified.Location() == time.UTC
		}) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
}

func TestTemplatesGivesUpOnAListThatNeverSettles(t *testing.T) {
	// One file a page, and a count that goes up and down on every call.
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"count":                   200 - calls%2,
			"export_report_obs_files": []map[string]string{{"file_name": "f" + r.URL.Query().Get("offset") + ".xlsx", "last_modified": "2025-01-01T00:00:00Z"}},
		})
	}))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for _, err := range c.Templates(t.Context()) {
		last = err
	}
	if !errors.Is(last, drstemplate.ErrUnexpectedResponse) || calls > 20 {
		t.Errorf("after %d calls: %v; want it to give up with ErrUnexpectedResponse", calls, last)
	}
}
