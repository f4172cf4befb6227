package drstemplate

import (
	"context"
	"fmt"
	"net/http"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// BatchTask is one task of a batch job, as ListAsyncJobDetail lists it.
type BatchTask struct {
	// ID is the task's id: the id to export its template by, once the
	// batch job is committed.
	ID string `json:"id"`
	// Name is the task's name.
	Name string `json:"name"`
	// Status is the task's status, an open string (e.g. CONFIGURATION,
	// CREATE_FAILED, WAITING_FOR_START).
	Status string `json:"status"`
}

// maxBatchTasks bounds the tasks BatchTasks lists: far above the workbooks
// DRS imports, so that a server whose total never ends stops the listing.
const maxBatchTasks = 10_000

// BatchTasks lists the tasks of the batch job with the given id, in DRS's
// order, page by page (ListAsyncJobDetail): their ids are how the tasks a
// commit created are found.
func (c *Client) BatchTasks(ctx context.Context, id string) ([]BatchTask, error) {
	if err := checkBatchID(id); err != nil {
		return nil, err
	}
	tasks := []BatchTask{}
	for {
		offset := int32(len(tasks)) //nolint:gosec // bounded by maxBatchTasks
		resp, err := c.call(ctx, opBatchTasks, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
			return c.api.ListAsyncJobDetail(ctx, project, id, &drsapi.ListAsyncJobDetailParams{Offset: &offset, XLanguage: c.language})
		})
		if err != nil {
			return tasks, err
		}
		var page drsapi.AsyncJobDetailList
		err = decode(opBatchTasks, resp, &page)
		_ = resp.Body.Close()
		if err != nil {
			return tasks, err
		}
		for _, t := range page.Jobs {
			bt := BatchTask{ID: deref(t.Id), Status: deref(t.Status)}
			if t.BaseInfo != nil {
				bt.Name = deref(t.BaseInfo.Name)
			}
			tasks = append(tasks, bt)
		}
		switch {
		case len(page.Jobs) == 0 || len(tasks) >= int(page.TotalCount):
			return tasks, nil
		case len(tasks) > maxBatchTasks:
			return tasks, fmt.Errorf("%w: %s lists more than %d tasks", ErrUnexpectedResponse, opBatchTasks, maxBatchTasks)
		}
	}
}
