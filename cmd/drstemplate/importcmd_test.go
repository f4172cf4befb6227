package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/drsfake"
)

// editCells writes a copy of the workbook at path with the cells of its
// "Task" sheet set, and returns the copy's path.
func editCells(t *testing.T, path string, cells map[string]string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for cell, v := range cells {
		if err := f.SetCellStr(drsfake.TemplateSheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := f.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeBatch decodes a batchReport printed with -o json.
func decodeBatch(t *testing.T, res result) batchReport {
	t.Helper()
	var rep batchReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("-o json: %v\n%s\nstderr:\n%s", err, res.stdout, res.stderr)
	}
	return rep
}

// TestImportCommands: blank, import (refused rows, validation, commit,
// --no-wait) and batch status / commit by id, with their JSON shapes.
func TestImportCommands(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, rep, _ := exportTo(t, exitOK, task1)
	exported := rep.Tasks[0].File.Path
	lits := map[string]string{out: "$OUT", fake.URL: "$FAKE", fake.ProjectID: "$PROJECT"}

	dir := filepath.Join(t.TempDir(), "blank")
	res := run(t, "blank", "--engine", "postgresql", "--out", dir, "-o", "json")
	golden(t, "blank.json", normalise(res.stdout, map[string]string{dir: "$DIR"}))
	if res.code != exitOK {
		t.Fatalf("blank: exit %d: %s", res.code, res.stderr)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "batch-template-postgresql.zip"))
	if err != nil {
		t.Fatalf("blank: %v", err)
	}
	_ = zr.Close()
	if res := run(t, "blank", "--engine", "postgresql", "--out", dir); res.code != exitFailed || !strings.Contains(res.stderr, "exists") {
		t.Errorf("blank over an existing file: exit %d, %q", res.code, res.stderr)
	}

	// Refused rows: a table, exit 1; the same rows in JSON.
	bad := editCells(t, exported, map[string]string{"B3": "", "B5": "oracle-ish"})
	res = run(t, "import", bad)
	if res.code != exitFailed || !strings.Contains(res.stdout, "SHEET") || !strings.Contains(res.stdout, "oracle-ish") ||
		!strings.Contains(res.stdout, drsfake.CodeImportParseFailed) {
		t.Errorf("import with bad rows: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = run(t, "import", bad, "-o", "json")
	golden(t, "import-refused.json", normalise(res.stdout, map[string]string{bad: "$FILE"}))
	if got := decodeBatch(t, res); res.code != exitFailed || len(got.Rows) != 2 || got.Rows[0].Row != "3" {
		t.Errorf("import with bad rows -o json: exit %d, %+v", res.code, got)
	}

	// Validated, not committed without --commit.
	res = run(t, "import", exported, "--type", "migration", "--poll-interval", "10ms", "-o", "json")
	golden(t, "import.json", normalise(res.stdout, map[string]string{exported: "$FILE"}))
	got := decodeBatch(t, res)
	if res.code != exitOK || !got.Validated || got.Committed || got.ID == "" {
		t.Fatalf("import: exit %d, %+v\n%s", res.code, got, res.stderr)
	}
	res = run(t, "batch", "status", got.ID, "-o", "json")
	golden(t, "batch-status.json", normalise(res.stdout, lits))
	if st := decodeBatch(t, res); st.Status != string(drstemplate.BatchValidated) {
		t.Errorf("batch status after import without --commit: %+v", st)
	}
	res = run(t, "batch", "commit", got.ID, "-o", "json")
	golden(t, "batch-commit.json", normalise(res.stdout, lits))
	if st := decodeBatch(t, res); res.code != exitOK || !st.Committed {
		t.Errorf("batch commit: exit %d, %+v, %s", res.code, st, res.stderr)
	}
	if res := run(t, "batch", "commit", got.ID); res.code != exitFailed {
		t.Errorf("a second commit: exit %d, %s", res.code, res.stderr)
	}

	// --no-wait, then a wait and a commit by id, in text.
	res = run(t, "import", exported, "--no-wait", "-o", "json")
	golden(t, "import-no-wait.json", normalise(res.stdout, map[string]string{exported: "$FILE"}))
	id := decodeBatch(t, res).ID
	res = run(t, "batch", "status", id, "--wait", "--poll-interval", "10ms")
	if res.code != exitOK || !strings.Contains(res.stdout, id+"  "+string(drstemplate.BatchValidated)) ||
		!strings.Contains(res.stderr, "batch job "+id+": "+string(drstemplate.BatchValidated)) {
		t.Errorf("batch status --wait: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = run(t, "batch", "commit", id, "--wait", "--poll-interval", "10ms")
	if res.code != exitOK || !strings.Contains(res.stdout, string(drstemplate.BatchCommitted)) {
		t.Errorf("batch commit --wait: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}

	// --commit: validated, then committed.
	res = run(t, "import", exported, "--commit", "--poll-interval", "10ms")
	if res.code != exitOK || !strings.Contains(res.stdout, string(drstemplate.BatchCommitted)) {
		t.Errorf("import --commit: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}

	// The same database as source and target: validation fails, exit 1,
	// and --commit commits nothing.
	same := editCells(t, exported, map[string]string{"B7": "10.0.0.1:3306"})
	res = run(t, "import", same, "--commit", "--poll-interval", "10ms", "-o", "json")
	if st := decodeBatch(t, res); res.code != exitFailed || !st.Failed || st.Committed {
		t.Errorf("import --commit of a task that fails validation: exit %d, %+v\n%s", res.code, st, res.stderr)
	}
}

// TestImportRefusesNonWorkbooks: a file that is not a workbook exits 2
// and no request reaches DRS; a missing file exits 2; bad credentials 4.
func TestImportRefusesNonWorkbooks(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	dir := t.TempDir()
	files := map[string][]byte{
		"empty.xlsx": nil,
		"text.xlsx":  []byte("Setting,Value\n"),
		"big.xlsx":   append([]byte("PK\x03\x04"), make([]byte, 10<<20)...),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		res := run(t, "import", path)
		if res.code != exitUsage || !strings.Contains(res.stderr, "not a workbook") {
			t.Errorf("%s: exit %d, stderr %q; want 2", name, res.code, res.stderr)
		}
	}
	if res := run(t, "import", filepath.Join(dir, "missing.xlsx")); res.code != exitUsage {
		t.Errorf("a missing file: exit %d, want 2", res.code)
	}
	if n := fake.importCount(); n != 0 {
		t.Errorf("%d import requests reached the fake, want none", n)
	}
	if res := run(t, "import", "--no-wait", "--commit", filepath.Join(dir, "text.xlsx")); res.code != exitUsage {
		t.Errorf("--no-wait with --commit: exit %d, want 2", res.code)
	}

	good := filepath.Join(dir, "good.xlsx")
	out, rep, _ := exportTo(t, exitOK, task1)
	_ = out
	data, err := os.ReadFile(rep.Tasks[0].File.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HUAWEICLOUD_SDK_SK", "not-the-secret-key-0000000000000000")
	if res := run(t, "import", good); res.code != exitAuth {
		t.Errorf("bad credentials: exit %d, want 4: %s", res.code, res.stderr)
	}
}
