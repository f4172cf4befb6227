package drstemplate

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// BlankTemplate streams DRS's blank batch-import template for engine to w
// and returns the number of bytes written. An empty engine asks for DRS's
// default (the MySQL template, as this project reads Huawei's page);
// Huawei documents "postgresql", and DRS refuses engines it has no
// template for.
//
// The template is a zip archive holding the workbook to fill in (Huawei's
// SDKs cannot return it: their response has no body). It is checked as the
// downloads are: an answer that is not a zip container is refused before
// anything is written, whatever its Content-Type says, and one larger than
// [MaxTemplateSize] stops with an error; nothing is held in memory whole.
// The request is retried as the RetryPolicy says; a body that breaks off
// midway leaves part of it in w.
func (c *Client) BlankTemplate(ctx context.Context, engine string, w io.Writer) (int64, error) {
	if len(engine) > 64 || !printableASCII(engine) {
		return 0, fmt.Errorf("%w: engine %q: want up to 64 printable ASCII characters", ErrInvalidInput, clip.String(engine, 64))
	}
	params := &drsapi.DownloadBatchCreateTemplateParams{XLanguage: c.language}
	if engine != "" {
		params.EngineType = &engine
	}
	resp, err := c.call(ctx, opBlank, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.DownloadBatchCreateTemplate(ctx, project, params)
	})
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	return copyTemplate(ctx, w, resp, c.fileLimit())
}
