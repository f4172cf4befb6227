// Package workbook reads any .xlsx workbook as plain tables, renders it as
// text for people, and compares two workbooks cell by cell. It is the
// library behind `drstemplate inspect` and `drstemplate diff`: Huawei does
// not document the layout of a DRS task-creation template, so nothing here
// assumes one. Every sheet is a table of displayed values; for a diff, the
// first row of a sheet names its columns and the first column keys its rows.
//
// # Reading
//
// [Open] and [Read] return a [Workbook]. They refuse, with an error matching
// [ErrNotWorkbook] that says what the file is instead, anything that is not
// an .xlsx workbook: an empty file, an HTML or JSON page saved in its place,
// a truncated download, a .zip of several templates (what DRS sends when
// several are downloaded at once), a .docx, a legacy .xls. An encrypted
// (password-protected) workbook gives [ErrEncrypted]. A file past the limits
// below gives [ErrTooLarge], before much memory or time is spent: a zip bomb
// stops at the archive's declared sizes. No input makes them panic.
//
// Limits: [MaxFileSize] (32 MiB) on the file, [MaxUnzippedSize] (64 MiB) on
// its parts once unzipped, [MaxSheets] (256) sheets, a value in row
// [MaxRows] (100,000) at most, and [MaxCells] (1,000,000) cells kept in all.
// A hostile file within them costs at most a few seconds.
//
// # The JSON shape
//
// A [Workbook] encodes (encoding/json) to the document that
// `drstemplate inspect -o json` prints. Its shape is stable: fields may be
// added, none removed or renamed.
//
//	{
//	  "sheets": [
//	    {
//	      "name": "Task",            // the sheet's name
//	      "hidden": false,           // true for a hidden or very hidden sheet
//	      "rows": [                  // row 1 first; cells as displayed
//	        ["Setting", "Value"],
//	        ["Engine", "mysql"],
//	        [],                      // an empty row inside the table
//	        ["Port", "3306"]
//	      ]
//	    }
//	  ]
//	}
//
// Cells are strings as a spreadsheet program displays them: number and date
// formats applied, a formula's cached result (a formula never calculated by
// the program that wrote the file shows as ""), TRUE/FALSE for booleans. A
// merged range shows its value in its top-left cell only. Empty cells at the
// end of a row and empty rows at the end of a sheet are left out; "rows" and
// every row are arrays, never null.
package workbook
