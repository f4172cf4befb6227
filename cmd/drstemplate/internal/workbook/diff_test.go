package workbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// wbOf builds a Workbook of one sheet per (name, rows) pair.
func wbOf(sheets ...Sheet) *Workbook { return &Workbook{Sheets: sheets} }

// changed returns a SheetChanges with every list empty, to fill in.
func changed(name string, status SheetStatus, fill func(*SheetChanges)) SheetChanges {
	sc := SheetChanges{Name: name, Status: status, AddedColumns: []string{}, RemovedColumns: []string{},
		RemovedRows: []RowChange{}, AddedRows: []RowChange{}, ChangedCells: []CellChange{}}
	if fill != nil {
		fill(&sc)
	}
	return sc
}

func TestDiff(t *testing.T) {
	task := Sheet{Name: "Task", Rows: [][]string{
		{"Setting", "Value"},
		{"source_endpoint", "10.0.0.1:3306"},
		{"engine", "mysql"},
		{"mode", "full+incremental"},
	}}
	with := func(s Sheet, edit func(rows [][]string) [][]string) Sheet {
		rows := make([][]string, len(s.Rows))
		for i, r := range s.Rows {
			rows[i] = append([]string(nil), r...)
		}
		s.Rows = edit(rows)
		return s
	}
	tests := []struct {
		name string
		a, b *Workbook
		want []SheetChanges
	}{
		{"identical", wbOf(task), wbOf(task), nil},
		{"both nil", nil, nil, nil},
		{"changed cell", wbOf(task), wbOf(with(task, func(r [][]string) [][]string {
			r[1][1] = "10.0.0.2:3306"
			return r
		})), []SheetChanges{changed("Task", SheetChanged, func(sc *SheetChanges) {
			sc.ChangedCells = []CellChange{{Key: "source_endpoint", Column: "Value", Old: "10.0.0.1:3306", New: "10.0.0.2:3306"}}
		})}},
		{"cell emptied and cell filled", wbOf(task), wbOf(with(task, func(r [][]string) [][]string {
			r[2] = r[2][:1]
			r[3] = append(r[3], "extra")
			return r
		})), []SheetChanges{changed("Task", SheetChanged, func(sc *SheetChanges) {
			sc.AddedColumns = []string{"C"}
			sc.ChangedCells = []CellChange{
				{Key: "engine", Column: "Value", Old: "mysql", New: ""},
				{Key: "mode", Column: "C", Old: "", New: "extra"},
			}
		})}},
		{"added and removed rows", wbOf(task), wbOf(with(task, func(r [][]string) [][]string {
			return append(r[:2], []string{"compress", "on"}, r[3])
		})), []SheetChanges{changed("Task", SheetChanged, func(sc *SheetChanges) {
			sc.RemovedRows = []RowChange{{Key: "engine", Cells: []Cell{{"Value", "mysql"}}}}
			sc.AddedRows = []RowChange{{Key: "compress", Cells: []Cell{{"Value", "on"}}}}
		})}},
		{"reordered rows, empty rows and trailing empty cells are no change", wbOf(task), wbOf(with(task, func(r [][]string) [][]string {
			return [][]string{r[0], r[3], {}, {"", ""}, append(r[1], "", ""), r[2]}
		})), nil},
		{"reordered columns are no change",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "A", "B"}, {"k", "1", "2"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "B", "A"}, {"k", "2", "1"}}}), nil},
		{"sheet order and visibility are no change",
			wbOf(task, Sheet{Name: "Other", Rows: [][]string{{"x"}}}),
			wbOf(Sheet{Name: "Other", Hidden: true, Rows: [][]string{{"x"}}}, task), nil},
		{"added and removed sheets",
			wbOf(task, Sheet{Name: "Old", Rows: [][]string{{"K", "V"}, {"a", "1"}}}),
			wbOf(Sheet{Name: "New", Rows: [][]string{{"Object", "Type", "Note"}, {"orders", "table"}, {"", "", "keyless"}}}, task, Sheet{Name: "Blank"}),
			[]SheetChanges{
				changed("New", SheetAdded, func(sc *SheetChanges) {
					sc.AddedColumns = []string{"Object", "Type", "Note"}
					sc.AddedRows = []RowChange{
						{Key: "orders", Cells: []Cell{{"Type", "table"}}},
						{Key: "(row 3)", Cells: []Cell{{"Note", "keyless"}}},
					}
				}),
				changed("Blank", SheetAdded, nil),
				changed("Old", SheetRemoved, func(sc *SheetChanges) {
					sc.RemovedColumns = []string{"K", "V"}
					sc.RemovedRows = []RowChange{{Key: "a", Cells: []Cell{{"V", "1"}}}}
				}),
			}},
		{"duplicate keys match in order",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"k", "1"}, {"k", "2"}, {"k#2", "x"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"k", "1"}, {"k", "3"}, {"k#2", "x"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.ChangedCells = []CellChange{{Key: "k#2", Column: "V", Old: "2", New: "3"}}
			})}},
		{"empty keys are keyed by row number",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"", "a"}, {"x", "b"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"", "A"}, {"x", "b"}, {"", "c"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.AddedRows = []RowChange{{Key: "(row 4)", Cells: []Cell{{"V", "c"}}}}
				sc.ChangedCells = []CellChange{{Key: "(row 2)", Column: "V", Old: "a", New: "A"}}
			})}},
		{"column added with values",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"a", "1"}, {"b", "2"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V", "Note"}, {"a", "1", "checked"}, {"b", "2"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.AddedColumns = []string{"Note"}
				sc.ChangedCells = []CellChange{{Key: "a", Column: "Note", Old: "", New: "checked"}}
			})}},
		{"column removed, duplicate and unnamed columns",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V", "V", "", "Gone"}, {"a", "1", "2", "3", "g"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V", "V", ""}, {"a", "1", "20", "3"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.RemovedColumns = []string{"Gone"}
				sc.ChangedCells = []CellChange{
					{Key: "a", Column: "V#2", Old: "2", New: "20"},
					{Key: "a", Column: "Gone", Old: "g", New: ""},
				}
			})}},
		{"key column renamed",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"Setting", "V"}, {"a", "1"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"Name", "V"}, {"a", "1"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.AddedColumns = []string{"Name"}
				sc.RemovedColumns = []string{"Setting"}
			})}},
		{"header only gains rows",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"K", "V"}, {"a", "1"}}}),
			[]SheetChanges{changed("S", SheetChanged, func(sc *SheetChanges) {
				sc.AddedRows = []RowChange{{Key: "a", Cells: []Cell{{"V", "1"}}}}
			})}},
		{"nil old workbook", nil, wbOf(Sheet{Name: "S", Rows: [][]string{{"K"}, {"a"}}}),
			[]SheetChanges{changed("S", SheetAdded, func(sc *SheetChanges) {
				sc.AddedColumns = []string{"K"}
				sc.AddedRows = []RowChange{{Key: "a", Cells: []Cell{}}}
			})}},
		{"repeated sheet names in a hand-made workbook",
			wbOf(Sheet{Name: "S", Rows: [][]string{{"x"}}}, Sheet{Name: "S", Rows: [][]string{{"y"}}}),
			wbOf(Sheet{Name: "S", Rows: [][]string{{"x"}}}),
			[]SheetChanges{changed("S#2", SheetRemoved, func(sc *SheetChanges) { sc.RemovedColumns = []string{"y"} })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.a, tt.b)
			want := Changes{Sheets: tt.want}
			if want.Sheets == nil {
				want.Sheets = []SheetChanges{}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Diff (-want +got):\n%s", d)
			}
			if got.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty() = %v with %d sheets changed", got.Empty(), len(got.Sheets))
			}
			if again := Diff(tt.a, tt.b); !cmp.Equal(got, again) {
				t.Error("a second Diff differs")
			}
			back := Diff(tt.b, tt.a) // the reverse diff is as empty as the diff
			if back.Empty() != got.Empty() {
				t.Errorf("Diff(b, a).Empty() = %v, Diff(a, b).Empty() = %v", back.Empty(), got.Empty())
			}
		})
	}
}

// TestDiffJSONNeverNull checks that the lists of an empty or sparse result
// encode as arrays.
func TestDiffJSONNeverNull(t *testing.T) {
	for _, c := range []Changes{Diff(nil, nil), Diff(nil, wbOf(Sheet{Name: "S"}))} {
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("null")) {
			t.Errorf("%s contains null", out)
		}
	}
}

func TestWriteDiffError(t *testing.T) {
	c := Diff(nil, wbOf(Sheet{Name: "S"}))
	if err := WriteDiff(failWriter{}, c); !errors.Is(err, errWrite) {
		t.Errorf("WriteDiff to a failing writer = %v", err)
	}
	var buf bytes.Buffer
	if err := WriteDiff(&buf, Diff(nil, nil)); err != nil || buf.Len() != 0 {
		t.Errorf("WriteDiff(empty) = %q, %v", buf.String(), err)
	}
}

func TestColumnLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnLetters(i); got != want {
			t.Errorf("columnLetters(%d) = %q, want %q", i, got, want)
		}
	}
}

// templateV1 and templateV2 are two versions of a template-like workbook.
var (
	templateV1 = book{
		{name: "Task", cells: map[string]any{
			"A1": "Setting", "B1": "Value",
			"A2": "Task name", "B2": "订单迁移",
			"A3": "source_endpoint", "B3": "10.0.0.1:3306",
			"A4": "target_endpoint", "B4": "rds-1:3306",
			"A5": "parallel", "B5": 4,
			"A6": "start", "B6": time.Date(2025, 7, 3, 0, 0, 0, 0, time.UTC),
			"A7": "obsolete_flag", "B7": true,
		}, format: map[string]string{"B6": "yyyy-mm-dd"}},
		{name: "Objects", cells: map[string]any{"A1": "Object", "B1": "Type", "A2": "orders", "B2": "table"}},
		{name: "Retired", cells: map[string]any{"A1": "K", "B1": "V", "A2": "x", "B2": "1"}},
	}
	templateV2 = book{
		{name: "Objects", cells: map[string]any{"A1": "Object", "B1": "Type", "C1": "Note",
			"A2": "customers", "B2": "table", "A3": "orders", "B3": "table", "C3": "renamed\tcolumns"}},
		{name: "Task", cells: map[string]any{
			"A1": "Setting", "B1": "Value",
			"A2": "Task name", "B2": "订单迁移 v2",
			"A3": "source_endpoint", "B3": "10.0.0.2:3306",
			"A4": "target_endpoint", "B4": "rds-1:3306",
			"A5": "parallel", "B5": 8,
			"A6": "start", "B6": time.Date(2025, 7, 4, 0, 0, 0, 0, time.UTC),
			"A7": "compress", "B7": "on",
		}, format: map[string]string{"B6": "yyyy-mm-dd"}},
	}
)

// TestDiffGolden diffs two versions of a template built with excelize and
// checks the text and JSON renderings.
func TestDiffGolden(t *testing.T) {
	a, err := readBytes(templateV1.build(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := readBytes(templateV2.build(t))
	if err != nil {
		t.Fatal(err)
	}
	// Control characters cannot be written to an .xlsx (XML has no room
	// for them), but a Workbook made by hand can carry them.
	b.Sheets = append(b.Sheets, Sheet{Name: "Hostile\x1b[31m", Rows: [][]string{
		{"K\x1b]0;x\a", "V\u202e"}, {"key\n2", "\x1b[2J", "tab\there"},
	}})
	c := Diff(a, b)
	var text bytes.Buffer
	if err := WriteDiff(&text, c); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff/template.txt", text.Bytes())
	if bytes.ContainsAny(text.Bytes(), "\x1b\a") {
		t.Error("the diff carries control characters")
	}
	js, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "diff/template.json", append(js, '\n'))
	var back Changes
	if err := json.Unmarshal(js, &back); err != nil || !cmp.Equal(back, c) {
		t.Errorf("the JSON does not decode back to the same Changes (%v)", err)
	}
}
