package workbook_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

// ExampleRead reads an .xlsx (here built in memory; [workbook.Open] reads a
// file) and prints it as text and as JSON, as `drstemplate inspect` does.
func ExampleRead() {
	f := excelize.NewFile()
	_ = f.SetSheetName("Sheet1", "Task")
	for i, row := range [][]any{{"Setting", "Value"}, {"Task name", "订单迁移"}, {"Engine", "mysql"}, {"Port", 3306}} {
		_ = f.SetSheetRow("Task", fmt.Sprintf("A%d", i+1), &row)
	}
	buf, _ := f.WriteToBuffer()
	_ = f.Close()

	wb, err := workbook.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = workbook.WriteText(os.Stdout, wb)
	js, _ := json.Marshal(wb)
	fmt.Println(string(js))
	// Output:
	// Sheet "Task"
	// Setting    Value
	// Task name  订单迁移
	// Engine     mysql
	// Port       3306
	// {"sheets":[{"name":"Task","hidden":false,"rows":[["Setting","Value"],["Task name","订单迁移"],["Engine","mysql"],["Port","3306"]]}]}
}

// ExampleRead_notAWorkbook shows the error for a file that is not a
// workbook: an HTML page saved in place of a template.
func ExampleRead_notAWorkbook() {
	page := "<!DOCTYPE html><html><body>Please sign in</body></html>"
	_, err := workbook.Read(strings.NewReader(page), int64(len(page)))
	fmt.Println(errors.Is(err, workbook.ErrNotWorkbook))
	fmt.Println(err)
	// Output:
	// true
	// not an .xlsx workbook: it is an HTML page (perhaps a login, proxy or error page saved instead of the file)
}

// ExampleDiff compares two versions of a template, as `drstemplate diff`
// does: rows are matched by their first column, columns by the header row.
func ExampleDiff() {
	before := &workbook.Workbook{Sheets: []workbook.Sheet{{Name: "Task", Rows: [][]string{
		{"Setting", "Value"},
		{"source_endpoint", "10.0.0.1:3306"},
		{"parallel", "4"},
		{"compress", "off"},
	}}}}
	after := &workbook.Workbook{Sheets: []workbook.Sheet{{Name: "Task", Rows: [][]string{
		{"Setting", "Value"},
		{"parallel", "4"}, // moved: no change
		{"source_endpoint", "10.0.0.2:3306"},
		{"throttle_mbps", "50"},
	}}}}
	changes := workbook.Diff(before, after)
	_ = workbook.WriteDiff(os.Stdout, changes)
	fmt.Println("differ:", !changes.Empty())
	// Output:
	// - Task / compress: Value="off"
	// + Task / throttle_mbps: Value="50"
	// ~ Task / source_endpoint / Value: "10.0.0.1:3306" → "10.0.0.2:3306"
	// differ: true
}
