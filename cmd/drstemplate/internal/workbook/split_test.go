package workbook

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSplit: the changes of ignored rows — changed, added or removed — go
// to ignored, the rest stay; a sheet left empty is dropped; a sheet added
// whole is kept whole.
func TestSplit(t *testing.T) {
	old := wbOf(Sheet{Name: "Task", Rows: [][]string{
		{"Setting", "Value"}, {"Task ID", "a"}, {"Task name", "orders"}, {"speed", "50"}, {"Exported at (UTC)", "t1"}, {"Template file", "a.xlsx"},
	}}, Sheet{Name: "Notes", Rows: [][]string{{"Setting", "Value"}, {"Task ID", "a"}}})
	cur := wbOf(Sheet{Name: "Task", Rows: [][]string{
		{"Setting", "Value"}, {"Task ID", "b"}, {"Task name", "orders-copy"}, {"speed", "80"}, {"Exported at (UTC)", "t2"},
	}}, Sheet{Name: "Notes", Rows: [][]string{{"Setting", "Value"}, {"Task ID", "b"}}},
		Sheet{Name: "Extra", Rows: [][]string{{"Setting", "Value"}, {"Task ID", "c"}}})
	ignore := func(key string) bool { return key == "Task ID" || key == "Exported at (UTC)" || key == "Template file" }

	kept, ignored := Diff(old, cur).Split(ignore)
	wantKept := Changes{Sheets: []SheetChanges{
		changed("Task", SheetChanged, func(s *SheetChanges) {
			s.ChangedCells = []CellChange{{Key: "Task name", Column: "Value", Old: "orders", New: "orders-copy"}, {Key: "speed", Column: "Value", Old: "50", New: "80"}}
		}),
		changed("Extra", SheetAdded, func(s *SheetChanges) {
			s.AddedColumns = []string{"Setting", "Value"}
			s.AddedRows = []RowChange{{Key: "Task ID", Cells: []Cell{{Column: "Value", Value: "c"}}}}
		}),
	}}
	if diff := cmp.Diff(wantKept, kept); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	wantIgnored := Changes{Sheets: []SheetChanges{
		changed("Task", SheetChanged, func(s *SheetChanges) {
			s.RemovedRows = []RowChange{{Key: "Template file", Cells: []Cell{{Column: "Value", Value: "a.xlsx"}}}}
			s.ChangedCells = []CellChange{{Key: "Task ID", Column: "Value", Old: "a", New: "b"}, {Key: "Exported at (UTC)", Column: "Value", Old: "t1", New: "t2"}}
		}),
		changed("Notes", SheetChanged, func(s *SheetChanges) {
			s.ChangedCells = []CellChange{{Key: "Task ID", Column: "Value", Old: "a", New: "b"}}
		}),
	}}
	if diff := cmp.Diff(wantIgnored, ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	if kept.Count() != 5 || ignored.Count() != 4 { // Extra: two columns and a row
		t.Errorf("counts %d and %d, want 5 and 4", kept.Count(), ignored.Count())
	}
	if k, i := Diff(old, old).Split(ignore); !k.Empty() || !i.Empty() {
		t.Errorf("a workbook with itself: %+v %+v", k, i)
	}
}
