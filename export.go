package drstemplate

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/taskid"
)

// maxJobsPerRequest is the contract's bound on one export request
// (api/openapi.yaml: jobs has maxItems 1000; each id's maxLength of 128 is
// internal/taskid's).
const maxJobsPerRequest = 1000

// Export is an export DRS accepted. It is plain data: keep it (it encodes to
// JSON) and wait on its ID from anywhere with [Client.Wait], or hand it to
// [Client.ExportAndDownload] in [ExportAndDownloadOptions].Submitted to finish the job
// after a restart.
type Export struct {
	// ID is the export id: what [Client.Wait] polls, and the token to
	// resume waiting with.
	ID string `json:"id"`
	// RequestStatus is what DRS said of the export request when it accepted
	// it ("SUCCESS" in Huawei's example; JSON "status", the contract's
	// name). It is not the export's progress, a [Status]: wait for that.
	RequestStatus string `json:"status"`
	// Accepted is when DRS accepted the export: the Date of its answer, in
	// the server's clock, or the client's clock when the answer had none.
	// Template files of the export are created at or after it.
	Accepted time.Time `json:"accepted"`
	// TaskIDs are the exported tasks.
	TaskIDs []string `json:"task_ids"`
}

// Export starts an asynchronous export of the creation templates of the
// given DRS tasks and returns once DRS has accepted it (HTTP 202). The ids
// are checked before any call: at least one, none blank or repeated, at most
// the client's maximum per export ([WithMaxTasksPerExport]).
//
// The request is sent again — as often as the client's RetryPolicy allows —
// only where the server cannot have acted on it (see [RetryPolicy]): an
// error may leave an export running on the server.
func (c *Client) Export(ctx context.Context, taskIDs ...string) (Export, error) {
	if err := checkTaskIDs(taskIDs, c.maxTasks); err != nil {
		return Export{}, err
	}
	return c.export(ctx, taskIDs)
}

// export starts an export of task ids already checked.
func (c *Client) export(ctx context.Context, taskIDs []string) (Export, error) {
	resp, err := c.call(ctx, opExport, http.StatusAccepted, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.ExportCreationTemplate(ctx, project, &drsapi.ExportCreationTemplateParams{XLanguage: c.language},
			drsapi.ExportTemplateRequest{Jobs: taskIDs})
	})
	if err != nil {
		return Export{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	accepted, dateErr := http.ParseTime(resp.Header.Get("Date"))
	var job drsapi.ExportJob
	if err := decode(opExport, resp, &job); err != nil {
		return Export{}, err
	}
	if job.Id == "" {
		return Export{}, fmt.Errorf("%w: %s answered 202 without an export id", ErrUnexpectedResponse, opExport)
	}
	if dateErr != nil {
		accepted = c.now()
	}
	return Export{ID: job.Id, RequestStatus: job.Status, Accepted: accepted.UTC(), TaskIDs: append([]string(nil), taskIDs...)}, nil
}

// checkTaskIDs refuses a list of task ids that no export request could
// carry: empty, longer than limit, or breaking the task-id rule
// (internal/taskid). The message names the offending id by its position.
func checkTaskIDs(ids []string, limit int) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: no task ids", ErrInvalidInput)
	}
	if limit > 0 && len(ids) > limit {
		return fmt.Errorf("%w: %d task ids, more than the %d one export may carry", ErrInvalidInput, len(ids), limit)
	}
	switch f := taskid.Check(ids); {
	case f == nil:
		return nil
	case f.Problem != "":
		return fmt.Errorf("%w: task id #%d %q %s", ErrInvalidInput, f.Index+1, clip.String(ids[f.Index], 64), f.Problem)
	default:
		return fmt.Errorf("%w: task id %q is given twice (#%d and #%d)", ErrInvalidInput, clip.String(ids[f.Index], 64), f.Repeats+1, f.Index+1)
	}
}
