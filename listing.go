package drstemplate

import (
	"context"
	"sync"
	"time"
)

// listings shares the template listings of one ExportAndDownload between
// its chunks. A chunk whose export has ended needs a listing that began
// after that moment, and any such listing will do: chunks that end close
// together share one instead of each reading every page of the list.
type listings struct {
	c    *Client
	mu   sync.Mutex
	last *listing // the newest listing begun
}

// listing is one read of the whole list.
type listing struct {
	began time.Time
	done  chan struct{} // closed when files and err are set
	files []Template
	err   error
}

// since returns the files of a listing that began no earlier than t: the
// newest one, if it did and has not failed, else a new one.
func (l *listings) since(ctx context.Context, t time.Time) ([]Template, error) {
	l.mu.Lock()
	cur := l.last
	if cur != nil && !cur.began.Before(t) && !cur.failed() {
		l.mu.Unlock()
		select {
		case <-cur.done:
			return cur.files, cur.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cur = &listing{began: time.Now(), done: make(chan struct{})}
	l.last = cur
	l.mu.Unlock()
	for tpl, err := range l.c.Templates(ctx) {
		if err != nil {
			cur.files, cur.err = nil, err
			break
		}
		cur.files = append(cur.files, tpl)
	}
	close(cur.done)
	return cur.files, cur.err
}

// failed reports whether the listing has ended with an error.
func (l *listing) failed() bool {
	select {
	case <-l.done:
		return l.err != nil
	default:
		return false
	}
}
