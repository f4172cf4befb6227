package manifest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// JournalName is the journal's name in the output directory.
const JournalName = "drstemplate-manifest.journal"

// The kinds of change a journal line records, one per kind of event that
// changes the record (Apply).
const (
	changeSubmitted   = "submitted"   // DRS accepted an export
	changeDownloading = "downloading" // a task's download started
	changeDone        = "done"        // a task's file was written
	changeFailed      = "failed"      // a task's attempt failed
)

// change is what one event changes in the record: a line of the journal,
// and what Apply applies. It holds only what a resumed run needs.
type change struct {
	Event string `json:"event"` // one of the change constants
	// Export is the export accepted (submitted).
	Export *drstemplate.Export `json:"export,omitempty"`
	// Task is the task changed (all but submitted), ExportID its export.
	Task     string `json:"task,omitempty"`
	ExportID string `json:"export_id,omitempty"`
	// Name is the name of the file being downloaded (downloading).
	Name string `json:"name,omitempty"`
	// File is the file written (done).
	File *drstemplate.File `json:"file,omitempty"`
	// Error is why the attempt failed, and Lost whether the export can
	// no longer give the task's file (failed).
	Error string `json:"error,omitempty"`
	Lost  bool   `json:"export_lost,omitempty"`
}

// changeOf is the change e makes to the record, if it makes one.
func changeOf(e drstemplate.Event) (change, bool) {
	r := e.Result
	switch e.Kind {
	case drstemplate.EventSubmitted:
		exp := e.Export
		return change{Event: changeSubmitted, Export: &exp}, true
	case drstemplate.EventDownloading:
		return change{Event: changeDownloading, Task: r.TaskID, ExportID: r.ExportID, Name: r.File.Name}, true
	case drstemplate.EventDone:
		if r.Err == nil {
			f := r.File
			return change{Event: changeDone, Task: r.TaskID, ExportID: r.ExportID, File: &f}, true
		}
		return change{Event: changeFailed, Task: r.TaskID, ExportID: r.ExportID, Error: r.Err.Error(), Lost: dead(r.Err)}, true
	}
	return change{}, false
}

// check says why c cannot be applied to a manifest of tasks and exports
// (by id), or nil: what a line read from a journal must pass.
func (c *change) check(tasks, exports map[string]bool) error {
	if c.Event == changeSubmitted {
		switch {
		case c.Export == nil || !recordable(c.Export.ID) || len(c.Export.TaskIDs) == 0:
			return errors.New("an accepted export without an id or tasks")
		case c.Task != "" || c.ExportID != "" || c.Name != "" || c.File != nil || c.Error != "" || c.Lost:
			return errors.New("an accepted export with fields of another event")
		}
		for _, t := range c.Export.TaskIDs {
			if !tasks[t] {
				return fmt.Errorf("export %q covers task %q, not in the manifest's task list", clipped(c.Export.ID), clipped(t))
			}
		}
		return nil
	}
	switch {
	case c.Export != nil:
		return fmt.Errorf("a %q event with an export", clipped(c.Event))
	case !tasks[c.Task]:
		return fmt.Errorf("task %q, not in the manifest's task list", clipped(c.Task))
	case c.ExportID != "" && !exports[c.ExportID]:
		return fmt.Errorf("task %s names export %q, not among the exports", c.Task, clipped(c.ExportID))
	}
	var ok bool
	switch c.Event {
	case changeDownloading:
		ok = recordable(c.Name) && c.File == nil && c.Error == "" && !c.Lost
	case changeDone:
		ok = c.File != nil && validFile(*c.File) && c.Name == "" && c.Error == "" && !c.Lost
	case changeFailed:
		ok = c.Name == "" && c.File == nil
	default:
		return fmt.Errorf("unknown event %q", clipped(c.Event))
	}
	if !ok {
		return fmt.Errorf("a %s event of task %s with the wrong fields", c.Event, c.Task)
	}
	return nil
}

// apply makes the change c to m. Applying a run's changes again, in order,
// to a manifest that has them already changes nothing: each sets fields to
// values of its own, and an export already recorded is not added twice.
func (m *Manifest) apply(c change) {
	switch c.Event {
	case changeSubmitted:
		e := c.Export
		if !m.hasExport(e.ID) {
			m.Exports = append(m.Exports, *e)
		}
		for _, t := range e.TaskIDs {
			m.State[t] = &Task{ExportID: e.ID}
		}
	case changeDownloading:
		st := m.State[c.Task]
		if st == nil {
			st = &Task{ExportID: c.ExportID}
			m.State[c.Task] = st
		}
		st.Downloading = c.Name
	case changeDone:
		f := *c.File
		if st := m.State[c.Task]; st != nil {
			*st = Task{ExportID: c.ExportID, File: &f}
		} else {
			m.State[c.Task] = &Task{ExportID: c.ExportID, File: &f}
		}
	case changeFailed:
		st := m.State[c.Task]
		if st == nil {
			st = &Task{}
			m.State[c.Task] = st
		}
		st.File, st.Downloading, st.Error = nil, "", c.Error
		if c.Lost {
			st.ExportID = ""
		}
	}
}

// hasExport reports whether m records the export id. Exports are few (one
// per chunk of tasks), so a scan does.
func (m *Manifest) hasExport(id string) bool {
	for i := range m.Exports {
		if m.Exports[i].ID == id {
			return true
		}
	}
	return false
}

// journalHeader is the journal's first line: it names the manifest the
// journal continues by the SHA-256 of its bytes.
type journalHeader struct {
	Version  int    `json:"version"`
	Manifest string `json:"manifest_sha256"`
}

// Journal records the changes made to a manifest since it was last
// written whole, one line each, appended to the file JournalName beside it:
// recording a change costs the same however large the manifest grows. It
// is not safe for concurrent use (ExportAndDownload's events never come
// concurrently).
type Journal struct {
	m    *Manifest
	dir  string
	f    syncFile
	size int64 // bytes in f
	max  int64 // the bound on size: MaxSize, which Read keeps
	// unsynced counts the lines written since f was last synced, at
	// synced (on now's clock: time.Now, or a test's).
	unsynced int
	synced   time.Time
	now      func() time.Time
	// err is the error of a failed write or sync, returned from then on.
	err error
}

// syncFile is the journal's file as the journal uses it: an *os.File, or
// in tests one that tells when it is synced.
type syncFile interface {
	io.Writer
	Sync() error
	Close() error
}

// StartJournal writes m whole into dir (see Write) and starts its journal,
// empty, for the changes to come: record them with Append. Close it.
func (m *Manifest) StartJournal(dir string, now time.Time) (*Journal, error) {
	j := &Journal{m: m, dir: dir, max: MaxSize, now: time.Now}
	if err := j.start(now); err != nil {
		return nil, err
	}
	return j, nil
}

// start writes the manifest whole, which removes its journal, and begins
// a new one that names it.
func (j *Journal) start(now time.Time) error {
	sum, err := j.m.write(j.dir, now)
	if err != nil {
		return err
	}
	d, err := localfile.OpenDir(j.dir)
	if err != nil {
		return fmt.Errorf("starting the journal: %w", err)
	}
	defer func() { _ = d.Close() }()
	f, err := d.CreateAppend(JournalName, 0o644)
	if err != nil {
		return fmt.Errorf("starting the journal: %w", err)
	}
	header, _ := json.Marshal(journalHeader{Version: Version, Manifest: sum})
	j.f, j.size, j.unsynced, j.synced = f, 0, 0, j.now()
	return j.write(append(header, '\n'), false)
}

// Append records in the journal the change e made to the manifest: call
// it with each event Apply took (reported true), after Apply. The line is
// appended with one write, so a kill -9 loses nothing that Append wrote
// (the kernel has it) and cuts at most a line being written short, which
// Read ignores.
//
// What a crash of the machine may lose is what was not synced. A line of
// an accepted export is synced before Append returns: it is what spares a
// resumed run submitting the export again (and waiting on it again). The
// others are synced in batches — when syncEvery lines or syncAfter have
// passed since the last sync, and on Close — so a crash loses at most the
// lines of the last second or so: losing
// the last of them never makes a resumed run take a wrong file — a task is
// skipped only for a file whose recorded size and SHA-256 match — but costs
// work done again: a task's file recorded is verified again from the line
// of its download, a failure is met again, and a task whose download line
// is lost while its file reached the disk is downloaded again into a file
// that is there already, which fails "already exists" until --overwrite.
// Syncing every download's line would close that last gap at one more
// fsync per task: about 0.3 ms of CPU a task on the machine measured, a
// quarter of the library's whole cost per task.
//
// After a failed write or sync, the journal records nothing more (the
// error again): a line cut short by it must stay the last one.
//
// At MaxSize the manifest is written whole instead and a new journal begun.
func (j *Journal) Append(e drstemplate.Event) error {
	c, ok := changeOf(e)
	if !ok {
		return nil
	}
	line, err := marshalLine(c)
	if err != nil {
		return fmt.Errorf("recording in the journal: %w", err)
	}
	if err := j.usable(); err != nil {
		return err
	}
	if j.size+int64(len(line)) > j.max {
		if err := j.Close(); err != nil {
			return err
		}
		return j.start(time.Now())
	}
	return j.write(line, c.Event == changeSubmitted)
}

// syncEvery is how many lines at most the journal holds unsynced, and
// syncAfter how long at most a line stays unsynced when another follows.
const (
	syncEvery = 64
	syncAfter = time.Second
)

// marshalLine is c's line in the journal.
func marshalLine(c change) ([]byte, error) {
	b, err := json.Marshal(c)
	return append(b, '\n'), err
}

// write appends b to the journal, and syncs it if asked, if syncEvery
// lines are unsynced, or if the last sync is syncAfter old.
func (j *Journal) write(b []byte, sync bool) error {
	if err := j.usable(); err != nil {
		return err
	}
	n, err := j.f.Write(b)
	j.size += int64(n)
	if j.unsynced++; err == nil && (sync || j.unsynced >= syncEvery || j.now().Sub(j.synced) >= syncAfter) {
		err = j.f.Sync()
		j.unsynced, j.synced = 0, j.now()
	}
	if err != nil {
		j.err = fmt.Errorf("recording in %s: %w", filepath.Join(j.dir, JournalName), err)
	}
	return j.err
}

// usable says why nothing can be appended to the journal, or nil: a write
// or sync failed, or it is closed. Checked before the bound too, so that a
// journal at its bound is not begun again after either.
func (j *Journal) usable() error {
	switch {
	case j.err != nil:
		return j.err
	case j.f == nil:
		return errors.New("recording in the journal: it is closed")
	}
	return nil
}

// Close syncs the journal and closes it. Write the manifest whole then,
// which folds the journal in and removes it.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	f := j.f
	j.f = nil
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", filepath.Join(j.dir, JournalName), err)
	}
	return nil
}

// HasJournal reports whether dir holds a journal: the record Read gives
// there is the manifest with the journal's changes, and writing it whole
// folds them into the file and removes the journal.
func HasJournal(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, JournalName))
	return err == nil
}

// replay applies to m the journal in dir, if there is one that continues
// the manifest whose SHA-256 is sum.
func (m *Manifest) replay(dir, sum string) error {
	path := filepath.Join(dir, JournalName)
	f, _, err := localfile.OpenRegular(path, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := m.applyJournal(b, sum); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// applyJournal applies to m the changes of the journal b, if it continues
// the manifest whose SHA-256 is sum; one that names another manifest is
// stale — the manifest was written whole since, its changes in — and is
// left out. Every error matches ErrDamaged.
//
// The last line is applied only if it is whole (ends in a newline): a kill
// or a crash mid-append leaves it cut short, and what it recorded is done
// again. Any other line that is not a change this manifest can take is
// refused: lines are appended, never rewritten, so one damaged before the
// end means the file was, and what follows it cannot be trusted.
func (m *Manifest) applyJournal(b []byte, sum string) error {
	if len(b) > MaxSize {
		return fmt.Errorf("%w: the journal is larger than %d bytes", ErrDamaged, MaxSize)
	}
	first, rest, whole := bytes.Cut(b, []byte("\n"))
	if !whole {
		return nil // empty, or its header cut short: nothing recorded yet
	}
	var h journalHeader
	if err := json.Unmarshal(first, &h); err != nil || h.Version != Version || !validSum(h.Manifest) {
		return fmt.Errorf("%w: line 1 is not the header of a version %d journal%s", ErrDamaged, Version, withoutJournal)
	}
	if h.Manifest != sum {
		return nil
	}
	tasks := make(map[string]bool, len(m.Tasks))
	for _, t := range m.Tasks {
		tasks[t] = true
	}
	exports := make(map[string]bool, len(m.Exports))
	for _, e := range m.Exports {
		exports[e.ID] = true
	}
	for n := 2; ; n++ {
		var line []byte
		if line, rest, whole = bytes.Cut(rest, []byte("\n")); !whole {
			return nil
		}
		var c change
		err := json.Unmarshal(line, &c)
		if err == nil {
			err = c.check(tasks, exports)
		}
		if err != nil {
			return fmt.Errorf("%w: journal line %d: %w%s", ErrDamaged, n, err, withoutJournal)
		}
		m.apply(c)
		if c.Export != nil {
			exports[c.Export.ID] = true
		}
	}
}

// withoutJournal ends the error of a damaged journal: what removing it
// does.
const withoutJournal = "; without the journal, the record is the manifest as last written whole"

// validSum reports whether s is a hex SHA-256 as this package writes it.
func validSum(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && hex.EncodeToString(b) == s
}
