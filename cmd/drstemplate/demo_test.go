package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drs-tools/drstemplate"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
)

// TestDemo runs the demo twice into one directory: it succeeds, leaves six
// valid workbooks and its manifest, prints its summary and an inspect, and
// a second run replaces its own output. A directory of something else is
// refused.
func TestDemo(t *testing.T) {
	cleanEnv(t)
	// The user's settings must not steer the demo away from its fake.
	t.Setenv(envRegion, "eu-west-101")
	t.Setenv("HUAWEICLOUD_SDK_AK", "SOMEONEELSESKEY00000")
	t.Setenv("HUAWEICLOUD_SDK_SK", "someone-elses-secret")
	out := filepath.Join(t.TempDir(), "demo")
	for i := range 2 {
		res := run(t, "demo", "--out", out)
		if res.code != exitOK {
			t.Fatalf("run %d: exit %d\n%s\n%s", i+1, res.code, res.stdout, res.stderr)
		}
		for _, want := range []string{"started drsfake at http://127.0.0.1:", "with 6 tasks of 5 engines: gaussdbv5, mongodb, mysql, postgresql, redis", "6 tasks: 6 exported", "ExportCreationTemplate", "ShowExportProgress",
			"DownloadCreateTemplate", "drstemplate inspect " + out, `Sheet "Task"`, "orders-mysql-to-rds", "Done in",
			"AUTO_PARAM_VALIDATE_SUCCESS → COMMIT_SUCCESS", `diff --ignore "Task ID" --ignore "Template file" --ignore "Exported at (UTC)"`,
			`~ Task / Task name / Value: "orders-mysql-to-rds" → "orders-mysql-to-rds-copy"` + "\n" + `~ Task / speed_limit_mbps / Value: "50" → "80"` + "\n\n",
			"left out by --ignore"} {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("run %d: the summary lacks %q:\n%s", i+1, want, res.stdout)
			}
		}
		// The round trip's directory holds the edited copy and the new
		// task's template.
		trip := filepath.Join(out, roundTripDir)
		if got := noPartialFiles(t, trip); len(got) != 2 {
			t.Errorf("run %d: %s holds %v, want two workbooks", i+1, trip, got)
		}
		if err := os.Rename(trip, filepath.Join(filepath.Dir(out), "trip-aside")); err != nil {
			t.Fatal(err)
		}
		xlsx := noPartialFiles(t, out)
		if err := os.Rename(filepath.Join(filepath.Dir(out), "trip-aside"), trip); err != nil {
			t.Fatal(err)
		}
		if len(xlsx) != 6 {
			t.Fatalf("run %d: %d workbooks: %v", i+1, len(xlsx), xlsx)
		}
		for _, name := range xlsx {
			if _, err := workbook.Open(filepath.Join(out, name)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		m, err := manifest.Read(out)
		if err != nil || len(m.Tasks) != 6 {
			t.Fatalf("manifest: %v", err)
		}
		noSecretIn(t, "the demo's output", res.stdout+res.stderr, demoSecretKey, "someone-elses-secret")
		noSecretInFiles(t, out, demoSecretKey, "someone-elses-secret")
	}
	res := run(t, "demo", "--out", out, "-o", "json", "-v")
	noSecretIn(t, "the demo's JSON and debug output", res.stdout+res.stderr, demoSecretKey, "someone-elses-secret")
	var rep demoReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || rep.Export == nil || rep.Export.Exported != 6 || len(rep.Calls) != 4 {
		t.Fatalf("demo -o json: %v\n%s", err, res.stdout)
	}
	checkRoundTrip(t, rep.RoundTrip)

	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := run(t, "demo", "--out", other); res.code != exitUsage || !strings.Contains(res.stderr, "not an earlier demo's output") {
		t.Errorf("demo into another directory: exit %d, %q", res.code, res.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "mine" {
		t.Error("the demo touched a file of someone else's")
	}
}

// noSecretIn fails the test if s holds one of the secrets.
func noSecretIn(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s holds a secret", what)
		}
	}
}

// noSecretInFiles fails the test if a file under dir holds one of the
// secrets.
func noSecretInFiles(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		noSecretIn(t, path, string(data), secrets...)
		if strings.HasSuffix(path, ".xlsx") { // compressed: read what it says
			wb, err := workbook.Open(path)
			if err != nil {
				return err
			}
			var text strings.Builder
			if err := workbook.WriteText(&text, wb); err != nil {
				return err
			}
			noSecretIn(t, path, text.String(), secrets...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkRoundTrip checks the demo's round trip: the new task's template
// differs from the original in the two edits, and otherwise only in the
// three rows that identify a task and its export.
func checkRoundTrip(t *testing.T, rt *roundTripReport) {
	t.Helper()
	if rt == nil {
		t.Fatal("no round trip in the demo's JSON")
	}
	want := []workbook.CellChange{
		{Key: "Task name", Column: "Value", Old: "orders-mysql-to-rds", New: "orders-mysql-to-rds-copy"},
		{Key: "speed_limit_mbps", Column: "Value", Old: "50", New: "80"},
	}
	if rt.Changes.Count() != 2 || len(rt.Changes.Sheets) != 1 || !slices.Equal(rt.Changes.Sheets[0].ChangedCells, want) {
		t.Errorf("the round trip's diff: %+v, want the two edits", rt.Changes)
	}
	var keys []string
	for _, s := range rt.Identity.Sheets {
		if len(s.AddedRows)+len(s.RemovedRows) > 0 {
			t.Errorf("identity rows added or removed: %+v", s)
		}
		for _, c := range s.ChangedCells {
			keys = append(keys, c.Key)
		}
	}
	if !slices.Equal(keys, identityRows) {
		t.Errorf("identity rows that changed: %v, want %v", keys, identityRows)
	}
	if rt.Task == "" || rt.BatchJob == "" || rt.Statuses[len(rt.Statuses)-1] != string(drstemplate.BatchCommitted) {
		t.Errorf("round trip: %+v", rt)
	}
	if _, err := workbook.Open(rt.Exported); err != nil {
		t.Errorf("the new task's template: %v", err)
	}
}
