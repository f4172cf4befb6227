package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestImporterGoModIsLean builds a downstream module that imports only the
// root package, runs `go mod tidy` in it, and checks that every module its
// go.mod then requires provides a package the program is built from: the
// code generator, its dependencies and this module's test frameworks must
// not reach an importer's go.mod. It fails, for example, when a file of an
// imported package imports a tool behind a build tag (go mod tidy reads
// every tag but "ignore").
func TestImporterGoModIsLean(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy in a downstream module")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/importer\n\ngo 1.26.0\n\n"+
		"require github.com/drs-tools/drstemplate v0.0.0\n\n"+
		"replace github.com/drs-tools/drstemplate => "+root+"\n")
	write(t, filepath.Join(dir, "main.go"), `package main

import "github.com/drs-tools/drstemplate"

func main() { _, _ = drstemplate.New() }
`)
	goCmd(t, dir, "mod", "tidy")

	var mf struct{ Require []struct{ Path string } }
	if err := json.Unmarshal([]byte(goCmd(t, dir, "mod", "edit", "-json")), &mf); err != nil {
		t.Fatal(err)
	}
	built := strings.Fields(goCmd(t, dir, "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "."))
	var extra []string
	for _, r := range mf.Require {
		if !slices.Contains(built, r.Path) {
			extra = append(extra, r.Path)
		}
		if strings.Contains(r.Path, "oapi-codegen/oapi-codegen") {
			t.Errorf("the code generator %s reached the importer's go.mod", r.Path)
		}
	}
	if len(extra) > 0 {
		t.Errorf("an importer's go mod tidy requires %d modules that provide no package of its build: %s",
			len(extra), strings.Join(extra, ", "))
	}
	t.Logf("an importer of the root package requires %d modules", len(mf.Require))
}

// goCmd runs the go command in dir, outside any workspace, and returns its
// standard output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
