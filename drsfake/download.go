package drsfake

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/drsserver"
)

// ZipContentType is the media type of a download of several templates.
const ZipContentType = "application/zip"

// DownloadCreateTemplate streams the named template files of the project
// (POST /v5/{project_id}/templates/download): the .xlsx itself for one name,
// a .zip of them for several (repeated names count once), each with a
// Content-Disposition naming it. An unknown name answers 404 DRS.M00404.
func (o operations) DownloadCreateTemplate(ctx context.Context, req drsserver.DownloadCreateTemplateRequestObject) (drsserver.DownloadCreateTemplateResponseObject, error) {
	info := o.info(ctx)
	var names []string
	if req.Body != nil {
		names = uniqueNames(req.Body.Files)
	}
	files, missing, ok := o.s.store.lookup(req.ProjectId, names, info.now)
	if !ok || len(files) == 0 {
		return drsserver.DownloadCreateTemplate404JSONResponse{NotFoundJSONResponse: drsserver.NotFoundJSONResponse{
			Body:    drsapi.ErrorResponse{ErrorCode: CodeNotFound, ErrorMsg: msgFileNotFoundPrefix + quote(missing)},
			Headers: drsserver.NotFoundResponseHeaders{XRequestId: &info.id},
		}}, nil
	}
	contents := make([][]byte, len(files))
	for i, f := range files {
		data, err := f.content()
		if err != nil {
			return nil, err // answered 500 DRS.M00500 by the response error handler
		}
		contents[i] = data
	}
	if len(files) == 1 {
		return drsserver.DownloadCreateTemplate200ApplicationvndOpenxmlformatsOfficedocumentSpreadsheetmlSheetResponse{
			Body:          bytes.NewReader(contents[0]),
			ContentLength: int64(len(contents[0])),
			Headers: drsserver.DownloadCreateTemplate200ResponseHeaders{
				ContentDisposition: attachment(files[0].name), XRequestId: &info.id,
			},
		}, nil
	}
	name := "drs_templates_" + info.now.UTC().Format(FileTimeLayout) + ".zip"
	return zipDownload{files: files, contents: contents, name: name, requestID: info.id}, nil
}

// uniqueNames returns names without repetitions, in first-seen order.
func uniqueNames(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// attachment renders a Content-Disposition value naming the file.
func attachment(name string) *string {
	v := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	return &v
}

// zipDownload streams several templates as one zip archive, written straight
// to the response (so without a Content-Length).
type zipDownload struct {
	files     []*templateFile
	contents  [][]byte
	name      string
	requestID string
}

// VisitDownloadCreateTemplateResponse writes the archive.
func (z zipDownload) VisitDownloadCreateTemplateResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", ZipContentType)
	w.Header().Set("Content-Disposition", *attachment(z.name))
	w.Header().Set(headerRequestID, z.requestID)
	w.WriteHeader(http.StatusOK)
	// The answer has started: a write error (the client left) ends the
	// archive short, and there is nobody left to tell.
	_ = z.writeArchive(w)
	return nil
}

// writeArchive writes the zip archive of the files to w.
func (z zipDownload) writeArchive(w io.Writer) error {
	zw := zip.NewWriter(w)
	for i, f := range z.files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: f.modified})
		if err != nil {
			return err
		}
		if _, err := fw.Write(z.contents[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}
