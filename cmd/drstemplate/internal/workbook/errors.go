package workbook

import "errors"

// Errors that [Read] and [Open] wrap, for errors.Is. The wrapping error's
// message says more: for ErrNotWorkbook what the file is instead, where that
// is cheaply known ("an HTML page", "empty", "a zip archive of 2 .xlsx
// files …").
var (
	// ErrNotWorkbook: the file is not an .xlsx workbook (empty, HTML, JSON, a
	// zip of something else, a legacy .xls, truncated or damaged).
	ErrNotWorkbook = errors.New("not an .xlsx workbook")
	// ErrEncrypted: the workbook is password-protected (encrypted); it
	// cannot be read without its password, which this package does not take.
	ErrEncrypted = errors.New("the workbook is encrypted (password-protected)")
	// ErrTooLarge: the file or its contents exceed a documented limit
	// ([MaxFileSize], [MaxUnzippedSize], [MaxRows], [MaxCells], [MaxTextSize],
	// [MaxDiffTextSize]).
	ErrTooLarge = errors.New("the workbook is too large")
)
