package drsfake

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// The fake's own bounds on an imported workbook (Huawei documents none but
// those of the answer: row_rum has 1 to 3 characters, a refused value at
// most 100,000, a message at most 512).
const (
	// maxSheetRows: rows past 999 could not be named in row_rum.
	maxSheetRows = 999
	// maxImportTasks bounds the task sheets of one import (the contract's
	// bound on the tasks of one export).
	maxImportTasks = 1000
	// maxImportProblems bounds the rows one answer reports.
	maxImportProblems = 1000
	// maxCellChars bounds a value; maxSettingChars a setting's name.
	maxCellChars    = 1024
	maxSettingChars = 128
	// maxEchoChars bounds the refused value an answer quotes.
	maxEchoChars = 1024
	// unzipLimit and unzipXMLLimit bound what excelize inflates from the
	// upload (a zip bomb is refused, not inflated).
	unzipLimit    = 64 << 20
	unzipXMLLimit = 16 << 20
)

// rowProblem is one refused row: import_error_messages' sheet_name, row_rum,
// value and error_message.
type rowProblem struct {
	sheet string
	row   int
	value string
	msg   string
}

// importedTask is a task read from one sheet of an import, without its id,
// project and region.
type importedTask struct {
	sheet string
	task  Task
}

// importRules are what a row is checked against.
type importRules struct {
	project, region string
	taskType        string // the form's type, "" for none
	engines         map[string]bool
}

// importResult is what parseImport makes of a workbook: its tasks, or why
// it is refused — the rows (problems, at most maxImportProblems; more is
// set when there were others) or the whole file (fileProblem).
type importResult struct {
	tasks       []importedTask
	problems    []rowProblem
	more        bool
	fileProblem string
}

func (r *importResult) refused() bool { return r.fileProblem != "" || len(r.problems) > 0 }

// add records a problem, up to maxImportProblems.
func (r *importResult) add(p rowProblem) {
	if len(r.problems) == maxImportProblems {
		r.more = true
		return
	}
	r.problems = append(r.problems, p)
}

// parseImport reads the tasks of an uploaded workbook. A task sheet is one
// whose first row is the template's header (Setting | Value), in the layout
// of the templates the fake exports (one task per sheet, one setting per
// row); other sheets are ignored. See docs/drsfake.md for the rules.
func parseImport(data []byte, rules importRules) *importResult {
	res := &importResult{}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit,
	})
	if err != nil {
		res.fileProblem = "the file is not an .xlsx workbook"
		return res
	}
	defer func() { _ = f.Close() }()
	for _, sheet := range f.GetSheetList() {
		if res.more {
			break
		}
		t, ok, problem := readTaskSheet(f, sheet, rules, res)
		switch {
		case problem != "":
			res.fileProblem = problem
			return res
		case !ok:
			continue
		case len(res.tasks) == maxImportTasks:
			res.fileProblem = fmt.Sprintf("more than %d task sheets", maxImportTasks)
			return res
		}
		res.tasks = append(res.tasks, importedTask{sheet: sheet, task: t})
	}
	if len(res.tasks) == 0 && !res.refused() {
		res.fileProblem = "no sheet has the template's header row (" + headerSetting + " | " + headerValue + ")"
	}
	return res
}

// sheetRows reads the first two cells of each row of sheet, up to
// maxSheetRows+1 rows; rows beyond are not read.
func sheetRows(f *excelize.File, sheet string) ([][2]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out [][2]string
	for rows.Next() && len(out) <= maxSheetRows {
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var row [2]string
		copy(row[:], cols)
		out = append(out, row)
	}
	return out, rows.Error()
}

// readTaskSheet reads the task of one sheet. ok is false for a sheet
// without the header row (not a task sheet); problem describes a sheet that
// makes the whole file unreadable. Row problems go to res.
func readTaskSheet(f *excelize.File, sheet string, rules importRules, res *importResult) (t Task, ok bool, problem string) {
	rows, err := sheetRows(f, sheet)
	if err != nil {
		return t, false, "sheet " + quote(sheet) + " cannot be read"
	}
	if len(rows) == 0 || rows[0] != [2]string{headerSetting, headerValue} {
		return t, false, ""
	}
	if len(rows) > maxSheetRows {
		return t, false, fmt.Sprintf("sheet %s has more than %d rows", quote(sheet), maxSheetRows)
	}
	problems := len(res.problems)
	report := func(row int, value, msg string) {
		res.add(rowProblem{sheet: sheet, row: row, value: value, msg: msg})
	}
	t = Task{Settings: map[string]string{}}
	seen := map[string]int{}
	for i, row := range rows[1:] {
		n := i + 2 // the sheet's row number
		name, value := row[0], row[1]
		switch {
		case name == "" && value == "":
			continue
		case name == "":
			report(n, value, "a value without a setting name in column A")
			continue
		case seen[name] > 0:
			report(n, value, fmt.Sprintf("the setting %s is given twice (rows %d and %d)", quote(name), seen[name], n))
			continue
		case utf8.RuneCountInString(name) > maxSettingChars:
			report(n, name, fmt.Sprintf("a setting name is longer than %d characters", maxSettingChars))
			continue
		case utf8.RuneCountInString(value) > maxCellChars:
			report(n, value, fmt.Sprintf("the value of %s is longer than %d characters", quote(name), maxCellChars))
			continue
		}
		seen[name] = n
		if msg := checkCell(name, value, rules); msg != "" {
			report(n, value, msg)
			continue
		}
		switch name {
		case rowTaskID, rowTemplateFile, rowExportedAt, rowRegion, rowProjectID:
			// describe the exported task, or name this project and region
		case rowTaskName:
			t.Name = value
		case rowTaskType:
			t.Type = value
		case rowEngine:
			t.Engine = value
		case rowSource:
			t.SourceEndpoint = value
		case rowTarget:
			t.TargetEndpoint = value
		default:
			t.Settings[name] = value
		}
	}
	for _, name := range []string{rowTaskName, rowTaskType, rowEngine, rowSource, rowTarget} {
		if seen[name] == 0 {
			report(1, "", "the required setting "+quote(name)+" is missing")
		}
	}
	return t, len(res.problems) == problems && !res.more, ""
}

// checkCell checks one setting's value: the required ones are not empty, the
// engine is one the fake knows, endpoints are host:port, the task type
// matches the form's, region and project (when given) are the fake's and
// the URI's. It returns what is wrong, or "".
func checkCell(name, value string, rules importRules) string {
	switch name {
	case rowTaskName, rowTaskType, rowEngine, rowSource, rowTarget:
		if value == "" {
			return "the required setting " + quote(name) + " is empty"
		}
	}
	switch name {
	case rowTaskType:
		if rules.taskType != "" && value != rules.taskType {
			return "the task type is " + quote(value) + " but the import's type is " + quote(rules.taskType)
		}
	case rowEngine:
		if !rules.engines[value] {
			return "unknown engine " + quote(value)
		}
	case rowSource, rowTarget:
		if !validEndpoint(value) {
			return "malformed endpoint: want host:port with a port from 1 to 65535"
		}
	case rowRegion:
		if value != "" && value != rules.region {
			return "the region is " + quote(value) + " but the tasks are created in " + quote(rules.region)
		}
	case rowProjectID:
		if value != "" && value != rules.project {
			return "the project is not the one in the request URI"
		}
	}
	return ""
}

// validEndpoint reports whether v is host:port: a host without white space
// and a port from 1 to 65535.
func validEndpoint(v string) bool {
	host, port, err := net.SplitHostPort(v)
	if err != nil || host == "" || strings.ContainsFunc(host, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	p, err := strconv.Atoi(port)
	return err == nil && p >= 1 && p <= 65535 && strconv.Itoa(p) == port
}

// echo clips a refused value for the answer.
func echo(v string) string { return clip.String(v, maxEchoChars) }
