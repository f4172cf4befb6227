package drstemplate_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestInternalStaysBelowTheClient checks the layering rule of DESIGN.md:
// nothing under internal/, tests included, imports the root package or any
// other package above it (auth, drsfake, endpoint, the command); it may
// import other internal packages and the generated code.
func TestInternalStaysBelowTheClient(t *testing.T) {
	const module = "github.com/drs-tools/drstemplate"
	fset := token.NewFileSet()
	err := filepath.WalkDir("internal", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && d.Name() == "testdata" {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			rest, ours := strings.CutPrefix(p, module)
			if ours && (rest == "" || rest[0] == '/') &&
				!strings.HasPrefix(rest, "/internal/") && !strings.HasPrefix(rest, "/gen/") {
				t.Errorf("%s imports %s, a package above internal/", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
