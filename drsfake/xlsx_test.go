package drsfake

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestWorkbookDeterministic checks that a template's bytes depend only on
// the task, name and time, so concurrent first downloads agree.
func TestWorkbookDeterministic(t *testing.T) {
	task := Task{ID: "t-1", Name: "订单迁移", Engine: "mysql", SourceEndpoint: "192.168.0.1:3306", TargetEndpoint: "rds:3306",
		Region: "cn-north-4", ProjectID: strings.Repeat("a", 32), Settings: map[string]string{"b": "2", "a": "1", "c": "3"}}
	a, err := buildWorkbook(task, "t-1_mysql_20250703094412.xlsx", t0)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := buildWorkbook(task, "t-1_mysql_20250703094412.xlsx", t0)
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("second build differs (%v)", err)
		}
	}
	if c, _ := buildWorkbook(task, "t-1_mysql_20250703094412.xlsx", t0.Add(time.Second)); bytes.Equal(a, c) {
		t.Error("another export time gave the same bytes")
	}
	checkWorkbook(t, a, task, "t-1_mysql_20250703094412.xlsx")
	rows := templateRows(task, "x", t0)
	if rows[8][0] != "a" || rows[9][0] != "b" || rows[10][0] != "c" {
		t.Errorf("settings not in key order: %v", rows)
	}
}
