package api_test

import (
	"bufio"
	"bytes"
	"go/version"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGoDirectiveIsMinimal checks that go.mod asks importers for no newer Go
// than the module really needs: the newest go line among its dependencies
// (a language feature of a later release would fail to build, which go vet
// and the build catch). A patch release pinned without need forces every
// importer onto it.
func TestGoDirectiveIsMinimal(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var own string
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			own = v
		}
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.GoVersion}}", "all")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v", err)
	}
	need, by := "1.0", ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, v, _ := strings.Cut(sc.Text(), " ")
		if path == "github.com/drs-tools/drstemplate" || v == "" {
			continue
		}
		if version.Compare("go"+v, "go"+need) > 0 {
			need, by = v, path
		}
	}
	if version.Compare("go"+own, "go"+need) != 0 {
		t.Errorf("go.mod says go %s; the dependencies need go %s (%s): require exactly that", own, need, by)
	}
}
