package drsfake

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

type exportHarness struct {
	t     *testing.T
	ts    *testServer
	c     *drsapi.ClientWithResponses
	clock *ManualClock
}

func newExportHarness(t *testing.T, opts ...Option) *exportHarness {
	clock := NewManualClock(t0)
	ts := start(t, append([]Option{WithClock(clock), WithExportTimings(time.Second, time.Second)}, opts...)...)
	return &exportHarness{t: t, ts: ts, c: drsClient(t, ts, ts.Token), clock: clock}
}

func (h *exportHarness) export(ids ...string) string {
	h.t.Helper()
	r, err := h.c.ExportCreationTemplateWithResponse(context.Background(), h.ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: ids})
	if err != nil || r.JSON202 == nil {
		h.t.Fatalf("export %v: %v %s", ids, err, r.Body)
	}
	return r.JSON202.Id
}

func (h *exportHarness) progress(id string) string {
	h.t.Helper()
	r, err := h.c.ShowExportProgressWithResponse(context.Background(), h.ts.ProjectID, id, nil)
	if err != nil || r.JSON200 == nil {
		h.t.Fatalf("progress: %v %s", err, r.Body)
	}
	return r.JSON200.ProcessStatus
}

func (h *exportHarness) list(offset, limit *int32) drsapi.TemplateList {
	h.t.Helper()
	r, err := h.c.ListTemplatesWithResponse(context.Background(), h.ts.ProjectID, &drsapi.ListTemplatesParams{Offset: offset, Limit: limit})
	if err != nil || r.JSON200 == nil {
		h.t.Fatalf("list: %v %s", err, r.Body)
	}
	return *r.JSON200
}

func names(l drsapi.TemplateList) []string {
	var n []string
	for _, f := range l.ExportReportObsFiles {
		n = append(n, f.FileName)
	}
	return n
}

func fileName(task Task, at time.Time) string {
	return task.ID + "_" + task.Engine + "_" + at.UTC().Format("20060102150405") + ".xlsx"
}

// TestFailingTaskExport checks that an export including a task with
// FailExport ends "failed" and leaves no file, while others succeed.
func TestFailingTaskExport(t *testing.T) {
	h := newExportHarness(t, WithTasks(
		Task{ID: "good-1", Engine: "mysql"}, Task{ID: "good-2", Engine: "postgresql"},
		Task{ID: "broken", Engine: "mysql", FailExport: true},
	))
	for range 2 {
		bad := h.export("good-1", "broken")
		good := h.export("good-2")
		for _, want := range []string{StatusPending, StatusRunning, StatusFailed} {
			if got := h.progress(bad); got != want {
				t.Fatalf("export with a failing task: %q, want %q", got, want)
			}
			h.clock.Advance(time.Second)
		}
		if got := h.progress(good); got != StatusSuccess {
			t.Errorf("other export: %q", got)
		}
	}
	l := h.list(nil, nil)
	if l.Count != 2 {
		t.Fatalf("files %v, want only good-2's two", names(l))
	}
	for _, n := range names(l) {
		if !strings.HasPrefix(n, "good-2_postgresql_") {
			t.Errorf("unexpected file %s", n)
		}
	}
}

// TestListingNewestFirstAndPaging re-exports tasks at different times and
// pages through the listing.
func TestListingNewestFirstAndPaging(t *testing.T) {
	h := newExportHarness(t, WithGeneratedTasks(3), WithPageSizeLimit(4))
	tasks := h.ts.Tasks()
	var want []string // newest first
	for range 3 {
		ids := []string{tasks[0].ID, tasks[1].ID, tasks[2].ID}
		h.export(ids...)
		done := h.clock.Now().Add(2 * time.Second)
		h.clock.Advance(10 * time.Second)
		for _, task := range tasks {
			want = append([]string{fileName(task, done)}, want...)
		}
	}
	// Files of one export share a second; the later-written (later task) is
	// listed first, and re-exports keep the older files.
	var all []string
	for off := int32(0); ; off += 4 {
		lim := int32(4)
		l := h.list(&off, &lim)
		if l.Count != 9 {
			t.Fatalf("count %d, want 9", l.Count)
		}
		if len(l.ExportReportObsFiles) == 0 {
			break
		}
		if len(l.ExportReportObsFiles) > 4 {
			t.Fatalf("page of %d > limit 4", len(l.ExportReportObsFiles))
		}
		for i, f := range l.ExportReportObsFiles {
			if i > 0 && f.LastModified.After(l.ExportReportObsFiles[i-1].LastModified) {
				t.Errorf("page not newest first: %v", names(l))
			}
		}
		all = append(all, names(l)...)
	}
	if !slices.Equal(all, want) {
		t.Errorf("listing\n%v\nwant\n%v", all, want)
	}

	big := int32(1000)
	if l := h.list(nil, &big); len(l.ExportReportObsFiles) != 4 {
		t.Errorf("limit 1000 with page-size limit 4 gave %d files", len(l.ExportReportObsFiles))
	}
	if l := h.list(nil, nil); len(l.ExportReportObsFiles) != 4 {
		t.Errorf("no limit (the default, 10) with page-size limit 4 gave %d files", len(l.ExportReportObsFiles))
	}
	off := int32(9)
	if l := h.list(&off, nil); l.Count != 9 || len(l.ExportReportObsFiles) != 0 || l.ExportReportObsFiles == nil {
		t.Errorf("offset past the end: %+v (want an empty list, not null)", l)
	}
}

// TestListOrders: every order pages through each file exactly once; the
// orders other than the default are not newest first.
func TestListOrders(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order ListOrder
		want  func(newestFirst []string) []string // nil: a fixed permutation of its own
	}{
		{"newest first", ListNewestFirst, func(n []string) []string { return n }},
		{"oldest first", ListOldestFirst, func(n []string) []string { r := slices.Clone(n); slices.Reverse(r); return r }},
		{"shuffled", ListShuffled, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newExportHarness(t, WithGeneratedTasks(3), WithPageSizeLimit(4), WithListOrder(tc.order))
			var newestFirst []string
			for range 3 {
				h.export(h.ts.TaskIDs...)
				done := h.clock.Now().Add(2 * time.Second)
				h.clock.Advance(10 * time.Second)
				for _, task := range h.ts.Tasks() {
					newestFirst = append([]string{fileName(task, done)}, newestFirst...)
				}
			}
			read := func() []string {
				var all []string
				for off := int32(0); off < 12; off += 4 {
					lim := int32(4)
					all = append(all, names(h.list(&off, &lim))...)
				}
				return all
			}
			got := read()
			if tc.want != nil {
				if want := tc.want(newestFirst); !slices.Equal(got, want) {
					t.Errorf("listing\n%v\nwant\n%v", got, want)
				}
				return
			}
			sorted, all := slices.Clone(got), slices.Clone(newestFirst)
			slices.Sort(sorted)
			slices.Sort(all)
			reversed := slices.Clone(newestFirst)
			slices.Reverse(reversed)
			switch {
			case !slices.Equal(sorted, all):
				t.Errorf("paging gave %v, want each of %v once", got, newestFirst)
			case slices.Equal(got, newestFirst) || slices.Equal(got, reversed):
				t.Errorf("shuffled listing is in time order: %v", got)
			case !slices.Equal(read(), got):
				t.Errorf("the shuffled order changed between two reads")
			}
		})
	}
	if _, err := New(WithListOrder(ListShuffled + 1)); err == nil {
		t.Error("an unknown list order was accepted")
	}
}

// TestDefaultPageSize checks the page size without a limit.
func TestDefaultPageSize(t *testing.T) {
	h := newExportHarness(t, WithGeneratedTasks(defaultPageSize+2))
	h.export(h.ts.TaskIDs...)
	h.clock.Advance(2 * time.Second)
	if l := h.list(nil, nil); l.Count != defaultPageSize+2 || len(l.ExportReportObsFiles) != defaultPageSize {
		t.Errorf("count %d, page %d; want %d, %d", l.Count, len(l.ExportReportObsFiles), defaultPageSize+2, defaultPageSize)
	}
}

// TestSameSecondReexportReplaces checks that two exports of a task that end
// in the same second leave one file, as an object store key is overwritten.
func TestSameSecondReexportReplaces(t *testing.T) {
	h := newExportHarness(t)
	id := h.ts.TaskIDs[0]
	h.export(id)
	h.clock.Advance(100 * time.Millisecond)
	h.export(id)
	h.clock.Advance(5 * time.Second)
	if l := h.list(nil, nil); l.Count != 1 {
		t.Errorf("files %v, want one", names(l))
	}
}

// TestSettledFilesIndependentOfObservation checks that files are stamped with
// the export's completion time, not the time they are first looked at.
func TestSettledFilesIndependentOfObservation(t *testing.T) {
	h := newExportHarness(t)
	task := h.ts.Tasks()[0]
	h.export(task.ID)
	h.clock.Advance(time.Hour) // nobody looks until an hour later
	l := h.list(nil, nil)
	if want := fileName(task, t0.Add(2*time.Second)); l.Count != 1 || l.ExportReportObsFiles[0].FileName != want {
		t.Errorf("got %v, want %s", names(l), want)
	}
}

// TestExportsArePerProject checks that exports and files of one project are
// invisible in another.
func TestExportsArePerProject(t *testing.T) {
	second := "0123456789abcdef0123456789abcdef"
	h := newExportHarness(t, WithProjectID("5237e10fe9aa4ad5b16b6a5245248314", second),
		WithTasks(Task{ID: "task-in-second", Engine: "mysql", ProjectID: second}), WithGeneratedTasks(1))
	id := h.export(h.ts.TaskIDs[1])
	h.clock.Advance(3 * time.Second)
	ctx := context.Background()
	p, _ := h.c.ShowExportProgressWithResponse(ctx, second, id, nil)
	if p.StatusCode() != http.StatusNotFound {
		t.Errorf("progress from another project: %d %s", p.StatusCode(), p.Body)
	}
	l, _ := h.c.ListTemplatesWithResponse(ctx, second, nil)
	if l.JSON200 == nil || l.JSON200.Count != 0 {
		t.Errorf("listing of the other project: %s", l.Body)
	}
	f := h.list(nil, nil).ExportReportObsFiles[0].FileName
	d, _ := h.c.DownloadCreateTemplateWithResponse(ctx, second, nil, drsapi.DownloadTemplateRequest{Files: []string{f}})
	if d.StatusCode() != http.StatusNotFound {
		t.Errorf("download from another project: %d", d.StatusCode())
	}
	e, _ := h.c.ExportCreationTemplateWithResponse(ctx, second, nil, drsapi.ExportTemplateRequest{Jobs: []string{"task-in-second"}})
	if e.StatusCode() != http.StatusAccepted {
		t.Errorf("export in the second project: %d %s", e.StatusCode(), e.Body)
	}
}

// TestTaskOptionsValidated checks New's refusal of bad task definitions.
func TestTaskOptionsValidated(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
	}{
		{"bad id", WithTasks(Task{ID: "a/b", Engine: "mysql"})},
		{"bad engine", WithTasks(Task{ID: "a", Engine: "My_SQL"})},
		{"duplicate id", WithTasks(Task{ID: "a", Engine: "mysql"}, Task{ID: "a", Engine: "mysql"})},
		{"unknown project", WithTasks(Task{ID: "a", Engine: "mysql", ProjectID: strings.Repeat("b", 32)})},
		{"bad project id", WithProjectID("ABC")},
		{"bad region", WithRegion("North 4")},
		{"empty token", WithToken("")},
		{"duplicate key", func(c *config) error {
			_ = WithAccessKey("AK", "SK")(c)
			return WithAccessKey("AK", "SK2")(c)
		}},
		{"key with comma", WithAccessKey("A,K", "SK")},
		{"empty user", WithUser("", "u", "p")},
		{"zero TTL", WithTokenTTL(0)},
		{"negative timing", WithExportTimings(-1, 0)},
		{"page limit 0", WithPageSizeLimit(0)},
		{"too many tasks", WithGeneratedTasks(10001)},
		{"rate without burst", WithRateLimit(1, 0)},
		{"nil clock", WithClock(nil)},
		{"temporary key without token", WithTemporaryAccessKey("AK", "SK", "", time.Time{})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.opt); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	s := mustNew(t, WithSeed(7), WithGeneratedTasks(5))
	s2 := mustNew(t, WithSeed(7), WithGeneratedTasks(5))
	if fmt.Sprint(s.Tasks(), s.ProjectIDs()) != fmt.Sprint(s2.Tasks(), s2.ProjectIDs()) {
		t.Error("the same seed gave different tasks or projects")
	}
	if s3 := mustNew(t, WithSeed(8)); s3.ProjectIDs()[0] == s.ProjectIDs()[0] {
		t.Error("another seed gave the same project id")
	}
	for _, task := range s.Tasks() {
		if !taskIDPattern().MatchString(task.ID) || task.Name == "" || task.SourceEndpoint == "" || task.TargetEndpoint == "" || task.Region != DefaultRegion {
			t.Errorf("generated task %+v is incomplete", task)
		}
	}
}
