package localfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// LockFileName is the name of the lock file [Lock] keeps in a directory
// while it holds it.
const LockFileName = ".drstemplate.lock"

// ErrLocked is matched by the error of [Lock] when another process holds
// the directory's lock; the error says which (its pid, host and since
// when, as it wrote them in the lock file).
var ErrLocked = errors.New("another drstemplate is writing into the directory")

// DirLock is a held lock on a directory; see [Lock].
type DirLock struct {
	f    *os.File
	path string
}

// Lock takes the advisory lock of the directory at dir, which must exist,
// without waiting: two runs writing the same files into one directory (an
// export and its manifest) would undo each other's work. The lock is a
// file, [LockFileName], holding who took it (pid, host, time); on Unix it
// is held with flock(2), so it ends with the process however that ends,
// and the file is removed on [DirLock.Unlock]. Where flock is missing the
// file itself is the lock: one left by a killed process is reported as
// held, its holder named, for a person to remove.
func Lock(dir string) (*DirLock, error) {
	path := filepath.Join(dir, LockFileName)
	for range 10 { // another process may remove the file between our open and lock
		f, err := lockFile(path)
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%w: %s is held by %s", ErrLocked, path, holder(path))
		}
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		// Locked; but the file may have been removed by its last holder
		// meanwhile: then the lock is of a file no one else sees.
		fi, ferr := f.Stat()
		pi, perr := os.Lstat(path)
		if ferr != nil || perr != nil || !os.SameFile(fi, pi) {
			_ = f.Close()
			continue
		}
		host, _ := os.Hostname()
		note := fmt.Sprintf("pid %d on host %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
		if err := f.Truncate(0); err == nil {
			_, _ = f.WriteAt([]byte(note), 0) // only for messages: the flock is the lock
		}
		return &DirLock{f: f, path: path}, nil
	}
	return nil, fmt.Errorf("locking %s: %s keeps being replaced", dir, path)
}

// Unlock removes the lock file and releases the lock.
func (l *DirLock) Unlock() error { return unlock(l.f, l.path) }

// holder says who holds the lock at path, as its file says, escaped and
// bounded for a message.
func holder(path string) string {
	f, _, err := OpenRegular(path, false)
	if err != nil {
		return "another process"
	}
	defer func() { _ = f.Close() }()
	b, _ := io.ReadAll(io.LimitReader(f, 256))
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "another process"
	}
	return fmt.Sprintf("%q", clip.String(s, 120))
}
