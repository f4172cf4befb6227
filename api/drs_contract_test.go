package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

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

// TestDRSOperations pins the four operations: an accidental edit of an id, a
// method, a path, a parameter or a status code fails here.
func TestDRSOperations(t *testing.T) {
	doc := load(t, "openapi.yaml")
	cases := []struct {
		id          string
		method      string
		path        string
		params      []param
		body        string // schema name of the JSON request body, "" for none
		success     string
		successBody map[string]string // media type → schema name ("" = binary stream)
		successHdrs []string
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
	}
	if got := len(doc.Paths.Map()); got != len(cases) {
		t.Errorf("document has %d paths, want %d", got, len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			op := checkOperation(t, doc, operationShape{tc.id, tc.method, tc.path, tc.params, tc.body})

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
				if schema := r.Value.Content["application/json"].Schema; schema.Ref != "#/components/schemas/ErrorResponse" {
					t.Errorf("%s: schema %q, want ErrorResponse", code, schema.Ref)
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
			if !strings.Contains(o.Description, "Content-Type: application/json") {
				t.Errorf("%s: the description must say to send Content-Type: application/json", o.OperationID)
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
