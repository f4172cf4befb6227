package drsfake

import (
	"context"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// ExportCreationTemplate starts an export of the named tasks of the project
// (POST /v5/{project_id}/jobs/export/template). It answers 202 with a new
// UUID and acceptedStatus, or 400 DRS.M00007 for a task the project does
// not have. Repeated task ids are exported once.
func (o operations) ExportCreationTemplate(ctx context.Context, req drsserver.ExportCreationTemplateRequestObject) (drsserver.ExportCreationTemplateResponseObject, error) {
	info := o.info(ctx)
	var jobs []string
	if req.Body != nil {
		jobs = req.Body.Jobs
	}
	invalid := func(detail string) drsserver.ExportCreationTemplate400JSONResponse {
		return drsserver.ExportCreationTemplate400JSONResponse{BadRequestJSONResponse: drsserver.BadRequestJSONResponse{
			Body:    drsapi.ErrorResponse{ErrorCode: CodeInvalidParameter, ErrorMsg: msgInvalidParameterPrefix + detail},
			Headers: drsserver.BadRequestResponseHeaders{XRequestId: &info.id},
		}}
	}
	seen := make(map[string]bool, len(jobs))
	tasks := make([]Task, 0, len(jobs))
	for _, id := range jobs {
		t, ok := o.s.task(id)
		if !ok || t.ProjectID != req.ProjectId {
			return invalid("task " + quote(id) + " does not exist"), nil
		}
		if !seen[id] {
			seen[id] = true
			tasks = append(tasks, t)
		}
	}
	if len(tasks) == 0 { // only reachable when the handler is called without validation
		return invalid("request body /jobs: minimum number of items is 1"), nil
	}
	id := o.s.ids.uuid()
	o.s.store.create(id, req.ProjectId, tasks, info.now, o.s.pending, o.s.running)
	return drsserver.ExportCreationTemplate202JSONResponse{
		Body:    drsapi.ExportJob{Id: id, Status: acceptedStatus},
		Headers: drsserver.ExportCreationTemplate202ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// ShowExportProgress reports the state of an export of the project
// (GET /v5/{project_id}/jobs/{async_job_id}/export/progress): [StatusPending],
// [StatusRunning], then [StatusSuccess] or [StatusFailed], as the fake's clock
// passes the configured durations; 404 DRS.M00404 for an unknown id or one
// forgotten after the retention ([WithRetention]).
func (o operations) ShowExportProgress(ctx context.Context, req drsserver.ShowExportProgressRequestObject) (drsserver.ShowExportProgressResponseObject, error) {
	info := o.info(ctx)
	status, ok := o.s.store.progress(req.ProjectId, req.AsyncJobId, info.now)
	if !ok {
		return drsserver.ShowExportProgress404JSONResponse{NotFoundJSONResponse: drsserver.NotFoundJSONResponse{
			Body:    drsapi.ErrorResponse{ErrorCode: CodeNotFound, ErrorMsg: msgExportNotFound},
			Headers: drsserver.NotFoundResponseHeaders{XRequestId: &info.id},
		}}, nil
	}
	return drsserver.ShowExportProgress200JSONResponse{
		Body:    drsapi.ExportProgress{ProcessStatus: status},
		Headers: drsserver.ShowExportProgress200ResponseHeaders{XRequestId: &info.id},
	}, nil
}
