package integration_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// TestReadmeExample is the README's "Testing your code with drsfake" snippet,
// with its claims checked: keep the two in step.
func TestReadmeExample(t *testing.T) {
	ctx := context.Background()

	clock := drsfake.NewManualClock(time.Now())
	fake := drsfaketest.Start(t, drsfake.WithClock(clock)) // loopback; stopped when the test ends

	fakeURL, _ := endpoint.Parse(fake.URL, false)
	hc := auth.NewHTTPClient(&auth.Transport{Credentials: auth.StaticToken(fake.Token), Endpoint: fakeURL})
	c, _ := drsapi.NewClientWithResponses(fake.URL, drsapi.WithHTTPClient(hc))
	exp, _ := c.ExportCreationTemplateWithResponse(ctx, fake.ProjectID, nil,
		drsapi.ExportTemplateRequest{Jobs: fake.TaskIDs[:1]})
	if exp == nil || exp.JSON202 == nil {
		t.Fatalf("export not accepted: %+v", exp)
	}
	clock.Advance(time.Minute) // the export is done: no sleeping

	prog, err := c.ShowExportProgressWithResponse(ctx, fake.ProjectID, exp.JSON202.Id, nil)
	if err != nil || prog.JSON200 == nil || prog.JSON200.ProcessStatus != drsfake.StatusSuccess {
		t.Fatalf("progress = %+v, %v; want %s", prog, err, drsfake.StatusSuccess)
	}
	list, err := c.ListTemplatesWithResponse(ctx, fake.ProjectID, nil)
	if err != nil || list.JSON200 == nil || list.JSON200.Count != 1 {
		t.Fatalf("list = %+v, %v; want one file", list, err)
	}

	if err := fake.SetFaults(drsfake.Faults{All: drsfake.FaultRates{Unavailable: 1}}); err != nil { // a (very) bad day
		t.Fatal(err)
	}
	list, err = c.ListTemplatesWithResponse(ctx, fake.ProjectID, nil)
	if err != nil || list.StatusCode() != http.StatusServiceUnavailable {
		t.Fatalf("with faults: %+v, %v; want 503", list, err)
	}

	fake.RevokeToken(fake.Token)
	list, err = c.ListTemplatesWithResponse(ctx, fake.ProjectID, nil)
	if err != nil {
		t.Fatalf("revoked token: %v, want the refusal as a response", err)
	}
	if err := auth.Refusal(list.HTTPResponse, list.Body); !errors.Is(err, auth.ErrTokenRejected) {
		t.Fatalf("revoked token: Refusal = %v, want auth.ErrTokenRejected", err)
	}
}
