package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// workbook is a zip with the given parts.
func workbook(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckFiles(t *testing.T) {
	const a, b = "aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"
	whole := workbook(t, "[Content_Types].xml", "xl/workbook.xml")
	for _, tc := range []struct {
		name     string
		files    map[string][]byte
		ok       int
		problems []string // a word of each problem, in order
	}{
		{"every task once", map[string][]byte{a + "_mysql_1.xlsx": whole, b + "_mysql_1.xlsx": whole, "drstemplate-manifest.json": []byte("{}")}, 2, nil},
		{"a task missing", map[string][]byte{a + "_mysql_1.xlsx": whole}, 1, []string{b}},
		{"cut short", map[string][]byte{a + "_mysql_1.xlsx": whole, b + "_mysql_1.xlsx": whole[:len(whole)/2]}, 1, []string{b + "_mysql_1.xlsx", b}},
		{"a zip without a workbook", map[string][]byte{a + "_mysql_1.xlsx": whole, b + "_mysql_1.xlsx": workbook(t, "docProps/app.xml")}, 1, []string{"workbook", b}},
		{"a task twice", map[string][]byte{a + "_mysql_1.xlsx": whole, a + "_mysql_2.xlsx": whole, b + "_mysql_1.xlsx": whole}, 1, []string{"2 templates"}},
		{"a file of no task", map[string][]byte{a + "_mysql_1.xlsx": whole, b + "_mysql_1.xlsx": whole, "other_mysql_1.xlsx": whole}, 2, []string{"other_mysql_1.xlsx"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ok, problems := checkFiles(dir, []string{a, b})
			if ok != tc.ok || len(problems) != len(tc.problems) {
				t.Fatalf("checkFiles = %d, %q; want %d and %d problems", ok, problems, tc.ok, len(tc.problems))
			}
			for i, want := range tc.problems {
				if !strings.Contains(problems[i], want) {
					t.Errorf("problem %d: %q, want it to name %q", i, problems[i], want)
				}
			}
		})
	}
	if ok, problems := checkFiles(filepath.Join(t.TempDir(), "none"), []string{a}); ok != 0 || len(problems) != 1 {
		t.Errorf("no directory: checkFiles = %d, %q", ok, problems)
	}
}
