package huaweisdk_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5/model"
	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// templateOf exports the template of task id with the SDK and returns it.
func templateOf(t *testing.T, f *fixture, c *drs.DrsClient, id string) []byte {
	t.Helper()
	if got := waitExport(t, f, c, nil, export(t, c, nil, id), time.Second); got[len(got)-1] != "success" {
		t.Fatalf("export of %s: %v", id, got)
	}
	_, files := list(t, c, nil, nil, nil)
	for _, n := range names(files) {
		if strings.HasPrefix(n, id+"_") {
			return download(t, c, nil, n)
		}
	}
	t.Fatalf("no template of %s listed", id)
	return nil
}

// withCell writes data, with cell B of the row named setting set to value,
// to a file in a temporary directory and opens it (the SDK uploads an
// *os.File).
func withCell(t *testing.T, data []byte, setting, value string) *os.File {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = wb.Close() }()
	rows, _ := wb.GetRows(drsfake.TemplateSheet)
	for i, r := range rows {
		if len(r) > 0 && r[0] == setting {
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			if err := wb.SetCellStr(drsfake.TemplateSheet, cell, value); err != nil {
				t.Fatal(err)
			}
		}
	}
	name := filepath.Join(t.TempDir(), "tasks.xlsx")
	if err := wb.SaveAs(name); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = file.Close() })
	return file
}

// batchStatus returns the status ListAsyncJobs reports for batch job id.
func batchStatus(t *testing.T, c *drs.DrsClient, id string) string {
	t.Helper()
	resp, err := c.ListAsyncJobs(&model.ListAsyncJobsRequest{AsyncJobId: &id})
	if err != nil {
		t.Fatalf("ListAsyncJobs: %v", err)
	}
	if resp.TotalCount != 1 || len(resp.Jobs) != 1 || resp.Jobs[0].AsyncJobId != id {
		t.Fatalf("ListAsyncJobs: %v", resp)
	}
	return resp.Jobs[0].Status.Value()
}

// TestBatchImport drives the batch import with Huawei's SDK, unchanged:
// ImportBatchCreateJobs (a multipart upload the SDK signs with
// UNSIGNED-PAYLOAD, which the fake verifies), ListAsyncJobs until the
// validation ends, ListAsyncJobDetail, CommitAsyncJob (refused before the
// validation ends, accepted after), and the created task's template.
func TestBatchImport(t *testing.T) {
	clock := drsfake.NewManualClock(time.Now())
	f := start(t, clock, drsfake.WithImportValidation(time.Minute))
	ts := f.ts
	c := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	orig := templateOf(t, f, c, ts.TaskIDs[0])
	f.rec.take()

	resp, err := c.ImportBatchCreateJobs(&model.ImportBatchCreateJobsRequest{Body: &model.ImportBatchCreateJobsRequestBody{
		File: def.NewFilePart(withCell(t, orig, "Task name", "DRS-mysql-sdk")), Type: def.NewMultiPart("migration"),
	}})
	if err != nil {
		t.Fatalf("ImportBatchCreateJobs: %v", err)
	}
	if resp.HttpStatusCode != http.StatusOK || resp.AsyncJobId == nil || !uuidRE.MatchString(*resp.AsyncJobId) || resp.ImportErrorMessages != nil {
		t.Fatalf("ImportBatchCreateJobs: %v", resp)
	}
	id := *resp.AsyncJobId
	wire := f.rec.last(t)
	m := authorizationRE.FindStringSubmatch(wire.Header.Get("Authorization"))
	if !strings.HasPrefix(wire.Header.Get("Content-Type"), "multipart/form-data; boundary=") ||
		wire.Header.Get(sdksign.HeaderContentSha256) != sdksign.UnsignedPayload || m == nil ||
		m[2] != "user-agent;x-project-id;x-sdk-content-sha256;x-sdk-date" {
		t.Errorf("the SDK's upload: Content-Type %q, X-Sdk-Content-Sha256 %q, signed %v",
			wire.Header.Get("Content-Type"), wire.Header.Get(sdksign.HeaderContentSha256), m)
	}

	if got := batchStatus(t, c, id); got != drsfake.BatchValidating {
		t.Fatalf("status = %s, want %s", got, drsfake.BatchValidating)
	}
	_, err = c.CommitAsyncJob(&model.CommitAsyncJobRequest{AsyncJobId: id})
	checkError(t, f, "commit while validating", err, http.StatusBadRequest, drsfake.CodeNotCommittable)
	clock.Advance(time.Minute)
	if got := batchStatus(t, c, id); got != drsfake.BatchValidated {
		t.Fatalf("status = %s, want %s", got, drsfake.BatchValidated)
	}
	detail, err := c.ListAsyncJobDetail(&model.ListAsyncJobDetailRequest{AsyncJobId: id})
	if err != nil {
		t.Fatalf("ListAsyncJobDetail: %v", err)
	}
	if detail.TotalCount != 1 || len(detail.Jobs) != 1 || detail.Jobs[0].Id == nil || detail.Jobs[0].BaseInfo == nil ||
		*detail.Jobs[0].BaseInfo.Name != "DRS-mysql-sdk" || detail.Jobs[0].Status.Value() != drsfake.TaskConfiguration {
		t.Fatalf("ListAsyncJobDetail: %v", detail)
	}
	created := *detail.Jobs[0].Id

	commit, err := c.CommitAsyncJob(&model.CommitAsyncJobRequest{AsyncJobId: id})
	if err != nil {
		t.Fatalf("CommitAsyncJob: %v", err)
	}
	if commit.Job == nil || commit.Job.AsyncJobId != id || commit.Job.Status != drsfake.BatchCommitted {
		t.Fatalf("CommitAsyncJob: %v", commit)
	}
	if got := batchStatus(t, c, id); got != drsfake.BatchCommitted {
		t.Errorf("status after the commit = %s", got)
	}
	book := templateOf(t, f, c, created)
	wb, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = wb.Close() }()
	if name, _ := wb.GetCellValue(drsfake.TemplateSheet, "B3"); name != "DRS-mysql-sdk" {
		t.Errorf("the created task's template names it %q", name)
	}
}

// TestBatchImportRefusals: what the SDK makes of the fake's refusals of an
// import — a refused row, a file that is no workbook — and of an unknown
// batch job.
func TestBatchImportRefusals(t *testing.T) {
	clock := drsfake.NewManualClock(time.Now())
	f := start(t, clock)
	ts := f.ts
	c := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	orig := templateOf(t, f, c, ts.TaskIDs[0])

	_, err := c.ImportBatchCreateJobs(&model.ImportBatchCreateJobsRequest{Body: &model.ImportBatchCreateJobsRequestBody{
		File: def.NewFilePart(withCell(t, orig, "Engine", "db2")),
	}})
	checkError(t, f, "import with a refused row", err, http.StatusBadRequest, drsfake.CodeImportParseFailed)
	if body := f.rec.last(t).Body; !bytes.Contains(body, []byte(`filename="tasks.xlsx"`)) || !bytes.Contains(body, []byte("PK\x03\x04")) {
		t.Errorf("the upload did not carry the workbook (%d bytes)", len(body))
	}

	name := filepath.Join(t.TempDir(), "notes.xlsx")
	if err := os.WriteFile(name, []byte("not a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = file.Close() }()
	_, err = c.ImportBatchCreateJobs(&model.ImportBatchCreateJobsRequest{Body: &model.ImportBatchCreateJobsRequestBody{File: def.NewFilePart(file)}})
	checkError(t, f, "import of a file that is no workbook", err, http.StatusBadRequest, drsfake.CodeImportParseFailed)

	_, err = c.ListAsyncJobDetail(&model.ListAsyncJobDetailRequest{AsyncJobId: "no-such-job"})
	checkError(t, f, "detail of an unknown job", err, http.StatusNotFound, drsfake.CodeNotFound)
	_, err = c.CommitAsyncJob(&model.CommitAsyncJobRequest{AsyncJobId: "no-such-job"})
	checkError(t, f, "commit of an unknown job", err, http.StatusNotFound, drsfake.CodeNotFound)
}

// TestBlankTemplateOutOfReach: the SDK's DownloadBatchCreateTemplate reaches
// the fake, which answers 200 with the zip, but the SDK's response type has
// no body: it tries to decode the zip as JSON and returns an error carrying
// the 200 — the blank template cannot be had through the SDK (drstemplate's
// client streams it itself).
func TestBlankTemplateOutOfReach(t *testing.T) {
	clock := drsfake.NewManualClock(time.Now())
	f := start(t, clock)
	ts := f.ts
	c := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	_, err := c.DownloadBatchCreateTemplate(&model.DownloadBatchCreateTemplateRequest{})
	if wire := f.rec.last(t); wire.Path != "/v5/"+ts.ProjectID+"/jobs/template" || wire.Method != http.MethodGet {
		t.Fatalf("the SDK sent %s %s", wire.Method, wire.Path)
	}
	var sre *sdkerr.ServiceResponseError
	if !errors.As(err, &sre) || sre.StatusCode != http.StatusOK {
		t.Fatalf("the SDK's answer to the zip: %v, want its error for a 2xx body that is not JSON", err)
	}
}
