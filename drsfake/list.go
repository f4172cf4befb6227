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
	offset, limit := 0, min(defaultPageSize, o.s.pageSizeLimit)
	if p := req.Params.Offset; p != nil && *p > 0 {
		offset = int(*p)
	}
	if p := req.Params.Limit; p != nil && *p > 0 {
		limit = min(int(*p), o.s.pageSizeLimit)
	}
	count, files := o.s.store.page(req.ProjectId, offset, limit, info.now)
	page := make([]drsapi.TemplateFile, 0, len(files))
	for _, f := range files {
		page = append(page, drsapi.TemplateFile{FileName: f.name, LastModified: f.modified})
	}
	return drsserver.ListTemplates200JSONResponse{
		Body:    drsapi.TemplateList{Count: int32(min(count, 1<<31-1)), ExportReportObsFiles: page}, //nolint:gosec // clamped
		Headers: drsserver.ListTemplates200ResponseHeaders{XRequestId: &info.id},
	}, nil
}
