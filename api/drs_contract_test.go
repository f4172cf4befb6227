package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// param describes one expected parameter of an operation.
type param struct {
	in       string
	name     string
	required bool
}

// common are the header parameters that every DRS call declares. Content-Type
// and X-Auth-Token are not among them: OpenAPI 3.0.3 ignores a header parameter
// named Content-Type, and the token is the IAMToken security scheme.
var common = []param{
	{"header", "X-Language", false},
}

var errorCodes = []string{"400", "401", "403", "404", "429", "500", "503"}

// TestDRSOperations pins the operations: an accidental edit of an id, a
// method, a path, a parameter or a status code fails here.
func TestDRSOperations(t *testing.T) {
	doc := load(t, "openapi.yaml")
	cases := []struct {
		id          string
		method      string
		path        string
		params      []param
		body        string // schema name of the request body, "" for none
		bodyType    string // media type of the body ("" = application/json)
		pathOps     int    // operations on the path (0 = 1)
		success     string
		successBody map[string]string // media type → schema name ("" = binary stream)
		successHdrs []string
		error400    string // schema of the 400 answer ("" = ErrorResponse)
	}{
		{
			id: "ExportCreationTemplate", method: http.MethodPost, path: "/v5/{project_id}/jobs/export/template",
			params:  append([]param{{"path", "project_id", true}}, common...),
			body:    "ExportTemplateRequest",
			success: "202", successBody: map[string]string{"application/json": "ExportJob"},
			successHdrs: []string{"X-Request-Id"},
		},
		{
			id: "ShowExportProgress", method: http.MethodGet, path: "/v5/{project_id}/jobs/{async_job_id}/export/progress",
			params:  append([]param{{"path", "project_id", true}, {"path", "async_job_id", true}}, common...),
			success: "200", successBody: map[string]string{"application/json": "ExportProgress"},
			successHdrs: []string{"X-Request-Id"},
		},
		{
			id: "ListTemplates", method: http.MethodGet, path: "/v5/{project_id}/templates",
			params:  append([]param{{"path", "project_id", true}, {"query", "offset", false}, {"query", "limit", false}}, common...),
			success: "200", successBody: map[string]string{"application/json": "TemplateList"},
			successHdrs: []string{"X-Request-Id"},
		},
		{
			id: "DownloadCreateTemplate", method: http.MethodPost, path: "/v5/{project_id}/templates/download",
			params:  append([]param{{"path", "project_id", true}}, common...),
			body:    "DownloadTemplateRequest",
			success: "200",
			successBody: map[string]string{
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "FileStream",
				"application/zip":          "FileStream",
				"application/octet-stream": "FileStream",
			},
			successHdrs: []string{"Content-Disposition", "X-Request-Id"},
		},
		{
			id: "DownloadBatchCreateTemplate", method: http.MethodGet, path: "/v5/{project_id}/jobs/template", pathOps: 2,
			params:      append([]param{{"path", "project_id", true}, {"query", "engine_type", false}}, common...),
			success:     "200",
			successBody: map[string]string{"application/x-download": "FileStream"},
			successHdrs: []string{"Content-Disposition", "X-Request-Id"},
			error400:    "ErrorResponse",
		},
		{
			id: "ImportBatchCreateJobs", method: http.MethodPost, path: "/v5/{project_id}/jobs/template", pathOps: 2,
			params: append([]param{{"path", "project_id", true}}, common...),
			body:   "BatchImportForm", bodyType: "multipart/form-data",
			success: "200", successBody: map[string]string{"application/json": "BatchImportResult"},
			successHdrs: []string{"X-Request-Id"},
			error400:    "BatchImportResult", // Huawei: one object for 200 and 400
		},
		{
			id: "ListAsyncJobs", method: http.MethodGet, path: "/v5/{project_id}/batch-async-jobs",
			params: append([]param{{"path", "project_id", true},
				{"query", "async_job_id", false}, {"query", "status", false}, {"query", "domain_name", false},
				{"query", "user_name", false}, {"query", "offset", false}, {"query", "limit", false},
				{"query", "sort_key", false}, {"query", "sort_dir", false}}, common...),
			success: "200", successBody: map[string]string{"application/json": "AsyncJobList"},
			successHdrs: []string{"X-Request-Id"},
		},
		{
			id: "ListAsyncJobDetail", method: http.MethodGet, path: "/v5/{project_id}/batch-async-jobs/{async_job_id}",
			params: append([]param{{"path", "project_id", true}, {"path", "async_job_id", true},
				{"query", "offset", false}, {"query", "limit", false}}, common...),
			success: "200", successBody: map[string]string{"application/json": "AsyncJobDetailList"},
			successHdrs: []string{"X-Request-Id"},
		},
		{
			id: "CommitAsyncJob", method: http.MethodPost, path: "/v5/{project_id}/batch-async-jobs/{async_job_id}/commit",
			params:  append([]param{{"path", "project_id", true}, {"path", "async_job_id", true}}, common...),
			success: "200", successBody: map[string]string{"application/json": "BatchCommitResult"},
			successHdrs: []string{"X-Request-Id"},
		},
	}
	paths := map[string]bool{}
	for _, tc := range cases {
		paths[tc.path] = true
	}
	if got := len(doc.Paths.Map()); got != len(paths) {
		t.Errorf("document has %d paths, want %d", got, len(paths))
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			op := checkOperation(t, doc, operationShape{
				id: tc.id, method: tc.method, path: tc.path, params: tc.params,
				body: tc.body, bodyType: tc.bodyType, pathOps: tc.pathOps,
			})

			wantCodes := append([]string{tc.success}, errorCodes...)
			gotCodes := op.Responses.Keys()
			slices.Sort(wantCodes)
			slices.Sort(gotCodes)
			if diff := cmp.Diff(wantCodes, gotCodes); diff != "" {
				t.Errorf("status codes (-want +got):\n%s", diff)
			}

			ok := op.Responses.Value(tc.success).Value
			gotBody := map[string]string{}
			for mt, m := range ok.Content {
				gotBody[mt] = strings.TrimPrefix(m.Schema.Ref, "#/components/schemas/")
			}
			if diff := cmp.Diff(tc.successBody, gotBody); diff != "" {
				t.Errorf("success content (-want +got):\n%s", diff)
			}
			var hdrs []string
			for name := range ok.Headers {
				hdrs = append(hdrs, name)
			}
			slices.Sort(hdrs)
			if diff := cmp.Diff(tc.successHdrs, hdrs); diff != "" {
				t.Errorf("success headers (-want +got):\n%s", diff)
			}

			for _, code := range errorCodes {
				r := op.Responses.Value(code)
				want := "ErrorResponse"
				if code == "400" && tc.error400 != "" {
					want = tc.error400
				}
				if schema := r.Value.Content["application/json"].Schema; schema.Ref != "#/components/schemas/"+want {
					t.Errorf("%s: schema %q, want %s", code, schema.Ref, want)
				}
				if r.Value.Headers["X-Request-Id"] == nil {
					t.Errorf("%s: no X-Request-Id header", code)
				}
				if _, retry := r.Value.Headers["Retry-After"]; retry != (code == "429") {
					t.Errorf("%s: Retry-After declared = %v", code, retry)
				}
			}
		})
	}
}

// TestDRSConstraints pins the constraints the reference states, and only those.
func TestDRSConstraints(t *testing.T) {
	doc := load(t, "openapi.yaml")
	s := doc.Components.Schemas

	for _, tc := range []struct {
		schema, prop        string
		maxItems, maxLength uint64
	}{
		{"ExportTemplateRequest", "jobs", 1000, 128},
		{"DownloadTemplateRequest", "files", 1000, 255},
	} {
		v := s[tc.schema].Value
		arr := v.Properties[tc.prop].Value
		if !slices.Contains(v.Required, tc.prop) || arr.MinItems != 1 || arr.Items.Value.MinLength != 1 {
			t.Errorf("%s.%s: want a required array of at least one non-empty string", tc.schema, tc.prop)
		}
		// Huawei documents no upper bounds; the contract sets generous ones of
		// its own so that a server can refuse an oversized body early.
		if arr.MaxItems == nil || *arr.MaxItems != tc.maxItems || arr.Items.Value.MaxLength == nil || *arr.Items.Value.MaxLength != tc.maxLength {
			t.Errorf("%s.%s: want maxItems %d and items of maxLength %d", tc.schema, tc.prop, tc.maxItems, tc.maxLength)
		}
		if !strings.Contains(arr.Description, "this project's") {
			t.Errorf("%s.%s: the description must say the bounds are this project's, not Huawei's", tc.schema, tc.prop)
		}
	}
	for _, op := range doc.Paths.Map() {
		for _, o := range op.Operations() {
			want := "Content-Type: application/json"
			if o.OperationID == "ImportBatchCreateJobs" {
				want = "Content-Type: multipart/form-data"
			}
			if !strings.Contains(o.Description, want) {
				t.Errorf("%s: the description must say to send %s", o.OperationID, want)
			}
		}
	}

	if got := s["Language"].Value.Enum; !cmp.Equal(got, []any{"en-us", "zh-cn"}) {
		t.Errorf("Language enum = %v", got)
	}
	if p := s["ProjectId"].Value.Pattern; p != "^[0-9a-f]{32}$" {
		t.Errorf("ProjectId pattern = %q", p)
	}
	if f := s["TemplateFile"].Value.Properties["last_modified"].Value.Format; f != "date-time" {
		t.Errorf("last_modified format = %q", f)
	}
	offset := doc.Components.Parameters["Offset"].Value.Schema.Value
	limit := doc.Components.Parameters["Limit"].Value.Schema.Value
	if offset.Min == nil || *offset.Min != 0 || limit.Min == nil || *limit.Min != 1 || limit.Max != nil {
		t.Error("offset must be ≥ 0 and limit ≥ 1, with no invented maximum")
	}

	// The examples Huawei publishes are kept.
	for where, want := range map[string]any{
		"job id":    s["ExportTemplateRequest"].Value.Properties["jobs"].Value.Example,
		"async id":  s["ExportJob"].Value.Properties["id"].Value.Example,
		"status":    s["ExportJob"].Value.Properties["status"].Value.Example,
		"progress":  s["ExportProgress"].Value.Properties["process_status"].Value.Example,
		"file name": s["TemplateFile"].Value.Properties["file_name"].Value.Example,
		"modified":  s["TemplateFile"].Value.Properties["last_modified"].Value.Example,
	} {
		if want == nil {
			t.Errorf("%s: example missing", where)
		}
	}
	if got := s["ExportJob"].Value.Properties["id"].Value.Example; got != "62a055ae-ce03-4232-beb6-46c83b8ef2b2" {
		t.Errorf("async id example = %v", got)
	}
}

func TestDRSServersAndSecurity(t *testing.T) {
	doc := load(t, "openapi.yaml")
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://drs.{region}.myhuaweicloud.com" {
		t.Fatalf("servers = %v", doc.Servers)
	}
	region := doc.Servers[0].Variables["region"]
	if region == nil || region.Default == "" || len(region.Enum) != 0 {
		t.Error("region variable needs a default and no enum (unknown regions are not refused)")
	}
	schemes := doc.Components.SecuritySchemes
	if tok := schemes["IAMToken"].Value; tok.Type != "apiKey" || tok.In != "header" || tok.Name != "X-Auth-Token" {
		t.Errorf("IAMToken scheme = %+v", tok)
	}
	aksk := schemes["AKSK"].Value
	if aksk.Type != "apiKey" || aksk.Name != "Authorization" || !strings.Contains(aksk.Description, "SDK-HMAC-SHA256") {
		t.Errorf("AKSK scheme must document SDK-HMAC-SHA256 signing")
	}
	if len(doc.Security) != 2 {
		t.Errorf("global security = %v, want IAMToken or AKSK", doc.Security)
	}
}

// TestBatchImportConstraints pins the bounds Huawei documents for the batch
// import, the bound this project chose for the upload, the form's fields and
// the open status strings.
func TestBatchImportConstraints(t *testing.T) {
	doc := load(t, "openapi.yaml")
	s := doc.Components.Schemas

	msg := s["ImportErrorMessage"].Value.Properties
	for _, tc := range []struct {
		prop     string
		min, max uint64
	}{
		{"sheet_name", 1, 128}, {"row_rum", 1, 3}, {"value", 0, 100000}, {"error_message", 0, 512},
	} {
		p := msg[tc.prop]
		if p == nil {
			t.Errorf("ImportErrorMessage.%s missing (Huawei spells the row field row_rum)", tc.prop)
			continue
		}
		v := p.Value
		if !v.Type.Is("string") || v.MinLength != tc.min || v.MaxLength == nil || *v.MaxLength != tc.max {
			t.Errorf("ImportErrorMessage.%s: want a string of %d to %d characters", tc.prop, tc.min, tc.max)
		}
	}
	res := s["BatchImportResult"].Value
	if len(res.Required) != 0 {
		t.Errorf("BatchImportResult requires %v: it is the 200 and the 400 answer, nothing is always there", res.Required)
	}
	if id := res.Properties["async_job_id"].Value; id.MaxLength == nil || *id.MaxLength != 64 {
		t.Error("async_job_id: want maxLength 64")
	}
	for _, p := range []string{"import_error_messages", "error_code", "error_msg"} {
		if res.Properties[p] == nil {
			t.Errorf("BatchImportResult.%s missing", p)
		}
	}

	form := s["BatchImportForm"].Value
	if !cmp.Equal(form.Required, []string{"file"}) {
		t.Errorf("BatchImportForm requires %v, want only file", form.Required)
	}
	file := form.Properties["file"].Value
	if file.Format != "binary" || file.MaxLength == nil || *file.MaxLength != 10<<20 || !strings.Contains(flat(file.Description), "this project's") {
		t.Error("file: want a binary part bounded to 10 MiB, the bound said to be this project's")
	}
	if got := form.Properties["type"].Value.Enum; !cmp.Equal(got, []any{"migration", "sync", "cloudDataGuard"}) {
		t.Errorf("type enum = %v", got)
	}

	// Statuses are open strings: a value Huawei adds must not fail decoding
	// or validation.
	for _, where := range []string{"AsyncJob", "AsyncJobTask", "BatchCommitJob"} {
		if st := s[where].Value.Properties["status"].Value; len(st.Enum) != 0 || !st.Type.Is("string") {
			t.Errorf("%s.status must be an open string", where)
		}
	}
	for _, where := range []string{"AsyncJob", "BatchImportResult"} {
		for name, p := range s[where].Value.Properties {
			if p.Value.Type.Is("string") && len(p.Value.Enum) != 0 {
				t.Errorf("%s.%s has an enum", where, name)
			}
		}
	}
	for _, name := range []string{"AsyncJobTask", "JobBaseInfo", "JobEndpoint", "EndpointAddress"} {
		if ap := s[name].Value.AdditionalProperties; ap.Has != nil && !*ap.Has {
			t.Errorf("%s must allow the fields it does not model", name)
		}
	}

	// The reading that ties the import to the batch jobs is said to be one.
	for _, id := range []string{"ImportBatchCreateJobs"} {
		op := findOperation(doc, id)
		if op == nil || !strings.Contains(flat(op.Description), "this project's reading") {
			t.Errorf("%s: the description must say that following async_job_id is this project's reading", id)
		}
	}
	if !strings.Contains(flat(doc.Info.Description), "this project's reading") {
		t.Error("info: the flow import → batch job → commit must be labelled this project's reading")
	}
	if d := findOperation(doc, "DownloadBatchCreateTemplate"); d == nil || !strings.Contains(d.Description, "zip") {
		t.Error("DownloadBatchCreateTemplate: the description must say the body is a zip archive")
	}
	aksk := doc.Components.SecuritySchemes["AKSK"].Value.Description
	if !strings.Contains(aksk, "UNSIGNED-PAYLOAD") {
		t.Error("AKSK: the signing recipe must give the UNSIGNED-PAYLOAD rule for non-JSON bodies")
	}
}

// findOperation returns the operation of doc with the given id, or nil.
func findOperation(doc *openapi3.T, id string) *openapi3.Operation {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == id {
				return op
			}
		}
	}
	return nil
}

// flat joins the words of a description on single spaces (YAML keeps its
// line breaks).
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
