package drstemplate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// TestBatchStatusPaths: each way through a batch job, on the fake's clock
// (a testing/synctest bubble): validated then committed; validation failed
// and the commit refused; a commit before validation refused; an unknown
// job.
func TestBatchStatusPaths(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithImportValidation(2 * time.Second)}})
		ctx := context.Background()

		good, err := e.client.Import(ctx, "good.xlsx", bytes.NewReader(workbookOf(t, taskSheet("good", "10.0.0.1"))), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Before validation ends: validating, and no commit.
		if st, err := e.client.PollBatch(ctx, good.ID); err != nil || st != drstemplate.BatchValidating || st.Done() {
			t.Errorf("at once: %q, %v; want %s", st, err, drstemplate.BatchValidating)
		}
		var apiErr *drstemplate.APIError
		if _, err := e.client.CommitBatch(ctx, good.ID); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
			t.Errorf("commit before validation: %v, want an *APIError 400", err)
		}
		var seen []drstemplate.BatchStatus
		st, err := e.client.WaitBatch(ctx, good.ID, &drstemplate.WaitOptions{BatchProgress: func(s drstemplate.BatchStatus) { seen = append(seen, s) }})
		if err != nil || !st.Validated() {
			t.Fatalf("wait: %q, %v; want validated", st, err)
		}
		if len(seen) == 0 || seen[len(seen)-1] != drstemplate.BatchValidated {
			t.Errorf("progress %v", seen)
		}
		st, err = e.client.CommitBatch(ctx, good.ID)
		if err != nil || !st.Committed() {
			t.Fatalf("commit: %q, %v", st, err)
		}
		tasks, err := e.client.BatchTasks(ctx, good.ID)
		if err != nil || len(tasks) != 1 || tasks[0].Name != "good" || tasks[0].ID == "" {
			t.Fatalf("the committed job's tasks: %+v, %v", tasks, err)
		}
		if _, ok := taskByID(e.fake, tasks[0].ID); !ok {
			t.Errorf("task %s is not among the fake's tasks after the commit", tasks[0].ID)
		}
		if st, err := e.client.PollBatch(ctx, good.ID); err != nil || !st.Committed() {
			t.Errorf("after the commit: %q, %v", st, err)
		}
		if _, err := e.client.CommitBatch(ctx, good.ID); !errors.As(err, &apiErr) {
			t.Errorf("a second commit: %v, want an *APIError", err)
		}

		// Source and target the same database: validation fails.
		same := taskSheet("same", "10.9.9.9")
		bad, err := e.client.Import(ctx, "bad.xlsx", bytes.NewReader(workbookOf(t, same)), nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err = e.client.WaitBatch(ctx, bad.ID, nil)
		if !errors.Is(err, drstemplate.ErrBatchFailed) || !st.Failed() {
			t.Errorf("wait: %q, %v; want ErrBatchFailed", st, err)
		}
		if _, err := e.client.CommitBatch(ctx, bad.ID); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
			t.Errorf("commit after failed validation: %v, want an *APIError 400", err)
		}

		if _, err := e.client.PollBatch(ctx, "0b5c2c8e-0000-4000-8000-000000000000"); !errors.Is(err, drstemplate.ErrNotFound) {
			t.Errorf("unknown job: %v, want ErrNotFound", err)
		}
		if _, err := e.client.CommitBatch(ctx, "0b5c2c8e-0000-4000-8000-000000000000"); !errors.Is(err, drstemplate.ErrNotFound) {
			t.Errorf("commit of an unknown job: %v, want ErrNotFound", err)
		}
	})
}

// taskByID finds a task of the fake by id.
func taskByID(fake *drsfake.Server, id string) (drsfake.Task, bool) {
	for _, t := range fake.Tasks() {
		if t.ID == id {
			return t, true
		}
	}
	return drsfake.Task{}, false
}

// TestBatchTasksPages: a batch job of more tasks than a page lists them
// all, in sheet order.
func TestBatchTasksPages(t *testing.T) {
	e := newEnv(t, envConfig{fake: []drsfake.Option{drsfake.WithPageSizeLimit(2), drsfake.WithImportValidation(0)}})
	var sheets [][][]string
	for i := range 5 {
		sheets = append(sheets, taskSheet("t"+string(rune('a'+i)), "10.0.0."+string(rune('1'+i))))
	}
	job, err := e.client.Import(context.Background(), "five.xlsx", bytes.NewReader(workbookOf(t, sheets...)), nil)
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := e.client.BatchTasks(context.Background(), job.ID)
	if err != nil || len(tasks) != 5 {
		t.Fatalf("%d tasks, %v", len(tasks), err)
	}
	for i, task := range tasks {
		if want := "t" + string(rune('a'+i)); task.Name != want || task.ID == "" {
			t.Errorf("task %d: %+v, want %s", i, task, want)
		}
	}
	if n := e.calls.count(http.MethodGet, "/batch-async-jobs/"+job.ID); n != 3 {
		t.Errorf("%d pages, want 3", n)
	}
}

// TestBatchTasksBound: a server that announces ever more tasks, with new
// ones on every page, is read for a bounded number of pages.
func TestBatchTasksBound(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		call := calls.Add(1)
		jobs := make([]map[string]string, 1000)
		for i := range jobs {
			jobs[i] = map[string]string{"id": fmt.Sprintf("task-%d-%d", call, i)}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"total_count": math.MaxInt32, "jobs": jobs})
	}))
	t.Cleanup(srv.Close)
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(testProject),
		drstemplate.WithCredentials(auth.StaticToken(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.BatchTasks(t.Context(), "job-1")
	if !errors.Is(err, drstemplate.ErrUnexpectedResponse) {
		t.Errorf("err = %v, want ErrUnexpectedResponse", err)
	}
	// 10,000 tasks at most: the page that brings more is the last read.
	if n := calls.Load(); n != 11 {
		t.Errorf("%d pages read, want 11", n)
	}
}
