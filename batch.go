package drstemplate

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// BatchStatus is a batch job's status as ListAsyncJobs and CommitAsyncJob
// report it. Huawei's SDK lists ASYNC_JOB_VALIDATING,
// ASYNC_JOB_VALIDATE_FAILED, AUTO_PARAM_VALIDATE_SUCCESS and COMMIT_SUCCESS;
// its page also shows ASYNC_JOB_CREATING and ASYNC_JOB_COMPLETED. The set
// is open: the methods compare case-insensitively, and an unknown status
// means the job is still in progress, unless it names a failure.
//
// This project's reading (no page says it in one sentence): an import's
// batch job validates, then waits in AUTO_PARAM_VALIDATE_SUCCESS until it
// is committed, which creates its tasks.
type BatchStatus string

// The batch job statuses Huawei names.
const (
	BatchValidating     BatchStatus = "ASYNC_JOB_VALIDATING"
	BatchValidateFailed BatchStatus = "ASYNC_JOB_VALIDATE_FAILED"
	BatchValidated      BatchStatus = "AUTO_PARAM_VALIDATE_SUCCESS"
	BatchCommitted      BatchStatus = "COMMIT_SUCCESS"
	BatchCreating       BatchStatus = "ASYNC_JOB_CREATING"
	BatchCompleted      BatchStatus = "ASYNC_JOB_COMPLETED"
)

// is reports whether s is want, compared case-insensitively.
func (s BatchStatus) is(want BatchStatus) bool { return strings.EqualFold(string(s), string(want)) }

// Validated reports whether the job's tasks passed validation and the job
// waits to be committed.
func (s BatchStatus) Validated() bool { return s.is(BatchValidated) }

// Committed reports whether the job was committed and its tasks created:
// COMMIT_SUCCESS or ASYNC_JOB_COMPLETED.
func (s BatchStatus) Committed() bool { return s.is(BatchCommitted) || s.is(BatchCompleted) }

// Failed reports whether the job ended without creating its tasks: its
// validation failed, or its status names a failure (a status Huawei does
// not list that contains "FAILED").
func (s BatchStatus) Failed() bool {
	return s.is(BatchValidateFailed) || strings.Contains(strings.ToUpper(string(s)), "FAILED")
}

// Done reports whether the job waits for nothing but its caller: validated
// (and waiting for a commit), committed, or failed.
func (s BatchStatus) Done() bool { return s.Validated() || s.Committed() || s.Failed() }

// Known reports whether s is one of the statuses Huawei names.
func (s BatchStatus) Known() bool {
	for _, k := range []BatchStatus{BatchValidating, BatchValidateFailed, BatchValidated, BatchCommitted, BatchCreating, BatchCompleted} {
		if s.is(k) {
			return true
		}
	}
	return false
}

// checkBatchID checks a batch job id before it is sent.
func checkBatchID(id string) error {
	if strings.TrimSpace(id) == "" || len(id) > 64 || !printableASCII(id) {
		return fmt.Errorf("%w: batch job id %q: want up to 64 printable ASCII characters", ErrInvalidInput, clip.String(id, 64))
	}
	return nil
}

// PollBatch asks DRS once for the status of the batch job with the given
// id (ListAsyncJobs, filtered by the id). A job the project does not list
// gives an error matching [ErrNotFound].
func (c *Client) PollBatch(ctx context.Context, id string) (BatchStatus, error) {
	if err := checkBatchID(id); err != nil {
		return "", err
	}
	resp, err := c.call(ctx, opBatchStatus, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.ListAsyncJobs(ctx, project, &drsapi.ListAsyncJobsParams{AsyncJobId: &id, XLanguage: c.language})
	})
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var list drsapi.AsyncJobList
	if err := decode(opBatchStatus, resp, &list); err != nil {
		return "", err
	}
	for _, j := range list.Jobs {
		if j.AsyncJobId == id {
			return BatchStatus(j.Status), nil
		}
	}
	return "", fmt.Errorf("%s: %w: the project lists no batch job %s", opBatchStatus, ErrNotFound, id)
}

// CommitBatch commits the batch job with the given id: DRS creates its
// tasks, which starts their billing. Nothing in this package commits on its
// own; commit a job once [Client.WaitBatch] says it is validated. DRS
// refuses to commit a job that is not validated (with HTTP 400, as an
// [*APIError]).
//
// It returns the status DRS answers with (COMMIT_SUCCESS, or one of the
// creation in progress: creating the tasks may take DRS a while). A commit
// is not idempotent: it is retried only where DRS cannot have acted on it
// (the connection was never made, or the gateway throttled it).
func (c *Client) CommitBatch(ctx context.Context, id string) (BatchStatus, error) {
	if err := checkBatchID(id); err != nil {
		return "", err
	}
	resp, err := c.call(ctx, opCommit, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.CommitAsyncJob(ctx, project, id, &drsapi.CommitAsyncJobParams{XLanguage: c.language})
	})
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var res drsapi.BatchCommitResult
	if err := decode(opCommit, resp, &res); err != nil {
		return "", err
	}
	if res.Job.AsyncJobId != "" && res.Job.AsyncJobId != id {
		return "", fmt.Errorf("%w: %s: committed batch job %q, not %s", ErrUnexpectedResponse, opCommit, clip.String(res.Job.AsyncJobId, 64), id)
	}
	return BatchStatus(res.Job.Status), nil
}
