package workbook

import (
	"fmt"
	"strconv"
)

// Changes is what differs between two workbooks, sheet by sheet, as [Diff]
// finds it. It encodes to the JSON document of `drstemplate diff -o json`
// (see the package documentation); every list is an array, never null.
type Changes struct {
	// Sheets are the sheets that differ: those of the new workbook in its
	// order, then the removed ones in the old workbook's order.
	Sheets []SheetChanges `json:"sheets"`
}

// Empty reports whether the two workbooks compared had the same contents,
// as far as [Diff] compares them. A CLI can exit non-zero when it is false,
// as diff(1) does.
func (c Changes) Empty() bool { return len(c.Sheets) == 0 }

// SheetStatus says whether a sheet was added, removed or changed.
type SheetStatus string

// The values of [SheetChanges.Status].
const (
	// SheetAdded: the sheet is only in the new workbook; all of its columns
	// and rows are listed as added.
	SheetAdded SheetStatus = "added"
	// SheetRemoved: the sheet is only in the old workbook; all of its
	// columns and rows are listed as removed.
	SheetRemoved SheetStatus = "removed"
	// SheetChanged: the sheet is in both, with different contents.
	SheetChanged SheetStatus = "changed"
)

// SheetChanges is what differs in one sheet. Sheets are matched by name;
// in a sheet, the first row names the columns (a column without a name is
// called by its letter, "C"; a repeated name gets "#2", "#3", …) and
// columns are matched by name, so reordered columns are no change; the
// other rows are matched by their key, the value of their first column
// (see [RowChange.Key]), so reordered rows are no change.
type SheetChanges struct {
	// Name is the sheet's name.
	Name string `json:"name"`
	// Status is "added", "removed" or "changed".
	Status SheetStatus `json:"status"`
	// AddedColumns are the names of the columns only in the new sheet.
	AddedColumns []string `json:"added_columns"`
	// RemovedColumns are the names of the columns only in the old sheet.
	RemovedColumns []string `json:"removed_columns"`
	// RemovedRows are the rows only in the old sheet, in its order.
	RemovedRows []RowChange `json:"removed_rows"`
	// AddedRows are the rows only in the new sheet, in its order.
	AddedRows []RowChange `json:"added_rows"`
	// ChangedCells are the cells that differ in rows of both sheets, in the
	// new sheet's row order, then column order (the new sheet's columns,
	// then the removed ones).
	ChangedCells []CellChange `json:"changed_cells"`
}

// RowChange is a row added or removed.
type RowChange struct {
	// Key identifies the row: the value of its first column; "(row N)" for
	// a row whose first column is empty (N is its row number, so such rows
	// match only in place); "KEY#2", "KEY#3", … for a key's second and
	// later rows in a sheet. Empty rows are not compared.
	Key string `json:"key"`
	// Cells are the row's cells with a value, other than its key, in
	// column order.
	Cells []Cell `json:"cells"`
}

// Cell is one cell of a [RowChange].
type Cell struct {
	// Column is the cell's column name.
	Column string `json:"column"`
	// Value is the cell's displayed value.
	Value string `json:"value"`
}

// CellChange is a cell whose value differs in a row of both sheets.
type CellChange struct {
	// Key is the row's key (see [RowChange.Key]).
	Key string `json:"key"`
	// Column is the column's name; a column only in one sheet counts as
	// empty in the other.
	Column string `json:"column"`
	// Old is the value in the old workbook.
	Old string `json:"old"`
	// New is the value in the new workbook.
	New string `json:"new"`
}

// Diff compares workbook a (old) with b (new) by their displayed values.
// It reports added and removed sheets, columns and rows and changed cells;
// nothing for workbooks with the same contents. The order of sheets, rows
// and columns, the sheets' visibility, and empty rows make no difference.
// The result depends only on a and b. A nil workbook counts as one without
// sheets.
func Diff(a, b *Workbook) Changes {
	as, bs := sheetsOf(a), sheetsOf(b)
	inA := make(map[string]*Sheet, len(as))
	for _, s := range as {
		inA[s.key] = s.sheet
	}
	inB := make(map[string]bool, len(bs))
	c := Changes{Sheets: []SheetChanges{}}
	for _, s := range bs {
		inB[s.key] = true
		if sc, ok := diffSheet(s.key, inA[s.key], s.sheet); ok {
			c.Sheets = append(c.Sheets, sc)
		}
	}
	for _, s := range as {
		if !inB[s.key] {
			sc, _ := diffSheet(s.key, s.sheet, nil)
			c.Sheets = append(c.Sheets, sc)
		}
	}
	return c
}

// namedSheet is a sheet with a name unique in its workbook.
type namedSheet struct {
	key   string
	sheet *Sheet
}

// sheetsOf names the sheets of wb uniquely (a workbook made by hand may
// repeat a name).
func sheetsOf(wb *Workbook) []namedSheet {
	if wb == nil {
		return nil
	}
	u := uniquer{}
	out := make([]namedSheet, len(wb.Sheets))
	for i := range wb.Sheets {
		out[i] = namedSheet{key: u.unique(wb.Sheets[i].Name), sheet: &wb.Sheets[i]}
	}
	return out
}

// uniquer hands out names not handed out before: the name itself, then
// name#2, name#3, ….
type uniquer map[string]bool

func (u uniquer) unique(name string) string {
	key := name
	for n := 2; u[key]; n++ {
		key = name + "#" + strconv.Itoa(n)
	}
	u[key] = true
	return key
}

// table is a sheet prepared for comparison.
type table struct {
	cols  []string       // column names, by position
	index map[string]int // column name → position
	keys  []string       // row keys, in order
	rows  map[string][]string
}

// tableOf prepares s (nil for a missing sheet).
func tableOf(s *Sheet) table {
	t := table{index: map[string]int{}, rows: map[string][]string{}}
	if s == nil || len(s.Rows) == 0 {
		return t
	}
	width := 0
	for _, r := range s.Rows {
		width = max(width, len(trimRow(r)))
	}
	header, cols := s.Rows[0], uniquer{}
	for i := range width {
		name := ""
		if i < len(header) {
			name = header[i]
		}
		if name == "" {
			name = columnLetters(i)
		}
		name = cols.unique(name)
		t.cols = append(t.cols, name)
		t.index[name] = i
	}
	keys := uniquer{}
	for n, r := range s.Rows[1:] {
		r = trimRow(r)
		if len(r) == 0 {
			continue
		}
		key := r[0]
		if key == "" {
			key = fmt.Sprintf("(row %d)", n+2)
		}
		key = keys.unique(key)
		t.keys = append(t.keys, key)
		t.rows[key] = r
	}
	return t
}

// cell returns the value of column name in row r ("" if the table has no
// such column or the row ends before it).
func (t table) cell(r []string, name string) string {
	i, ok := t.index[name]
	if !ok || i >= len(r) {
		return ""
	}
	return r[i]
}

// isKey reports whether name is the table's key (first) column.
func (t table) isKey(name string) bool {
	i, ok := t.index[name]
	return ok && i == 0
}

// cells lists the non-empty cells of row r other than its key.
func (t table) cells(r []string) []Cell {
	out := []Cell{}
	for i := 1; i < len(r) && i < len(t.cols); i++ {
		if r[i] != "" {
			out = append(out, Cell{Column: t.cols[i], Value: r[i]})
		}
	}
	return out
}

// diffSheet compares one sheet (a or b nil when the sheet is only in the
// other workbook). It reports false when there is no difference.
func diffSheet(name string, a, b *Sheet) (SheetChanges, bool) {
	ta, tb := tableOf(a), tableOf(b)
	sc := SheetChanges{
		Name: name, Status: SheetChanged,
		AddedColumns: []string{}, RemovedColumns: []string{},
		RemovedRows: []RowChange{}, AddedRows: []RowChange{}, ChangedCells: []CellChange{},
	}
	switch {
	case a == nil:
		sc.Status = SheetAdded
	case b == nil:
		sc.Status = SheetRemoved
	}
	cols := append([]string(nil), tb.cols...)
	for _, c := range tb.cols {
		if _, ok := ta.index[c]; !ok {
			sc.AddedColumns = append(sc.AddedColumns, c)
		}
	}
	for _, c := range ta.cols {
		if _, ok := tb.index[c]; !ok {
			sc.RemovedColumns = append(sc.RemovedColumns, c)
			cols = append(cols, c)
		}
	}
	for _, k := range ta.keys {
		if _, ok := tb.rows[k]; !ok {
			sc.RemovedRows = append(sc.RemovedRows, RowChange{Key: k, Cells: ta.cells(ta.rows[k])})
		}
	}
	for _, k := range tb.keys {
		rb := tb.rows[k]
		ra, ok := ta.rows[k]
		if !ok {
			sc.AddedRows = append(sc.AddedRows, RowChange{Key: k, Cells: tb.cells(rb)})
			continue
		}
		for _, c := range cols {
			if ta.isKey(c) || tb.isKey(c) {
				continue
			}
			if o, n := ta.cell(ra, c), tb.cell(rb, c); o != n {
				sc.ChangedCells = append(sc.ChangedCells, CellChange{Key: k, Column: c, Old: o, New: n})
			}
		}
	}
	changed := sc.Status != SheetChanged || len(sc.AddedColumns)+len(sc.RemovedColumns)+
		len(sc.RemovedRows)+len(sc.AddedRows)+len(sc.ChangedCells) > 0
	return sc, changed
}

// columnLetters returns the spreadsheet name of the column at index i
// (0 → "A", 25 → "Z", 26 → "AA").
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// Split separates the changes of rows whose key ignore accepts from the
// others: kept holds the rest, ignored those rows' changes (added,
// removed, or changed cells) in sheets of both workbooks. Sheets added or
// removed whole are kept whole. A sheet left without changes is dropped
// from either side.
func (c Changes) Split(ignore func(key string) bool) (kept, ignored Changes) {
	kept, ignored = Changes{Sheets: []SheetChanges{}}, Changes{Sheets: []SheetChanges{}}
	for _, s := range c.Sheets {
		if s.Status != SheetChanged {
			kept.Sheets = append(kept.Sheets, s)
			continue
		}
		k, i := s, s
		i.AddedColumns, i.RemovedColumns = []string{}, []string{}
		k.RemovedRows, i.RemovedRows = splitRows(s.RemovedRows, ignore)
		k.AddedRows, i.AddedRows = splitRows(s.AddedRows, ignore)
		k.ChangedCells, i.ChangedCells = []CellChange{}, []CellChange{}
		for _, cc := range s.ChangedCells {
			if ignore(cc.Key) {
				i.ChangedCells = append(i.ChangedCells, cc)
			} else {
				k.ChangedCells = append(k.ChangedCells, cc)
			}
		}
		if !k.empty() {
			kept.Sheets = append(kept.Sheets, k)
		}
		if !i.empty() {
			ignored.Sheets = append(ignored.Sheets, i)
		}
	}
	return kept, ignored
}

// splitRows separates the rows whose key ignore accepts.
func splitRows(rows []RowChange, ignore func(string) bool) (kept, ignored []RowChange) {
	kept, ignored = []RowChange{}, []RowChange{}
	for _, r := range rows {
		if ignore(r.Key) {
			ignored = append(ignored, r)
		} else {
			kept = append(kept, r)
		}
	}
	return kept, ignored
}

// empty reports whether the sheet's changes list nothing.
func (s SheetChanges) empty() bool {
	return len(s.AddedColumns)+len(s.RemovedColumns)+len(s.RemovedRows)+len(s.AddedRows)+len(s.ChangedCells) == 0
}

// Count is the number of changes c lists: columns and rows added or
// removed, and cells changed.
func (c Changes) Count() int {
	n := 0
	for _, s := range c.Sheets {
		n += len(s.AddedColumns) + len(s.RemovedColumns) + len(s.RemovedRows) + len(s.AddedRows) + len(s.ChangedCells)
	}
	return n
}
