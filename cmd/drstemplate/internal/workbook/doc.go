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
// Limits: [MaxFileSize] (16 MiB) on the file, [MaxUnzippedSize] (16 MiB)
// on its parts once unzipped, [MaxOtherXMLSize] (8 MiB) on its XML parts
// other than worksheets, [MaxSheets] (256) sheets, a value or formula in row
// [MaxRows] (100,000) at most, [MaxCells] (1,000,000) cells read in all, and
// [MaxTextSize] (16 MiB) of text shown by the cells in all — counted before
// the library copies a shared string into each cell that shows it, so that a
// few kilobytes showing one long string a million times are refused at once.
// A diff prints at most [MaxDiffTextSize] (64 MiB) of text: check it with
// [Changes.CheckSize] before writing.
// A DRS template is a few kilobytes. A hostile file of a few kilobytes that
// stays within the limits costs at most a few seconds and about 200 MB of
// memory; measured on a busy 2-core machine: 16 MiB of empty sheet elements
// 3.7 s (95 MB of heap), 8 MiB of one-letter shared strings 2.5 s (190 MB),
// 256 sheets each with a row numbered 1,048,576 2.1 s.
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
//
// [WriteText] renders a Workbook for people: a title line per sheet, then
// an aligned table (CJK-aware), with control characters escaped and long
// cells clipped at [TextCellWidth] columns.
//
// # Comparing
//
// [Diff] compares two workbooks by displayed values: sheets by name; in a
// sheet, columns by the names in its first row and the other rows by their
// first column (the key: "(row N)" when empty, "KEY#2" for a repeated key).
// Reordered sheets, rows or columns, visibility and empty rows make no
// difference. [Changes.Empty] tells whether anything differs; [WriteDiff]
// prints one change a line:
//
//	$ drstemplate diff old.xlsx new.xlsx
//	- Task / compress: Value="off"
//	+ Task / throttle_mbps: Value="50"
//	~ Task / source_endpoint / Value: "10.0.0.1:3306" → "10.0.0.2:3306"
//
// [Changes] encodes to the document `drstemplate diff -o json` prints, as
// stable as the Workbook's; identical workbooks give {"sheets": []}.
//
//	{
//	  "sheets": [
//	    {
//	      "name": "Task",
//	      "status": "changed",       // "added", "removed" or "changed"
//	      "added_columns": [],       // column names
//	      "removed_columns": [],
//	      "removed_rows": [          // rows only in the old sheet
//	        {"key": "compress", "cells": [{"column": "Value", "value": "off"}]}
//	      ],
//	      "added_rows": [            // rows only in the new sheet
//	        {"key": "throttle_mbps", "cells": [{"column": "Value", "value": "50"}]}
//	      ],
//	      "changed_cells": [         // rows in both
//	        {"key": "source_endpoint", "column": "Value",
//	         "old": "10.0.0.1:3306", "new": "10.0.0.2:3306"}
//	      ]
//	    }
//	  ]
//	}
//
// An added or removed sheet lists all of its columns and rows as added or
// removed. A row's "cells" are its cells with a value, other than its key.
package workbook
