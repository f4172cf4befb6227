package workbook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
	"github.com/drs-tools/drstemplate/gen/drsapi"
)

const fakeProject = "5237e10fe9aa4ad5b16b6a5245248314"

// exportFromFake exports tasks from a fresh drsfake at the given time and
// downloads the templates the way a client does: each one alone (the
// .xlsx), and all of them at once (a .zip when there are several).
func exportFromFake(t *testing.T, at time.Time, tasks ...drsfake.Task) (single [][]byte, all []byte) {
	t.Helper()
	clock := drsfake.NewManualClock(at)
	ts := drsfaketest.Start(t, drsfake.WithClock(clock), drsfake.WithExportTimings(0, time.Second),
		drsfake.WithProjectID(fakeProject), drsfake.WithTasks(tasks...))
	c, err := drsapi.NewClientWithResponses(ts.URL, drsapi.WithHTTPClient(ts.Client()),
		drsapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-Auth-Token", ts.Token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	exp, err := c.ExportCreationTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: ts.TaskIDs})
	if err != nil || exp.JSON202 == nil {
		t.Fatalf("export: %v %s", err, exp.Body)
	}
	clock.Advance(time.Second)
	l, err := c.ListTemplatesWithResponse(ctx, ts.ProjectID, nil)
	if err != nil || l.JSON200 == nil {
		t.Fatalf("list: %v", err)
	}
	var names []string
	for _, f := range l.JSON200.ExportReportObsFiles {
		names = append(names, f.FileName)
	}
	slices.Sort(names)
	download := func(names ...string) []byte {
		t.Helper()
		resp, err := c.ClientInterface.(*drsapi.Client).DownloadCreateTemplate(ctx, ts.ProjectID, nil, drsapi.DownloadTemplateRequest{Files: names})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		data, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("download %v: %v %d", names, err, resp.StatusCode)
		}
		return data
	}
	for _, n := range names {
		single = append(single, download(n))
	}
	return single, download(names...)
}

var (
	exported  = time.Date(2025, 7, 3, 9, 44, 11, 0, time.UTC)
	orderTask = drsfake.Task{
		ID: "2e69ebb1-f06d-4eb2-a789-2883629jb204", Name: "订单迁移", Engine: "mysql",
		SourceEndpoint: "10.0.0.1:3306", TargetEndpoint: "rds-orders.internal:3306", Region: "cn-north-4",
		Settings: map[string]string{"migration_mode": "full+incremental", "parallel": "4", "compress": "off"},
	}
	userTask = drsfake.Task{ID: "7c1f00aa-0000-4000-8000-000000000001", Name: "users", Engine: "postgresql"}
)

// TestDrsfakeTemplate reads a template exactly as drsfake builds and serves
// it, and the .zip that a download of several templates is.
func TestDrsfakeTemplate(t *testing.T) {
	single, bundle := exportFromFake(t, exported, orderTask, userTask)
	if len(single) != 2 {
		t.Fatalf("%d templates exported, want 2", len(single))
	}
	wb, err := readBytes(single[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Sheets) != 1 || wb.Sheets[0].Name != drsfake.TemplateSheet {
		t.Fatalf("sheets %+v, want one named %s", wb.Sheets, drsfake.TemplateSheet)
	}
	rows := wb.Sheets[0].Rows
	if d := cmp.Diff([]string{"Setting", "Value"}, rows[0]); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r[1]
	}
	for k, v := range map[string]string{"Task ID": orderTask.ID, "Task name": "订单迁移", "Source endpoint": "10.0.0.1:3306", "parallel": "4"} {
		if got[k] != v {
			t.Errorf("%q = %q, want %q", k, got[k], v)
		}
	}
	var text bytes.Buffer
	if err := WriteText(&text, wb); err != nil {
		t.Fatal(err)
	}
	golden(t, "text/drsfake.txt", text.Bytes())

	_, err = readBytes(bundle)
	if !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), "a zip archive of 2 workbooks") {
		t.Errorf("reading the .zip of two templates: %v; want ErrNotWorkbook naming the zip", err)
	}
}

// TestDrsfakeDiff compares two exports of one task whose settings changed
// in between, and two exports of an unchanged task.
func TestDrsfakeDiff(t *testing.T) {
	changed := orderTask
	changed.SourceEndpoint = "10.0.0.2:3306"
	changed.Settings = map[string]string{"migration_mode": "full+incremental", "parallel": "8", "throttle_mbps": "50"}
	before, _ := exportFromFake(t, exported, orderTask)
	after, _ := exportFromFake(t, exported.Add(24*time.Hour), changed)
	same, _ := exportFromFake(t, exported, orderTask)
	a, errA := readBytes(before[0])
	b, errB := readBytes(after[0])
	c, errC := readBytes(same[0])
	if err := errors.Join(errA, errB, errC); err != nil {
		t.Fatal(err)
	}
	if d := Diff(a, c); !d.Empty() {
		t.Errorf("two exports of the same task at the same time differ: %+v", d)
	}
	d := Diff(a, b)
	if d.Empty() {
		t.Fatal("no change found")
	}
	var text bytes.Buffer
	if err := WriteDiff(&text, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff/drsfake.txt", text.Bytes())
}
