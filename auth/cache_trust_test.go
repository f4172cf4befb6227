package auth

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The cache file is swapped, over and over, between a regular file and a
// symbolic link to another private file with a token of its own, while the
// cache is read: the token behind the link must never be loaded, however
// the swaps and the read interleave (a check on the path followed by an open
// that follows links would load it).
func TestDiskCacheNeverReadsThroughASwappedInLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	c := newDiskCache(dir, cacheKey(PasswordLogin{IAMEndpoint: mustURL("https://iam.example.com"), Account: "a", User: "u", ProjectID: "p"}))
	issued := time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC)
	c.store(iamToken{value: "token-good", issued: issued, expires: issued.Add(24 * time.Hour)})
	good, err := os.ReadFile(c.path)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := json.Marshal(cacheFile{Version: cacheVersion, Key: c.key, Token: "token-behind-the-link", IssuedAt: issued, ExpiresAt: issued.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, bad, 0o600); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var swapper sync.WaitGroup
	swapper.Add(1)
	go func() {
		defer swapper.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			tmp := filepath.Join(dir, "swap-"+strconv.Itoa(i))
			if i%2 == 0 {
				if os.Symlink(target, tmp) != nil {
					continue
				}
			} else if os.WriteFile(tmp, good, 0o600) != nil {
				continue
			}
			_ = os.Rename(tmp, c.path)
		}
	}()
	const reads = 30000
	var throughLink, loaded int
	for range reads {
		tok, ok := c.load()
		switch {
		case !ok:
		case tok.value == "token-behind-the-link":
			throughLink++
		default:
			loaded++
		}
	}
	close(stop)
	swapper.Wait()
	if throughLink > 0 {
		t.Fatalf("%d of %d reads loaded the token behind the symbolic link", throughLink, reads)
	}
	if loaded == 0 {
		t.Fatal("no read loaded the regular file: the test did not exercise the cache")
	}
}

// A cache file that another user owns is not trusted, even if it is private
// to that user and readable here (as it is to root). Needs root to chown.
func TestDiskCacheIgnoresAFileChownedToAnotherUser(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	dir := t.TempDir()
	c := newDiskCache(dir, cacheKey(PasswordLogin{IAMEndpoint: mustURL("https://iam.example.com"), Account: "a", User: "u", ProjectID: "p"}))
	issued := time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC)
	c.store(iamToken{value: "token-1", issued: issued, expires: issued.Add(24 * time.Hour)})
	if _, ok := c.load(); !ok {
		t.Fatal("the cache does not load its own file")
	}
	const nobody = 65534
	if err := os.Chown(c.path, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.load(); ok {
		t.Fatal("a cache file owned by another user was loaded")
	}
}
