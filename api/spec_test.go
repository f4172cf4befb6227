package api_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// specs lists every contract in this folder; each must pass the generic checks.
var specs = []string{"openapi.yaml", "iam.yaml"}

// load reads and resolves one document the way the code generator does.
func load(t *testing.T, file string) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	return doc
}

func TestSpecsValidate(t *testing.T) {
	for _, file := range specs {
		t.Run(file, func(t *testing.T) {
			doc := load(t, file)
			if doc.OpenAPI != "3.0.3" {
				t.Errorf("openapi = %q, want 3.0.3 (oapi-codegen's supported dialect)", doc.OpenAPI)
			}
			err := doc.Validate(context.Background(),
				openapi3.EnableExamplesValidation(),
				openapi3.EnableSchemaFormatValidation(),
				openapi3.EnableSchemaPatternValidation(),
				openapi3.EnableSchemaDefaultsValidation())
			if err != nil {
				t.Fatalf("validate: %v", err)
			}
		})
	}
}

// example is one example value found in a document, with the schema it claims to fit.
type example struct {
	where  string
	value  any
	schema *openapi3.SchemaRef
}

// collectExamples walks every place OpenAPI 3.0 allows an example: schemas (and
// their properties and items), parameters, headers and media types.
func collectExamples(doc *openapi3.T) []example {
	var out []example
	seen := map[*openapi3.Schema]bool{}
	var walkSchema func(where string, s *openapi3.SchemaRef)
	walkSchema = func(where string, s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		if s.Value.Example != nil {
			out = append(out, example{where + ".example", s.Value.Example, s})
		}
		for name, p := range s.Value.Properties {
			walkSchema(where+".properties."+name, p)
		}
		walkSchema(where+".items", s.Value.Items)
	}
	media := func(where string, content openapi3.Content) {
		for mt, m := range content {
			w := where + ".content." + mt
			walkSchema(w+".schema", m.Schema)
			if m.Example != nil {
				out = append(out, example{w + ".example", m.Example, m.Schema})
			}
			for name, ex := range m.Examples {
				out = append(out, example{w + ".examples." + name, ex.Value.Value, m.Schema})
			}
		}
	}
	param := func(where string, p *openapi3.Parameter) {
		walkSchema(where+".schema", p.Schema)
		if p.Example != nil {
			out = append(out, example{where + ".example", p.Example, p.Schema})
		}
	}
	header := func(where string, h *openapi3.Header) {
		param(where, &h.Parameter)
	}

	c := doc.Components
	for name, s := range c.Schemas {
		walkSchema("components.schemas."+name, s)
	}
	for name, p := range c.Parameters {
		param("components.parameters."+name, p.Value)
	}
	for name, h := range c.Headers {
		header("components.headers."+name, h.Value)
	}
	for name, r := range c.Responses {
		media("components.responses."+name, r.Value.Content)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			w := method + " " + path
			for _, p := range op.Parameters {
				param(w+".parameters."+p.Value.Name, p.Value)
			}
			if op.RequestBody != nil {
				media(w+".requestBody", op.RequestBody.Value.Content)
			}
			for code, r := range op.Responses.Map() {
				media(w+".responses."+code, r.Value.Content)
				for name, h := range r.Value.Headers {
					header(w+".responses."+code+".headers."+name, h.Value)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// checkExamples validates every example against its schema, formats included.
func checkExamples(exs []example) []error {
	var errs []error
	for _, ex := range exs {
		if ex.schema == nil || ex.schema.Value == nil {
			errs = append(errs, fmt.Errorf("%s: example without a schema", ex.where))
			continue
		}
		if err := ex.schema.Value.VisitJSON(ex.value, openapi3.EnableFormatValidation(), openapi3.MultiErrors()); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ex.where, err))
		}
	}
	return errs
}

func TestEveryExampleFitsItsSchema(t *testing.T) {
	for _, file := range specs {
		t.Run(file, func(t *testing.T) {
			exs := collectExamples(load(t, file))
			if len(exs) < 10 {
				t.Fatalf("found only %d examples: the walker is broken or examples were lost", len(exs))
			}
			for _, err := range checkExamples(exs) {
				t.Error(err)
			}
			t.Logf("%d examples checked", len(exs))
		})
	}
}

// TestExampleCheckCatchesBadExamples proves the walker and checker can fail: each
// case breaks one example in a freshly loaded document.
func TestExampleCheckCatchesBadExamples(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc *openapi3.T)
	}{
		{"schema property of wrong type", func(doc *openapi3.T) {
			doc.Components.Schemas["TemplateList"].Value.Properties["count"].Value.Example = "one"
		}},
		{"media type example missing a required field", func(doc *openapi3.T) {
			doc.Paths.Value("/v5/{project_id}/jobs/export/template").Post.Responses.Value("202").Value.
				Content["application/json"].Example = map[string]any{"status": "SUCCESS"}
		}},
		{"parameter example breaking the pattern", func(doc *openapi3.T) {
			doc.Components.Parameters["ProjectId"].Value.Example = "NOT-A-PROJECT"
		}},
		{"date-time that is not one", func(doc *openapi3.T) {
			doc.Components.Schemas["TemplateFile"].Value.Properties["last_modified"].Value.Example = "yesterday"
		}},
		{"empty job list", func(doc *openapi3.T) {
			doc.Paths.Value("/v5/{project_id}/jobs/export/template").Post.RequestBody.Value.
				Content["application/json"].Example = map[string]any{"jobs": []any{}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := load(t, "openapi.yaml")
			tc.mutate(doc)
			if errs := checkExamples(collectExamples(doc)); len(errs) == 0 {
				t.Fatal("the broken example was not reported")
			}
		})
	}
}

// TestSchemasLiveInComponents checks that request and response bodies refer to
// named schemas, so every generator gives them the same names.
func TestSchemasLiveInComponents(t *testing.T) {
	for _, file := range specs {
		t.Run(file, func(t *testing.T) {
			doc := load(t, file)
			check := func(where string, content openapi3.Content) {
				for mt, m := range content {
					if m.Schema == nil || m.Schema.Ref == "" {
						t.Errorf("%s %s: schema is inline, want a $ref to components", where, mt)
					}
				}
			}
			for name, r := range doc.Components.Responses {
				check("components.responses."+name, r.Value.Content)
			}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					if op.RequestBody != nil {
						check(method+" "+path+" request", op.RequestBody.Value.Content)
					}
					for code, r := range op.Responses.Map() {
						if r.Ref == "" {
							check(method+" "+path+" "+code, r.Value.Content)
						}
					}
				}
			}
		})
	}
}
