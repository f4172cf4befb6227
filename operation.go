package drstemplate

import "net/http"

// operation is one of the DRS calls. The client passes it to its call
// loop, which asks it whether the call may be sent again and whether its
// body is the product (streamed) or a small JSON document (read whole,
// inside the attempt).
type operation uint8

const (
	opExport operation = iota + 1
	opProgress
	opList
	opDownload
	opBlank
	opImport
	opBatchStatus
	opBatchTasks
	opCommit
)

// String returns the operation's OpenAPI operationId.
func (o operation) String() string {
	switch o {
	case opExport:
		return "ExportCreationTemplate"
	case opProgress:
		return "ShowExportProgress"
	case opList:
		return "ListTemplates"
	case opDownload:
		return "DownloadCreateTemplate"
	case opBlank:
		return "DownloadBatchCreateTemplate"
	case opImport:
		return "ImportBatchCreateJobs"
	case opBatchStatus:
		return "ListAsyncJobs"
	case opBatchTasks:
		return "ListAsyncJobDetail"
	case opCommit:
		return "CommitAsyncJob"
	}
	return "unknown operation"
}

// idempotent reports whether sending the call twice has the effect of
// sending it once. Starting an export, importing a workbook (a second
// import is a second batch job) and committing a batch job (it creates
// tasks) are not; the rest are reads: the download is a POST only because
// its file list travels in a body.
func (o operation) idempotent() bool {
	switch o {
	case opExport, opImport, opCommit:
		return false
	}
	return true
}

// streamed reports whether the response body is the product, passed on as
// it arrives rather than read whole inside the attempt.
func (o operation) streamed() bool { return o == opDownload || o == opBlank }

// result reports whether an answer with this status is the call's result,
// read and decoded by its caller: the status wanted, and the import's 400,
// which lists the refused rows in the object of its 200.
func (o operation) result(status, want int) bool {
	return status == want || o == opImport && status == http.StatusBadRequest
}
