package drstemplate_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// TestReadmeLibraryExample runs the README's "Use it from Go" code against
// drsfake, and checks that the README still shows that code: keep the two in
// step.
func TestReadmeLibraryExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	fake := drsfaketest.Start(t, drsfake.WithExportTimings(0, 0))
	t.Setenv(auth.EnvAccessKey, fake.AccessKey)
	t.Setenv(auth.EnvSecretKey, fake.SecretKey)
	t.Setenv(auth.EnvProjectID, fake.ProjectID)
	t.Setenv("HOME", t.TempDir())
	t.Chdir(t.TempDir())
	ctx := context.Background()
	var printed strings.Builder

	// The README's code, with the fake's endpoint and task for the region's.
	c, err := drstemplate.New(drstemplate.WithEndpoint(fake.URL)) // credentials from the environment: see Authentication
	if err != nil {
		log.Fatal(err)
	}
	results, err := c.ExportAndDownload(ctx, "templates", []string{fake.TaskIDs[0]}, nil)
	for _, r := range results {
		fmt.Fprintln(&printed, r.TaskID, r.File.Path, r.Err) // one .xlsx per task, written whole or not at all
	}
	if err != nil {
		log.Fatal(err) // some task failed: errors.Is(err, drstemplate.ErrExportFailed), auth.ErrClockSkew, …
	}

	if !strings.HasPrefix(printed.String(), fake.TaskIDs[0]+" "+filepath.Join("templates", fake.TaskIDs[0])) {
		t.Errorf("printed %q", printed.String())
	}
	if _, err := os.Stat(results[0].File.Path); err != nil {
		t.Error(err)
	}

	for _, line := range []string{
		`c, err := drstemplate.New(drstemplate.WithRegion("cn-south-2")) // credentials from the environment: see Authentication`,
		`results, err := c.ExportAndDownload(ctx, "templates", []string{"2e69ebb1-f06d-4eb2-a789-2883629jb204"}, nil)`,
		`for _, r := range results {`,
		`	fmt.Println(r.TaskID, r.File.Path, r.Err) // one .xlsx per task, written whole or not at all`,
		`	log.Fatal(err) // some task failed: errors.Is(err, drstemplate.ErrExportFailed), auth.ErrClockSkew, …`,
	} {
		if !strings.Contains(string(readme), line) {
			t.Errorf("README.md no longer shows %q", line)
		}
	}
}

// TestReadmeTypeScriptExample checks that the README's TypeScript block is
// the code of spec-reuse/client.mts between its README:typescript markers
// (less the indentation), which make spec-reuse type-checks and runs.
func TestReadmeTypeScriptExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	program, err := os.ReadFile(filepath.Join("spec-reuse", "client.mts"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(program), "// README:typescript:begin\n")
	block, _, ok2 := strings.Cut(block, "// README:typescript:end\n")
	if !ok || !ok2 {
		t.Fatal("spec-reuse/client.mts has no README:typescript:begin/end markers")
	}
	// The block ends with the end marker's indentation, after its last line.
	lines := strings.Split(strings.TrimSuffix(strings.TrimRight(block, " "), "\n"), "\n")
	if len(lines) < 5 {
		t.Fatalf("the marked block of spec-reuse/client.mts is %d lines", len(lines))
	}
	indent := lines[0][:len(lines[0])-len(strings.TrimLeft(lines[0], " "))]
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, indent)
	}
	want := "```ts\n" + strings.Join(lines, "\n") + "\n```\n"
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not show the code of spec-reuse/client.mts between its markers; it should show:\n%s", want)
	}
}
