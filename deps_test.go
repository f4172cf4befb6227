package drstemplate_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestClientLinksNoSpecMachinery checks that a program importing the client
// links none of what only the fake and the command's workbook code need:
// kin-openapi (with the JSON Schema and YAML packages it imports), excelize
// and drsfake. Each initialises itself at start-up in every program that
// links it — jsonschema and excelize make some 21,000 allocations each — and
// the client needs none of them. Embedding the spec in gen/drsapi (the
// generator's embedded-spec) is the one-line mistake this catches.
func TestClientLinksNoSpecMachinery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".", "./auth", "./endpoint").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.Lines(string(out)) {
		pkg = strings.TrimSpace(pkg)
		for _, heavy := range []string{"github.com/getkin/kin-openapi/", "github.com/santhosh-tekuri/jsonschema/", "go.yaml.in/yaml/", "github.com/xuri/excelize/", "github.com/drs-tools/drstemplate/drsfake"} {
			if strings.HasPrefix(pkg, heavy) {
				t.Errorf("the client links %s", pkg)
			}
		}
	}
}
