package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
			"DownloadCreateTemplate", "drstemplate inspect " + out, `Sheet "Task"`, "orders-mysql-to-rds", "Done in"} {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("run %d: the summary lacks %q:\n%s", i+1, want, res.stdout)
			}
		}
		xlsx := noPartialFiles(t, out)
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
