package drstemplate

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
)

// ImportError is DRS's refusal of an imported workbook, the rows it
// refused listed one by one; find it with errors.As:
//
//	var refused *drstemplate.ImportError
//	if errors.As(err, &refused) {
//		for _, row := range refused.Rows { … }
//	}
//
// DRS answers a refused import with HTTP 400 and error code DRS.10120001
// ("Failed to parse the imported file"); a file refused whole has no Rows.
// The answer as any other error answer is API, which errors.As finds too.
type ImportError struct {
	// Code is Huawei's error code, e.g. "DRS.10120001".
	Code string `json:"error_code,omitempty"`
	// Message is DRS's message about the refusal as a whole.
	Message string `json:"error_msg,omitempty"`
	// Rows are the refused rows, in DRS's order.
	Rows []ImportRow `json:"rows"`
	// JobID is set in the one case this project has not seen: an answer of
	// HTTP 200 that created a batch job and yet listed refused rows. Read
	// the rows before committing it.
	JobID string `json:"async_job_id,omitempty"`
	// API is the answer as an error answer (status, request id), for a
	// refusal with an error status; nil for the 200 above.
	API *APIError `json:"-"`
}

// ImportRow is one row of a workbook that DRS refused.
type ImportRow struct {
	// Sheet is the worksheet's name.
	Sheet string `json:"sheet"`
	// Row is the row number, as DRS gives it: text of 1 to 3 characters
	// (Huawei's row_rum), normally a number counted from 1.
	Row string `json:"row"`
	// Value is the refused cell's value ("" for an empty one).
	Value string `json:"value"`
	// Message says why DRS refused it.
	Message string `json:"message"`
}

// maxRowsInError bounds how many rows the text of an ImportError names.
const maxRowsInError = 3

// Error summarises the refusal: DRS's message and the first rows.
func (e *ImportError) Error() string {
	var b strings.Builder
	if e.API != nil {
		b.WriteString(e.API.Error())
	} else {
		b.WriteString(opImport.String() + ": HTTP 200 with refused rows")
		if e.JobID != "" {
			b.WriteString(" (batch job " + e.JobID + ")")
		}
	}
	switch len(e.Rows) {
	case 0:
		return b.String()
	case 1:
		b.WriteString(": 1 row refused")
	default:
		fmt.Fprintf(&b, ": %d rows refused", len(e.Rows))
	}
	for i, r := range e.Rows {
		if i == maxRowsInError {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-i)
			break
		}
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep + r.String())
	}
	return b.String()
}

// String describes the row in one line, its value clipped.
func (r ImportRow) String() string {
	return fmt.Sprintf("sheet %s row %s value %s: %s", strconv.Quote(clip.String(r.Sheet, 64)), oneLine(clip.String(r.Row, 8)),
		strconv.Quote(clip.String(r.Value, 64)), oneLine(clip.String(r.Message, 256)))
}

// oneLine replaces the control characters of s, line breaks included, by
// spaces, and invalid UTF-8 by U+FFFD: what DRS says stays on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// Unwrap returns API, when set.
func (e *ImportError) Unwrap() error {
	if e.API == nil {
		return nil
	}
	return e.API
}

// readImportResult reads the import's answer (200 or 400, one object) and
// returns the batch job's id, or the refusal.
func readImportResult(resp *http.Response) (string, error) {
	body, err := jsonBody(resp)
	if err != nil {
		return "", fmt.Errorf("%s: reading the answer: %w", opImport, err)
	}
	id, refused, err := parseImportResult(resp.StatusCode, body)
	if err != nil && resp.StatusCode != http.StatusOK {
		// A 400 that is not the import's answer (a proxy's page, say): an
		// error answer like any other.
		return "", newAPIError(opImport, resp, body)
	}
	if refused != nil && resp.StatusCode != http.StatusOK {
		// The message as any error answer's: scrubbed of what the request
		// carried.
		refused.API = newAPIError(opImport, resp, body)
		refused.Code, refused.Message = refused.API.Code, refused.API.Message
	}
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: %s: the body is not the documented JSON (Content-Type %q): %w",
			ErrUnexpectedResponse, opImport, resp.Header.Get("Content-Type"), err)
	case refused != nil:
		return id, refused
	}
	return id, nil
}

// parseImportResult reads the body of an import's answer with the given
// status (200 or 400): the batch job's id, or the refusal. A 200 must name
// a batch job; a 400 is a refusal, with or without rows.
func parseImportResult(status int, body []byte) (string, *ImportError, error) {
	var res drsapi.BatchImportResult
	if err := json.Unmarshal(body, &res); err != nil {
		return "", nil, err
	}
	id := deref(res.AsyncJobId)
	if len(id) > 64 || !printableASCII(id) {
		return "", nil, fmt.Errorf("async_job_id %q is not an id", clip.String(id, 64))
	}
	var rows []ImportRow
	if res.ImportErrorMessages != nil {
		rows = make([]ImportRow, 0, len(*res.ImportErrorMessages))
		for _, m := range *res.ImportErrorMessages {
			rows = append(rows, ImportRow{Sheet: deref(m.SheetName), Row: deref(m.RowRum), Value: deref(m.Value), Message: deref(m.ErrorMessage)})
		}
	}
	switch {
	case status == http.StatusOK && len(rows) == 0 && id == "":
		return "", nil, fmt.Errorf("HTTP 200 without an async_job_id")
	case status == http.StatusOK && len(rows) == 0:
		return id, nil, nil
	}
	refused := &ImportError{Code: deref(res.ErrorCode), Message: deref(res.ErrorMsg), Rows: rows}
	if status == http.StatusOK {
		refused.JobID = id
	}
	return id, refused, nil
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
