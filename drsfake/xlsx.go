package drsfake

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSXContentType is the media type of a single downloaded template.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TemplateSheet is the name of the worksheet that lists the task's settings.
const TemplateSheet = "Task"

// The settings of a template's rows that are not free-form Settings; an
// import reads them back (importbook.go).
const (
	rowTaskID       = "Task ID"
	rowTaskName     = "Task name"
	rowTaskType     = "Task type"
	rowEngine       = "Engine"
	rowSource       = "Source endpoint"
	rowTarget       = "Target endpoint"
	rowRegion       = "Region"
	rowProjectID    = "Project ID"
	rowTemplateFile = "Template file"
	rowExportedAt   = "Exported at (UTC)"
	defaultTaskType = "migration"
)

// templateRows returns the (setting, value) rows of a task's template.
func templateRows(t Task, fileName string, exported time.Time) [][2]string {
	rows := [][2]string{
		{rowTaskID, t.ID},
		{rowTaskName, t.Name},
		{rowTaskType, cmp.Or(t.Type, defaultTaskType)},
		{rowEngine, t.Engine},
		{rowSource, t.SourceEndpoint},
		{rowTarget, t.TargetEndpoint},
		{rowRegion, t.Region},
		{rowProjectID, t.ProjectID},
	}
	for _, k := range slices.Sorted(maps.Keys(t.Settings)) {
		rows = append(rows, [2]string{k, t.Settings[k]})
	}
	return append(rows,
		[2]string{rowTemplateFile, fileName},
		[2]string{rowExportedAt, exported.UTC().Format(time.RFC3339)},
	)
}

// Header cells of a template's sheet: an import recognises a task sheet by
// them.
const (
	headerSetting = "Setting"
	headerValue   = "Value"
)

// buildWorkbook writes the .xlsx template of t: one sheet with a header row
// and one row per setting. The result depends only on its arguments.
func buildWorkbook(t Task, fileName string, exported time.Time) ([]byte, error) {
	return writeTemplate(fileName, t.ID, exported, templateRows(t, fileName, exported))
}

// writeTemplate writes a workbook of one sheet, [TemplateSheet], with the
// header row and then rows; subject and stamp go into its document
// properties. The result depends only on its arguments.
func writeTemplate(fileName, subject string, stamp time.Time, rows [][2]string) (data []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("drsfake: closing workbook: %w", cerr)
		}
	}()
	created := stamp.UTC().Format(time.RFC3339)
	steps := []func() error{
		func() error { return f.SetSheetName("Sheet1", TemplateSheet) },
		func() error {
			return f.SetDocProps(&excelize.DocProperties{
				Title: "DRS task creation template", Creator: "drsfake",
				Subject: subject, Created: created, Modified: created,
			})
		},
		func() error { return f.SetSheetRow(TemplateSheet, "A1", &[]any{headerSetting, headerValue}) },
		func() error { return f.SetColWidth(TemplateSheet, "A", "A", 24) },
		func() error { return f.SetColWidth(TemplateSheet, "B", "B", 64) },
	}
	for i, row := range rows {
		cell := fmt.Sprintf("A%d", i+2)
		steps = append(steps, func() error { return f.SetSheetRow(TemplateSheet, cell, &[]any{row[0], row[1]}) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("drsfake: building %s: %w", fileName, err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("drsfake: writing %s: %w", fileName, err)
	}
	return buf.Bytes(), nil
}
