package auth

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestDiskCache(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not meaningful on Windows")
	}
	s := newTestServer(t)
	dir := filepath.Join(t.TempDir(), "drstemplate")
	withCache := func(l *PasswordLogin) { l.CacheDir = dir }

	// The first process logs in and writes the cache.
	if status, err := s.get(t, s.client(s.password(t, withCache))); err != nil || status != http.StatusOK {
		t.Fatalf("get = %d, %v", status, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "iam-token-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	checkMode(t, dir, 0o700)
	checkMode(t, files[0], 0o600)
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), testPassword) {
		t.Fatal("the cache file holds the password")
	}
	if !strings.Contains(string(data), `"token":"token-1"`) {
		t.Fatal("the cache file does not hold the token")
	}

	// A second process with the same login reuses it without logging in.
	if status, _ := s.get(t, s.client(s.password(t, withCache))); status != http.StatusOK {
		t.Fatal("second process failed")
	}
	if logins, _ := s.counts(); logins != 1 {
		t.Fatalf("%d logins, want 1: the cached token was not reused", logins)
	}

	// Another user, project or endpoint has a file of its own.
	other := s.password(t, func(l *PasswordLogin) { l.CacheDir, l.ProjectID, l.ProjectName = dir, "", "cn-north-4" })
	s.mustGet(t, s.client(other))
	if logins, _ := s.counts(); logins != 2 {
		t.Fatalf("%d logins, want 2: a different scope must not reuse the token", logins)
	}

	// A refused token is removed from disk as well.
	s.revoke("token-1")
	p := s.password(t, withCache)
	if status, _ := s.get(t, s.client(p)); status != http.StatusOK {
		t.Fatal("no recovery from a revoked cached token")
	}
	if got := readCachedToken(t, files[0]); got != "token-3" {
		t.Fatal("after the renewal, the cache does not hold the renewed token (the third issued)")
	}
}

func TestDiskCacheIgnoresUntrustedFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not meaningful on Windows")
	}
	tests := []struct {
		name    string
		corrupt func(t *testing.T, path string)
	}{
		{"garbage", func(t *testing.T, path string) { write(t, path, "\x00not json", 0o600) }},
		{"unknown field", func(t *testing.T, path string) { editCache(t, path, func(m map[string]any) { m["extra"] = 1 }) }},
		{"other key", func(t *testing.T, path string) { editCache(t, path, func(m map[string]any) { m["key"] = "x" }) }},
		{"other version", func(t *testing.T, path string) { editCache(t, path, func(m map[string]any) { m["version"] = 2 }) }},
		{"expired", func(t *testing.T, path string) {
			editCache(t, path, func(m map[string]any) { m["expires_at"] = "2025-07-03T09:30:00Z" })
		}},
		{"token with a newline", func(t *testing.T, path string) { editCache(t, path, func(m map[string]any) { m["token"] = "a\nb" }) }},
		{"readable by others", func(t *testing.T, path string) {
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"symlink", func(t *testing.T, path string) {
			target := path + ".target"
			if err := os.Rename(path, target); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}},
		{"directory writable by others", func(t *testing.T, path string) {
			if err := os.Chmod(filepath.Dir(path), 0o777); err != nil {
				t.Fatal(err)
			}
		}},
		{"directory writable by its group", func(t *testing.T, path string) {
			if err := os.Chmod(filepath.Dir(path), 0o770); err != nil {
				t.Fatal(err)
			}
		}},
		{"directory a symbolic link", func(t *testing.T, path string) {
			dir := filepath.Dir(path)
			if err := os.Rename(dir, dir+".real"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(dir+".real", dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"issued after it expires", func(t *testing.T, path string) {
			editCache(t, path, func(m map[string]any) { m["issued_at"] = "2099-01-01T00:00:00Z" })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			dir := t.TempDir()
			withCache := func(l *PasswordLogin) { l.CacheDir = dir }
			s.mustGet(t, s.client(s.password(t, withCache)))
			files, _ := filepath.Glob(filepath.Join(dir, "iam-token-*.json"))
			if len(files) != 1 {
				t.Fatalf("cache files %v", files)
			}
			tt.corrupt(t, files[0])
			s.clock.Advance(time.Hour) // makes the "expired" variant expired, leaves the others fresh
			if status, err := s.get(t, s.client(s.password(t, withCache))); err != nil || status != http.StatusOK {
				t.Fatalf("get = %d, %v", status, err)
			}
			if logins, _ := s.counts(); logins != 2 {
				t.Fatalf("%d logins, want 2: the untrusted cache file was used", logins)
			}
		})
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s has mode %o, want %o", path, got, want)
	}
}

func readCachedToken(t *testing.T, path string) string {
	t.Helper()
	var cf cacheFile
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cf); err != nil {
		t.Fatal(err)
	}
	return cf.Token
}

func editCache(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	var m map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, _ = json.Marshal(m)
	write(t, path, string(data), 0o600)
}

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg-cache")
	t.Setenv("HOME", "/tmp/home")
	dir, err := DefaultCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserCacheDir()
	if dir != filepath.Join(base, "drstemplate") {
		t.Fatalf("DefaultCacheDir = %q", dir)
	}
}

// TestCacheKey checks that logins that would get different tokens never
// share a cache file: every field that scopes a token is in the key, and
// the password, which does not, is not.
func TestCacheKey(t *testing.T) {
	base := PasswordLogin{IAMEndpoint: mustURL("https://iam.example.com"), Account: "a", User: "u", Password: "pw", ProjectID: "p"}
	tests := []struct {
		name string
		edit func(l *PasswordLogin)
		same bool
	}{
		{"another endpoint", func(l *PasswordLogin) { l.IAMEndpoint = mustURL("https://iam.example.org") }, false},
		{"another account", func(l *PasswordLogin) { l.Account = "b" }, false},
		{"another user", func(l *PasswordLogin) { l.User = "v" }, false},
		{"another project", func(l *PasswordLogin) { l.ProjectID = "q" }, false},
		{"a project by name", func(l *PasswordLogin) { l.ProjectID, l.ProjectName = "", "p" }, false},
		{"another password", func(l *PasswordLogin) { l.Password = "new" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := base
			tt.edit(&l)
			if same := cacheKey(l) == cacheKey(base); same != tt.same {
				t.Errorf("the key is the same as the base login's: %v, want %v", same, tt.same)
			}
		})
	}
}
