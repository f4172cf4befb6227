package drstemplate

import (
	"context"
	"sync"
)

// listings shares the reads of the template list among the chunks of one
// ExportAndDownload, so that chunks whose exports end close together do not
// each page through the whole list: at most one listing is in flight.
//
// A chunk may use a listing only if it began after the chunk's export was
// seen to have ended: one begun before may lack the export's files, even
// one begun at the same instant by the clock. So listings are numbered as
// they begin, and a chunk marks the number reached when its wait returns;
// any listing numbered above its mark will do.
type listings struct {
	c *Client
	// tasks are the run's task ids: a listing keeps their files only, so
	// that a long list costs its pages, not memory.
	tasks   map[string]int
	mu      sync.Mutex
	begun   uint64   // listings begun so far: the number of the newest
	current *listing // the newest listing: in flight, or ended
}

// listing is one read of the whole list.
type listing struct {
	seq   uint64
	done  chan struct{} // closed once files and err are set
	files []Template
	err   error
}

// mark returns the number of the newest listing begun: a listing that
// begins from now on has a higher one.
func (l *listings) mark() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.begun
}

// since returns the files of a listing numbered above mark, and its
// number. It shares the newest listing if that one qualifies and has not
// failed; else it waits for the listing in flight, if any, to end, and
// begins one, unless another chunk did so meanwhile — that one it shares.
// A chunk sharing a listing that fails gets its error.
func (l *listings) since(ctx context.Context, mark uint64) ([]Template, uint64, error) {
	for {
		l.mu.Lock()
		cur := l.current
		fresh := cur != nil && cur.seq > mark // begun after the mark
		if cur == nil || cur.ended() && (!fresh || cur.err != nil) {
			l.begun++
			cur = &listing{seq: l.begun, done: make(chan struct{})}
			l.current = cur
			l.mu.Unlock()
			cur.files, cur.err = l.read(ctx)
			close(cur.done)
			return cur.files, cur.seq, cur.err
		}
		l.mu.Unlock()
		select {
		case <-cur.done:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
		if fresh {
			return cur.files, cur.seq, cur.err
		}
		// It began too early, and has ended: look again.
	}
}

// read reads the whole list, keeping the files of the run's tasks.
func (l *listings) read(ctx context.Context) ([]Template, error) {
	var files []Template
	for t, err := range l.c.Templates(ctx) {
		if err != nil {
			return nil, err
		}
		if _, ok := l.tasks[t.TaskID]; ok {
			files = append(files, t)
		}
	}
	return files, nil
}

// ended reports whether the listing has ended.
func (l *listing) ended() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}
