package localfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestMakeDir(t *testing.T) {
	base := t.TempDir()
	if err := MakeDir(filepath.Join(base, "a", "b"), 0o755); err != nil {
		t.Errorf("MakeDir of a new path: %v", err)
	}
	if err := MakeDir(filepath.Join(base, "a"), 0o755); err != nil {
		t.Errorf("MakeDir of a directory that is there: %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(filepath.Join(base, "gone"), link); err != nil {
		t.Fatal(err)
	}
	if err := MakeDir(link, 0o755); !errors.Is(err, ErrDanglingLink) {
		t.Errorf("MakeDir of a dangling link = %v; want ErrDanglingLink", err)
	}
	good := filepath.Join(base, "good")
	if err := os.Symlink(filepath.Join(base, "a"), good); err != nil {
		t.Fatal(err)
	}
	if err := MakeDir(good, 0o755); err != nil {
		t.Errorf("MakeDir of a link to a directory: %v", err)
	}
}
