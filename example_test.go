package drstemplate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// startFake runs a fake DRS for an example: three tasks, exports that are
// done at once, and a token. In a real program the endpoint is the
// region's.
func startFake() (srv *httptest.Server, fake *drsfake.Server) {
	fake, err := drsfake.New(
		drsfake.WithToken("example-token"),
		drsfake.WithTasks(
			drsfake.Task{ID: "2e69ebb1-f06d-4eb2-a789-2883629jb204", Engine: "postgresql"},
			drsfake.Task{ID: "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a", Engine: "mysql"},
			drsfake.Task{ID: "c3b2a190-8f7e-4d6c-5b4a-392817060504", Engine: "mysql"},
		),
		drsfake.WithExportTimings(0, 0),
	)
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(fake), fake
}

// newExampleClient returns a client of the example's fake.
func newExampleClient(srv *httptest.Server, fake *drsfake.Server) *drstemplate.Client {
	c, err := drstemplate.New(
		drstemplate.WithEndpoint(srv.URL),
		drstemplate.WithProjectID(fake.ProjectIDs()[0]),
		drstemplate.WithCredentials(auth.StaticToken("example-token")),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// exportedNames exports the tasks, waits, and returns the names of the
// project's template files (see ExampleClient_Export, _Wait, _Templates).
func exportedNames(c *drstemplate.Client, tasks ...string) []string {
	ctx := context.Background()
	exp, err := c.Export(ctx, tasks...)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Wait(ctx, exp.ID, nil); err != nil {
		log.Fatal(err)
	}
	var names []string
	for t, err := range c.Templates(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		names = append(names, t.Name)
	}
	return names
}

// The whole job in one call: export the tasks' templates, wait, and
// download them into a directory.
func Example() {
	srv, fake := startFake()
	defer srv.Close()

	c, err := drstemplate.New(
		drstemplate.WithEndpoint(srv.URL), // or drstemplate.WithRegion("cn-north-4")
		drstemplate.WithProjectID(fake.ProjectIDs()[0]),
		drstemplate.WithCredentials(auth.StaticToken("example-token")), // default: the environment
	)
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "templates")
	defer func() { _ = os.RemoveAll(dir) }()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	results, err := c.ExportAndDownload(ctx, dir, []string{
		"2e69ebb1-f06d-4eb2-a789-2883629jb204",
		"7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a",
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Printf("%s: %s bytes in a .xlsx: %v\n", r.TaskID, sizeClass(r.File.Size), filepath.Ext(r.File.Path) == ".xlsx")
	}
	// Output:
	// 2e69ebb1-f06d-4eb2-a789-2883629jb204: some bytes in a .xlsx: true
	// 7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a: some bytes in a .xlsx: true
}

func sizeClass(n int64) string {
	if n > 0 {
		return "some"
	}
	return "no"
}

func ExampleNew() {
	// With no credentials given, New reads them the way Huawei's SDK does:
	// HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID
	// (or an IAM token or password login, see package auth).
	c, err := drstemplate.New(
		drstemplate.WithRegion("cn-south-2"),
		drstemplate.WithCredentials(auth.AccessKey{ID: "AKEXAMPLE", Secret: "not-a-real-secret"}),
		drstemplate.WithProjectID("5237e10fe9aa4ad5b16b6a5245248314"),
		drstemplate.WithLanguage("zh-cn"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Endpoint())
	// Output: https://drs.cn-south-2.myhuaweicloud.com
}

func ExampleClient_Export() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)

	exp, err := c.Export(context.Background(), "2e69ebb1-f06d-4eb2-a789-2883629jb204")
	if err != nil {
		log.Fatal(err)
	}
	// Keep exp.ID: any process can wait on it.
	fmt.Println(exp.RequestStatus, len(exp.ID), exp.TaskIDs)
	// Output: SUCCESS 36 [2e69ebb1-f06d-4eb2-a789-2883629jb204]
}

func ExampleClient_Wait() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	exp, err := c.Export(context.Background(), "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a")
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := c.Wait(ctx, exp.ID, &drstemplate.WaitOptions{
		MinDelay: 2 * time.Second, // the default is 1s
		Progress: func(s drstemplate.Status) { log.Printf("export %s: %s", exp.ID, s) },
	})
	switch {
	case errors.Is(err, drstemplate.ErrExportFailed):
		fmt.Println("DRS could not export the task")
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Println("still not done:", err)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("done:", st)
	}
	// Output: done: success
}

func ExampleClient_Templates() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	ctx := context.Background()
	exp, _ := c.Export(ctx, "2e69ebb1-f06d-4eb2-a789-2883629jb204")
	_, _ = c.Wait(ctx, exp.ID, nil)

	for t, err := range c.Templates(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.TaskID, t.Engine, !t.Created.IsZero())
	}
	// Output: 2e69ebb1-f06d-4eb2-a789-2883629jb204 postgresql true
}

func ExampleClient_Download() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	ctx := context.Background()
	name := exportedNames(c, "2e69ebb1-f06d-4eb2-a789-2883629jb204")[0]

	var buf bytes.Buffer // or an *os.File, an http.ResponseWriter…
	if _, err := c.Download(ctx, name, &buf); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", buf.Bytes()[:2])
	// Output: "PK"
}

func ExampleClient_DownloadToDir() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	ctx := context.Background()
	names := exportedNames(c, "7c1d0a4e-5b3f-4a2e-9d8c-1f0e2d3c4b5a", "c3b2a190-8f7e-4d6c-5b4a-392817060504")
	dir, _ := os.MkdirTemp("", "templates")
	defer func() { _ = os.RemoveAll(dir) }()

	files, err := c.DownloadToDir(ctx, dir, names, nil) // several names: one .zip, extracted
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.DownloadToDir(ctx, dir, names[:1], nil)
	fmt.Println(len(files), errors.Is(err, drstemplate.ErrFileExists))
	// Output: 2 true
}

func ExampleClient_ExportAndDownload() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	dir, _ := os.MkdirTemp("", "templates")
	defer func() { _ = os.RemoveAll(dir) }()

	results, err := c.ExportAndDownload(context.Background(), dir,
		[]string{"2e69ebb1-f06d-4eb2-a789-2883629jb204", "no-such-task"},
		&drstemplate.ExportAndDownloadOptions{
			Events: func(e drstemplate.Event) {
				if e.Kind == drstemplate.EventDone {
					log.Printf("%s: %v", e.Result.TaskID, e.Result.Err)
				}
			},
		})
	// One task failed; the other's template is written all the same.
	fmt.Println(err != nil)
	for _, r := range results {
		fmt.Println(r.TaskID, r.Err == nil)
	}
	// Output:
	// true
	// 2e69ebb1-f06d-4eb2-a789-2883629jb204 true
	// no-such-task false
}

func ExampleClient_Poll() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)
	exp, err := c.Export(context.Background(), "2e69ebb1-f06d-4eb2-a789-2883629jb204")
	if err != nil {
		log.Fatal(err)
	}

	st, err := c.Poll(context.Background(), exp.ID) // one ShowExportProgress call
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st, st.Done(), st.Succeeded())
	// Output: success true true
}

// A program that configures one *http.Client for all its HTTP hands it to
// the client: its transport carries the calls (below the client's
// authentication and retries) and its timeout bounds each call.
func ExampleWithHTTPClient() {
	srv, fake := startFake()
	defer srv.Close()

	hc := &http.Client{Transport: srv.Client().Transport, Timeout: 30 * time.Second}
	c, err := drstemplate.New(
		drstemplate.WithEndpoint(srv.URL),
		drstemplate.WithProjectID(fake.ProjectIDs()[0]),
		drstemplate.WithCredentials(auth.StaticToken("example-token")),
		drstemplate.WithHTTPClient(hc),
	)
	if err != nil {
		log.Fatal(err)
	}
	exp, err := c.Export(context.Background(), "2e69ebb1-f06d-4eb2-a789-2883629jb204")
	fmt.Println(exp.TaskIDs, err)
	// Output: [2e69ebb1-f06d-4eb2-a789-2883629jb204] <nil>
}

// An error answer is an *APIError: its status, Huawei's code and request id,
// and the answer's header without credentials.
func ExampleAPIError() {
	srv, fake := startFake()
	defer srv.Close()
	c := newExampleClient(srv, fake)

	_, err := c.Poll(context.Background(), "no-such-export")
	var apiErr *drstemplate.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, errors.Is(err, drstemplate.ErrNotFound))
		fmt.Println(apiErr.Header.Get("X-Request-Id") == apiErr.RequestID, apiErr.Header.Get("X-Auth-Token") == "")
	}
	// Output:
	// 404 DRS.M00404 true
	// true true
}
