package drsfake

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// TestGeneratedClientWorkflow drives the four operations with the generated
// client through a whole export, stepping the fake's clock.
func TestGeneratedClientWorkflow(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithExportTimings(2*time.Second, 3*time.Second))
	c := drsClient(t, ts, ts.Token)
	ctx := context.Background()
	task := ts.Tasks()[0]

	exp, err := c.ExportCreationTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: []string{task.ID}})
	if err != nil || exp.StatusCode() != http.StatusAccepted || exp.JSON202 == nil {
		t.Fatalf("export: %v %v %s", err, exp.Status(), exp.Body)
	}
	if _, err := uuid.Parse(exp.JSON202.Id); err != nil || exp.JSON202.Status != acceptedStatus {
		t.Fatalf("export answer %+v: id is not a UUID (%v) or status is not %s", *exp.JSON202, err, acceptedStatus)
	}

	progress := func() string {
		t.Helper()
		p, err := c.ShowExportProgressWithResponse(ctx, ts.ProjectID, exp.JSON202.Id, nil)
		if err != nil || p.JSON200 == nil {
			t.Fatalf("progress: %v %s", err, p.Body)
		}
		return p.JSON200.ProcessStatus
	}
	list := func() drsapi.TemplateList {
		t.Helper()
		l, err := c.ListTemplatesWithResponse(ctx, ts.ProjectID, nil)
		if err != nil || l.JSON200 == nil {
			t.Fatalf("list: %v %s", err, l.Body)
		}
		return *l.JSON200
	}
	for _, step := range []struct {
		advance time.Duration
		status  string
		files   int32
	}{
		{0, StatusPending, 0},
		{1999 * time.Millisecond, StatusPending, 0},
		{time.Millisecond, StatusRunning, 0},
		{2999 * time.Millisecond, StatusRunning, 0},
		{time.Millisecond, StatusSuccess, 1},
		{time.Hour, StatusSuccess, 1},
	} {
		clock.Advance(step.advance)
		if got := progress(); got != step.status {
			t.Fatalf("at %v: status %q, want %q", clock.Now().Sub(t0), got, step.status)
		}
		if got := list().Count; got != step.files {
			t.Fatalf("at %v: %d files, want %d", clock.Now().Sub(t0), got, step.files)
		}
	}

	l := list()
	done := t0.Add(5 * time.Second)
	wantName := task.ID + "_" + task.Engine + "_" + done.Format("20060102150405") + ".xlsx"
	if len(l.ExportReportObsFiles) != 1 || l.ExportReportObsFiles[0].FileName != wantName || !l.ExportReportObsFiles[0].LastModified.Equal(done) {
		t.Fatalf("listing %+v, want one file %s modified %v", l.ExportReportObsFiles, wantName, done)
	}

	// The download streams through the plain client.
	resp, err := c.ClientInterface.(*drsapi.Client).DownloadCreateTemplate(ctx, ts.ProjectID, nil, drsapi.DownloadTemplateRequest{Files: []string{wantName}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("download: %v %d", err, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != XLSXContentType {
		t.Errorf("Content-Type %q, want %q", ct, XLSXContentType)
	}
	if _, p, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || p["filename"] != wantName {
		t.Errorf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	if resp.ContentLength != int64(len(data)) {
		t.Errorf("Content-Length %d for %d bytes", resp.ContentLength, len(data))
	}
	checkWorkbook(t, data, task, wantName)
}

// checkWorkbook opens data as an .xlsx and checks it lists the task.
func checkWorkbook(t *testing.T, data []byte, task Task, name string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not an .xlsx: %v", name, err)
	}
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(TemplateSheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", TemplateSheet, err)
	}
	got := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			got[r[0]] = r[1]
		}
	}
	for k, v := range map[string]string{
		"Task ID": task.ID, "Task name": task.Name, "Engine": task.Engine, "Region": task.Region,
		"Source endpoint": task.SourceEndpoint, "Target endpoint": task.TargetEndpoint,
		"Project ID": task.ProjectID, "Template file": name,
	} {
		if got[k] != v {
			t.Errorf("%s: %q = %q, want %q", name, k, got[k], v)
		}
	}
	for k, v := range task.Settings {
		if got[k] != v {
			t.Errorf("%s: setting %q = %q, want %q", name, k, got[k], v)
		}
	}
}

// TestDownloadSeveralIsZip downloads two templates as one .zip.
func TestDownloadSeveralIsZip(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithExportTimings(0, time.Second))
	c := drsClient(t, ts, ts.Token)
	ctx := context.Background()
	tasks := ts.Tasks()[:2]
	if _, err := c.ExportCreationTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: []string{tasks[0].ID, tasks[1].ID, tasks[0].ID}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	l, err := c.ListTemplatesWithResponse(ctx, ts.ProjectID, nil)
	if err != nil || l.JSON200 == nil || l.JSON200.Count != 2 {
		t.Fatalf("list: %v %s", err, l.Body)
	}
	names := []string{l.JSON200.ExportReportObsFiles[0].FileName, l.JSON200.ExportReportObsFiles[1].FileName}
	resp, err := c.ClientInterface.(*drsapi.Client).DownloadCreateTemplate(ctx, ts.ProjectID, nil, drsapi.DownloadTemplateRequest{Files: append(names, names[0])})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ZipContentType {
		t.Fatalf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	_, p, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || !regexp.MustCompile(`^drs_templates_\d{14}\.zip$`).MatchString(p["filename"]) {
		t.Errorf("Content-Disposition %q (%v)", resp.Header.Get("Content-Disposition"), err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if len(zr.File) != 2 {
		t.Fatalf("%d entries, want 2", len(zr.File))
	}
	for i, zf := range zr.File {
		if zf.Name != names[i] {
			t.Errorf("entry %d is %s, want %s", i, zf.Name, names[i])
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		_ = rc.Close()
		task := tasks[0]
		if strings.HasPrefix(zf.Name, tasks[1].ID) {
			task = tasks[1]
		}
		checkWorkbook(t, b, task, zf.Name)
	}
}

// TestGeneratedClientErrors drives every error path of the four operations
// with the generated client; each answer must be Huawei-shaped JSON that fits
// the contract (the transport validates it).
func TestGeneratedClientErrors(t *testing.T) {
	clock := NewManualClock(t0)
	other := "0123456789abcdef0123456789abcdef"
	ts := start(t, WithClock(clock), WithProjectID("5237e10fe9aa4ad5b16b6a5245248314", other),
		WithTasks(Task{ID: "other-project-task", Engine: "mysql", ProjectID: other}), WithGeneratedTasks(2))
	ctx := context.Background()
	task := ts.TaskIDs[1]

	revoked, _ := ts.IssueToken(ts.ProjectID, time.Hour)
	ts.RevokeToken(revoked)
	expired, _ := ts.IssueToken(ts.ProjectID, time.Minute)
	otherScoped, _ := ts.IssueToken(other, time.Hour)
	clock.Advance(2 * time.Minute)
	unknownProject := "ffffffffffffffffffffffffffffffff"

	type answer struct {
		status int
		ct     string
		body   []byte
		hdr    http.Header
	}
	export := func(token, project string, jobs ...string) answer {
		r, err := drsClient(t, ts, token).ExportCreationTemplateWithResponse(ctx, project, nil, drsapi.ExportTemplateRequest{Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		return answer{r.StatusCode(), r.HTTPResponse.Header.Get("Content-Type"), r.Body, r.HTTPResponse.Header}
	}
	progress := func(token, project, id string, lang *drsapi.Language) answer {
		r, err := drsClient(t, ts, token).ShowExportProgressWithResponse(ctx, project, id, &drsapi.ShowExportProgressParams{XLanguage: lang})
		if err != nil {
			t.Fatal(err)
		}
		return answer{r.StatusCode(), r.HTTPResponse.Header.Get("Content-Type"), r.Body, r.HTTPResponse.Header}
	}
	list := func(token string, params *drsapi.ListTemplatesParams, editors ...drsapi.RequestEditorFn) answer {
		r, err := drsClient(t, ts, token).ListTemplatesWithResponse(ctx, ts.ProjectID, params, editors...)
		if err != nil {
			t.Fatal(err)
		}
		return answer{r.StatusCode(), r.HTTPResponse.Header.Get("Content-Type"), r.Body, r.HTTPResponse.Header}
	}
	download := func(body string) answer {
		r, err := drsClient(t, ts, ts.Token).DownloadCreateTemplateWithBodyWithResponse(ctx, ts.ProjectID, nil, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return answer{r.StatusCode(), r.HTTPResponse.Header.Get("Content-Type"), r.Body, r.HTTPResponse.Header}
	}
	i32 := func(v int32) *int32 { return &v }
	fr := drsapi.Language("fr-fr")
	withFault := func(op Operation, rates FaultRates, call func() answer) func() answer {
		return func() answer {
			if err := ts.SetFaults(Faults{PerOperation: map[Operation]FaultRates{op: rates}}); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = ts.SetFaults(Faults{}) }()
			return call()
		}
	}

	for _, tc := range []struct {
		name   string
		call   func() answer
		status int
		code   string
		msg    string // exact, or a prefix when it ends in ": "
	}{
		{"export without credentials", func() answer { return export("", ts.ProjectID, task) }, 401, CodeAuthFailed, msgNoCredentials},
		{"export with unknown token", func() answer { return export("MIInot-a-token", ts.ProjectID, task) }, 401, CodeAuthFailed, msgTokenInvalid},
		{"export with revoked token", func() answer { return export(revoked, ts.ProjectID, task) }, 401, CodeAuthFailed, msgTokenRevoked},
		{"export with expired token", func() answer { return export(expired, ts.ProjectID, task) }, 401, CodeAuthFailed, msgTokenExpired},
		{"export with token of another project", func() answer { return export(otherScoped, ts.ProjectID, task) }, 403, CodeForbidden, msgProjectMismatch},
		{"export of no task", func() answer { return export(ts.Token, ts.ProjectID) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"export of unknown task", func() answer { return export(ts.Token, ts.ProjectID, task, "no-such-task") }, 400, CodeInvalidParameter, msgInvalidParameterPrefix + `task "no-such-task" does not exist`},
		{"export of another project's task", func() answer { return export(ts.Token, ts.ProjectID, "other-project-task") }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"export in unknown project", func() answer { return export(ts.Token, unknownProject, task) }, 404, CodeNotFound, msgProjectNotFound},
		{"export with malformed project id", func() answer { return export(ts.Token, "NOT-A-PROJECT", task) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"export answered 500", withFault(OpExportCreationTemplate, FaultRates{InternalError: 1}, func() answer { return export(ts.Token, ts.ProjectID, task) }), 500, CodeInternalError, msgInternalError},
		{"progress of unknown export", func() answer { return progress(ts.Token, ts.ProjectID, "62a055ae-ce03-4232-beb6-46c83b8ef2b2", nil) }, 404, CodeNotFound, msgExportNotFound},
		{"progress with unknown X-Language", func() answer { return progress(ts.Token, ts.ProjectID, "x", &fr) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"progress answered 503", withFault(OpShowExportProgress, FaultRates{Unavailable: 1}, func() answer { return progress(ts.Token, ts.ProjectID, "x", nil) }), 503, CodeServiceUnavailable, msgServiceUnavailable},
		{"list with limit 0", func() answer { return list(ts.Token, &drsapi.ListTemplatesParams{Limit: i32(0)}) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix + `query parameter "limit": number must be at least 1`},
		{"list with negative offset", func() answer { return list(ts.Token, &drsapi.ListTemplatesParams{Offset: i32(-1)}) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"list with mismatching X-Project-Id", func() answer {
			return list(ts.Token, nil, func(_ context.Context, r *http.Request) error { r.Header.Set("X-Project-Id", other); return nil })
		}, 403, CodeForbidden, msgProjectMismatch},
		{"list throttled", withFault(OpListTemplates, FaultRates{Throttle: 1}, func() answer { return list(ts.Token, nil) }), 429, CodeThrottled, msgThrottled},
		{"download of unknown file", func() answer { return download(`{"files":["nope.xlsx"]}`) }, 404, CodeNotFound, msgFileNotFoundPrefix + `"nope.xlsx"`},
		{"download of no file", func() answer { return download(`{"files":[]}`) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"download with files not a list", func() answer { return download(`{"files":"a.xlsx"}`) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
		{"download with broken JSON", func() answer { return download(`{"files":[`) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix + "request body: not valid JSON"},
		{"download without body", func() answer { return download(``) }, 400, CodeInvalidParameter, msgInvalidParameterPrefix},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.call()
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %s", a.status, tc.status, a.body)
			}
			e := errBody(t, a.ct, a.body)
			if e.ErrorCode != tc.code {
				t.Errorf("error_code %q, want %q", e.ErrorCode, tc.code)
			}
			if strings.HasSuffix(tc.msg, ": ") && !strings.HasPrefix(e.ErrorMsg, tc.msg) || !strings.HasSuffix(tc.msg, ": ") && e.ErrorMsg != tc.msg {
				t.Errorf("error_msg %q, want %q", e.ErrorMsg, tc.msg)
			}
			if strings.Contains(e.ErrorMsg, "\n") || len(e.ErrorMsg) > maxMessage+len("…") {
				t.Errorf("error_msg is not one short line: %q", e.ErrorMsg)
			}
			if a.hdr.Get(headerRequestID) == "" {
				t.Error("no X-Request-Id")
			}
			gateway := strings.HasPrefix(tc.code, "APIG")
			if gateway && (e.RequestId == nil || *e.RequestId != a.hdr.Get(headerRequestID)) {
				t.Errorf("gateway error without the request id: %+v", e)
			}
			if tc.status == 429 && a.hdr.Get("Retry-After") != "3" {
				t.Errorf("Retry-After %q, want 3", a.hdr.Get("Retry-After"))
			}
			for _, secret := range []string{ts.Token, revoked, expired, otherScoped, ts.SecretKey} {
				if strings.Contains(string(a.body), secret) {
					t.Errorf("the answer echoes a credential: %s", a.body)
				}
			}
		})
	}
}
