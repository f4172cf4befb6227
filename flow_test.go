package drstemplate_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/drsfake"
)

// eventLog collects the events of a flow.
type eventLog struct {
	mu     sync.Mutex
	events []drstemplate.Event
}

func (l *eventLog) add(e drstemplate.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) count(k drstemplate.EventKind) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// checkResults checks that every task of results has its template in dir,
// as the result says, and that dir holds nothing else.
func checkResults(t *testing.T, dir string, tasks []string, results []drstemplate.Result, workbooks bool) {
	t.Helper()
	if len(results) != len(tasks) {
		t.Fatalf("%d results for %d tasks", len(results), len(tasks))
	}
	var want []string
	for i, r := range results {
		if r.TaskID != tasks[i] || r.Err != nil || r.ExportID == "" {
			t.Errorf("result %d = %+v, want task %s without error", i, r, tasks[i])
			continue
		}
		if !strings.HasPrefix(r.File.Name, r.TaskID+"_") || r.File.Path != filepath.Join(dir, r.File.Name) {
			t.Errorf("result %d: file %+v", i, r.File)
		}
		data, err := os.ReadFile(r.File.Path)
		if err != nil {
			t.Error(err)
			continue
		}
		if sha(data) != r.File.SHA256 || int64(len(data)) != r.File.Size {
			t.Errorf("%s: size or SHA-256 differ from the result", r.File.Path)
		}
		if workbooks {
			checkWorkbook(t, data, r.TaskID)
		}
		want = append(want, r.File.Name)
	}
	slices.Sort(want)
	if got := listDir(t, dir); slices.Compare(got, want) != 0 {
		t.Errorf("dir holds %d entries, want the %d templates", len(got), len(want))
	}
}

func TestExportAndDownload(t *testing.T) {
	for _, n := range []int{1, 10, 500} {
		t.Run(strconv.Itoa(n)+" tasks", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(n)}})
				events := &eventLog{}
				dir := filepath.Join(t.TempDir(), "templates")
				results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, &drstemplate.ExportAndDownloadOptions{Events: events.add})
				if err != nil {
					t.Fatal(err)
				}
				checkResults(t, dir, e.tasks, results, n <= 10)
				const perExport = 100 // the fewest tasks an export gets when there are more (ExportAndDownloadOptions.Exports)
				chunks := (n + perExport - 1) / perExport
				if got := e.calls.count(http.MethodPost, pathExport); got != chunks {
					t.Errorf("%d exports, want %d", got, chunks)
				}
				if got := events.count(drstemplate.EventSubmitted); got != chunks {
					t.Errorf("%d submitted events, want %d", got, chunks)
				}
				if events.count(drstemplate.EventDownloading) != n || events.count(drstemplate.EventDone) != n || events.count(drstemplate.EventStatus) < chunks {
					t.Errorf("events: %d downloading, %d done, %d status", events.count(drstemplate.EventDownloading),
						events.count(drstemplate.EventDone), events.count(drstemplate.EventStatus))
				}
			})
		})
	}
}

func TestExportAndDownloadIsolatesFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  drsfake.Task // added to the fake unless its id is unknown
		add  bool
		want func(err error) bool
	}{
		{"a task whose export fails", drsfake.Task{ID: "failing-task", Engine: "mysql", FailExport: true}, true,
			func(err error) bool { return errors.Is(err, drstemplate.ErrExportFailed) }},
		{"a task DRS does not know", drsfake.Task{ID: "unknown-task"}, false,
			func(err error) bool {
				var apiErr *drstemplate.APIError
				return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				opts := []drsfake.Option{drsfake.WithGeneratedTasks(9)}
				if tc.add {
					opts = append(opts, drsfake.WithTasks(tc.bad))
				}
				e := newEnv(t, envConfig{fake: opts, client: []drstemplate.Option{drstemplate.WithMaxTasksPerExport(5)}})
				tasks := slices.Clone(e.tasks)
				if !tc.add {
					tasks = append(tasks, tc.bad.ID)
				}
				slices.Sort(tasks)
				dir := t.TempDir()
				results, err := e.client.ExportAndDownload(t.Context(), dir, tasks, nil)
				if !tc.want(err) || !strings.Contains(err.Error(), "1 of 10 tasks failed") {
					t.Fatalf("err = %v", err)
				}
				var good []string
				var goodResults []drstemplate.Result
				for _, r := range results {
					switch {
					case r.TaskID == tc.bad.ID && !tc.want(r.Err):
						t.Errorf("the bad task's error is %v", r.Err)
					case r.TaskID != tc.bad.ID:
						good = append(good, r.TaskID)
						goodResults = append(goodResults, r)
					}
				}
				checkResults(t, dir, good, goodResults, false)
			})
		})
	}
}

func TestExportAndDownloadResumesSubmittedExports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(10)}})
		// An earlier run submitted half the tasks, then stopped.
		earlier, err := e.client.Export(t.Context(), e.tasks[:5]...)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		dir := t.TempDir()
		results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, &drstemplate.ExportAndDownloadOptions{
			Submitted: []drstemplate.Export{earlier},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, dir, e.tasks, results, false)
		if n := e.calls.count(http.MethodPost, pathExport); n != 2 {
			t.Errorf("%d exports, want the earlier one and one for the other five tasks", n)
		}
		for _, r := range results[:5] {
			if r.ExportID != earlier.ID {
				t.Errorf("task %s came from export %s, not the submitted %s", r.TaskID, r.ExportID, earlier.ID)
			}
		}
	})
}

// TestExportAndDownloadPacesASubmittedExportByItsAge: an export an earlier
// run submitted eight minutes ago is polled as an eight-minute wait is
// (a call every 15 to 30 s), not as a new one (every second at first).
func TestExportAndDownloadPacesASubmittedExportByItsAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1), drsfake.WithExportTimings(0, 10*time.Minute)}})
		drstemplate.SetJitter(e.client, rand.New(rand.NewPCG(7, 1)).Float64)
		earlier, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(8 * time.Minute)
		results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, &drstemplate.ExportAndDownloadOptions{
			Submitted: []drstemplate.Export{earlier},
		})
		if err != nil {
			t.Fatal(err)
		}
		if results[0].ExportID != earlier.ID {
			t.Fatalf("the task came from export %s, not the submitted %s", results[0].ExportID, earlier.ID)
		}
		// Seven minutes old (eight, less the clock skew allowed): two
		// minutes left at 15 to 30 s a call make at most 9 calls; paced as
		// a new wait, the same two minutes take about 25.
		if n := e.calls.count(http.MethodGet, pathProgress); n > 9 {
			t.Errorf("%d progress calls in the last two minutes of a ten-minute export, want at most 9", n)
		}
	})
}

// TestExportAndDownloadPacesAYoungSubmittedExportAsNew: an export accepted
// 30 s ago by a clock that may run up to the skew allowed (a minute) ahead
// of the local one may have only just begun: its wait is paced as a new
// one, its second progress call MinDelay after the first, not as one
// already 30 s (or, the skew taken the wrong way, 90 s) old.
func TestExportAndDownloadPacesAYoungSubmittedExportAsNew(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		times := &progressTimes{}
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1), drsfake.WithExportTimings(0, time.Minute)},
			wrap: times.wrap})
		earlier, err := e.client.Export(t.Context(), e.tasks...)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Second)
		if _, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, &drstemplate.ExportAndDownloadOptions{
			Submitted: []drstemplate.Export{earlier},
		}); err != nil {
			t.Fatal(err)
		}
		if len(times.times) < 2 {
			t.Fatalf("%d progress calls, want several", len(times.times))
		}
		if gap := times.times[1].Sub(times.times[0]); gap > time.Second {
			t.Errorf("the second progress call came %s after the first, want the 1s of a new wait", gap)
		}
	})
}

func TestExportAndDownloadPicksTheExportsFile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)}})
		old := exportAll(t, e, e.tasks...)
		time.Sleep(2 * time.Hour)
		dir := t.TempDir()
		results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, nil)
		if err != nil {
			t.Fatal(err)
		}
		stamp := strings.TrimSuffix(results[0].File.Name[strings.LastIndex(results[0].File.Name, "_")+1:], ".xlsx")
		if want := old.Accepted.Add(2 * time.Hour).Format("20060102150405"); stamp < want {
			t.Errorf("took %s, a file older than the export", results[0].File.Name)
		}
	})
}

func TestExportAndDownloadIgnoresOldFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var only atomic.Value // when set, the one file name the list shows
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)},
			wrap: rewrite(pathList, func(_ *http.Request, rec *httptest.ResponseRecorder) {
				name, ok := only.Load().(string)
				if !ok {
					return
				}
				rec.Body.Reset()
				_ = json.NewEncoder(rec.Body).Encode(map[string]any{"count": 1, "export_report_obs_files": []map[string]string{
					{"file_name": name, "last_modified": "2000-01-01T00:00:00Z"},
				}})
			}),
		})
		exportAll(t, e, e.tasks...)
		only.Store(collect(t, e.client)[0].Name)
		time.Sleep(2 * time.Minute)
		// The new export's file is missing from the list: the old one, two
		// minutes older than the export, must not stand in for it.
		results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, nil)
		if !errors.Is(err, drstemplate.ErrNoTemplate) || !errors.Is(results[0].Err, drstemplate.ErrNoTemplate) {
			t.Errorf("err = %v, result %+v; want ErrNoTemplate", err, results[0])
		}
	})
}

func TestExportAndDownloadKeepsExistingFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Exports finish at once: in a bubble, whose clock stands still
		// until everything waits, a second run makes the same file names.
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(3), drsfake.WithExportTimings(0, 0)}})
		dir := t.TempDir()
		first, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, nil)
		if err != nil {
			t.Fatal(err)
		}
		downloads := e.calls.count(http.MethodPost, pathDownload)
		results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, nil)
		if !errors.Is(err, drstemplate.ErrFileExists) {
			t.Fatalf("err = %v, want ErrFileExists", err)
		}
		if n := e.calls.count(http.MethodPost, pathDownload) - downloads; n != 0 {
			t.Errorf("%d files downloaded that could not be kept", n)
		}
		for i, r := range results {
			if !errors.Is(r.Err, drstemplate.ErrFileExists) {
				t.Errorf("task %s: %v", r.TaskID, r.Err)
			}
			if data, _ := os.ReadFile(first[i].File.Path); sha(data) != first[i].File.SHA256 {
				t.Errorf("%s changed", first[i].File.Path)
			}
		}
		results, err = e.client.ExportAndDownload(t.Context(), dir, e.tasks, &drstemplate.ExportAndDownloadOptions{Overwrite: true})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, dir, e.tasks, results, false)
	})
}

func TestExportAndDownloadCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(20), drsfake.WithExportTimings(time.Minute, time.Minute)}})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(90*time.Second, cancel)
		dir := t.TempDir()
		results, err := e.client.ExportAndDownload(ctx, dir, e.tasks, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		for _, r := range results {
			if !errors.Is(r.Err, context.Canceled) {
				t.Errorf("task %s: %v", r.TaskID, r.Err)
			}
		}
		if got := listDir(t, dir); len(got) != 0 {
			t.Errorf("a cancelled flow left %v", got)
		}
	})
}

func TestExportAndDownloadRefusesBadInput(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(2)}})
		dir := t.TempDir()
		now := time.Now()
		for _, tc := range []struct {
			name  string
			tasks []string
			opts  *drstemplate.ExportAndDownloadOptions
		}{
			{"no tasks", nil, nil},
			{"a task twice", []string{e.tasks[0], e.tasks[0]}, nil},
			{"negative concurrency", e.tasks, &drstemplate.ExportAndDownloadOptions{Downloads: -1}},
			{"bad wait options", e.tasks, &drstemplate.ExportAndDownloadOptions{Wait: &drstemplate.WaitOptions{MinDelay: -1}}},
			{"submitted without id", e.tasks, &drstemplate.ExportAndDownloadOptions{Submitted: []drstemplate.Export{{TaskIDs: e.tasks[:1], Accepted: now}}}},
			{"submitted without its time", e.tasks, &drstemplate.ExportAndDownloadOptions{Submitted: []drstemplate.Export{{ID: "x", TaskIDs: e.tasks[:1]}}}},
			{"submitted for another task", e.tasks[:1], &drstemplate.ExportAndDownloadOptions{Submitted: []drstemplate.Export{{ID: "x", TaskIDs: e.tasks[1:], Accepted: now}}}},
			{"a task twice in a submitted export", e.tasks, &drstemplate.ExportAndDownloadOptions{Submitted: []drstemplate.Export{
				{ID: "x", TaskIDs: []string{e.tasks[0], e.tasks[0]}, Accepted: now},
			}}},
			{"a task in two submitted exports", e.tasks, &drstemplate.ExportAndDownloadOptions{Submitted: []drstemplate.Export{
				{ID: "x", TaskIDs: e.tasks[:1], Accepted: now}, {ID: "y", TaskIDs: e.tasks[:1], Accepted: now},
			}}},
		} {
			if _, err := e.client.ExportAndDownload(t.Context(), dir, tc.tasks, tc.opts); !errors.Is(err, drstemplate.ErrInvalidInput) {
				t.Errorf("%s: err = %v, want ErrInvalidInput", tc.name, err)
			}
		}
		if n := e.calls.count("", ""); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}

func TestExportAndDownloadGoesByLastModified(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Only an old file is listed, but its name carries the time of a
		// zone eight hours east, which read as UTC looks five hours ahead.
		old := time.Now().Add(-3 * time.Hour)
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(1)},
			wrap: rewrite(pathList, func(_ *http.Request, rec *httptest.ResponseRecorder) {
				name := "%s_mysql_" + old.In(time.FixedZone("CST", 8*3600)).Format("20060102150405") + ".xlsx"
				var page struct {
					Files []map[string]string `json:"export_report_obs_files"`
				}
				_ = json.Unmarshal(rec.Body.Bytes(), &page)
				rec.Body.Reset()
				_ = json.NewEncoder(rec.Body).Encode(map[string]any{"count": 1, "export_report_obs_files": []map[string]string{
					{"file_name": fmt.Sprintf(name, strings.SplitN(page.Files[0]["file_name"], "_", 2)[0]), "last_modified": old.UTC().Format(time.RFC3339)},
				}})
			}),
		})
		_, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, nil)
		if !errors.Is(err, drstemplate.ErrNoTemplate) {
			t.Errorf("err = %v, want ErrNoTemplate: a file modified three hours before the export is not its", err)
		}
	})
}

func TestResultJSON(t *testing.T) {
	ok, _ := json.Marshal(drstemplate.Result{TaskID: "t1", ExportID: "e1", File: drstemplate.File{Name: "t1.xlsx", Path: "out/t1.xlsx", Size: 3, SHA256: "ab"}})
	failed, _ := json.Marshal(drstemplate.Result{TaskID: "t2", ExportID: "e1", Err: drstemplate.ErrNoTemplate})
	for _, tc := range []struct{ got, want string }{
		{string(ok), `{"task_id":"t1","export_id":"e1","file":{"name":"t1.xlsx","path":"out/t1.xlsx","size":3,"sha256":"ab"}}`},
		{string(failed), `{"task_id":"t2","export_id":"e1","error":"no template file found for the task"}`},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
	}
}

func TestExportAndDownloadTakesTheNewestOfSeveral(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order drsfake.ListOrder
	}{
		{"listed oldest first", drsfake.ListOldestFirst},
		{"listed shuffled", drsfake.ListShuffled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithGeneratedTasks(1), drsfake.WithListOrder(tc.order)}})
				// An earlier export's file, 20 s older than the flow's export:
				// within the clock skew allowed, so both files are eligible.
				exportAll(t, e, e.tasks...)
				time.Sleep(20 * time.Second)
				results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, nil)
				if err != nil {
					t.Fatal(err)
				}
				listed := collect(t, e.client)
				if len(listed) != 2 {
					t.Fatalf("%d files listed, want the two exports' files", len(listed))
				}
				newest := listed[0]
				if listed[1].LastModified.After(newest.LastModified) {
					newest = listed[1]
				}
				if tc.order == drsfake.ListOldestFirst && listed[0] == newest {
					t.Fatal("the newest file is listed first: the test shows nothing")
				}
				if results[0].File.Name != newest.Name {
					t.Errorf("took %s, want the newest %s", results[0].File.Name, newest.Name)
				}
			})
		})
	}
}

func TestExportAndDownloadAllowsForClockSkew(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The storage behind DRS runs 30 s behind the clock that accepts
		// exports: every file is stamped 30 s before its export's acceptance.
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(2)},
			wrap: rewrite(pathList, func(_ *http.Request, rec *httptest.ResponseRecorder) {
				var page struct {
					Count int                 `json:"count"`
					Files []map[string]string `json:"export_report_obs_files"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
					return
				}
				for _, f := range page.Files {
					m, _ := time.Parse(time.RFC3339, f["last_modified"])
					f["last_modified"] = m.Add(-30 * time.Second).Format(time.RFC3339)
				}
				rec.Body.Reset()
				_ = json.NewEncoder(rec.Body).Encode(page)
			}),
		})
		results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, nil)
		if err != nil {
			t.Fatalf("err = %v: files stamped 30 s early are within the default skew of a minute", err)
		}
		checkResults(t, filepath.Dir(results[0].File.Path), e.tasks, results, false)
		// Allowing 10 s of skew, neither these files nor the first run's
		// count as the new export's.
		_, err = e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, &drstemplate.ExportAndDownloadOptions{ClockSkew: 10 * time.Second})
		if !errors.Is(err, drstemplate.ErrNoTemplate) {
			t.Errorf("err = %v, want ErrNoTemplate with 10 s of skew allowed", err)
		}
	})
}

// slowList returns a wrapper that answers a list call with the list as it
// was when the call came, d later.
func slowList(d time.Duration) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler { return slowListHandler(h, d) }
}

func slowListHandler(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, pathList) {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		time.Sleep(d)
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func TestExportAndDownloadSharesListings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Four exports submitted together end together: the chunks see it
		// at the same moment, and at most one listing is in flight. One
		// chunk may begin a listing before the others have seen their
		// export end; they share the next.
		e := newEnv(t, envConfig{
			fake:   []drsfake.Option{drsfake.WithGeneratedTasks(40)},
			client: []drstemplate.Option{drstemplate.WithMaxTasksPerExport(10)},
			wrap:   slowList(time.Second),
		})
		dir := t.TempDir()
		results, err := e.client.ExportAndDownload(t.Context(), dir, e.tasks, &drstemplate.ExportAndDownloadOptions{Exports: 4})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, dir, e.tasks, results, false)
		if n := e.calls.count(http.MethodGet, pathList); n > 2 {
			t.Errorf("%d list calls (one page each) for four exports that ended together, want at most 2", n)
		}
	})
}

func TestExportAndDownloadNeverSharesAnEarlierListing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{
			fake: []drsfake.Option{drsfake.WithGeneratedTasks(2)},
			wrap: slowList(2 * time.Second),
			// No second reading of the list: the first must have the files.
			client: []drstemplate.Option{drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 1})},
		})
		// The first task's export is done and handed over: its chunk lists
		// at once. The second task's export is seen to end a second later
		// (the wait's second call), while that listing, begun before, is in
		// flight: it must read a listing of its own.
		earlier := exportAll(t, e, e.tasks[0])
		results, err := e.client.ExportAndDownload(t.Context(), t.TempDir(), e.tasks, &drstemplate.ExportAndDownloadOptions{
			Submitted: []drstemplate.Export{earlier},
		})
		if err != nil {
			t.Fatalf("err = %v: a listing begun before the export ended was used for it", err)
		}
		if results[1].ExportID == earlier.ID {
			t.Fatalf("the second task came from the earlier export")
		}
		if n := e.calls.count(http.MethodGet, pathList); n != 2 {
			t.Errorf("%d list calls, want 2", n)
		}
	})
}
