package api_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// operationShape is what every contract test pins of an operation before its
// responses: where it lives, its id, its parameters and its request body.
type operationShape struct {
	id     string
	method string
	path   string
	params []param
	body   string // schema name of the request body, "" for none
	// bodyType is the body's media type ("" = application/json).
	bodyType string
	// pathOps is the number of operations on the path (0 = 1).
	pathOps int
}

// checkOperation checks shape against doc and returns the operation (the
// test stops if it is missing).
func checkOperation(t *testing.T, doc *openapi3.T, shape operationShape) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(shape.path)
	if item == nil {
		t.Fatalf("path %s missing", shape.path)
	}
	if n := len(item.Operations()); n != max(shape.pathOps, 1) {
		t.Errorf("path has %d operations, want %d", n, max(shape.pathOps, 1))
	}
	op := item.GetOperation(shape.method)
	if op == nil {
		t.Fatalf("%s %s missing", shape.method, shape.path)
	}
	if op.OperationID != shape.id {
		t.Errorf("operationId = %q, want %q", op.OperationID, shape.id)
	}
	if op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
		t.Error("summary, description and tags are required")
	}

	var got []param
	for _, p := range op.Parameters {
		got = append(got, param{p.Value.In, p.Value.Name, p.Value.Required})
		if p.Value.Description == "" {
			t.Errorf("parameter %s has no description", p.Value.Name)
		}
	}
	if diff := cmp.Diff(shape.params, got, cmp.AllowUnexported(param{})); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}

	switch {
	case shape.body == "" && op.RequestBody != nil:
		t.Error("unexpected request body")
	case shape.body != "":
		rb := op.RequestBody
		if rb == nil || !rb.Value.Required {
			t.Fatal("request body missing or optional")
		}
		mt := shape.bodyType
		if mt == "" {
			mt = "application/json"
		}
		if len(rb.Value.Content) != 1 || rb.Value.Content[mt] == nil {
			t.Fatalf("request body media types = %v, want only %s", slices.Collect(maps.Keys(rb.Value.Content)), mt)
		}
		if ref := rb.Value.Content[mt].Schema.Ref; ref != "#/components/schemas/"+shape.body {
			t.Errorf("request body schema = %q, want %s", ref, shape.body)
		}
	}
	return op
}
