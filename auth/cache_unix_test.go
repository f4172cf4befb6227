//go:build unix

package auth

import (
	"os"
	"testing"
	"time"
)

// A cache file or directory that belongs to another user is not trusted,
// and nothing is written into such a directory.
func TestDiskCacheIgnoresOtherUsersFiles(t *testing.T) {
	dir := t.TempDir()
	c := newDiskCache(dir, cacheKey(PasswordLogin{IAMEndpoint: mustURL("https://iam.example.com"), Account: "a", User: "u", ProjectID: "p"}))
	issued := time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC)
	tok := iamToken{value: "token-1", issued: issued, expires: issued.Add(24 * time.Hour)}
	c.store(tok)
	if got, ok := c.load(); !ok || got.value != tok.value {
		t.Fatal("the cache does not load its own file")
	}

	euid := geteuid
	t.Cleanup(func() { geteuid = euid })
	geteuid = func() int { return euid() + 1 } // as if another user owned dir and file
	if _, ok := c.load(); ok {
		t.Fatal("a cache file owned by another user was loaded")
	}
	c.remove()
	c.store(tok)
	if _, err := os.Lstat(c.path); err == nil {
		t.Fatal("the cache wrote into a directory owned by another user")
	}
}
