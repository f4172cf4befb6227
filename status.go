package drstemplate

import "strings"

// Status is an export's process_status as ShowExportProgress reports it,
// e.g. "pending", "running", "success" or "failed". Huawei does not document
// the full set: the methods compare case-insensitively, count "success",
// "succeeded" and "completed" as success and "failed" and "error" as
// failure, and anything else as still in progress.
type Status string

// Succeeded reports whether the export is done and its files are listed.
func (s Status) Succeeded() bool {
	switch strings.ToLower(string(s)) {
	case "success", "succeeded", "completed":
		return true
	}
	return false
}

// Failed reports whether the export ended without its files.
func (s Status) Failed() bool {
	switch strings.ToLower(string(s)) {
	case "failed", "error":
		return true
	}
	return false
}

// Done reports whether the export has ended, either way.
func (s Status) Done() bool { return s.Succeeded() || s.Failed() }

// Known reports whether s is one of the documented values ("pending",
// "running", or one of the ends). An unknown value means the export is
// still in progress; a wait keeps polling and reports it.
func (s Status) Known() bool {
	switch strings.ToLower(string(s)) {
	case "pending", "running":
		return true
	}
	return s.Done()
}
