package localfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLock(t *testing.T) {
	dir := t.TempDir()
	l, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(dir)
	host, _ := os.Hostname()
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on host %s", os.Getpid(), host)) {
		t.Errorf("Lock of a locked directory = %v; want ErrLocked naming the holder", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, LockFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is left after Unlock: %v", err)
	}
	l, err = Lock(dir)
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	_ = l.Unlock()
}

// TestLockRace takes and releases the lock from many goroutines at once:
// never two hold it.
func TestLockRace(t *testing.T) {
	dir := t.TempDir()
	var (
		mu      sync.Mutex
		holding int
		wg      sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				l, err := Lock(dir)
				if errors.Is(err, ErrLocked) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				holding++
				if holding > 1 {
					t.Error("two hold the lock")
				}
				mu.Unlock()
				mu.Lock()
				holding--
				mu.Unlock()
				if err := l.Unlock(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
