package drsfake

import (
	"archive/zip"
	"bytes"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// problem is one import_error_messages entry, as a test expects it.
type problem struct{ sheet, row, value, msg string }

// TestImportRefusesRows: each rule of the row check refuses its row with
// the sheet, row, value and a message saying why, in Huawei's 400 shape —
// and nothing else of the workbook.
func TestImportRefusesRows(t *testing.T) {
	long := strings.Repeat("x", maxCellChars+1)
	tests := []struct {
		name  string
		cells map[string]string // setting → new value ("" keeps the row, empties it)
		typ   string
		want  []problem
	}{
		{"empty task name", map[string]string{rowTaskName: ""}, "",
			[]problem{{TemplateSheet, "3", "", "the required setting \"Task name\" is empty"}}},
		{"unknown engine", map[string]string{rowEngine: "db2"}, "",
			[]problem{{TemplateSheet, "5", "db2", "unknown engine \"db2\""}}},
		{"endpoint without port", map[string]string{rowSource: "192.168.0.10"}, "",
			[]problem{{TemplateSheet, "6", "192.168.0.10", "malformed endpoint: want host:port with a port from 1 to 65535"}}},
		{"endpoint port out of range", map[string]string{rowTarget: "db.internal:70000"}, "",
			[]problem{{TemplateSheet, "7", "db.internal:70000", "malformed endpoint: want host:port with a port from 1 to 65535"}}},
		{"value over its bound", map[string]string{"Migration mode": long}, "",
			[]problem{{TemplateSheet, "10", echo(long), "the value of \"Migration mode\" is longer than 1024 characters"}}},
		{"another region", map[string]string{rowRegion: "eu-west-101"}, "",
			[]problem{{TemplateSheet, "8", "eu-west-101", "the region is \"eu-west-101\" but the tasks are created in \"cn-north-4\""}}},
		{"another project", map[string]string{rowProjectID: strings.Repeat("a", 32)}, "",
			[]problem{{TemplateSheet, "9", strings.Repeat("a", 32), "the project is not the one in the request URI"}}},
		{"task type other than the form's", nil, "sync",
			[]problem{{TemplateSheet, "4", "migration", "the task type is \"migration\" but the import's type is \"sync\""}}},
		{"two problems, two rows", map[string]string{rowTaskName: "", rowEngine: "db2"}, "",
			[]problem{{TemplateSheet, "3", "", "the required setting \"Task name\" is empty"}, {TemplateSheet, "5", "db2", "unknown engine \"db2\""}}},
	}
	h := newImportHarness(t)
	orig := h.template(h.ts.TaskIDs[0])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := map[string]string{}
			for setting, v := range tt.cells {
				cells[rowOf(t, orig, setting)] = v
			}
			checkRefusal(t, h, setCells(t, orig, cells), tt.typ, tt.want)
		})
	}
	t.Run("unchanged with the matching type", func(t *testing.T) {
		if r := h.upload(orig, "migration"); r.JSON200 == nil {
			t.Fatalf("%d %s", r.StatusCode(), r.Body)
		}
	})
}

// TestImportRefusesSheetShapes: rows that break the layout, sheets that
// are empty or lack rows, files that are no template.
func TestImportRefusesSheetShapes(t *testing.T) {
	h := newImportHarness(t)
	orig := h.template(h.ts.TaskIDs[0])
	t.Run("a setting twice, a value without a name, a required row renamed", func(t *testing.T) {
		book := setCells(t, orig, map[string]string{"A20": "Network type", "B20": "eip", "B21": "stray", "A7": "Target"})
		checkRefusal(t, h, book, "", []problem{
			{TemplateSheet, "20", "eip", `the setting "Network type" is given twice (rows 11 and 20)`},
			{TemplateSheet, "21", "stray", "a value without a setting name in column A"},
			{TemplateSheet, "1", "", `the required setting "Target endpoint" is missing`},
		})
	})
	t.Run("an empty task sheet: every required setting missing", func(t *testing.T) {
		checkRefusal(t, h, workbook(t, map[string][][]string{"Empty": {{headerSetting, headerValue}}}), "", []problem{
			{"Empty", "1", "", `the required setting "Task name" is missing`},
			{"Empty", "1", "", `the required setting "Task type" is missing`},
			{"Empty", "1", "", `the required setting "Engine" is missing`},
			{"Empty", "1", "", `the required setting "Source endpoint" is missing`},
			{"Empty", "1", "", `the required setting "Target endpoint" is missing`},
		})
	})
	t.Run("a row error on every row", func(t *testing.T) {
		rows := [][]string{{headerSetting, headerValue}, {rowTaskName, ""}, {rowTaskType, ""}, {rowEngine, "db2"},
			{rowSource, "x"}, {rowTarget, "y:0"}}
		checkRefusal(t, h, workbook(t, map[string][][]string{"S": rows}), "", []problem{
			{"S", "2", "", `the required setting "Task name" is empty`},
			{"S", "3", "", `the required setting "Task type" is empty`},
			{"S", "4", "db2", `unknown engine "db2"`},
			{"S", "5", "x", "malformed endpoint: want host:port with a port from 1 to 65535"},
			{"S", "6", "y:0", "malformed endpoint: want host:port with a port from 1 to 65535"},
		})
	})
	for _, tt := range []struct {
		name string
		file []byte
		msg  string
	}{
		{"not a zip", []byte("name,engine\nx,mysql\n"), "the file is not an .xlsx workbook"},
		{"a zip that is no workbook", zipOf(t, "a.txt", "hello"), "the file is not an .xlsx workbook"},
		{"a workbook without the template's header", workbook(t, map[string][][]string{"Sheet1": {{"Name", "Engine"}, {"x", "mysql"}}}),
			"no sheet has the template's header row (Setting | Value)"},
		{"a sheet over 999 rows", workbook(t, map[string][][]string{"Big": append([][]string{{headerSetting, headerValue}}, rowsOf(maxSheetRows)...)}),
			`sheet "Big" has more than 999 rows`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := h.upload(tt.file, "")
			if r.JSON400 == nil || *r.JSON400.ErrorCode != CodeImportParseFailed ||
				*r.JSON400.ErrorMsg != msgImportParseFailed+": "+tt.msg || r.JSON400.ImportErrorMessages != nil {
				t.Fatalf("%d %s", r.StatusCode(), r.Body)
			}
		})
	}
}

// checkRefusal imports book and wants exactly the problems want (none:
// accepted).
func checkRefusal(t *testing.T, h *importHarness, book []byte, typ string, want []problem) {
	t.Helper()
	r := h.upload(book, typ)
	if len(want) == 0 {
		if r.JSON200 == nil {
			t.Fatalf("refused: %d %s", r.StatusCode(), r.Body)
		}
		return
	}
	if r.StatusCode() != http.StatusBadRequest || r.JSON400 == nil || r.JSON400.ErrorCode == nil ||
		*r.JSON400.ErrorCode != CodeImportParseFailed || r.JSON400.ImportErrorMessages == nil || r.JSON400.AsyncJobId != nil {
		t.Fatalf("want 400 %s with rows, got %d %.300s", CodeImportParseFailed, r.StatusCode(), r.Body)
	}
	var got []problem
	for _, m := range *r.JSON400.ImportErrorMessages {
		got = append(got, problem{*m.SheetName, *m.RowRum, *m.Value, *m.ErrorMessage})
	}
	if diff := gocmp.Diff(want, got, gocmp.AllowUnexported(problem{})); diff != "" {
		t.Errorf("refused rows (-want +got):\n%s", diff)
	}
}

// workbook writes a workbook of the given sheets and rows, the sheets in
// name order.
func workbook(t testing.TB, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	first := true
	for _, name := range slices.Sorted(maps.Keys(sheets)) {
		rows := sheets[name]
		if first {
			_ = f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowsOf returns n rows of distinct settings.
func rowsOf(n int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{"Setting " + strings.Repeat("i", i%7) + string(rune('a'+i%26)) + itoa3(i), "v"}
	}
	return rows
}

func itoa3(i int) string {
	return string([]byte{byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}

// zipOf returns a zip archive of one file.
func zipOf(t testing.TB, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
