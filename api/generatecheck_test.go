package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateCheckWithoutGit runs scripts/generate-check.sh in a copy of the
// generator's inputs that is not a git checkout: it passes while gen/ is up to
// date and fails, naming the difference, once gen/ is stale.
func TestGenerateCheckWithoutGit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go generate")
	}
	dir := t.TempDir()
	for _, p := range []string{"go.mod", "go.sum", "generate.go", "api", "gen", "scripts"} {
		copyTree(t, filepath.Join("..", p), filepath.Join(dir, p))
	}
	run := func() (string, error) {
		cmd := exec.Command("scripts/generate-check.sh")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_DIR="+filepath.Join(dir, "no-such-git-dir"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(); err != nil {
		t.Fatalf("up-to-date gen/: %v\n%s", err, out)
	}

	stale := filepath.Join(dir, "gen", "drsapi", "drsapi.gen.go")
	data, err := os.ReadFile(stale)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, append(data, "// stale\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run()
	if err == nil {
		t.Fatalf("stale gen/ passed the check:\n%s", out)
	}
	if !strings.Contains(out, "out of date") || !strings.Contains(out, "drsapi.gen.go") {
		t.Errorf("the failure does not name the stale file:\n%s", out)
	}
}

// copyTree copies the file or directory src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
