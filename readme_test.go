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
