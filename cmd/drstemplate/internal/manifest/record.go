package manifest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// Apply records an event of drstemplate.Client.ExportAndDownload and
// reports whether m changed (and should be recorded: see Journal.Append).
//
// A task that fails keeps its export when waiting on it again may still
// give its file (the run was interrupted, timed out, or a call failed for a
// while); it loses it when the export is of no more use: DRS failed it,
// no longer knows it, or ended it without the task's file.
func (m *Manifest) Apply(e drstemplate.Event) bool {
	c, ok := changeOf(e)
	if ok {
		m.apply(c)
	}
	return ok
}

// dead reports whether err means the task's export cannot give its file.
func dead(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return errors.Is(err, drstemplate.ErrExportFailed) || errors.Is(err, drstemplate.ErrNotFound) ||
		errors.Is(err, drstemplate.ErrNoTemplate) || errors.Is(err, drstemplate.ErrNotTemplate)
}

// Plan is what a resumed run does.
type Plan struct {
	// Done are the tasks whose files are in the directory and verified, in
	// the task list's order; their results need no call.
	Done []drstemplate.Result
	// ToDo are the other tasks, in the task list's order: pass them to
	// ExportAndDownload.
	ToDo []string
	// Submitted are the exports to wait on rather than submit again, each
	// narrowed to its tasks in ToDo: pass them as
	// ExportAndDownloadOptions.Submitted.
	Submitted []drstemplate.Export
	// Unverified names the tasks whose recorded file is missing or differs,
	// with why, for messages.
	Unverified map[string]string
	// Recovered are the tasks in Done whose download had ended when the run
	// stopped, before it was recorded; Plan recorded their files in m.
	Recovered []string
}

// Plan works out what is left to do in dir for tasks (of m's task list): a
// task whose recorded file is there with its size and SHA-256 is done; a
// task whose export is recorded and still of use is waited on; the others
// are exported afresh.
func (m *Manifest) Plan(dir string, tasks []string) (Plan, error) {
	p := Plan{Unverified: map[string]string{}}
	byExport := map[string][]string{}
	for _, t := range tasks {
		st := m.State[t]
		if st != nil && st.File != nil {
			f, err := Verify(dir, *st.File)
			if err == nil {
				p.Done = append(p.Done, drstemplate.Result{TaskID: t, ExportID: st.ExportID, File: f})
				continue
			}
			if !errors.Is(err, errMismatch) && !errors.Is(err, os.ErrNotExist) {
				return Plan{}, err
			}
			p.Unverified[t] = err.Error()
		}
		if st != nil && st.File == nil && st.Downloading != "" {
			f, err := recoverDownload(dir, t, st.Downloading)
			switch {
			case err == nil:
				st.File, st.Downloading, st.Error = &f, "", ""
				p.Done = append(p.Done, drstemplate.Result{TaskID: t, ExportID: st.ExportID, File: f})
				p.Recovered = append(p.Recovered, t)
				continue
			case !errors.Is(err, os.ErrNotExist) && !errors.Is(err, errMismatch):
				return Plan{}, err
			}
		}
		p.ToDo = append(p.ToDo, t)
		if st != nil && st.ExportID != "" {
			byExport[st.ExportID] = append(byExport[st.ExportID], t)
		}
	}
	for _, e := range m.Exports {
		if tasks := byExport[e.ID]; len(tasks) > 0 {
			e.TaskIDs = tasks
			p.Submitted = append(p.Submitted, e)
		}
	}
	return p, nil
}

// recoverDownload takes the file a download of name wrote into dir for
// task, if it is there (at the name's safe local form, where the download
// writes) and is that task's template: a name of the task's templates
// ({task id}_{engine}_{time}.xlsx) and a whole workbook. A tampered
// manifest cannot make another task's file, or any zip, the task's.
func recoverDownload(dir, task, name string) (drstemplate.File, error) {
	if !strings.HasPrefix(name, task+"_") {
		return drstemplate.File{Name: name}, fmt.Errorf("file name %q is not of task %s's templates: %w", clipped(name), task, errMismatch)
	}
	return measure(dir, drstemplate.File{Name: name}, true)
}

// Verify checks that the recorded file f is in dir, at its name's safe
// local form, with its recorded size and SHA-256 (both: a file of the same
// size with other bytes is not the one recorded), and returns the record
// with that Path. A file that is missing gives an error matching
// fs.ErrNotExist.
func Verify(dir string, f drstemplate.File) (drstemplate.File, error) {
	found, err := measure(dir, f, false)
	if err != nil {
		return found, err
	}
	if found.Size != f.Size || found.SHA256 != f.SHA256 {
		return found, fmt.Errorf("%s %w (%d bytes, SHA-256 %.12s…; recorded %d bytes, %.12s…)",
			found.Path, errMismatch, found.Size, found.SHA256, f.Size, f.SHA256)
	}
	return found, nil
}

// errMismatch: a file is there but is not the one recorded.
var errMismatch = errors.New("differs from the recorded file")

// LocalPath returns where the recorded file f is in dir: its name's safe
// local form, the one rule of the client's downloads. A name that has none
// gives "".
func LocalPath(dir string, f drstemplate.File) string {
	local, err := localfile.SafeName(f.Name)
	if err != nil {
		return ""
	}
	return filepath.Join(dir, local)
}

// measure returns f with the Path, Size and SHA-256 of the file at its
// name's safe local form in dir. What is not a regular file there (a
// symbolic link, a directory, a FIFO) gives an error matching errMismatch,
// as does a name without a safe form and, with workbook, a file that is not
// a whole workbook.
func measure(dir string, f drstemplate.File, workbook bool) (drstemplate.File, error) {
	if f.Path = LocalPath(dir, f); f.Path == "" {
		return f, fmt.Errorf("file name %q: %w", clipped(f.Name), errMismatch)
	}
	file, info, err := localfile.OpenRegular(f.Path, false)
	switch {
	case errors.Is(err, localfile.ErrNotRegular):
		return f, fmt.Errorf("%s %w (%w)", f.Path, errMismatch, err)
	case err != nil:
		return f, err
	}
	defer func() { _ = file.Close() }()
	if workbook && localfile.CheckWorkbook(file, info.Size()) != nil {
		return f, fmt.Errorf("%s %w (not a workbook)", f.Path, errMismatch)
	}
	h := sha256.New()
	if f.Size, err = io.Copy(h, file); err != nil {
		return f, fmt.Errorf("reading %s: %w", f.Path, err)
	}
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	return f, nil
}
