package workbook

// Workbook is the contents of an .xlsx workbook, as a person sees them in a
// spreadsheet program: every sheet a table of displayed cell values. It is
// also the documented JSON shape of `drstemplate inspect -o json` (see the
// package documentation).
type Workbook struct {
	// Sheets are the workbook's sheets in workbook order, hidden ones
	// included.
	Sheets []Sheet `json:"sheets"`
}

// Sheet is one sheet of a [Workbook].
type Sheet struct {
	// Name is the sheet's name as the workbook spells it.
	Name string `json:"name"`
	// Hidden is true for a hidden (or "very hidden") sheet.
	Hidden bool `json:"hidden"`
	// Rows are the sheet's rows from row 1 to the last row with a value:
	// Rows[i][j] is the cell in row i+1, column j+1, as displayed (number
	// formats applied; a formula's cached result). Empty cells at the end of
	// a row and empty rows at the end of the sheet are left out, so rows may
	// differ in length and an empty row inside the table is empty ([]); a
	// merged range shows its value in its top-left cell only. Rows and
	// every row are never nil, so they encode as JSON arrays, never null.
	Rows [][]string `json:"rows"`
}
