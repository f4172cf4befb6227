package workbook

import "fmt"

// MaxDiffTextSize is the most text, in bytes, that [Changes.CheckSize]
// lets a diff print (64 MiB). Two workbooks within [MaxTextSize] can still
// make a diff print far more: each cell of an added row is printed with its
// column's name, so a long name in a header over many rows would repeat.
const MaxDiffTextSize = 4 * MaxTextSize

// CheckSize returns an error matching [ErrTooLarge] when c would print more
// than [MaxDiffTextSize] bytes of names, keys and values, as text or as
// JSON; call it before writing c. It costs a walk of c, no copy.
func (c Changes) CheckSize() error {
	n := 0
	add := func(s ...string) bool {
		for _, v := range s {
			n += len(v)
		}
		return n > MaxDiffTextSize
	}
	tooLarge := fmt.Errorf("%w: the differences hold more than %d bytes of text", ErrTooLarge, MaxDiffTextSize)
	for _, s := range c.Sheets {
		if add(s.Name) || add(s.AddedColumns...) || add(s.RemovedColumns...) {
			return tooLarge
		}
		for _, rows := range [][]RowChange{s.AddedRows, s.RemovedRows} {
			for _, r := range rows {
				if add(s.Name, r.Key) {
					return tooLarge
				}
				for _, cell := range r.Cells {
					if add(cell.Column, cell.Value) {
						return tooLarge
					}
				}
			}
		}
		for _, cc := range s.ChangedCells {
			if add(s.Name, cc.Key, cc.Column, cc.Old, cc.New) {
				return tooLarge
			}
		}
	}
	return nil
}
