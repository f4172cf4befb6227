package drsfake

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// importHarness drives the batch import of a fake on a ManualClock.
type importHarness struct {
	*exportHarness
}

func newImportHarness(t *testing.T, opts ...Option) *importHarness {
	return &importHarness{newExportHarness(t, append([]Option{WithImportValidation(time.Minute)}, opts...)...)}
}

// template exports the template of task id and returns the workbook.
func (h *importHarness) template(id string) []byte {
	h.t.Helper()
	h.export(id)
	h.clock.Advance(time.Minute)
	r, err := h.c.ListTemplatesWithResponse(context.Background(), h.ts.ProjectID, nil)
	if err != nil || r.JSON200 == nil {
		h.t.Fatalf("list: %v", err)
	}
	for _, f := range r.JSON200.ExportReportObsFiles {
		if strings.HasPrefix(f.FileName, id+"_") {
			dl, err := h.c.DownloadCreateTemplateWithResponse(context.Background(), h.ts.ProjectID, nil,
				drsapi.DownloadTemplateRequest{Files: []string{f.FileName}})
			if err != nil || dl.StatusCode() != http.StatusOK {
				h.t.Fatalf("download %s: %v %d", f.FileName, err, dl.StatusCode())
			}
			return dl.Body
		}
	}
	h.t.Fatalf("no template of task %s listed", id)
	return nil
}

// form builds a multipart import form: the file part (if file is not nil)
// and a type part (if typ is not "").
func form(t testing.TB, file []byte, typ string) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if file != nil {
		fw, err := mw.CreateFormFile("file", "tasks.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	if typ != "" {
		_ = mw.WriteField("type", typ)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// upload imports file with the generated client (the answer is validated
// against the contract).
func (h *importHarness) upload(file []byte, typ string) *drsapi.ImportBatchCreateJobsResponse {
	h.t.Helper()
	ct, body := form(h.t, file, typ)
	r, err := h.c.ImportBatchCreateJobsWithBodyWithResponse(context.Background(), h.ts.ProjectID, nil, ct, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// accepted imports file and returns the batch job id, failing unless it is
// accepted.
func (h *importHarness) accepted(file []byte) string {
	h.t.Helper()
	r := h.upload(file, "")
	if r.JSON200 == nil || r.JSON200.AsyncJobId == nil {
		h.t.Fatalf("import refused: %d %s", r.StatusCode(), r.Body)
	}
	return *r.JSON200.AsyncJobId
}

// status returns the batch job's status as ListAsyncJobs reports it.
func (h *importHarness) status(id string) string {
	h.t.Helper()
	r, err := h.c.ListAsyncJobsWithResponse(context.Background(), h.ts.ProjectID, &drsapi.ListAsyncJobsParams{AsyncJobId: &id})
	if err != nil || r.JSON200 == nil {
		h.t.Fatalf("list batch jobs: %v %d", err, r.StatusCode())
	}
	if len(r.JSON200.Jobs) != 1 || r.JSON200.TotalCount != 1 {
		h.t.Fatalf("ListAsyncJobs(async_job_id=%s) = %+v", id, r.JSON200)
	}
	return r.JSON200.Jobs[0].Status
}

// detail returns the tasks of a batch job.
func (h *importHarness) detail(id string) []drsapi.AsyncJobTask {
	h.t.Helper()
	r, err := h.c.ListAsyncJobDetailWithResponse(context.Background(), h.ts.ProjectID, id, nil)
	if err != nil || r.JSON200 == nil {
		h.t.Fatalf("batch job detail: %v %d %s", err, r.StatusCode(), r.Body)
	}
	return r.JSON200.Jobs
}

// commit commits a batch job and returns the status code and body.
func (h *importHarness) commit(id string) *drsapi.CommitAsyncJobResponse {
	h.t.Helper()
	r, err := h.c.CommitAsyncJobWithResponse(context.Background(), h.ts.ProjectID, id, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// setCells returns a copy of the workbook data with the cells of the
// template's sheet set (cell → value).
func setCells(t testing.TB, data []byte, cells map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for _, cell := range slices.Sorted(maps.Keys(cells)) {
		if err := f.SetCellStr(TemplateSheet, cell, cells[cell]); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// settings reads the (setting, value) rows of a template's sheet, without
// the rows that name the exported task and its export (Task ID, Template
// file, Exported at).
func settings(t testing.TB, data []byte) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		r = append(r, "", "")
		switch r[0] {
		case rowTaskID, rowTemplateFile, rowExportedAt:
			continue
		}
		out[r[0]] = r[1]
	}
	return out
}

// rowOf returns the cell B{n} of the template's row named setting.
func rowOf(t testing.TB, data []byte, setting string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rows, _ := f.GetRows(TemplateSheet)
	for i, r := range rows {
		if len(r) > 0 && r[0] == setting {
			return "B" + strconv.Itoa(i+1)
		}
	}
	t.Fatalf("no row %q", setting)
	return ""
}

// TestImportRoundTrip is export → edit → import → validate → commit →
// export → compare: the new task's template differs from the original in
// exactly the edited cells, and every status on the way is the documented
// one, on the fake's clock.
func TestImportRoundTrip(t *testing.T) {
	h := newImportHarness(t)
	orig := h.template(h.ts.TaskIDs[0])
	edited := setCells(t, orig, map[string]string{
		rowOf(t, orig, rowTaskName):      "DRS-mysql-copy",
		rowOf(t, orig, "Migration mode"): "full",
	})

	id := h.accepted(edited)
	if got := h.status(id); got != BatchValidating {
		t.Fatalf("status right after the import = %s, want %s", got, BatchValidating)
	}
	tasks := h.detail(id)
	if len(tasks) != 1 || *tasks[0].Status != TaskConfiguration || *tasks[0].BaseInfo.Name != "DRS-mysql-copy" {
		t.Fatalf("detail while validating = %+v", tasks)
	}
	if r := h.commit(id); r.StatusCode() != http.StatusBadRequest || r.JSON400 == nil || r.JSON400.ErrorCode != CodeNotCommittable {
		t.Fatalf("commit while validating: %d %s", r.StatusCode(), r.Body)
	}
	h.clock.Advance(time.Minute - time.Nanosecond)
	if got := h.status(id); got != BatchValidating {
		t.Fatalf("status just before the validation ends = %s", got)
	}
	h.clock.Advance(time.Nanosecond)
	if got := h.status(id); got != BatchValidated {
		t.Fatalf("status after the validation = %s, want %s", got, BatchValidated)
	}
	before := len(h.ts.Tasks())
	r := h.commit(id)
	if r.JSON200 == nil || r.JSON200.Job.Status != BatchCommitted || r.JSON200.Job.AsyncJobId != id {
		t.Fatalf("commit: %d %s", r.StatusCode(), r.Body)
	}
	if got := h.status(id); got != BatchCommitted {
		t.Fatalf("status after the commit = %s", got)
	}
	if r := h.commit(id); r.StatusCode() != http.StatusBadRequest {
		t.Fatalf("second commit: %d %s, want 400: a job is committed once", r.StatusCode(), r.Body)
	}
	all := h.ts.Tasks()
	if len(all) != before+1 {
		t.Fatalf("%d tasks after the commit, want %d", len(all), before+1)
	}
	created := all[len(all)-1]
	tasks = h.detail(id)
	if *tasks[0].Status != TaskWaitingForStart || *tasks[0].Id != created.ID {
		t.Fatalf("detail after the commit = %+v, task %s", tasks[0], created.ID)
	}

	again := h.template(created.ID)
	want := settings(t, edited)
	if diff := gocmp.Diff(want, settings(t, again)); diff != "" {
		t.Errorf("the new task's template differs from the imported workbook (-imported +exported):\n%s", diff)
	}
	diff := map[string][2]string{}
	o, n := settings(t, orig), settings(t, again)
	for k := range n {
		if o[k] != n[k] {
			diff[k] = [2]string{o[k], n[k]}
		}
	}
	wantDiff := map[string][2]string{rowTaskName: {"DRS-mysql-1", "DRS-mysql-copy"}, "Migration mode": {"full+incremental", "full"}}
	if !gocmp.Equal(diff, wantDiff) || len(o) != len(n) {
		t.Errorf("original → new template: %v, want exactly the two edits %v", diff, wantDiff)
	}
}

// TestImportStatusPaths: each way a batch job goes, on the fake's clock.
func TestImportStatusPaths(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(t *testing.T, orig []byte) []byte
		wantStatus string
		taskStatus string
		commit     int    // status of the commit once validated
		commitMsg  string // in the refusal
	}{
		{
			name: "unchanged export: validated, commit creates a task like the first",
			edit: func(_ *testing.T, orig []byte) []byte { return orig }, wantStatus: BatchValidated,
			taskStatus: TaskConfiguration, commit: http.StatusOK,
		},
		{
			name: "source and destination the same: validation fails",
			edit: func(t *testing.T, orig []byte) []byte {
				return setCells(t, orig, map[string]string{rowOf(t, orig, rowTarget): "192.168.0.10:3306"})
			},
			wantStatus: BatchValidateFailed, taskStatus: TaskCreateFailed,
			commit: http.StatusBadRequest, commitMsg: "the source and the destination are the same database",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newImportHarness(t)
			orig := h.template(h.ts.TaskIDs[0])
			id := h.accepted(tt.edit(t, orig))
			if got := h.status(id); got != BatchValidating {
				t.Fatalf("status = %s, want %s", got, BatchValidating)
			}
			h.clock.Advance(time.Minute)
			if got := h.status(id); got != tt.wantStatus {
				t.Fatalf("status = %s, want %s", got, tt.wantStatus)
			}
			if got := *h.detail(id)[0].Status; got != tt.taskStatus {
				t.Errorf("task status = %s, want %s", got, tt.taskStatus)
			}
			n := len(h.ts.Tasks())
			r := h.commit(id)
			if r.StatusCode() != tt.commit {
				t.Fatalf("commit: %d %s", r.StatusCode(), r.Body)
			}
			if tt.commit != http.StatusOK {
				if r.JSON400 == nil || r.JSON400.ErrorCode != CodeNotCommittable || !strings.Contains(r.JSON400.ErrorMsg, tt.commitMsg) {
					t.Errorf("refusal = %s", r.Body)
				}
				if len(h.ts.Tasks()) != n {
					t.Error("a refused commit created tasks")
				}
				return
			}
			got := h.ts.Tasks()[n]
			first, _ := h.ts.task(h.ts.TaskIDs[0])
			got.ID, first.ID = "", ""
			if diff := gocmp.Diff(first, got); diff != "" {
				t.Errorf("the created task differs from the first (-first +created):\n%s", diff)
			}
		})
	}
}

// TestBatchJobRetention: a batch job is forgotten the retention after it
// ended (validated, or committed), as exports are.
func TestBatchJobRetention(t *testing.T) {
	h := newImportHarness(t, WithRetention(time.Hour))
	book := h.template(h.ts.TaskIDs[0])
	validated := h.accepted(book)
	committed := h.accepted(book)
	h.clock.Advance(time.Minute) // both validated
	h.clock.Advance(30 * time.Minute)
	if r := h.commit(committed); r.StatusCode() != http.StatusOK {
		t.Fatalf("commit: %d", r.StatusCode())
	}
	h.clock.Advance(30 * time.Minute) // validated one hour ago, committed half an hour ago
	for id, known := range map[string]bool{validated: false, committed: true} {
		r, err := h.c.ListAsyncJobDetailWithResponse(context.Background(), h.ts.ProjectID, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.StatusCode() == http.StatusOK; got != known {
			t.Errorf("job %s known = %v, want %v (%d)", id, got, known, r.StatusCode())
		}
		if !known && (r.JSON404 == nil || r.JSON404.ErrorCode != CodeNotFound) {
			t.Errorf("forgotten job: %s", r.Body)
		}
	}
	if r := h.commit(validated); r.StatusCode() != http.StatusNotFound {
		t.Errorf("commit of a forgotten job: %d", r.StatusCode())
	}
}

// TestBlankTemplate: the blank template is a zip holding one workbook in
// the layout of the exported templates; filled in, it imports.
func TestBlankTemplate(t *testing.T) {
	h := newImportHarness(t)
	for _, engine := range []string{"", "mysql", "postgresql", "oracle"} {
		var params *drsapi.DownloadBatchCreateTemplateParams
		if engine != "" {
			params = &drsapi.DownloadBatchCreateTemplateParams{EngineType: &engine}
		}
		resp, err := h.c.DownloadBatchCreateTemplate(context.Background(), h.ts.ProjectID, params)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if engine == "oracle" {
			if e := errBody(t, resp.Header.Get("Content-Type"), data); resp.StatusCode != http.StatusBadRequest || e.ErrorCode != CodeTemplateDownloadFailed {
				t.Errorf("engine oracle: %d %s", resp.StatusCode, data)
			}
			continue
		}
		want := cmp.Or(engine, "mysql")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != BlankContentType ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), BlankTemplateName(want)+".zip") {
			t.Fatalf("engine %q: %d %v", engine, resp.StatusCode, resp.Header)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil || len(zr.File) != 1 || zr.File[0].Name != BlankTemplateName(want)+".xlsx" {
			t.Fatalf("engine %q: not a zip of one workbook: %v", engine, err)
		}
		rc, _ := zr.File[0].Open()
		book, _ := io.ReadAll(rc)
		_ = rc.Close()
		if got := settings(t, book)[rowEngine]; got != want {
			t.Errorf("engine %q: Engine row = %q", engine, got)
		}

		// Imported as it is, its empty required cells are refused, each
		// on its row.
		r := h.upload(book, "")
		if r.JSON400 == nil || r.JSON400.ImportErrorMessages == nil {
			t.Fatalf("blank import: %d %s", r.StatusCode(), r.Body)
		}
		var rows []string
		for _, m := range *r.JSON400.ImportErrorMessages {
			rows = append(rows, *m.RowRum)
		}
		if !gocmp.Equal(rows, []string{"2", "3", "5", "6"}) {
			t.Errorf("blank import: refused rows %v, want the empty task name, type and endpoints", rows)
		}
		filled := setCells(t, book, map[string]string{
			"B2": "from-blank", "B3": "migration", "B5": "10.0.0.1:3306", "B6": "10.0.0.2:3306",
		})
		h.accepted(filled)
	}
}
