//go:build unix

package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A profile file of another user's is refused, as a token cache file is.
func TestChainProfileOfAnotherUser(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "credentials")
	if err := os.WriteFile(p, []byte("[basic]\nak = AKFILE\nsk = file-sk-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	euid := geteuid
	t.Cleanup(func() { geteuid = euid })
	geteuid = func() int { return euid() + 1 } // as if another user owned the file
	_, err := Chain{LookupEnv: envMap(map[string]string{"HOME": dir, EnvCredentialsFile: p})}.Resolve()
	if err == nil || !strings.Contains(err.Error(), "owned by another user") {
		t.Fatalf("err = %v, want the file refused as another user's", err)
	}
}
