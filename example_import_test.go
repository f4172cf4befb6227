package drstemplate_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/drsfake"
)

// startImportFake runs the example fake with batch jobs validated at once.
func startImportFake() (*httptest.Server, *drstemplate.Client) {
	fake, err := drsfake.New(
		drsfake.WithToken("example-token"),
		drsfake.WithTasks(drsfake.Task{ID: "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a", Engine: "mysql", Name: "orders",
			SourceEndpoint: "10.0.0.1:3306", TargetEndpoint: "10.0.1.1:3306"}),
		drsfake.WithExportTimings(0, 0),
		drsfake.WithImportValidation(0),
	)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	return srv, newExampleClient(srv, fake)
}

// exportedWorkbook returns the exported template of the example's task: a
// workbook that imports as it is.
func exportedWorkbook(c *drstemplate.Client) []byte {
	names := exportedNames(c, "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a")
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), names[0], &buf); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

func ExampleClient_BlankTemplate() {
	srv, c := startImportFake()
	defer srv.Close()

	// The blank template is a zip archive holding the workbook to fill in.
	var buf bytes.Buffer
	if _, err := c.BlankTemplate(context.Background(), "postgresql", &buf); err != nil {
		log.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(zr.File[0].Name)
	// Output: drs_batch_create_template_postgresql.xlsx
}

// The round trip: import a filled workbook, wait for DRS to validate the
// batch job, and commit it, which creates the tasks.
func ExampleClient_Import() {
	srv, c := startImportFake()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// A file on disk is checked (size, a whole .xlsx) before anything is
	// sent, streamed, and sent again where DRS cannot have seen it.
	path := filepath.Join(os.TempDir(), "example-tasks.xlsx")
	if err := os.WriteFile(path, exportedWorkbook(c), 0o600); err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.Remove(path) }()
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = f.Close() }()

	job, err := c.Import(ctx, filepath.Base(path), f, &drstemplate.ImportOptions{Type: "migration"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.WaitBatch(ctx, job.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("validated:", st.Validated())
	// Nothing is created until the job is committed.
	st, err = c.CommitBatch(ctx, job.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("committed:", st.Committed())
	// Output:
	// validated: true
	// committed: true
}

func ExampleImportError() {
	srv, c := startImportFake()
	defer srv.Close()

	// A task sheet without its required rows: DRS refuses it row by row.
	book := exportedWorkbook(c)
	_, err := c.Import(context.Background(), "tasks.xlsx", bytes.NewReader(notATaskSheet(book)), nil)
	var refused *drstemplate.ImportError
	if errors.As(err, &refused) {
		fmt.Println(refused.Code)
		for _, row := range refused.Rows {
			fmt.Printf("%s row %s: %q\n", row.Sheet, row.Row, row.Value)
		}
	}
	// Output:
	// DRS.10120001
	// Task row 3: ""
}

// notATaskSheet empties the task name (row 3) of an exported template.
func notATaskSheet(book []byte) []byte {
	return editWorkbook(book, "Task", "B3", "")
}

func ExampleClient_WaitBatch() {
	srv, c := startImportFake()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	job, err := c.Import(ctx, "tasks.xlsx", bytes.NewReader(exportedWorkbook(c)), nil)
	if err != nil {
		log.Fatal(err)
	}
	// The id is all a wait needs: another process can resume it.
	st, err := c.WaitBatch(ctx, job.ID, &drstemplate.WaitOptions{
		MinDelay:      100 * time.Millisecond,
		BatchProgress: func(s drstemplate.BatchStatus) { fmt.Println("status:", s) },
	})
	if errors.Is(err, drstemplate.ErrBatchFailed) {
		fmt.Println("validation failed: nothing to commit")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready to commit:", st.Validated())
	// Output:
	// status: AUTO_PARAM_VALIDATE_SUCCESS
	// ready to commit: true
}

func ExampleClient_PollBatch() {
	srv, c := startImportFake()
	defer srv.Close()
	ctx := context.Background()

	job, err := c.Import(ctx, "tasks.xlsx", bytes.NewReader(exportedWorkbook(c)), nil)
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.PollBatch(ctx, job.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st, st.Known(), st.Done())
	// Output: AUTO_PARAM_VALIDATE_SUCCESS true true
}

func ExampleClient_CommitBatch() {
	srv, c := startImportFake()
	defer srv.Close()
	ctx := context.Background()

	job, err := c.Import(ctx, "tasks.xlsx", bytes.NewReader(exportedWorkbook(c)), nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitBatch(ctx, job.ID, nil); err != nil {
		log.Fatal(err)
	}
	st, err := c.CommitBatch(ctx, job.ID) // creates the tasks: billed
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st)
	// Output: COMMIT_SUCCESS
}

func ExampleClient_BatchTasks() {
	srv, c := startImportFake()
	defer srv.Close()
	ctx := context.Background()

	job, err := c.Import(ctx, "tasks.xlsx", bytes.NewReader(exportedWorkbook(c)), nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitBatch(ctx, job.ID, nil); err != nil {
		log.Fatal(err)
	}
	if _, err := c.CommitBatch(ctx, job.ID); err != nil {
		log.Fatal(err)
	}
	// The tasks the commit created, by id: their templates can be exported.
	tasks, err := c.BatchTasks(ctx, job.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tasks {
		fmt.Println(t.Name, t.ID != "")
	}
	// Output: orders true
}
