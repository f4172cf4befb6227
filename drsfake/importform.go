package drsfake

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
)

// importForm is what ImportBatchCreateJobs reads from its multipart body.
type importForm struct {
	file     []byte
	fileName string
	taskType string // "" when the form has no type part
}

// maxFormParts bounds the parts of an import form: file, type and a few the
// contract does not know (ignored, as undeclared query parameters are).
const maxFormParts = 8

// taskTypes are the values of the form's type field (the contract's enum).
var taskTypes = []string{"migration", "sync", "cloudDataGuard"}

// readImportForm reads an import's form from mr. limits holds the size
// bound of each part the contract declares (from its maxLength, see
// formLimits); a part it does not declare is read and ignored within the
// request's own bound (the pipeline's http.MaxBytesReader). It returns a
// short description of what is wrong, or "": a body that is not a
// well-formed, complete multipart form, more than maxFormParts parts, a
// file or type part given twice or over its bound, a type the contract does
// not list, or no file part.
func readImportForm(mr *multipart.Reader, limits map[string]int64) (importForm, string) {
	var form importForm
	var sawFile, sawType bool
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF { //nolint:errorlint // the closing boundary is io.EOF itself; a wrapped EOF is a truncated body
			break
		}
		if err != nil {
			return form, bodyProblem(err)
		}
		if n == maxFormParts {
			return form, fmt.Sprintf("request body: more than %d form parts", maxFormParts)
		}
		name := part.FormName()
		limit, declared := limits[name]
		if !declared {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return form, bodyProblem(err)
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		switch {
		case err != nil:
			return form, bodyProblem(err)
		case int64(len(data)) > limit:
			return form, fmt.Sprintf("request body: the %s part is larger than %d bytes", quote(name), limit)
		}
		switch name {
		case "file":
			if sawFile {
				return form, "request body: more than one file part"
			}
			sawFile, form.file, form.fileName = true, data, part.FileName()
		case "type":
			if sawType {
				return form, "request body: more than one type part"
			}
			sawType, form.taskType = true, string(data)
			if !slices.Contains(taskTypes, form.taskType) {
				return form, "request body: type must be one of migration, sync, cloudDataGuard"
			}
		}
	}
	if !sawFile {
		return form, "request body: the form has no file part"
	}
	return form, ""
}

// bodyProblem describes an error reading the multipart body.
func bodyProblem(err error) string {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return fmt.Sprintf("request body: larger than %d bytes", tooLarge.Limit)
	}
	return "request body: not a complete multipart/form-data body"
}
