package drsfake_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// ExampleNew runs a whole export against the fake with the generated client,
// stepping the fake's clock instead of sleeping. In a test, drsfaketest.Start(t)
// does the httptest part and adds credentials.
func ExampleNew() {
	clock := drsfake.NewManualClock(time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC))
	fake, err := drsfake.New(
		drsfake.WithClock(clock),
		drsfake.WithToken("example-token"),
		drsfake.WithProjectID("5237e10fe9aa4ad5b16b6a5245248314"),
		drsfake.WithTasks(drsfake.Task{ID: "2e69ebb1-f06d-4eb2-a789-2883629jb204", Name: "orders", Engine: "postgresql"}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	c, _ := drsapi.NewClientWithResponses(srv.URL, drsapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("X-Auth-Token", "example-token")
		return nil
	}))
	ctx, project := context.Background(), "5237e10fe9aa4ad5b16b6a5245248314"

	exp, _ := c.ExportCreationTemplateWithResponse(ctx, project, nil, drsapi.ExportTemplateRequest{Jobs: []string{"2e69ebb1-f06d-4eb2-a789-2883629jb204"}})
	fmt.Println("export:", exp.StatusCode(), exp.JSON202.Status)
	p, _ := c.ShowExportProgressWithResponse(ctx, project, exp.JSON202.Id, nil)
	fmt.Println("progress:", p.JSON200.ProcessStatus)

	clock.Advance(time.Minute)
	p, _ = c.ShowExportProgressWithResponse(ctx, project, exp.JSON202.Id, nil)
	fmt.Println("progress:", p.JSON200.ProcessStatus)
	l, _ := c.ListTemplatesWithResponse(ctx, project, nil)
	fmt.Println("files:", l.JSON200.Count, l.JSON200.ExportReportObsFiles[0].FileName)

	bad, _ := c.ListTemplatesWithResponse(ctx, project, nil, func(_ context.Context, r *http.Request) error {
		r.Header.Set("X-Auth-Token", "wrong")
		return nil
	})
	fmt.Println("wrong token:", bad.StatusCode(), bad.JSON401.ErrorCode)
	// Output:
	// export: 202 SUCCESS
	// progress: pending
	// progress: success
	// files: 1 2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094412.xlsx
	// wrong token: 401 APIGW.0301
}

// ExampleServer_SetFaults makes every ListTemplates call fail with 503 for a
// while, as a client's retry logic would meet it.
func ExampleServer_SetFaults() {
	fake, _ := drsfake.New(drsfake.WithToken("tok"))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	list := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v5/"+fake.ProjectIDs()[0]+"/templates", nil)
		req.Header.Set("X-Auth-Token", "tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	_ = fake.SetFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{
		drsfake.OpListTemplates: {Unavailable: 1},
	}})
	fmt.Println(list())
	_ = fake.SetFaults(drsfake.Faults{})
	fmt.Println(list())
	// Output:
	// 503
	// 200
}

// ExampleServer_Calls counts the calls a client made, refused ones
// included, as a test or a benchmark would to say what a run cost.
func ExampleServer_Calls() {
	fake, _ := drsfake.New(drsfake.WithToken("tok"))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	list := func(token string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v5/"+fake.ProjectIDs()[0]+"/templates", nil)
		req.Header.Set("X-Auth-Token", token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}
	list("tok")
	list("tok")
	list("wrong")
	calls := fake.Calls()
	fmt.Println(calls[drsfake.OpListTemplates], calls[drsfake.OpShowExportProgress], len(calls))
	// Output:
	// 3 0 1
}
