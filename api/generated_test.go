package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// TestEmbeddedSpecMatchesFile catches a gen/ that was not regenerated after an
// edit of openapi.yaml (make generate-check catches the rest).
func TestEmbeddedSpecMatchesFile(t *testing.T) {
	embedded, err := drsserver.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(embedded)
	b, _ := json.Marshal(load(t, "openapi.yaml"))
	if string(a) != string(b) {
		t.Fatal("gen/drsserver embeds a different document than api/openapi.yaml: run make generate")
	}
}

// TestGeneratedClientTypedResults drives the generated client against canned
// answers shaped like Huawei's examples and checks the typed results.
func TestGeneratedClientTypedResults(t *testing.T) {
	const pid = "5237e10fe9aa4ad5b16b6a5245248314"
	mux := http.NewServeMux()
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "req-1")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}
	}
	mux.HandleFunc("POST /v5/{pid}/jobs/export/template", answer(202, `{"id":"62a055ae-ce03-4232-beb6-46c83b8ef2b2","status":"SUCCESS"}`))
	mux.HandleFunc("GET /v5/{pid}/jobs/{id}/export/progress", answer(200, `{"process_status":"pending"}`))
	mux.HandleFunc("GET /v5/{pid}/templates", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "offset=0&limit=10" {
			answer(400, `{"error_code":"DRS.M00007","error_msg":"bad query"}`)(w, r)
			return
		}
		answer(200, `{"count":1,"export_report_obs_files":[{"file_name":"a_mysql_20250703094510.xlsx","last_modified":"2025-07-03T09:44:12Z"}]}`)(w, r)
	})
	mux.HandleFunc("POST /v5/{pid}/templates/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		answer(429, `{"error_code":"APIG.0308","error_msg":"throttled"}`)(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c, err := drsapi.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	exp, err := c.ExportCreationTemplateWithResponse(ctx, pid, nil, drsapi.ExportTemplateRequest{Jobs: []string{"job"}})
	if err != nil {
		t.Fatal(err)
	}
	var job *drsapi.ExportJob = exp.JSON202 //nolint:staticcheck // ST1023: the explicit type proves JSON202 is typed
	if job == nil || job.Id != "62a055ae-ce03-4232-beb6-46c83b8ef2b2" || job.Status != "SUCCESS" {
		t.Errorf("JSON202 = %+v", job)
	}
	if exp.Headers202 == nil || exp.Headers202.XRequestId == nil || *exp.Headers202.XRequestId != "req-1" {
		t.Errorf("Headers202 = %+v", exp.Headers202)
	}

	prog, err := c.ShowExportProgressWithResponse(ctx, pid, job.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p *drsapi.ExportProgress = prog.JSON200 //nolint:staticcheck // ST1023: the explicit type proves JSON200 is typed
	if p == nil || p.ProcessStatus != "pending" {
		t.Errorf("JSON200 = %+v", p)
	}

	offset, limit := drsapi.Offset(0), drsapi.Limit(10)
	list, err := c.ListTemplatesWithResponse(ctx, pid, &drsapi.ListTemplatesParams{Offset: &offset, Limit: &limit})
	if err != nil {
		t.Fatal(err)
	}
	want := &drsapi.TemplateList{Count: 1, ExportReportObsFiles: []drsapi.TemplateFile{{
		FileName: "a_mysql_20250703094510.xlsx", LastModified: time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC),
	}}}
	if diff := cmp.Diff(want, list.JSON200); diff != "" {
		t.Errorf("JSON200 (-want +got):\n%s", diff)
	}

	dl, err := c.DownloadCreateTemplateWithResponse(ctx, pid, nil, drsapi.DownloadTemplateRequest{Files: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if dl.JSON429 == nil || dl.JSON429.ErrorCode != "APIG.0308" || dl.Headers429 == nil || *dl.Headers429.RetryAfter != "3" {
		t.Errorf("429 = %+v %+v", dl.JSON429, dl.Headers429)
	}
}

// TestGeneratedImportStreams checks what a client of the import needs from
// the generated code: the plain Client's ImportBatchCreateJobsWithBody sends
// an io.Reader as it is read (the server sees the first part before the
// caller has written the rest: nothing buffers the upload whole), and the
// typed 400 answer carries the per-row problems with Huawei's row_rum.
func TestGeneratedImportStreams(t *testing.T) {
	const pid = "5237e10fe9aa4ad5b16b6a5245248314"
	sawPart := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v5/{pid}/jobs/template", func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "file" || part.FileName() != "tasks.xlsx" {
			http.Error(w, "want the file part first", http.StatusBadRequest)
			return
		}
		close(sawPart)
		_, _ = io.Copy(io.Discard, part)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error_code":"DRS.10120001","error_msg":"Failed to parse the imported file",`+
			`"import_error_messages":[{"sheet_name":"sheet0","row_rum":"10","value":"test","error_message":"base_info.tags parse object failed."}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "tasks.xlsx")
		if err == nil {
			_, err = fw.Write([]byte("PK\x03\x04 first bytes"))
		}
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		select { // the rest only once the server has the part: a buffering client never gets here
		case <-sawPart:
		case <-time.After(30 * time.Second):
			pw.CloseWithError(errors.New("the server never saw the file part: the upload was buffered"))
			return
		}
		_, _ = fw.Write([]byte(" and the rest"))
		pw.CloseWithError(mw.Close())
	}()

	c, err := drsapi.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.ImportBatchCreateJobsWithBodyWithResponse(context.Background(), pid, nil, mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	row := drsapi.ImportErrorMessage{SheetName: ptr("sheet0"), RowRum: ptr("10"), Value: ptr("test"), ErrorMessage: ptr("base_info.tags parse object failed.")}
	want := &drsapi.BatchImportResult{ErrorCode: ptr("DRS.10120001"), ErrorMsg: ptr("Failed to parse the imported file"),
		ImportErrorMessages: &[]drsapi.ImportErrorMessage{row}}
	if diff := cmp.Diff(want, resp.JSON400); diff != "" {
		t.Errorf("JSON400 (-want +got):\n%s", diff)
	}

	// The plain Client's method takes the body as an io.Reader and returns
	// the response unread: the shape a streaming client builds on.
	var plain func(context.Context, drsapi.ProjectId, *drsapi.ImportBatchCreateJobsParams, string, io.Reader, ...drsapi.RequestEditorFn) (*http.Response, error) = (&drsapi.Client{}).ImportBatchCreateJobsWithBody //nolint:staticcheck // ST1023: the explicit type pins the signature
	_ = plain
}

func ptr[T any](v T) *T { return &v }
