package drstemplate

import "context"

// operation is one of the four DRS calls. The client marks each request's
// context with its operation, so that the retry layer knows whether the call
// may be sent again and whether its body is the product (streamed) or a
// small JSON document (read whole, inside the retry loop).
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
// it arrives rather than read whole by the retry layer.
func (o operation) streamed() bool { return o == opDownload }

type operationKey struct{}

// withOperation marks ctx as the context of a call of op.
func withOperation(ctx context.Context, op operation) context.Context {
	return context.WithValue(ctx, operationKey{}, op)
}

// operationOf returns the operation ctx was marked with, or 0.
func operationOf(ctx context.Context) operation {
	op, _ := ctx.Value(operationKey{}).(operation)
	return op
}
