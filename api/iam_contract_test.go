package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// TestIAMOperations pins the two IAM operations: an accidental edit of an
// id, a method, a path, a parameter, a status code, a schema or a security
// requirement fails here.
func TestIAMOperations(t *testing.T) {
	doc := load(t, "iam.yaml")
	cases := []struct {
		id          string
		method      string
		path        string
		params      []param
		body        string // schema name of the JSON request body, "" for none
		success     string
		successBody string // schema name of the JSON success body
		successHdrs []string
		security    []string          // alternatives, one scheme each; none = no authentication
		errSchemas  map[string]string // status → schema name of the error body
	}{
		{
			id: "KeystoneCreateUserTokenByPassword", method: http.MethodPost, path: "/v3/auth/tokens",
			params:  []param{{"query", "nocatalog", false}},
			body:    "PasswordTokenRequest",
			success: "201", successBody: "TokenResponse",
			successHdrs: []string{"X-Request-Id", "X-Subject-Token"},
			errSchemas: map[string]string{
				"400": "IAMError", "401": "IAMError", "403": "IAMError", "404": "IAMError",
				"429": "IAMError", "500": "IAMError", "503": "IAMError",
			},
		},
		{
			id: "KeystoneListProjects", method: http.MethodGet, path: "/v3/projects",
			params:  []param{{"query", "name", false}, {"header", "Content-Type", false}, {"header", "X-Auth-Token", false}},
			success: "200", successBody: "ProjectList",
			successHdrs: []string{"X-IAM-Trace-Id", "X-Request-Id"},
			security:    []string{"IAMToken", "AKSK"},
			errSchemas: map[string]string{
				// Refused credentials: the gateway's body or IAM's.
				"400": "IAMError", "401": "AuthenticationError", "403": "IAMError", "404": "IAMError",
				"429": "IAMError", "500": "IAMError", "503": "IAMError",
			},
		},
	}
	if got := len(doc.Paths.Map()); got != len(cases) {
		t.Errorf("document has %d paths, want %d", got, len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			op := checkOperation(t, doc, operationShape{id: tc.id, method: tc.method, path: tc.path, params: tc.params, body: tc.body})

			// Security: explicit on the operation; each alternative one scheme.
			if op.Security == nil {
				t.Fatal("security must be explicit on the operation")
			}
			var schemes []string
			for _, req := range *op.Security {
				if len(req) != 1 {
					t.Errorf("security alternative %v: want one scheme", req)
				}
				for name := range req {
					schemes = append(schemes, name)
				}
			}
			if diff := cmp.Diff(tc.security, schemes); diff != "" {
				t.Errorf("security (-want +got):\n%s", diff)
			}

			wantCodes := []string{tc.success}
			for code := range tc.errSchemas {
				wantCodes = append(wantCodes, code)
			}
			gotCodes := op.Responses.Keys()
			slices.Sort(wantCodes)
			slices.Sort(gotCodes)
			if diff := cmp.Diff(wantCodes, gotCodes); diff != "" {
				t.Errorf("status codes (-want +got):\n%s", diff)
			}

			ok := op.Responses.Value(tc.success).Value
			if len(ok.Content) != 1 || ok.Content["application/json"] == nil {
				t.Fatalf("success content = %v, want application/json only", ok.Content)
			}
			if ref := ok.Content["application/json"].Schema.Ref; ref != "#/components/schemas/"+tc.successBody {
				t.Errorf("success schema = %q, want %s", ref, tc.successBody)
			}
			var hdrs []string
			for name := range ok.Headers {
				hdrs = append(hdrs, name)
			}
			slices.Sort(hdrs)
			if diff := cmp.Diff(tc.successHdrs, hdrs); diff != "" {
				t.Errorf("success headers (-want +got):\n%s", diff)
			}

			for code, schema := range tc.errSchemas {
				r := op.Responses.Value(code).Value
				mt := r.Content["application/json"]
				if mt == nil {
					t.Errorf("%s: no application/json body", code)
					continue
				}
				if ref := mt.Schema.Ref; ref != "#/components/schemas/"+schema {
					t.Errorf("%s: schema %q, want %s", code, ref, schema)
				}
			}
		})
	}
}

// TestIAMProjectSchemas pins the project list: only id and name are
// required (IAM documents the rest without promising it), the list itself is
// required, and a 401 body is the gateway's or IAM's, exactly one of them.
func TestIAMProjectSchemas(t *testing.T) {
	doc := load(t, "iam.yaml")
	s := doc.Components.Schemas

	list := s["ProjectList"].Value
	if !cmp.Equal(list.Required, []string{"projects"}) || list.Properties["projects"].Value.Items.Ref != "#/components/schemas/Project" {
		t.Errorf("ProjectList: required %v, items %s", list.Required, list.Properties["projects"].Value.Items.Ref)
	}
	if list.Properties["links"] == nil {
		t.Error("ProjectList.links missing")
	}
	project := s["Project"].Value
	if !cmp.Equal(project.Required, []string{"id", "name"}) {
		t.Errorf("Project.required = %v, want [id name]", project.Required)
	}
	for prop, typ := range map[string]string{
		"id": "string", "name": "string", "domain_id": "string", "enabled": "boolean",
		"description": "string", "parent_id": "string", "is_domain": "boolean",
	} {
		p := project.Properties[prop]
		if p == nil || !p.Value.Type.Is(typ) {
			t.Errorf("Project.%s: want a %s", prop, typ)
		}
	}
	if name := doc.Paths.Value("/v3/projects").Get.Parameters.GetByInAndName("query", "name"); name == nil ||
		name.Schema.Value.MinLength != 1 || !name.Schema.Value.Type.Is("string") {
		t.Error("query parameter name: want an optional string of at least one character")
	}

	auth := s["AuthenticationError"].Value
	var alternatives []string
	for _, ref := range auth.OneOf {
		alternatives = append(alternatives, strings.TrimPrefix(ref.Ref, "#/components/schemas/"))
	}
	if !cmp.Equal(alternatives, []string{"GatewayError", "IAMError"}) {
		t.Errorf("AuthenticationError.oneOf = %v", alternatives)
	}
	for body, valid := range map[string]bool{
		`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"x"}`: true,
		`{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}`:                    true,
		`{"error_code":"APIGW.0301"}`: false,
		`{"message":"unauthorized"}`:  false,
	} {
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		if err := auth.VisitJSON(v); (err == nil) != valid {
			t.Errorf("%s: valid = %v, want %v (%v)", body, err == nil, valid, err)
		}
	}
}

// TestIAMServersAndSecurity checks the endpoint and the security schemes:
// the same token and AK/SK schemes as the DRS document, and no global
// requirement (the password login needs none).
func TestIAMServersAndSecurity(t *testing.T) {
	doc := load(t, "iam.yaml")
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://iam.{region}.myhuaweicloud.com" {
		t.Fatalf("servers = %v", doc.Servers)
	}
	if len(doc.Security) != 0 {
		t.Errorf("global security = %v, want none", doc.Security)
	}
	schemes := doc.Components.SecuritySchemes
	if tok := schemes["IAMToken"]; tok == nil || tok.Value.Type != "apiKey" || tok.Value.In != "header" || tok.Value.Name != "X-Auth-Token" {
		t.Errorf("IAMToken scheme = %+v", tok)
	}
	aksk := schemes["AKSK"]
	if aksk == nil || aksk.Value.Type != "apiKey" || aksk.Value.Name != "Authorization" || !strings.Contains(aksk.Value.Description, "SDK-HMAC-SHA256") {
		t.Errorf("AKSK scheme must document SDK-HMAC-SHA256 signing")
	}
	login := doc.Paths.Value("/v3/auth/tokens").Post
	if login.Security == nil || len(*login.Security) != 0 {
		t.Errorf("POST /v3/auth/tokens: security = %v, want explicitly none", login.Security)
	}
}

// TestIAMEmbeddedSpecMatchesFile catches a gen/iamserver that was not
// regenerated after an edit of iam.yaml.
func TestIAMEmbeddedSpecMatchesFile(t *testing.T) {
	embedded, err := iamserver.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(embedded)
	b, _ := json.Marshal(load(t, "iam.yaml"))
	if string(a) != string(b) {
		t.Fatal("gen/iamserver embeds a different document than api/iam.yaml: run make generate")
	}
}

// TestIAMExampleCheckCatchesBadExamples proves the example walker reaches the
// new IAM examples: each case breaks one and must be reported.
func TestIAMExampleCheckCatchesBadExamples(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc *openapi3.T)
	}{
		{"project list without projects", func(doc *openapi3.T) {
			doc.Paths.Value("/v3/projects").Get.Responses.Value("200").Value.
				Content["application/json"].Example = map[string]any{"links": map[string]any{}}
		}},
		{"project without a name", func(doc *openapi3.T) {
			doc.Paths.Value("/v3/projects").Get.Responses.Value("200").Value.
				Content["application/json"].Example = map[string]any{"projects": []any{map[string]any{"id": "x"}}}
		}},
		{"empty name parameter", func(doc *openapi3.T) {
			doc.Paths.Value("/v3/projects").Get.Parameters.GetByInAndName("query", "name").Example = ""
		}},
		{"401 example of neither shape", func(doc *openapi3.T) {
			doc.Components.Responses["AuthenticationFailed"].Value.Content["application/json"].
				Examples["gateway"].Value.Value = map[string]any{"error_code": "APIGW.0301"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := load(t, "iam.yaml")
			tc.mutate(doc)
			if errs := checkExamples(collectExamples(doc)); len(errs) == 0 {
				t.Fatal("the broken example was not reported")
			}
		})
	}
}
