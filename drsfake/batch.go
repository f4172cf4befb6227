package drsfake

import (
	"cmp"
	"context"
	"net"
	"strconv"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// Bounds of the answer Huawei documents (ImportErrorMessage).
const (
	maxSheetNameChars = 128
	maxMessageChars   = 512
)

// ImportBatchCreateJobs reads an uploaded workbook
// (POST /v5/{project_id}/jobs/template, multipart/form-data with file and
// an optional type). A form the fake cannot read answers 400 DRS.M00007; a
// file that is not a workbook of the template's layout, or refused rows,
// 400 DRS.10120001 with the rows in import_error_messages; otherwise a new
// batch job validates the tasks on the fake's clock and the answer is 200
// with its async_job_id. The rules are in docs/drsfake.md.
func (o operations) ImportBatchCreateJobs(ctx context.Context, req drsserver.ImportBatchCreateJobsRequestObject) (drsserver.ImportBatchCreateJobsResponseObject, error) {
	info := o.info(ctx)
	refuse := func(body drsapi.BatchImportResult) drsserver.ImportBatchCreateJobsResponseObject {
		return drsserver.ImportBatchCreateJobs400JSONResponse{
			Body: body, Headers: drsserver.ImportBatchCreateJobs400ResponseHeaders{XRequestId: &info.id},
		}
	}
	if req.Body == nil { // only reachable when the handler is called without the pipeline
		return refuse(invalidImport("request body: the form has no file part")), nil
	}
	form, problem := readImportForm(req.Body, o.s.drs.formLimits[OpImportBatchCreateJobs])
	if problem != "" {
		return refuse(invalidImport(problem)), nil
	}
	res := parseImport(form.file, importRules{
		project: req.ProjectId, region: o.s.region, taskType: form.taskType, engines: o.s.engines,
	})
	if res.refused() {
		return refuse(importRefusal(res)), nil
	}
	job := &batchJob{
		id: o.s.ids.uuid(), project: req.ProjectId, created: info.now,
		validatedAt: info.now.Add(o.s.validation),
	}
	if len(o.s.auth.users) > 0 {
		job.domain, job.user = o.s.auth.users[0].Account, o.s.auth.users[0].Name
	}
	for _, it := range res.tasks {
		t := it.task
		t.ID, t.ProjectID, t.Region = o.s.newTaskID(), req.ProjectId, o.s.region
		job.tasks = append(job.tasks, t)
		job.sheets = append(job.sheets, it.sheet)
		job.failures = append(job.failures, validateTask(t))
	}
	o.s.batches.add(job)
	return drsserver.ImportBatchCreateJobs200JSONResponse{
		Body:    drsapi.BatchImportResult{AsyncJobId: &job.id},
		Headers: drsserver.ImportBatchCreateJobs200ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// invalidImport is the answer to a form the fake cannot read.
func invalidImport(detail string) drsapi.BatchImportResult {
	code, msg := CodeInvalidParameter, oneLine(msgInvalidParameterPrefix+detail)
	return drsapi.BatchImportResult{ErrorCode: &code, ErrorMsg: &msg}
}

// importRefusal is the answer to a refused workbook, within the bounds the
// contract sets on each field.
func importRefusal(res *importResult) drsapi.BatchImportResult {
	code, msg := CodeImportParseFailed, msgImportParseFailed
	switch {
	case res.fileProblem != "":
		msg += ": " + res.fileProblem
	case res.more:
		msg += ": the first " + strconv.Itoa(maxImportProblems) + " refused rows are listed"
	}
	msg = oneLine(msg)
	body := drsapi.BatchImportResult{ErrorCode: &code, ErrorMsg: &msg}
	if len(res.problems) > 0 {
		rows := make([]drsapi.ImportErrorMessage, len(res.problems))
		for i, p := range res.problems {
			sheet := cmp.Or(clip.String(p.sheet, maxSheetNameChars), "-")
			row := strconv.Itoa(p.row) // 1 to 999: the sheets are bounded
			value, text := echo(p.value), clip.String(p.msg, maxMessageChars)
			rows[i] = drsapi.ImportErrorMessage{SheetName: &sheet, RowRum: &row, Value: &value, ErrorMessage: &text}
		}
		body.ImportErrorMessages = &rows
	}
	return body
}

// ListAsyncJobs lists the project's batch jobs, one page at a time
// (GET /v5/{project_id}/batch-async-jobs): filtered by async_job_id, status,
// domain_name and user_name (exact matches), sorted by create_time (the only
// sort_key Huawei documents; another is refused 400 DRS.M00007), newest
// first unless sort_dir is asc; offset and limit as in ListTemplates.
func (o operations) ListAsyncJobs(ctx context.Context, req drsserver.ListAsyncJobsRequestObject) (drsserver.ListAsyncJobsResponseObject, error) {
	info := o.info(ctx)
	p := req.Params
	if p.SortKey != nil && *p.SortKey != "create_time" {
		return drsserver.ListAsyncJobs400JSONResponse{BadRequestJSONResponse: drsserver.BadRequestJSONResponse{
			Body: drsapi.ErrorResponse{ErrorCode: CodeInvalidParameter,
				ErrorMsg: msgInvalidParameterPrefix + `query parameter "sort_key": the fake sorts by create_time only`},
			Headers: drsserver.BadRequestResponseHeaders{XRequestId: &info.id},
		}}, nil
	}
	f := batchFilter{asc: p.SortDir != nil && *p.SortDir == drsapi.Asc}
	for _, v := range []struct {
		dst *string
		src *string
	}{{&f.id, p.AsyncJobId}, {&f.status, p.Status}, {&f.domain, p.DomainName}, {&f.user, p.UserName}} {
		if v.src != nil {
			*v.dst = *v.src
		}
	}
	all := o.s.batches.list(req.ProjectId, f, info.now)
	offset, limit := o.page(p.Offset, p.Limit)
	jobs := make([]drsapi.AsyncJob, 0, min(limit, max(len(all)-offset, 0)))
	for _, v := range window(all, offset, limit) {
		created := stamp(v.job.created)
		j := drsapi.AsyncJob{AsyncJobId: v.job.id, Status: v.status, CreateTime: &created}
		j.DomainName, j.UserName = &v.job.domain, &v.job.user
		jobs = append(jobs, j)
	}
	return drsserver.ListAsyncJobs200JSONResponse{
		Body:    drsapi.AsyncJobList{TotalCount: clampInt32(len(all)), Jobs: jobs},
		Headers: drsserver.ListAsyncJobs200ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// ListAsyncJobDetail lists the tasks of a batch job, one page at a time
// (GET /v5/{project_id}/batch-async-jobs/{async_job_id}), in the order of
// the workbook's sheets: their ids (assigned at import, kept by the commit),
// statuses (TaskConfiguration, TaskCreateFailed, TaskWaitingForStart),
// names, types, engines and endpoints. 404 DRS.M00404 for an unknown job.
func (o operations) ListAsyncJobDetail(ctx context.Context, req drsserver.ListAsyncJobDetailRequestObject) (drsserver.ListAsyncJobDetailResponseObject, error) {
	info := o.info(ctx)
	v, ok := o.s.batches.get(req.ProjectId, req.AsyncJobId, info.now)
	if !ok {
		return drsserver.ListAsyncJobDetail404JSONResponse{NotFoundJSONResponse: batchNotFound(info)}, nil
	}
	offset, limit := o.page(req.Params.Offset, req.Params.Limit)
	idx := make([]int, len(v.job.tasks))
	for i := range idx {
		idx[i] = i
	}
	jobs := []drsapi.AsyncJobTask{}
	for _, i := range window(idx, offset, limit) {
		jobs = append(jobs, taskDetail(v.job, i, info.now))
	}
	return drsserver.ListAsyncJobDetail200JSONResponse{
		Body:    drsapi.AsyncJobDetailList{TotalCount: clampInt32(len(idx)), Jobs: jobs},
		Headers: drsserver.ListAsyncJobDetail200ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// taskDetail is task i of job as ListAsyncJobDetail shows it at now.
func taskDetail(job *batchJob, i int, now time.Time) drsapi.AsyncJobTask {
	t := job.tasks[i]
	id, status, created := t.ID, job.taskStatus(i, now), stamp(job.created)
	base := &drsapi.JobBaseInfo{Name: &t.Name, JobType: &t.Type, EngineType: &t.Engine}
	if nt, ok := t.Settings["Network type"]; ok {
		base.NetType = &nt
	}
	return drsapi.AsyncJobTask{
		Id: &id, Status: &status, CreateTime: &created, BaseInfo: base,
		SourceEndpoint: &[]drsapi.JobEndpoint{endpointInfo(t.Engine, "so", t.SourceEndpoint)},
		TargetEndpoint: &[]drsapi.JobEndpoint{endpointInfo(t.Engine, "ta", t.TargetEndpoint)},
	}
}

// endpointInfo describes an endpoint host:port of a task.
func endpointInfo(engine, role, hostPort string) drsapi.JobEndpoint {
	host, port, _ := net.SplitHostPort(hostPort) // checked by the import
	return drsapi.JobEndpoint{DbType: &engine, EndpointRole: &role,
		Endpoint: &drsapi.EndpointAddress{Ip: &host, DbPort: &port}}
}

// CommitAsyncJob creates the tasks of a batch job
// (POST /v5/{project_id}/batch-async-jobs/{async_job_id}/commit) — only
// from AUTO_PARAM_VALIDATE_SUCCESS, and once: the job becomes
// COMMIT_SUCCESS and its tasks exist from then on like any other (their
// templates can be exported). A job in any other state answers 400
// DRS.M00409 (saying why, for a failed validation); an unknown job 404
// DRS.M00404.
func (o operations) CommitAsyncJob(ctx context.Context, req drsserver.CommitAsyncJobRequestObject) (drsserver.CommitAsyncJobResponseObject, error) {
	info := o.info(ctx)
	before, why, ok := o.s.batches.commit(req.ProjectId, req.AsyncJobId, info.now, o.s.addTasks)
	switch {
	case !ok:
		return drsserver.CommitAsyncJob404JSONResponse{NotFoundJSONResponse: batchNotFound(info)}, nil
	case before != BatchValidated:
		msg := msgNotCommittablePrefix + "its status is " + before
		if why != "" {
			msg += "; " + why
		}
		return drsserver.CommitAsyncJob400JSONResponse{BadRequestJSONResponse: drsserver.BadRequestJSONResponse{
			Body:    drsapi.ErrorResponse{ErrorCode: CodeNotCommittable, ErrorMsg: oneLine(msg)},
			Headers: drsserver.BadRequestResponseHeaders{XRequestId: &info.id},
		}}, nil
	}
	empty := ""
	return drsserver.CommitAsyncJob200JSONResponse{
		Body:    drsapi.BatchCommitResult{Job: drsapi.BatchCommitJob{AsyncJobId: req.AsyncJobId, Status: BatchCommitted, Msg: &empty}},
		Headers: drsserver.CommitAsyncJob200ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// batchNotFound is the 404 for an unknown (or forgotten) batch job.
func batchNotFound(info reqInfo) drsserver.NotFoundJSONResponse {
	return drsserver.NotFoundJSONResponse{
		Body:    drsapi.ErrorResponse{ErrorCode: CodeNotFound, ErrorMsg: msgBatchJobNotFound},
		Headers: drsserver.NotFoundResponseHeaders{XRequestId: &info.id},
	}
}

// stamp renders a time of the fake in the answers (RFC 3339, UTC, seconds;
// Huawei does not document the format).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// clampInt32 returns n within int32.
func clampInt32(n int) int32 { return int32(min(n, 1<<31-1)) } //nolint:gosec // clamped
