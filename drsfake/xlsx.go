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

// templateRows returns the (setting, value) rows of a task's template.
func templateRows(t Task, fileName string, exported time.Time) [][2]string {
	rows := [][2]string{
		{"Task ID", t.ID},
		{"Task name", t.Name},
		{"Task type", cmp.Or(t.Type, "migration")},
		{"Engine", t.Engine},
		{"Source endpoint", t.SourceEndpoint},
		{"Target endpoint", t.TargetEndpoint},
		{"Region", t.Region},
		{"Project ID", t.ProjectID},
	}
	for _, k := range slices.Sorted(maps.Keys(t.Settings)) {
		rows = append(rows, [2]string{k, t.Settings[k]})
	}
	return append(rows,
		[2]string{"Template file", fileName},
		[2]string{"Exported at (UTC)", exported.UTC().Format(time.RFC3339)},
	)
}

// buildWorkbook writes the .xlsx template of t: one sheet with a header row
// and one row per setting. The result depends only on its arguments.
func buildWorkbook(t Task, fileName string, exported time.Time) (data []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("drsfake: closing workbook: %w", cerr)
		}
	}()
	stamp := exported.UTC().Format(time.RFC3339)
	steps := []func() error{
		func() error { return f.SetSheetName("Sheet1", TemplateSheet) },
		func() error {
			return f.SetDocProps(&excelize.DocProperties{
				Title: "DRS task creation template", Creator: "drsfake",
				Subject: t.ID, Created: stamp, Modified: stamp,
			})
		},
		func() error { return f.SetSheetRow(TemplateSheet, "A1", &[]any{"Setting", "Value"}) },
		func() error { return f.SetColWidth(TemplateSheet, "A", "A", 24) },
		func() error { return f.SetColWidth(TemplateSheet, "B", "B", 64) },
	}
	for i, row := range templateRows(t, fileName, exported) {
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
