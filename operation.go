package drstemplate

// operation is one of the four DRS calls. The client passes it to its call
// loop, which asks it whether the call may be sent again and whether its
// body is the product (streamed) or a small JSON document (read whole,
// inside the attempt).
type operation uint8

const (
	opExport operation = iota + 1
	opProgress
	opList
	opDownload
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
	}
	return "unknown operation"
}

// idempotent reports whether sending the call twice has the effect of
// sending it once. Everything but starting an export is a read: the download
// is a POST only because its file list travels in a body.
func (o operation) idempotent() bool { return o != opExport }

// streamed reports whether the response body is the product, passed on as
// it arrives rather than read whole inside the attempt.
func (o operation) streamed() bool { return o == opDownload }
