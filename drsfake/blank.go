package drsfake

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// BlankContentType is the media type of the blank batch-import template,
// as Huawei documents it (the body is a zip archive).
const BlankContentType = "application/x-download;charset=UTF-8"

// blankEngines are the engine_type values of DownloadBatchCreateTemplate,
// the first being the default: Huawei documents postgresql and that the
// call refuses engines it does not support; this project reads that the
// default is MySQL (batch import is documented for MySQL and PostgreSQL
// sources).
var blankEngines = []string{"mysql", "postgresql"}

// blankStamp is the time in the blank templates' document properties, so
// that their bytes never change.
var blankStamp = time.Date(2025, 7, 3, 0, 0, 0, 0, time.UTC)

// blankRows are the rows of the blank template for engine: the settings an
// import reads, empty but for the engine, and the settings generated tasks
// have.
func blankRows(engine string) [][2]string {
	return [][2]string{
		{rowTaskName, ""}, {rowTaskType, ""}, {rowEngine, engine},
		{rowSource, ""}, {rowTarget, ""}, {rowRegion, ""}, {rowProjectID, ""},
		{"Migration mode", ""}, {"Network type", ""},
	}
}

// BlankTemplateName returns the name of the blank template for engine:
// the archive is "{name}.zip" and the workbook inside it "{name}.xlsx".
func BlankTemplateName(engine string) string { return "drs_batch_create_template_" + engine }

// blankArchives builds each engine's blank template once.
var blankArchives = sync.OnceValues(func() (map[string][]byte, error) {
	out := make(map[string][]byte, len(blankEngines))
	for _, e := range blankEngines {
		name := BlankTemplateName(e)
		book, err := writeTemplate(name+".xlsx", "blank "+e, blankStamp, blankRows(e))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".xlsx", Method: zip.Deflate, Modified: blankStamp})
		if err == nil {
			_, err = fw.Write(book)
		}
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("drsfake: zipping %s: %w", name, err)
		}
		out[e] = buf.Bytes()
	}
	return out, nil
})

// DownloadBatchCreateTemplate streams the blank batch-import template
// (GET /v5/{project_id}/jobs/template): a zip archive holding one workbook
// in the layout of the exported templates, its rows empty but for the
// engine. engine_type mysql (the default) or postgresql; any other value
// answers 400 DRS.10030009, as Huawei documents for an unsupported engine.
func (o operations) DownloadBatchCreateTemplate(ctx context.Context, req drsserver.DownloadBatchCreateTemplateRequestObject) (drsserver.DownloadBatchCreateTemplateResponseObject, error) {
	info := o.info(ctx)
	engine := blankEngines[0]
	if p := req.Params.EngineType; p != nil {
		engine = *p
	}
	archives, err := blankArchives()
	if err != nil {
		return nil, err // answered 500 DRS.M00500 by the response error handler
	}
	data, ok := archives[engine]
	if !ok {
		return drsserver.DownloadBatchCreateTemplate400JSONResponse{
			Body:    drsapi.ErrorResponse{ErrorCode: CodeTemplateDownloadFailed, ErrorMsg: msgTemplateDownloadFailed},
			Headers: drsserver.DownloadBatchCreateTemplate400ResponseHeaders{XRequestId: &info.id},
		}, nil
	}
	return blankDownload{data: data, name: BlankTemplateName(engine) + ".zip", requestID: info.id}, nil
}

// blankDownload sends a blank template with Huawei's media type (the
// generated response would drop its charset parameter).
type blankDownload struct {
	data      []byte
	name      string
	requestID string
}

// VisitDownloadBatchCreateTemplateResponse writes the archive.
func (b blankDownload) VisitDownloadBatchCreateTemplateResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", BlankContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b.data)))
	w.Header().Set("Content-Disposition", *attachment(b.name))
	w.Header().Set(headerRequestID, b.requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.data) // a failed write means the client left
	return nil
}
