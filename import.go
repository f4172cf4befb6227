package drstemplate

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// MaxImportSize bounds the workbook an import sends: the contract's 10 MiB
// (the file part's maxLength), below the API gateway's 12 MB bound on
// signed bodies.
const MaxImportSize = 10 << 20

// ImportOptions say how [Client.Import] imports. The zero value (or nil)
// means the defaults.
type ImportOptions struct {
	// Type is the kind of task the workbook creates: "migration", "sync" or
	// "cloudDataGuard". Empty sends none, and DRS reads the kind from the
	// workbook.
	Type string
}

// BatchJob is the batch job an import created: DRS validates its tasks on
// its own, and creates them only when the job is committed
// ([Client.CommitBatch]). Its ID is all [Client.PollBatch],
// [Client.WaitBatch] and [Client.CommitBatch] need, in any process.
type BatchJob struct {
	// ID is the batch job's id (Huawei's async_job_id).
	ID string `json:"id"`
	// File is the name the workbook was sent under.
	File string `json:"file"`
	// Size is the number of bytes of the workbook sent, or -1 when the
	// import failed before it was known.
	Size int64 `json:"size"`
}

// Import sends a filled batch-import workbook to DRS, which answers with a
// batch job that it then validates (see [Client.WaitBatch]); nothing is
// created until the job is committed ([Client.CommitBatch]). name is the
// workbook's file name, as DRS will see it (e.g. "tasks.xlsx").
//
// Before anything is sent, r is checked to be a workbook of at most
// [MaxImportSize] bytes; a refusal matches [ErrNotWorkbook] and
// [ErrInvalidInput]. How far depends on what r is:
//
//   - an io.ReaderAt that knows its size (an *os.File of a regular file, a
//     *bytes.Reader, an *io.SectionReader…) is read from its start: its size
//     is checked first, then that it is a whole zip container holding an
//     Office workbook ([Content_Types].xml and xl/workbook.xml). It is
//     opened afresh for each attempt, so the call is retried where DRS
//     cannot have acted on it (the connection was never made, or the
//     gateway throttled it), as an export is, and a renewed token is
//     retried too;
//   - any other io.Reader is read as it comes: its first bytes must start
//     a zip container, and an upload that grows past MaxImportSize is cut
//     off, failing with ErrNotWorkbook — DRS sees a truncated form and
//     creates nothing. It is sent once, never retried.
//
// Either way the workbook is streamed as multipart/form-data, never held
// in memory whole: it is not signed (AK/SK signing covers the literal
// UNSIGNED-PAYLOAD instead of the body's hash, as Huawei's signer does).
// The import is not idempotent: a second one is a second batch job.
//
// Rows DRS refuses come back as an [*ImportError], which lists them.
func (c *Client) Import(ctx context.Context, name string, r io.Reader, opts *ImportOptions) (BatchJob, error) {
	var o ImportOptions
	if opts != nil {
		o = *opts
	}
	if err := checkUploadName(name); err != nil {
		return BatchJob{Size: -1}, err
	}
	params := &drsapi.ImportBatchCreateJobsParams{XLanguage: c.language}
	if o.Type != "" && !drsapi.BatchImportFormType(o.Type).Valid() {
		return BatchJob{Size: -1}, fmt.Errorf("%w: task type %q: want migration, sync or cloudDataGuard", ErrInvalidInput, clip.String(o.Type, 64))
	}
	src, err := newUploadSource(r, MaxImportSize)
	if err != nil {
		return BatchJob{Size: -1}, fmt.Errorf("%s: %w", clip.String(name, 128), err)
	}
	form := uploadForm{name: name, kind: o.Type, src: src, boundary: multipart.NewWriter(io.Discard).Boundary()}
	send := func(ctx context.Context, project string) (*http.Response, error) {
		body, ctype, length, err := form.open()
		if err != nil {
			return nil, err
		}
		resp, err := c.api.ImportBatchCreateJobsWithBody(ctx, project, params, ctype, body, form.describe(length))
		if err != nil {
			_ = body.Close() // a request never made leaves it open: end its writer
		}
		return resp, err
	}
	call := c.call // attempted again where DRS cannot have acted (op.decide)
	if !src.reopenable() {
		call = c.callOnce
	}
	resp, err := call(ctx, opImport, http.StatusOK, send)
	sent := src.sent()
	if tooLarge := src.overflow(); tooLarge != nil {
		return BatchJob{File: name, Size: -1}, fmt.Errorf("%s: %w", clip.String(name, 128), tooLarge)
	}
	if err != nil {
		return BatchJob{File: name, Size: sent}, err
	}
	defer func() { _ = resp.Body.Close() }()
	id, err := readImportResult(resp)
	return BatchJob{ID: id, File: name, Size: sent}, err
}

// checkUploadName checks the file name an upload is sent under.
func checkUploadName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty file name", ErrInvalidInput)
	case len(name) > 255 || !utf8.ValidString(name):
		return fmt.Errorf("%w: file name %q: want up to 255 bytes of UTF-8", ErrInvalidInput, clip.String(name, 64))
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f || r == '/' || r == '\\' {
			return fmt.Errorf("%w: file name %q: a name without control characters or path separators", ErrInvalidInput, clip.String(name, 64))
		}
	}
	return nil
}

// uploadForm is the multipart/form-data of an import: the optional type
// field, then the file part. Every body it opens has the same boundary, so
// that one sent again (GetBody) matches the Content-Type of its request.
type uploadForm struct {
	name, kind string
	src        *uploadSource
	boundary   string
}

// open returns a fresh body of the form, the form's Content-Type and its
// length (-1 when not known in advance). The body is written by a
// goroutine into a pipe as the transport reads it; closing the body (the
// transport always does) ends the goroutine.
func (f uploadForm) open() (io.ReadCloser, string, int64, error) {
	file, err := f.src.open()
	if err != nil {
		return nil, "", 0, err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	if err := mw.SetBoundary(f.boundary); err != nil {
		return nil, "", 0, err // one multipart.NewWriter chose: valid
	}
	length := int64(-1)
	if f.src.size >= 0 {
		length = f.overhead() + f.src.size
	}
	go func() {
		pw.CloseWithError(f.write(mw, file))
	}()
	return pr, mw.FormDataContentType(), length, nil
}

// write writes the whole form to mw, the file's bytes from file.
func (f uploadForm) write(mw *multipart.Writer, file io.Reader) error {
	if f.kind != "" {
		if err := mw.WriteField("type", f.kind); err != nil {
			return err
		}
	}
	part, err := mw.CreateFormFile("file", f.name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, file); err != nil {
		return err
	}
	return mw.Close()
}

// overhead is the length of the form without the file's bytes: the form
// written with an empty file.
func (f uploadForm) overhead() int64 {
	var n countWriter
	mw := multipart.NewWriter(&n)
	if err := mw.SetBoundary(f.boundary); err != nil {
		return 0 // the boundary came from multipart.NewWriter: valid
	}
	_ = f.write(mw, eofReader{})
	return int64(n)
}

// describe sets the request's length, when known, so that DRS can refuse
// an oversized form before reading it and the body is not sent chunked;
// and, for a source that can be opened again, GetBody, so that the auth
// transport can send it again after renewing a token.
func (f uploadForm) describe(length int64) drsapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		if length >= 0 {
			req.ContentLength = length
		}
		if f.src.reopenable() {
			req.GetBody = func() (io.ReadCloser, error) {
				body, _, _, err := f.open()
				return body, err
			}
		}
		return nil
	}
}

// countWriter counts the bytes written to it.
type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}

// eofReader is an empty reader.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
