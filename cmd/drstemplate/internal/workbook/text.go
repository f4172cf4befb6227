package workbook

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// TextCellWidth is the widest [WriteText] shows a cell, in terminal
// columns: a longer value is clipped and ends with "…". The JSON output is
// never clipped.
const TextCellWidth = 80

// WriteText writes wb for people: for each sheet a title line (the sheet's
// name, quoted, and "(hidden)" or "(empty)" where so), then its rows as an
// aligned table, two spaces between columns, and a blank line between
// sheets. Cells are escaped so that control characters cannot reach the
// terminal (a line break shows as \n), clipped at [TextCellWidth], and
// aligned by display width, so CJK text lines up in a terminal with a
// monospaced CJK font. An empty row inside a sheet is an empty line. Lines
// never end in spaces.
func WriteText(w io.Writer, wb *Workbook) error {
	bw := bufio.NewWriter(w)
	if wb != nil {
		for i, s := range wb.Sheets {
			if i > 0 {
				_ = bw.WriteByte('\n')
			}
			writeSheet(bw, s)
		}
	}
	return bw.Flush()
}

// writeSheet writes one sheet's title and table; bufio.Writer keeps the
// first write error for Flush.
func writeSheet(w *bufio.Writer, s Sheet) {
	title := "Sheet " + strconv.Quote(s.Name)
	if s.Hidden {
		title += " (hidden)"
	}
	if len(s.Rows) == 0 {
		title += " (empty)"
	}
	_, _ = w.WriteString(title + "\n")
	cells := make([][]string, len(s.Rows))
	var widths []int
	for i, row := range s.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			c := clipColumns(escape(v), TextCellWidth)
			cells[i][j] = c
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], textWidth(c))
		}
	}
	for _, row := range cells {
		row = trimRow(row) // a hand-made Workbook may end a row in ""
		for j, c := range row {
			if j > 0 {
				_, _ = w.WriteString("  ")
			}
			_, _ = w.WriteString(c)
			if j < len(row)-1 {
				_, _ = w.WriteString(strings.Repeat(" ", widths[j]-textWidth(c)))
			}
		}
		_ = w.WriteByte('\n')
	}
}
