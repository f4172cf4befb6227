package workbook

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteDiff writes c for people, one change a line, like a unified diff:
// "+" added, "-" removed, "~" changed, then the sheet, the row key and the
// column, separated by " / ":
//
//	$ drstemplate diff old.xlsx new.xlsx
//	+ sheet Objects
//	- Task / column Note
//	- Task / obsolete_setting: Value="1"
//	+ Task / new_setting: Value="on", Note="since 2025"
//	~ Task / source_endpoint / Value: "10.0.0.1:3306" → "10.0.0.2:3306"
//
// For each sheet come its own line (added or removed sheets only), its
// columns, its removed rows, its added rows, then its changed cells. Values
// are quoted with Go's rules (strconv.Quote) and never clipped, so two long
// values that differ only at their end still show the difference; names
// and keys are escaped like [WriteText]'s cells. It writes nothing for an
// empty c.
func WriteDiff(w io.Writer, c Changes) error {
	bw := bufio.NewWriter(w)
	for _, s := range c.Sheets {
		name := escape(s.Name)
		switch s.Status {
		case SheetAdded:
			line(bw, "+ sheet ", name)
		case SheetRemoved:
			line(bw, "- sheet ", name)
		}
		for _, col := range s.RemovedColumns {
			line(bw, "- ", name, " / column ", escape(col))
		}
		for _, col := range s.AddedColumns {
			line(bw, "+ ", name, " / column ", escape(col))
		}
		for _, r := range s.RemovedRows {
			line(bw, "- ", name, " / ", escape(r.Key), rowCells(r.Cells))
		}
		for _, r := range s.AddedRows {
			line(bw, "+ ", name, " / ", escape(r.Key), rowCells(r.Cells))
		}
		for _, cc := range s.ChangedCells {
			line(bw, "~ ", name, " / ", escape(cc.Key), " / ", escape(cc.Column), ": ",
				strconv.Quote(cc.Old), " → ", strconv.Quote(cc.New))
		}
	}
	return bw.Flush()
}

// rowCells formats the cells of an added or removed row: `: Col="v", …`.
func rowCells(cells []Cell) string {
	if len(cells) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(": ")
	for i, c := range cells {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(escape(c.Column))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(c.Value))
	}
	return b.String()
}

// line writes parts and a line break; bufio.Writer keeps the first error
// for Flush.
func line(w *bufio.Writer, parts ...string) {
	for _, p := range parts {
		_, _ = w.WriteString(p)
	}
	_ = w.WriteByte('\n')
}
