package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// cliReference is where the generated CLI reference lives.
const cliReference = "../../docs/cli"

// TestCLIReference regenerates the CLI reference (cobra/doc) and fails when
// docs/cli/ differs; `make docs-cli` (go test -update) rewrites it.
func TestCLIReference(t *testing.T) {
	dir := t.TempDir()
	root := newRootCommand()
	root.InitDefaultCompletionCmd()
	var all func(c *cobra.Command)
	all = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			all(sub)
		}
	}
	all(root)
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		t.Fatal(err)
	}
	// Help topics are left out of the tree: write them too.
	for _, c := range root.Commands() {
		if !c.IsAdditionalHelpTopicCommand() {
			continue
		}
		f, err := os.Create(filepath.Join(dir, "drstemplate_"+c.Name()+".md"))
		if err != nil {
			t.Fatal(err)
		}
		if err := doc.GenMarkdown(c, f); err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
	}
	if *update {
		if err := os.RemoveAll(cliReference); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(cliReference, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return
	}
	names := func(d string) []string {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatalf("%v (make docs-cli creates it)", err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	want, have := names(dir), names(cliReference)
	if !slices.Equal(want, have) {
		t.Fatalf("docs/cli/ is stale (make docs-cli): files %v, want %v", have, want)
	}
	for _, name := range want {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(cliReference, name))
		if string(a) != string(b) {
			t.Errorf("docs/cli/%s is stale: run make docs-cli", name)
		}
	}
}
