package drstemplate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/drs-tools/drstemplate/internal/retry"
)

// ExportAndDownload exports the templates of the given tasks and downloads
// them into dir (made if missing): the whole flow in one call. It returns a
// result per task, in the order of taskIDs; if any task failed, the error
// joins the tasks' errors (errors.Is sees each) and the results say which.
//
// Each task gets the newest template modified no earlier than its export's
// acceptance, less opts.ClockSkew, written whole or not at all. One task's
// failure does not cost the others their templates: an export DRS fails is
// exported again in halves. An export whose answer was a 5xx or broke off
// is submitted again; a second export of the same tasks only writes newer
// files. As [Client.DownloadToDir] does, it removes the temporary files
// that killed downloads left in dir. The task ids and options are checked
// before any call.
func (c *Client) ExportAndDownload(ctx context.Context, dir string, taskIDs []string, opts *ExportAndDownloadOptions) ([]Result, error) {
	var o ExportAndDownloadOptions
	if opts != nil {
		o = *opts
	}
	if o.Exports < 0 || o.Downloads < 0 || o.ClockSkew < 0 {
		return nil, fmt.Errorf("%w: negative concurrency or clock skew", ErrInvalidInput)
	}
	o.Exports = cmp.Or(o.Exports, defaultExports)
	o.Downloads = cmp.Or(o.Downloads, defaultDownloads)
	o.ClockSkew = cmp.Or(o.ClockSkew, defaultClockSkew)
	wait, err := o.Wait.withDefaults()
	if err != nil {
		return nil, err
	}
	wait.Progress = nil
	// The one check of the ids: the chunks are cut from them, and exported
	// without checking them again.
	if err := checkTaskIDs(taskIDs, 0); err != nil {
		return nil, err
	}
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	c.sweepTemp(ctx, dir)
	f := &flow{
		c: c, dir: dir, o: o, wait: wait,
		results:   make([]Result, len(taskIDs)),
		index:     make(map[string]int, len(taskIDs)),
		exports:   make(chan struct{}, o.Exports),
		downloads: make(chan struct{}, o.Downloads),
	}
	f.listings = &listings{c: c, tasks: f.index}
	for i, id := range taskIDs {
		f.index[id] = i
		f.results[i].TaskID = id
	}
	chunks, err := f.plan(taskIDs)
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for _, ch := range chunks {
		wg.Go(func() { f.run(ctx, ch) })
	}
	wg.Wait()

	var errs []error
	for _, r := range f.results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("task %s: %w", r.TaskID, r.Err))
		}
	}
	if len(errs) > 0 {
		return f.results, &tasksError{failed: len(errs), total: len(taskIDs), errs: errs}
	}
	return f.results, nil
}

// flow is one ExportAndDownload in progress.
type flow struct {
	c    *Client
	dir  string
	o    ExportAndDownloadOptions
	wait WaitOptions

	results   []Result
	index     map[string]int // task id → its result
	exports   chan struct{}  // a slot per export in progress
	downloads chan struct{}  // a slot per download in progress
	listings  *listings      // the template list, read once per moment for all chunks
	mu        sync.Mutex     // serialises Events
}

// chunk is a group of tasks exported together; export is set when DRS
// already accepted it.
type chunk struct {
	tasks  []string
	export *Export
}

// plan groups the tasks into chunks: first those of the exports already
// submitted, then the rest as chunkSizes says.
func (f *flow) plan(taskIDs []string) ([]chunk, error) {
	var chunks []chunk
	covered := make(map[string]bool)
	for i := range f.o.Submitted {
		e := f.o.Submitted[i]
		if e.ID == "" || len(e.TaskIDs) == 0 || e.Accepted.IsZero() {
			return nil, fmt.Errorf("%w: submitted export #%d has no id, no task ids or no time of acceptance", ErrInvalidInput, i+1)
		}
		own := make(map[string]bool, len(e.TaskIDs))
		for _, t := range e.TaskIDs {
			switch _, asked := f.index[t]; {
			case !asked:
				return nil, fmt.Errorf("%w: submitted export %s covers task %s, which is not asked for", ErrInvalidInput, e.ID, t)
			case own[t]:
				return nil, fmt.Errorf("%w: submitted export %s lists task %s twice", ErrInvalidInput, e.ID, t)
			case covered[t]:
				return nil, fmt.Errorf("%w: task %s is in two submitted exports", ErrInvalidInput, t)
			}
			own[t], covered[t] = true, true
		}
		chunks = append(chunks, chunk{tasks: e.TaskIDs, export: &e})
	}
	var rest []string
	for _, t := range taskIDs {
		if !covered[t] {
			rest = append(rest, t)
		}
	}
	for _, n := range chunkSizes(len(rest), f.c.maxTasks, f.o.Exports) {
		chunks = append(chunks, chunk{tasks: rest[:n:n]})
		rest = rest[n:]
	}
	return chunks, nil
}

// minChunk is the fewest tasks chunkSizes puts in an export when there
// are more: below it, another export in parallel saves DRS little work and
// costs a wait's worth of progress calls.
const minChunk = 100

// chunkSizes says how many of n tasks go into each export: the tasks spread
// evenly over as few exports as hold at most maxTasks each — but over as
// many as run at once (exports), of at least minChunk tasks each, when that
// takes more. So that every export of a run up to exports·maxTasks tasks is
// submitted at once: the run waits through one export, not several in turn.
func chunkSizes(n, maxTasks, exports int) []int {
	if n == 0 {
		return nil
	}
	per := min(maxTasks, max(minChunk, ceilDiv(n, exports)))
	k := ceilDiv(n, per)
	sizes := make([]int, k)
	for i := range sizes {
		sizes[i] = n / k
		if i < n%k {
			sizes[i]++
		}
	}
	return sizes
}

// ceilDiv is a/b rounded up, for positive a and b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// run takes one chunk through export, wait, lookup and download. An export
// of several tasks that DRS refuses or fails is split in two, and each half
// run again, so that one task DRS cannot export does not cost the others
// their templates.
func (f *flow) run(ctx context.Context, ch chunk) {
	exp, found, err := f.export(ctx, ch)
	if err != nil {
		if len(ch.tasks) > 1 && splittable(err) {
			half := len(ch.tasks) / 2
			var wg sync.WaitGroup
			for _, part := range [][]string{ch.tasks[:half], ch.tasks[half:]} {
				wg.Go(func() { f.run(ctx, chunk{tasks: part}) })
			}
			wg.Wait()
			return
		}
		f.failAll(ch.tasks, exp.ID, err)
		return
	}
	var wg sync.WaitGroup
	for _, task := range ch.tasks {
		t, ok := found[task]
		if !ok {
			f.finish(Result{TaskID: task, ExportID: exp.ID, Err: fmt.Errorf("%w (export %s)", ErrNoTemplate, exp.ID)})
			continue
		}
		wg.Go(func() { f.download(ctx, task, exp.ID, t) })
	}
	wg.Wait()
}

// export submits the chunk's export (unless it was submitted before), waits
// for it and finds its tasks' files, holding an export slot throughout: the
// calls in flight are at most the exports and the downloads at once.
func (f *flow) export(ctx context.Context, ch chunk) (Export, map[string]Template, error) {
	select {
	case f.exports <- struct{}{}:
	case <-ctx.Done():
		return Export{}, nil, ctx.Err()
	}
	defer func() { <-f.exports }()
	exp, err := f.submitAndWait(ctx, ch)
	if err != nil {
		return exp, nil, err
	}
	// Only a listing begun from now on is sure to list the export's files.
	found, err := f.files(ctx, exp, f.listings.mark())
	if err != nil {
		return exp, nil, err
	}
	return exp, found, nil
}

// submitAndWait submits the chunk's export (unless it was submitted before)
// and waits for it.
func (f *flow) submitAndWait(ctx context.Context, ch chunk) (Export, error) {
	var exp Export
	var since time.Time // a new export's wait begins now
	if ch.export != nil {
		exp = *ch.export
		// An earlier run's export has been running since its acceptance,
		// in DRS's clock: counted from as late as the clock skew allows,
		// so that a local clock ahead of DRS's does not make it look older
		// than it is (and polled too seldom).
		since = exp.Accepted.Add(f.o.ClockSkew)
	} else {
		var err error
		exp, err = f.submit(ctx, ch.tasks)
		if err != nil {
			return exp, err
		}
		f.emit(Event{Kind: EventSubmitted, Export: exp})
	}
	w := f.wait
	w.Progress = func(s Status) { f.emit(Event{Kind: EventStatus, Export: exp, Status: s}) }
	_, err := f.c.wait(ctx, exp.ID, &w, since)
	return exp, err
}

// submit starts an export of tasks. The call is not sent again where DRS
// may have acted on it — a 5xx answer, or one that broke off — but here it
// is submitted again, as the retry policy allows attempts (see
// decideResubmit): a second export of the same tasks only writes newer
// files, of which find takes the newest.
func (f *flow) submit(ctx context.Context, tasks []string) (Export, error) {
	return retry.Loop[Export]{
		Policy: f.c.retry.policy(),
		Rand:   f.c.jitter,
		Check:  func(_ Export, err error) retry.Decision { return decideResubmit(err) },
		Retrying: func(_ Export, err error, _ int, pause time.Duration) {
			f.c.log.DebugContext(ctx, "drstemplate: trying again", "step", "export", "delay", pause, "error", err)
		},
	}.Do(ctx, func(int) (Export, error) { return f.c.export(ctx, tasks) })
}

// files finds the files of exp's tasks in a listing begun after mark. DRS
// may list a file a moment after it reports the export's success: while
// some are missing, the list is read again (a listing begun after the one
// that lacked them), as the retry policy allows attempts.
func (f *flow) files(ctx context.Context, exp Export, mark uint64) (map[string]Template, error) {
	return retry.Loop[map[string]Template]{
		Policy: f.c.retry.policy(),
		Rand:   f.c.jitter,
		Check: func(found map[string]Template, err error) retry.Decision {
			return retry.Decision{Retry: err == nil && len(found) < len(exp.TaskIDs)}
		},
		Retrying: func(found map[string]Template, _ error, _ int, pause time.Duration) {
			f.c.log.DebugContext(ctx, "drstemplate: files not listed yet, reading the list again", "export_id", exp.ID,
				"missing", len(exp.TaskIDs)-len(found), "delay", pause)
		},
	}.Do(ctx, func(int) (map[string]Template, error) {
		files, seq, err := f.listings.since(ctx, mark)
		if err != nil {
			return nil, err
		}
		mark = seq
		return f.find(exp, files), nil
	})
}

// splittable reports whether an export's failure may be down to one of its
// tasks: DRS failed the export, or refused to start it as invalid with a
// DRS code (an unknown task id, say). A refusal by the API gateway (APIG.…,
// APIGW.…) or of another call says nothing about the tasks.
func splittable(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Operation == opExport.String() && apiErr.StatusCode == http.StatusBadRequest &&
			strings.HasPrefix(apiErr.Code, "DRS.")
	}
	return errors.Is(err, ErrExportFailed)
}

// find picks from files, for each task of exp, its newest file modified no
// earlier than the export's acceptance, less the allowed skew. It goes by
// last_modified, which states its time zone; the time in a file's name is
// in a zone DRS does not document, so it only breaks ties.
func (f *flow) find(exp Export, files []Template) map[string]Template {
	want := make(map[string]bool, len(exp.TaskIDs))
	for _, t := range exp.TaskIDs {
		want[t] = true
	}
	since := exp.Accepted.Add(-f.o.ClockSkew)
	found := make(map[string]Template, len(exp.TaskIDs))
	for _, t := range files {
		if !want[t.TaskID] || t.LastModified.Before(since) {
			continue
		}
		if prev, ok := found[t.TaskID]; ok && newer(prev, t) {
			continue
		}
		found[t.TaskID] = t
	}
	return found
}

// newer reports whether a is newer than b: by last_modified, then by the
// time in the name, then by name.
func newer(a, b Template) bool {
	switch {
	case !a.LastModified.Equal(b.LastModified):
		return a.LastModified.After(b.LastModified)
	case !a.Created.Equal(b.Created):
		return a.Created.After(b.Created)
	}
	return a.Name > b.Name
}

// download writes one task's template into the directory, holding a
// download slot.
func (f *flow) download(ctx context.Context, task, exportID string, t Template) {
	res := Result{TaskID: task, ExportID: exportID, File: File{Name: t.Name}}
	select {
	case f.downloads <- struct{}{}:
	case <-ctx.Done():
		res.File, res.Err = File{}, ctx.Err()
		f.finish(res)
		return
	}
	defer func() { <-f.downloads }()
	f.emit(Event{Kind: EventDownloading, Result: res})
	local, err := safeName(t.Name)
	if err == nil && !f.o.Overwrite {
		err = checkAbsent(f.dir, local)
	}
	if err == nil {
		res.File, err = f.c.saveOne(ctx, f.dir, t.Name, local, f.o.Overwrite)
	}
	if err != nil {
		res.File, res.Err = File{}, err
	}
	f.finish(res)
}

// failAll records err as the result of every task in tasks.
func (f *flow) failAll(tasks []string, exportID string, err error) {
	for _, t := range tasks {
		f.finish(Result{TaskID: t, ExportID: exportID, Err: err})
	}
}

// finish records a task's final result and reports it.
func (f *flow) finish(r Result) {
	f.mu.Lock()
	f.results[f.index[r.TaskID]] = r
	f.mu.Unlock()
	f.emit(Event{Kind: EventDone, Result: r})
}

// emit reports an event, one at a time.
func (f *flow) emit(e Event) {
	if f.o.Events == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.o.Events(e)
}
