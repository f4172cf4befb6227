package drsfake

import (
	"context"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// ListTemplates lists one page of the project's template files, newest first
// unless [WithListOrder] says otherwise (GET /v5/{project_id}/templates). offset defaults to 0; limit defaults to
// 10 and is capped at the page-size limit ([WithPageSizeLimit]). count is
// the total number of files.
func (o operations) ListTemplates(ctx context.Context, req drsserver.ListTemplatesRequestObject) (drsserver.ListTemplatesResponseObject, error) {
	info := o.info(ctx)
	offset, limit := o.page(req.Params.Offset, req.Params.Limit)
	count, files := o.s.store.page(req.ProjectId, offset, limit, info.now)
	page := make([]drsapi.TemplateFile, 0, len(files))
	for _, f := range files {
		page = append(page, drsapi.TemplateFile{FileName: f.name, LastModified: f.modified})
	}
	return drsserver.ListTemplates200JSONResponse{
		Body:    drsapi.TemplateList{Count: clampInt32(count), ExportReportObsFiles: page},
		Headers: drsserver.ListTemplates200ResponseHeaders{XRequestId: &info.id},
	}, nil
}

// page returns the offset and limit of a listing (ListTemplates,
// ListAsyncJobs, ListAsyncJobDetail): offset 0 and the default page size
// unless given, the limit capped at the page-size limit.
func (o operations) page(off *drsapi.Offset, lim *drsapi.Limit) (offset, limit int) {
	offset, limit = 0, min(defaultPageSize, o.s.pageSizeLimit)
	if off != nil && *off > 0 {
		offset = int(*off)
	}
	if lim != nil && *lim > 0 {
		limit = min(int(*lim), o.s.pageSizeLimit)
	}
	return offset, limit
}

// window returns list[offset:offset+limit], within list.
func window[T any](list []T, offset, limit int) []T {
	if offset >= len(list) {
		return nil
	}
	return list[offset:min(len(list), offset+limit)]
}
