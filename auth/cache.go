package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// maxCacheFile bounds the size of a token cache file that is read.
const maxCacheFile = 64 << 10

// cacheVersion is the format version of token cache files.
const cacheVersion = 1

// DefaultCacheDir returns the conventional directory for the token cache:
// "drstemplate" in the user's cache directory (os.UserCacheDir, e.g.
// ~/.cache/drstemplate on Linux).
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("auth: no user cache directory: %w", err)
	}
	return filepath.Join(dir, "drstemplate"), nil
}

// cacheKey identifies a login: a hash of the IAM endpoint, account, user and
// project scope. The password is not part of it — a changed password makes
// IAM revoke the user's tokens, and the refused token is then dropped.
func cacheKey(l PasswordLogin) string {
	scope := "id:" + l.ProjectID
	if l.ProjectID == "" {
		scope = "name:" + l.ProjectName
	}
	sum := sha256.Sum256([]byte(l.IAMEndpoint.String() + "\x00" + l.Account + "\x00" + l.User + "\x00" + scope))
	return hex.EncodeToString(sum[:])
}

// diskCache keeps one login's token in a file of its own, written with mode
// 0600 in a directory created with mode 0700. It is best effort: a file
// that cannot be written is not, and a file that cannot be trusted —
// unreadable, corrupt, for another key, group- or world-accessible, not a
// regular file (a symbolic link, say), owned by another user, or in a
// directory that another user owns or can write — is ignored.
type diskCache struct {
	dir  string
	key  string
	name string // the file's name in dir
	path string // dir joined with name
}

// cacheFile is the JSON content of a cache file.
type cacheFile struct {
	Version   int       `json:"version"`
	Key       string    `json:"key"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	IssuedAt  time.Time `json:"issued_at"`
	ProjectID string    `json:"project_id,omitempty"`
}

func newDiskCache(dir, key string) *diskCache {
	name := "iam-token-" + key[:32] + ".json"
	return &diskCache{dir: dir, key: key, name: name, path: filepath.Join(dir, name)}
}

// load returns the cached token, if there is one that can be trusted. The
// caller decides whether it is still fresh.
//
// The file is opened without following a symbolic link, and the checks
// (openTrusted's, and a bounded size) are made on the opened file, so that
// it cannot be swapped for another between the checks and the read.
func (c *diskCache) load() (iamToken, bool) {
	if !c.safeDir() {
		return iamToken{}, false
	}
	f, fi, err := openTrusted(c.path, false)
	if err != nil {
		return iamToken{}, false
	}
	defer func() { _ = f.Close() }()
	if fi.Size() > maxCacheFile {
		return iamToken{}, false
	}
	data, err := io.ReadAll(io.LimitReader(f, maxCacheFile+1))
	if err != nil || len(data) > maxCacheFile {
		return iamToken{}, false
	}
	var cf cacheFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if dec.Decode(&cf) != nil || cf.Version != cacheVersion || cf.Key != c.key ||
		cf.Token == "" || !validHeaderValue(cf.Token) || cf.ExpiresAt.IsZero() || !cf.IssuedAt.Before(cf.ExpiresAt) {
		return iamToken{}, false
	}
	return iamToken{value: cf.Token, expires: cf.ExpiresAt, issued: cf.IssuedAt, projectID: cf.ProjectID}, true
}

// store writes t whole (see localfile.Dir.Write): a private temporary
// file in the cache directory, flushed to disk and renamed over the old
// one. Failures leave the cache as it was.
func (c *diskCache) store(t iamToken) {
	if err := os.MkdirAll(c.dir, 0o700); err != nil || !c.safeDir() {
		return
	}
	data, err := json.Marshal(cacheFile{
		Version: cacheVersion, Key: c.key, Token: t.value,
		ExpiresAt: t.expires, IssuedAt: t.issued, ProjectID: t.projectID,
	})
	if err != nil {
		return
	}
	d, err := localfile.OpenDir(c.dir)
	if err != nil {
		return
	}
	defer func() { _ = d.Close() }()
	d.Sweep()
	_, _ = d.Write(c.name, localfile.WriteOptions{Overwrite: true, Mode: 0o600}, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// remove deletes the cache file.
func (c *diskCache) remove() {
	_ = os.Remove(c.path)
}

// safeDir reports whether the cache directory is a real directory (not a
// symbolic link), owned by this user, that nobody else can write to.
func (c *diskCache) safeDir() bool {
	fi, err := os.Lstat(c.dir)
	if err != nil || !fi.IsDir() || !ownedByUser(fi) {
		return false
	}
	return runtime.GOOS == "windows" || fi.Mode().Perm()&0o022 == 0
}
