package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLinksNoTestHelpers checks that the drstemplate binary links no
// package made for tests: the fake it embeds (demo, fake-server) is package
// drsfake, and its test helpers live in drsfake/drsfaketest, as httptest
// lives beside net/http. An import of drsfaketest (or of testing or httptest
// in drsfake) from the product makes this fail.
func TestBinaryLinksNoTestHelpers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.Lines(string(out)) {
		pkg = strings.TrimSpace(pkg)
		if pkg == "testing" || strings.HasPrefix(pkg, "testing/") || pkg == "net/http/httptest" || strings.HasSuffix(pkg, "/drsfaketest") {
			t.Errorf("the binary links %s", pkg)
		}
	}
}
