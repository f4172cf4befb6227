package drsfake

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"sync"
	"time"
)

// acceptedStatus is the `status` value of the 202 answer to
// ExportCreationTemplate, "SUCCESS" (Huawei's documented example value). It
// only says the export request was accepted, not that the export is done:
// that is ShowExportProgress's process_status reaching [StatusSuccess] (or
// [StatusFailed]).
const acceptedStatus = "SUCCESS"

// Export states, as ShowExportProgress reports them in process_status.
const (
	// StatusPending: the export waits to start.
	StatusPending = "pending"
	// StatusRunning: the export is being produced.
	StatusRunning = "running"
	// StatusSuccess: the export is done and its files are listed.
	StatusSuccess = "success"
	// StatusFailed: the export failed (it included a failing task); it left
	// no files.
	StatusFailed = "failed"
)

// FileTimeLayout is the time layout in template file names
// ({task id}_{engine}_{yyyyMMddHHmmss}.xlsx), in UTC.
const FileTimeLayout = "20060102150405"

// export is one asynchronous export.
type export struct {
	id        string
	project   string
	tasks     []Task
	created   time.Time
	runningAt time.Time
	doneAt    time.Time
	fail      bool
	seq       uint64
}

// status reports the export's state at now.
func (e *export) status(now time.Time) string {
	switch {
	case now.Before(e.runningAt):
		return StatusPending
	case now.Before(e.doneAt):
		return StatusRunning
	case e.fail:
		return StatusFailed
	default:
		return StatusSuccess
	}
}

// templateFile is one exported .xlsx. Its bytes are built on first download
// and depend only on its name, task and time, so they are the same whoever
// asks first.
type templateFile struct {
	name     string
	modified time.Time
	seq      uint64
	content  func() ([]byte, error) // the file's bytes, built once
}

func newTemplateFile(name string, t Task, modified time.Time, seq uint64) *templateFile {
	return &templateFile{name: name, modified: modified, seq: seq,
		content: sync.OnceValues(func() ([]byte, error) { return buildWorkbook(t, name, modified) })}
}

// newerFirst orders files newest first; files of the same second keep the
// later-written one first.
func newerFirst(a, b *templateFile) int {
	if c := b.modified.Compare(a.modified); c != 0 {
		return c
	}
	return cmp.Compare(b.seq, a.seq)
}

// store is the fake's mutable DRS state: exports and files, per project.
// Exports are settled — their files written, stamped with the export's
// completion time — lazily by whichever request first looks at a time at or
// after that completion, in completion order, so the result does not depend
// on who looks first. Finished exports and files are forgotten retention
// after they finished: no answer shows them from then on, and sweeps on the
// fake's clock free them.
type store struct {
	retention time.Duration
	order     ListOrder
	seed      uint64

	mu        sync.Mutex
	seq       uint64
	exports   map[string]*export // by id
	unsettled []*export
	files     map[string][]*templateFile          // by project, newest first
	byName    map[string]map[string]*templateFile // by project, by name
	nextSweep time.Time
}

func newStore(retention time.Duration, order ListOrder, seed uint64) *store {
	return &store{
		retention: retention,
		order:     order,
		seed:      seed,
		exports:   make(map[string]*export),
		files:     make(map[string][]*templateFile),
		byName:    make(map[string]map[string]*templateFile),
	}
}

// forgotten reports whether something that finished at done is forgotten at
// now.
func (st *store) forgotten(done, now time.Time) bool {
	return !now.Before(done.Add(st.retention))
}

// create records a new export of tasks accepted at now.
func (st *store) create(id, project string, tasks []Task, now time.Time, pending, running time.Duration) *export {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.seq++
	e := &export{
		id: id, project: project, tasks: tasks, created: now,
		runningAt: now.Add(pending), doneAt: now.Add(pending + running), seq: st.seq,
	}
	for _, t := range tasks {
		e.fail = e.fail || t.FailExport
	}
	st.exports[id] = e
	st.unsettled = append(st.unsettled, e)
	return e
}

// settleLocked writes the files of every successful export completed by now
// and, now and then, frees what is forgotten.
func (st *store) settleLocked(now time.Time) {
	var due []*export
	st.unsettled = slices.DeleteFunc(st.unsettled, func(e *export) bool {
		if now.Before(e.doneAt) {
			return false
		}
		due = append(due, e)
		return true
	})
	slices.SortFunc(due, func(a, b *export) int {
		if c := a.doneAt.Compare(b.doneAt); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, e := range due {
		if e.fail {
			continue
		}
		for _, t := range e.tasks {
			st.addFileLocked(e.project, t, e.doneAt)
		}
	}
	if interval := sweepInterval(st.retention); now.Before(st.nextSweep) && st.nextSweep.Sub(now) <= interval {
		return
	}
	st.nextSweep = now.Add(sweepInterval(st.retention))
	for id, e := range st.exports {
		if st.forgotten(e.doneAt, now) {
			delete(st.exports, id)
		}
	}
	for project, list := range st.files {
		keep := st.listedLocked(list, now)
		for _, f := range list[len(keep):] {
			delete(st.byName[project], f.name)
		}
		clear(list[len(keep):]) // let the forgotten files go
		st.files[project] = keep
	}
}

// listedLocked returns the files of a newest-first list that are not
// forgotten at now: a prefix of it.
func (st *store) listedLocked(list []*templateFile, now time.Time) []*templateFile {
	n, _ := slices.BinarySearchFunc(list, now, func(f *templateFile, now time.Time) int {
		if st.forgotten(f.modified, now) {
			return 1
		}
		return -1
	})
	return list[:n]
}

// addFileLocked lists a new file; one of the same name (same task, engine and
// second) is replaced, as an object store overwrites a key.
func (st *store) addFileLocked(project string, t Task, at time.Time) {
	at = at.UTC().Truncate(time.Second)
	name := t.ID + "_" + t.Engine + "_" + at.Format(FileTimeLayout) + ".xlsx"
	st.seq++
	f := newTemplateFile(name, t, at, st.seq)
	names := st.byName[project]
	if names == nil {
		names = make(map[string]*templateFile)
		st.byName[project] = names
	}
	list := st.files[project]
	if old, ok := names[name]; ok {
		list = slices.DeleteFunc(list, func(g *templateFile) bool { return g == old })
	}
	names[name] = f
	i, _ := slices.BinarySearchFunc(list, f, newerFirst)
	st.files[project] = slices.Insert(list, i, f)
}

// progress returns the state of export id of project at now.
func (st *store) progress(project, id string, now time.Time) (string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settleLocked(now)
	e, ok := st.exports[id]
	if !ok || e.project != project || st.forgotten(e.doneAt, now) {
		return "", false
	}
	return e.status(now), true
}

// page returns the total number of files of project at now and the files
// [offset, offset+limit) of the listing, in the store's order.
func (st *store) page(project string, offset, limit int, now time.Time) (int, []*templateFile) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settleLocked(now)
	list := st.ordered(st.listedLocked(st.files[project], now))
	return len(list), slices.Clone(window(list, offset, limit))
}

// ordered returns a newest-first list in the store's order: itself, or a
// reordered copy.
func (st *store) ordered(list []*templateFile) []*templateFile {
	switch st.order {
	case ListOldestFirst:
		list = slices.Clone(list)
		slices.Reverse(list)
	case ListShuffled:
		key := func(f *templateFile) uint64 {
			h := fnv.New64a()
			_, _ = h.Write(binary.LittleEndian.AppendUint64(nil, st.seed))
			_, _ = h.Write([]byte(f.name))
			return h.Sum64()
		}
		list = slices.Clone(list)
		slices.SortFunc(list, func(a, b *templateFile) int { return cmp.Compare(key(a), key(b)) })
	}
	return list
}

// lookup returns the files of project named in names at now, or the first
// name that does not exist.
func (st *store) lookup(project string, names []string, now time.Time) ([]*templateFile, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settleLocked(now)
	files := make([]*templateFile, 0, len(names))
	for _, n := range names {
		f, ok := st.byName[project][n]
		if !ok || st.forgotten(f.modified, now) {
			return nil, n, false
		}
		files = append(files, f)
	}
	return files, "", true
}
