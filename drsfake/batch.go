package drsfake

import (
	"context"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// The batch-import operations of the contract are not served by the fake
// yet: they answer what the fake answered before the contract had them, 404
// APIGW.0101 ("the API does not exist"), as Huawei's gateway answers for an
// API not published in a region.

func notPublished(ctx context.Context, o operations) drsserver.NotFoundJSONResponse {
	info := o.info(ctx)
	return drsserver.NotFoundJSONResponse{
		Body:    drsapi.ErrorResponse{ErrorCode: CodeAPINotFound, ErrorMsg: msgAPINotFound, RequestId: &info.id},
		Headers: drsserver.NotFoundResponseHeaders{XRequestId: &info.id},
	}
}

// DownloadBatchCreateTemplate answers 404 APIGW.0101 (not served yet).
func (o operations) DownloadBatchCreateTemplate(ctx context.Context, _ drsserver.DownloadBatchCreateTemplateRequestObject) (drsserver.DownloadBatchCreateTemplateResponseObject, error) {
	return drsserver.DownloadBatchCreateTemplate404JSONResponse{NotFoundJSONResponse: notPublished(ctx, o)}, nil
}

// ImportBatchCreateJobs answers 404 APIGW.0101 (not served yet).
func (o operations) ImportBatchCreateJobs(ctx context.Context, _ drsserver.ImportBatchCreateJobsRequestObject) (drsserver.ImportBatchCreateJobsResponseObject, error) {
	return drsserver.ImportBatchCreateJobs404JSONResponse{NotFoundJSONResponse: notPublished(ctx, o)}, nil
}

// ListAsyncJobs answers 404 APIGW.0101 (not served yet).
func (o operations) ListAsyncJobs(ctx context.Context, _ drsserver.ListAsyncJobsRequestObject) (drsserver.ListAsyncJobsResponseObject, error) {
	return drsserver.ListAsyncJobs404JSONResponse{NotFoundJSONResponse: notPublished(ctx, o)}, nil
}

// ListAsyncJobDetail answers 404 APIGW.0101 (not served yet).
func (o operations) ListAsyncJobDetail(ctx context.Context, _ drsserver.ListAsyncJobDetailRequestObject) (drsserver.ListAsyncJobDetailResponseObject, error) {
	return drsserver.ListAsyncJobDetail404JSONResponse{NotFoundJSONResponse: notPublished(ctx, o)}, nil
}

// CommitAsyncJob answers 404 APIGW.0101 (not served yet).
func (o operations) CommitAsyncJob(ctx context.Context, _ drsserver.CommitAsyncJobRequestObject) (drsserver.CommitAsyncJobResponseObject, error) {
	return drsserver.CommitAsyncJob404JSONResponse{NotFoundJSONResponse: notPublished(ctx, o)}, nil
}
