package drsfaketest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// ExampleStart starts a fake with working credentials for a test and lists
// its template files with the generated client. In a test, pass its t.
func ExampleStart() {
	var t testing.T // in a test: the test's t
	ts := drsfaketest.Start(&t, drsfake.WithGeneratedTasks(2))
	defer ts.Close()

	c, _ := drsapi.NewClientWithResponses(ts.URL, drsapi.WithHTTPClient(ts.Client()),
		drsapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-Auth-Token", ts.Token)
			return nil
		}))
	l, err := c.ListTemplatesWithResponse(context.Background(), ts.ProjectID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.StatusCode(), "tasks:", len(ts.TaskIDs), "files:", l.JSON200.Count)
	// Output: 200 tasks: 2 files: 0
}
