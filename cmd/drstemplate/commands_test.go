package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
)

// exportTo runs export of tasks into a new directory and returns it and
// the run's report; it fails the test unless the exit code is want.
func exportTo(t *testing.T, want int, args ...string) (string, exportReport, result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	res := run(t, append([]string{"export", "-o", "json", "--out", out}, args...)...)
	if res.code != want {
		t.Fatalf("export %q: exit %d, want %d; stderr:\n%s", args, res.code, want, res.stderr)
	}
	var rep exportReport
	if res.stdout != "" {
		if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
			t.Fatalf("export -o json: %v\n%s", err, res.stdout)
		}
	}
	return out, rep, res
}

// TestCommandsJSON runs every command that prints JSON against a fake and
// pins the shapes with golden files (what varies normalised).
func TestCommandsJSON(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)

	out, rep, res := exportTo(t, exitOK, task1, task2, task3)
	lits := map[string]string{out: "$OUT", fake.URL: "$FAKE", fake.ProjectID: "$PROJECT"}
	golden(t, "export.json", normalise(res.stdout, lits))
	if rep.Exported != 3 || len(rep.Tasks) != 3 {
		t.Fatalf("report: %+v", rep)
	}
	for _, tr := range rep.Tasks {
		if _, err := manifest.Verify(out, *tr.File); err != nil {
			t.Errorf("task %s: %v", tr.TaskID, err)
		}
	}

	res = run(t, "export", "--no-wait", "-o", "json", task1)
	golden(t, "export-no-wait.json", normalise(res.stdout, lits))
	var exp drstemplate.Export
	if err := json.Unmarshal([]byte(res.stdout), &exp); err != nil || exp.ID == "" {
		t.Fatalf("export --no-wait -o json: %v %q", err, res.stdout)
	}

	res = run(t, "status", exp.ID, "-o", "json")
	golden(t, "status.json", normalise(res.stdout, lits))
	res = run(t, "status", exp.ID, "--wait", "-o", "json", "--poll-interval", "10ms")
	if res.code != exitOK || !strings.Contains(res.stdout, `"succeeded": true`) {
		t.Errorf("status --wait: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}

	res = run(t, "list", "--task", task2, "-o", "json")
	golden(t, "list.json", normalise(res.stdout, lits))
	var list listReport
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list.Templates) != 1 || list.Templates[0].TaskID != task2 {
		t.Fatalf("list --task: %v %q", err, res.stdout)
	}
	res = run(t, "list", "--limit", "2", "-o", "json")
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list.Templates) != 2 {
		t.Fatalf("list --limit 2: %v %q", err, res.stdout)
	}

	dl := filepath.Join(t.TempDir(), "dl")
	res = run(t, "download", "--out", dl, "-o", "json", rep.Tasks[0].File.Name, rep.Tasks[1].File.Name)
	golden(t, "download.json", normalise(res.stdout, map[string]string{dl: "$DL"}))
	if res.code != exitOK {
		t.Fatalf("download: exit %d: %s", res.code, res.stderr)
	}
	res = run(t, "download", "--out", dl, rep.Tasks[0].File.Name)
	if res.code != exitFailed || !strings.Contains(res.stderr, "already exists") {
		t.Errorf("download over an existing file: exit %d, stderr %q", res.code, res.stderr)
	}

	res = run(t, "inspect", "-o", "json", rep.Tasks[0].File.Path)
	golden(t, "inspect.json", normalise(res.stdout, lits))
	res = run(t, "diff", "-o", "json", rep.Tasks[0].File.Path, rep.Tasks[1].File.Path)
	golden(t, "diff.json", normalise(res.stdout, lits))

	res = run(t, "version", "-o", "json")
	var v versionReport
	if err := json.Unmarshal([]byte(res.stdout), &v); err != nil || v.Version == "" || v.Go == "" {
		t.Fatalf("version -o json: %v %q", err, res.stdout)
	}
	golden(t, "version.json", normalise(res.stdout, map[string]string{v.Version: "$VERSION", v.Go: "$GO", v.OS: "$OS", v.Arch: "$ARCH"}))
}

// TestCommandsText checks the readable output of each command.
func TestCommandsText(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, rep, _ := exportTo(t, exitOK, task1, task2)
	lits := map[string]string{out: "$OUT", fake.URL: "$FAKE", fake.ProjectID: "$PROJECT"}

	res := run(t, "export", "--out", filepath.Join(t.TempDir(), "x"), task3)
	if res.code != exitOK || !strings.Contains(res.stdout, "1 task: 1 exported, 0 already there, 0 failed") ||
		!strings.Contains(res.stderr, "task "+task3+": done (1/1)") {
		t.Errorf("export text: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = run(t, "list", "--task", task1)
	golden(t, "list.txt", normalise(res.stdout, lits))
	res = run(t, "inspect", rep.Tasks[0].File.Path)
	golden(t, "inspect.txt", normalise(res.stdout, lits))
	res = run(t, "diff", rep.Tasks[0].File.Path, rep.Tasks[1].File.Path)
	golden(t, "diff.txt", normalise(res.stdout, lits))
	res = run(t, "diff", "--exit-code", rep.Tasks[0].File.Path, rep.Tasks[1].File.Path)
	if res.code != exitFailed {
		t.Errorf("diff --exit-code of different workbooks: exit %d", res.code)
	}
	res = run(t, "diff", "--ignore", "Task ID", "--ignore", "Task name", rep.Tasks[0].File.Path, rep.Tasks[1].File.Path)
	if res.code != exitOK || strings.Contains(res.stdout, "Task ID") || strings.Contains(res.stdout, "Task name") ||
		!strings.Contains(res.stdout, "Engine") || !strings.Contains(res.stderr, "2 changes in rows left out by --ignore") {
		t.Errorf("diff --ignore: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = run(t, "diff", "--exit-code", rep.Tasks[0].File.Path, rep.Tasks[0].File.Path)
	if res.code != exitOK || res.stdout != "" || !strings.Contains(res.stderr, "no differences") {
		t.Errorf("diff of a workbook with itself: exit %d, %q, %q", res.code, res.stdout, res.stderr)
	}
	// diff(1)'s codes with --exit-code: trouble is 2, not "they differ".
	notWorkbook := filepath.Join(t.TempDir(), "notes.xlsx")
	if err := os.WriteFile(notWorkbook, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"diff", "--exit-code", rep.Tasks[0].File.Path, filepath.Join(out, "missing.xlsx")}, exitDiffTrouble},
		{[]string{"diff", "--exit-code", notWorkbook, rep.Tasks[0].File.Path}, exitDiffTrouble},
		{[]string{"diff", rep.Tasks[0].File.Path, filepath.Join(out, "missing.xlsx")}, exitFailed},
		{[]string{"diff", rep.Tasks[0].File.Path, rep.Tasks[1].File.Path}, exitOK},
	} {
		if res := run(t, tc.args...); res.code != tc.code || !strings.HasPrefix(res.stderr, "drstemplate: ") && tc.code != exitOK {
			t.Errorf("%q: exit %d, want %d\n%s", tc.args, res.code, tc.code, res.stderr)
		}
	}
	res = run(t, "version")
	if !strings.HasPrefix(res.stdout, "drstemplate ") {
		t.Errorf("version: %q", res.stdout)
	}
	res = run(t, "help", "exit-codes")
	for _, want := range []string{"130", "authentication failed", "--exit-code"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("help exit-codes lacks %q", want)
		}
	}
	res = run(t, "completion", "bash")
	if res.code != exitOK || !strings.Contains(res.stdout, "drstemplate") {
		t.Errorf("completion bash: exit %d", res.code)
	}
}

// TestInspectRefusesNonWorkbooks: a file that is not a workbook is refused
// clearly, exit 1.
func TestInspectRefusesNonWorkbooks(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"page.xlsx":  "<!DOCTYPE html><html><body>Gateway Timeout</body></html>",
		"empty.xlsx": "",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"inspect", p}, {"diff", p, p}} {
			res := run(t, args...)
			if res.code != exitFailed || !strings.Contains(res.stderr, "not an .xlsx workbook") || res.stdout != "" {
				t.Errorf("%s: exit %d, stdout %q, stderr %q", args, res.code, res.stdout, res.stderr)
			}
		}
	}
	res := run(t, "inspect", filepath.Join(dir, "missing.xlsx"))
	if res.code != exitFailed || !strings.Contains(res.stderr, "no such file") {
		t.Errorf("inspect of a missing file: exit %d, %q", res.code, res.stderr)
	}
}
