package drstemplate

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// ExportAndDownloadOptions say how [Client.ExportAndDownload] works. The
// zero value (or nil) means the defaults.
type ExportAndDownloadOptions struct {
	// Wait paces the polling of each export (see [WaitOptions]; its
	// Progress is not called: Events reports statuses).
	Wait *WaitOptions
	// Exports is how many exports run at once (default 4).
	Exports int
	// Downloads is how many files download at once (default 8).
	Downloads int
	// Overwrite replaces files already in the directory; without it they
	// are kept and their tasks fail with [ErrFileExists].
	Overwrite bool
	// ClockSkew is how much earlier than its export's acceptance a
	// template file may be stamped and still count as that export's
	// (default 1 minute): DRS stamps files with the clock of the storage
	// behind it, which may differ from the clock that accepted the export.
	ClockSkew time.Duration
	// Submitted are exports already accepted, say by an earlier run that
	// was interrupted: they are waited on, and their tasks not exported
	// again. Each one's TaskIDs say which of its tasks to take from it (a
	// subset of what it exported is fine, e.g. those not downloaded yet);
	// each must be among the task ids asked for, in one Submitted export
	// only. Accepted must be set: files modified before it (less ClockSkew)
	// are not the export's.
	Submitted []Export
	// Events, when set, is told how the work goes; see [Event]. It is never
	// called concurrently, and should return quickly.
	Events func(Event)
}

// Defaults of [ExportAndDownloadOptions].
const (
	DefaultExports   = 4
	DefaultDownloads = 8
	DefaultClockSkew = time.Minute
)

// EventKind says what an [Event] reports.
type EventKind int

// The kinds of [Event], in the order a task meets them.
const (
	// EventSubmitted: DRS accepted an export of Event.Export.TaskIDs.
	EventSubmitted EventKind = iota + 1
	// EventStatus: a progress call saw Event.Status for Event.Export.
	EventStatus
	// EventDownloading: Event.Result.File.Name of Event.Result.TaskID is
	// being downloaded.
	EventDownloading
	// EventDone: Event.Result is the task's final result.
	EventDone
)

// String names the kind: "submitted", "status", "downloading", "done".
func (k EventKind) String() string {
	switch k {
	case EventSubmitted:
		return "submitted"
	case EventStatus:
		return "status"
	case EventDownloading:
		return "downloading"
	case EventDone:
		return "done"
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is one step of [Client.ExportAndDownload], for progress displays and
// for keeping a record that lets a later run resume.
type Event struct {
	Kind EventKind
	// Export is the export the event is about (EventSubmitted, EventStatus).
	Export Export
	// Status is the status seen (EventStatus).
	Status Status
	// Result is the task's result so far (EventDownloading) or final
	// (EventDone).
	Result Result
}

// Result is what became of one task.
type Result struct {
	// TaskID is the task.
	TaskID string `json:"task_id"`
	// ExportID is the export that produced its template.
	ExportID string `json:"export_id,omitempty"`
	// File is the template written to disk; zero when Err is set.
	File File `json:"file,omitzero"`
	// Err is why the task has no template, or nil.
	Err error `json:"-"`
}

// MarshalJSON encodes the result with Err, if any, as an "error" string.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result // without this method
	var msg string
	if r.Err != nil {
		msg = r.Err.Error()
	}
	return json.Marshal(struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain(r), msg})
}

// ExportAndDownload exports the templates of the given tasks and downloads
// them into dir (made if missing): the whole flow in one call. It returns a
// result per task, in the order of taskIDs.
//
// The tasks are exported in chunks of the client's maximum per export,
// several at a time; each export is waited on, its tasks' files are found —
// for each task its newest template modified no earlier than the export's
// acceptance (less opts.ClockSkew) — and downloaded, several at a time, each
// written whole or not at all. When an export fails, its tasks are exported
// again in halves, so that one task DRS cannot export does not cost the
// others their templates.
//
// Temporary files that a process of this machine killed while downloading
// left in dir are removed once that process is gone (on Unix). When an
// answer to starting an export is a 5xx, or breaks off, the export is
// submitted again (the retry layer does not: DRS may have acted on it); a
// second export of the same tasks only writes newer files, of which the
// newest is taken. One task's failure does not stop the others: the error returned, if any
// task failed, joins the tasks' errors (errors.Is sees each), and the
// results say which failed. The task ids are checked before any call.
func (c *Client) ExportAndDownload(ctx context.Context, dir string, taskIDs []string, opts *ExportAndDownloadOptions) ([]Result, error) {
	var o ExportAndDownloadOptions
	if opts != nil {
		o = *opts
	}
	if o.Exports < 0 || o.Downloads < 0 || o.ClockSkew < 0 {
		return nil, fmt.Errorf("%w: negative concurrency or clock skew", ErrInvalidInput)
	}
	o.Exports = cmp.Or(o.Exports, DefaultExports)
	o.Downloads = cmp.Or(o.Downloads, DefaultDownloads)
	o.ClockSkew = cmp.Or(o.ClockSkew, DefaultClockSkew)
	wait, err := o.Wait.withDefaults()
	if err != nil {
		return nil, err
	}
	wait.Progress = nil
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
	mu        sync.Mutex     // serialises Events
}

// chunk is a group of tasks exported together; export is set when DRS
// already accepted it.
type chunk struct {
	tasks  []string
	export *Export
}

// plan groups the tasks into chunks: first those of the exports already
// submitted, then the rest in chunks of the client's maximum per export.
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
	for len(rest) > 0 {
		n := min(len(rest), f.c.maxTasks)
		chunks = append(chunks, chunk{tasks: rest[:n:n]})
		rest = rest[n:]
	}
	return chunks, nil
}

// run takes one chunk through export, wait, lookup and download. An export
// of several tasks that DRS refuses or fails is split in two, and each half
// run again.
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
	found, err := f.files(ctx, exp)
	if err != nil {
		return exp, nil, err
	}
	return exp, found, nil
}

// files reads the list and finds the files of exp's tasks. DRS may list a
// file a moment after it reports the export's success: while some are
// missing, it reads the list again, as often as the retry policy allows
// attempts, with its backoff between the reads.
func (f *flow) files(ctx context.Context, exp Export) (map[string]Template, error) {
	b := f.c.retry.backoff()
	for attempt := 1; ; attempt++ {
		var files []Template
		for tpl, err := range f.c.Templates(ctx) {
			if err != nil {
				return nil, err
			}
			files = append(files, tpl)
		}
		found := f.find(exp, files)
		if len(found) == len(exp.TaskIDs) || attempt >= f.c.retry.MaxAttempts {
			return found, nil
		}
		d := b.NextBackOff()
		f.c.log.DebugContext(ctx, "drstemplate: files not listed yet, reading the list again", "export_id", exp.ID,
			"missing", len(exp.TaskIDs)-len(found), "delay", d)
		if err := sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// submitAndWait submits the chunk's export (unless it was submitted before)
// and waits for it.
func (f *flow) submitAndWait(ctx context.Context, ch chunk) (Export, error) {
	var exp Export
	if ch.export != nil {
		exp = *ch.export
	} else {
		var err error
		exp, err = resubmit(ctx, f.c, ch.tasks)
		if err != nil {
			return exp, err
		}
		f.emit(Event{Kind: EventSubmitted, Export: exp})
	}
	w := f.wait
	w.Progress = func(s Status) { f.emit(Event{Kind: EventStatus, Export: exp, Status: s}) }
	_, err := f.c.Wait(ctx, exp.ID, &w)
	return exp, err
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

// resubmit submits an export again after a failure the retry layer leaves
// alone because DRS may have acted on the request — a 5xx answer, or one
// that broke off — as often as the retry policy allows attempts, waiting
// the policy's backoff or the server's Retry-After between them. A second
// export of the same tasks only writes newer files, of which the flow takes
// the newest. Throttling (429) is not repeated here: the retry layer already
// waited it out.
func resubmit(ctx context.Context, c *Client, tasks []string) (Export, error) {
	return backoff.Retry(ctx, func() (Export, error) {
		exp, err := c.Export(ctx, tasks...)
		var apiErr *APIError
		switch {
		case err == nil:
			return exp, nil
		case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
			if apiErr.RetryAfter > 0 {
				return exp, &pause{err: err, after: &backoff.RetryAfterError{Duration: min(apiErr.RetryAfter, c.retry.MaxRetryAfter)}}
			}
			return exp, err
		case errors.As(err, &apiErr) || !transient(err):
			return exp, backoff.Permanent(err)
		}
		return exp, err
	}, backoff.WithBackOff(c.retry.backoff()), backoff.WithMaxTries(uint(c.retry.MaxAttempts)), backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(err error, d time.Duration) {
			c.log.DebugContext(ctx, "drstemplate: trying again", "step", "export", "delay", d, "error", err)
		}))
}

// pause is an error after which the backoff waits what the server asked.
type pause struct {
	err   error
	after *backoff.RetryAfterError
}

func (p *pause) Error() string   { return p.err.Error() }
func (p *pause) Unwrap() []error { return []error{p.err, p.after} }

// tasksError is the error of an ExportAndDownload in which some tasks
// failed: it joins their errors.
type tasksError struct {
	failed, total int
	errs          []error
}

func (e *tasksError) Error() string {
	s := fmt.Sprintf("%d of %d tasks failed: %v", e.failed, e.total, e.errs[0])
	if e.failed > 1 {
		s += fmt.Sprintf(" (and %d more)", e.failed-1)
	}
	return s
}

func (e *tasksError) Unwrap() []error { return e.errs }
