// Package manifest keeps the record of the exports made into a directory,
// which lets `drstemplate export --resume` finish an interrupted one: the
// task list, the exports DRS accepted, and for each task its latest export
// and the template file written (name, size, SHA-256). A later export into
// the same directory adds its tasks to the record (see [Manifest.Add]).
//
// The record is two files in the output directory. The manifest, FileName,
// is JSON (see docs/cli-json.md for its shape), written whole and
// atomically (a temporary file in the same directory, synced, then renamed
// over the old one): a crash or kill -9 leaves the old manifest or the new
// one, never a mix. A run writes it when it first has something to record
// and when it ends. In between, each change is appended to the journal,
// JournalName, one JSON line per event (see [Journal]), so that recording a
// task costs the same at the thousandth task as at the first; rewriting
// the whole manifest on every event made a run's cost grow with the square
// of its tasks. [Read] gives the manifest with its journal applied.
//
// Why a kill -9 or a crash at any point leaves a record the next run
// reads correctly:
//
//   - The journal's first line names the manifest it continues by the
//     SHA-256 of its bytes. Writing the manifest whole (which folds the
//     journal in) makes the old journal stale — it names other bytes — before
//     it is removed; a journal left by a crash between the two, or beside a
//     manifest someone replaced or removed, is never applied. Applying a
//     run's lines twice would be harmless besides (see apply).
//   - A line is appended with one write: a kill cuts at most the last line
//     short. A last line without its newline is ignored; a damaged line
//     before it makes the record damaged, as a damaged manifest is.
//   - A kill -9 loses nothing written; a crash of the machine loses what
//     was not synced. The lines of accepted exports are synced at once (one
//     spares an export submitted again), the rest in batches: losing them
//     costs a resumed run work done again (or, for a download whose file
//     reached the disk, an "already exists" until --overwrite), never a
//     wrong file taken as done (see [Journal.Append]).
//   - A download's file is written whole (a temporary file renamed into
//     place), so a file found under the name its "downloading" line
//     recorded is complete, and the task's ([Manifest.Plan]).
package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/localfile"
	"github.com/drs-tools/drstemplate/internal/taskid"
)

// FileName is the manifest's name in the output directory.
const FileName = "drstemplate-manifest.json"

// Version is the manifest format this package writes and reads.
const Version = 1

// MaxSize bounds the manifest file, written and read, in bytes.
const MaxSize = 64 << 20

// Errors, for errors.Is.
var (
	// ErrDamaged: the file is not a manifest this program can trust (not
	// JSON, another version, inconsistent contents, over MaxSize).
	ErrDamaged = errors.New("the manifest is damaged")
	// ErrOtherService: the manifest records exports at another endpoint or
	// for another project.
	ErrOtherService = errors.New("the manifest is of another endpoint or project")
	// ErrTooLarge: Write was given a manifest larger than MaxSize, which
	// Read would refuse; nothing is written.
	ErrTooLarge = errors.New("the manifest is too large")
)

// Manifest is the record of the exports made into one directory, for one
// project at one endpoint.
type Manifest struct {
	// Version is the format version, [Version].
	Version int `json:"version"`
	// Endpoint is the DRS endpoint the exports were made at.
	Endpoint string `json:"endpoint"`
	// ProjectID is the project the exports were made in.
	ProjectID string `json:"project_id"`
	// Updated is when the manifest was last written.
	Updated time.Time `json:"updated"`
	// Tasks are the task ids asked for, in their order.
	Tasks []string `json:"tasks"`
	// Exports are the exports DRS accepted, oldest first.
	Exports []drstemplate.Export `json:"exports"`
	// State is what became of each task so far, by task id; a task without
	// an entry has not been exported yet.
	State map[string]*Task `json:"state"`
}

// Task is what became of one task.
type Task struct {
	// ExportID is the export that covers the task: the one still to wait on
	// when File is nil, the one that produced File otherwise. It is cleared
	// when the export cannot give the task's file any more (it failed, DRS
	// no longer knows it, or it ended without the task's file).
	ExportID string `json:"export_id,omitempty"`
	// File is the template written, when it was.
	File *drstemplate.File `json:"file,omitempty"`
	// Downloading is the name of the file being downloaded, recorded before
	// the download starts and cleared when it ends. Downloads are written
	// whole or not at all (a temporary file renamed into place), so a file
	// of this name in the directory after a crash is complete: Plan takes
	// it as the task's.
	Downloading string `json:"downloading,omitempty"`
	// Error is why the task's last attempt failed, if it did.
	Error string `json:"error,omitempty"`
}

// New returns the manifest of a new run over tasks.
func New(endpoint, projectID string, tasks []string) *Manifest {
	return &Manifest{
		Version: Version, Endpoint: endpoint, ProjectID: projectID,
		Tasks: slices.Clone(tasks), Exports: []drstemplate.Export{}, State: map[string]*Task{},
	}
}

// Path returns the manifest's path in dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// Read reads the record in dir: the manifest, with the changes of its
// journal applied. A missing manifest gives an error matching
// fs.ErrNotExist (a journal without one is not read); one that cannot be
// trusted, or a journal that cannot, ErrDamaged with the reason; one that
// is not a regular file (a FIFO: opening it does not block),
// localfile.ErrNotRegular. Both files are bounded by MaxSize.
func Read(dir string) (*Manifest, error) {
	f, _, err := localfile.OpenRegular(Path(dir), false)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", Path(dir), err)
	}
	m, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Path(dir), err)
	}
	sum := sha256.Sum256(b)
	if err := m.replay(dir, hex.EncodeToString(sum[:])); err != nil {
		return nil, err
	}
	return m, nil
}

// Parse decodes and checks a manifest. Every error matches ErrDamaged.
func Parse(b []byte) (*Manifest, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrDamaged, MaxSize)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	if m.State == nil {
		m.State = map[string]*Task{}
	}
	if m.Exports == nil {
		m.Exports = []drstemplate.Export{}
	}
	return &m, nil
}

// check says what makes m inconsistent, or nil.
func (m *Manifest) check() error {
	if m.Version != Version {
		return fmt.Errorf("format version %d, want %d", m.Version, Version)
	}
	if len(m.Tasks) == 0 {
		return errors.New("no tasks")
	}
	tasks := make(map[string]bool, len(m.Tasks))
	if f := taskid.Check(m.Tasks); f != nil {
		return fmt.Errorf("task id %q is invalid or repeated", clipped(m.Tasks[f.Index]))
	}
	for _, t := range m.Tasks {
		tasks[t] = true
	}
	exports := make(map[string]bool, len(m.Exports))
	for _, e := range m.Exports {
		if !recordable(e.ID) || exports[e.ID] || len(e.TaskIDs) == 0 {
			return fmt.Errorf("export %q is invalid or repeated", clipped(e.ID))
		}
		exports[e.ID] = true
		for _, t := range e.TaskIDs {
			if !tasks[t] {
				return fmt.Errorf("export %q covers task %q, not in the task list", clipped(e.ID), clipped(t))
			}
		}
	}
	for id, st := range m.State {
		switch {
		case !tasks[id]:
			return fmt.Errorf("state of task %q, not in the task list", clipped(id))
		case st == nil:
			return fmt.Errorf("task %s has a null state", id)
		case st.ExportID != "" && !exports[st.ExportID]:
			return fmt.Errorf("task %s names export %q, not among the exports", id, clipped(st.ExportID))
		case st.File != nil && !validFile(*st.File):
			return fmt.Errorf("task %s has an invalid file record", id)
		case st.Downloading != "" && !recordable(st.Downloading):
			return fmt.Errorf("task %s is downloading an invalid file name", id)
		}
	}
	return nil
}

// validFile reports whether f is a record Verify can check: a plain file
// name that has a safe local form, a path that ends in it (where the
// download wrote), a size, a SHA-256.
func validFile(f drstemplate.File) bool {
	local, err := localfile.SafeName(f.Name)
	if err != nil || !recordable(f.Name) || filepath.Base(f.Path) != local || f.Size < 0 {
		return false
	}
	return validSum(f.SHA256)
}

// recordable is the one rule for a string the manifest records as DRS
// sent it — an export id, a file name — for writer and reader alike: not
// empty. DRS may send any characters (spaces, control and format
// characters, any length); the writer records them as they came, JSON
// escaping what needs it, and they are compared, never used as paths (a
// file's local name is its safe form, localfile.SafeName) and escaped in
// messages (%q). Their length is bounded by the manifest's, MaxSize, which
// Write keeps too.
func recordable(s string) bool { return s != "" }

// clipped cuts s for a message.
func clipped(s string) string { return clip.String(s, 64) }

// SameService checks that m records exports made at endpoint for
// projectID: a manifest holds the tasks of one project of one service. The
// error matches ErrOtherService and names both.
func (m *Manifest) SameService(endpoint, projectID string) error {
	if m.Endpoint != endpoint || m.ProjectID != projectID {
		return fmt.Errorf("%w: it records exports at %s, project %s; this run is for %s, project %s",
			ErrOtherService, m.Endpoint, m.ProjectID, endpoint, projectID)
	}
	return nil
}

// Add appends to the task list the tasks not already in it, in their order,
// and returns them: a manifest is the record of its directory, so a new
// export there joins it rather than replacing it.
func (m *Manifest) Add(tasks []string) []string {
	have := make(map[string]bool, len(m.Tasks))
	for _, t := range m.Tasks {
		have[t] = true
	}
	var added []string
	for _, t := range tasks {
		if !have[t] {
			have[t] = true
			added = append(added, t)
		}
	}
	m.Tasks = append(m.Tasks, added...)
	return added
}

// Verified counts the tasks among tasks whose recorded file is in dir with
// its recorded size and SHA-256.
func (m *Manifest) Verified(dir string, tasks []string) int {
	n := 0
	for _, t := range tasks {
		if st := m.State[t]; st != nil && st.File != nil {
			if _, err := Verify(dir, *st.File); err == nil {
				n++
			}
		}
	}
	return n
}

// RemoveStale removes the temporary files that a write into dir cut short
// by a crash or kill -9 left there (a manifest's or a download's), once the
// process that wrote them is gone.
func RemoveStale(dir string) error {
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return err
	}
	d.Sweep()
	return d.Close()
}

// Write writes m to dir whole (see localfile.Dir.Write): a crash leaves
// the old manifest or the new one, never a mix. The journal's changes are
// in m (Read applied them), so it removes the journal.
func (m *Manifest) Write(dir string, now time.Time) error {
	_, err := m.write(dir, now)
	return err
}

// write is Write; it returns the SHA-256 of the manifest written.
func (m *Manifest) write(dir string, now time.Time) (string, error) {
	m.Updated = now.UTC()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	b = append(b, '\n')
	if len(b) > MaxSize {
		return "", fmt.Errorf("writing the manifest: %w: %d bytes, more than %d", ErrTooLarge, len(b), MaxSize)
	}
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return "", fmt.Errorf("writing the manifest: %w", err)
	}
	defer func() { _ = d.Close() }()
	w, err := d.Write(FileName, localfile.WriteOptions{Overwrite: true, Mode: 0o644}, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("writing the manifest: %w", err)
	}
	// The journal names the manifest it continued, which is gone: it is
	// stale now, even if a crash keeps it from being removed.
	if err := d.Remove(JournalName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("removing the journal: %w", err)
	}
	return w.SHA256, nil
}
