package drstemplate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// ExportAndDownloadOptions say how [Client.ExportAndDownload] works. The
// zero value (or nil) means the defaults.
type ExportAndDownloadOptions struct {
	// Wait paces the polling of each export (see [WaitOptions]; its
	// Progress is not called: Events reports statuses).
	Wait *WaitOptions
	// Exports is how many exports run at once (default 10). The tasks are
	// spread over at least as many exports (of 100 tasks or more each) and
	// at most as many as the client's maximum per export requires; so a
	// run of up to Exports times that maximum submits every export at
	// once, and waits through one export rather than several in turn.
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
	// are not the export's; the wait for it is paced by the time since
	// (less ClockSkew), as if it had been waited on from then.
	Submitted []Export
	// Events, when set, is told how the work goes; see [Event]. It is never
	// called concurrently, and should return quickly.
	Events func(Event)
}

// The defaults of [ExportAndDownloadOptions], documented on its fields.
const (
	defaultExports   = 10
	defaultDownloads = 8
	defaultClockSkew = time.Minute
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
