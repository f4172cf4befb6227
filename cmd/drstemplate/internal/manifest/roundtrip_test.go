package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// roundTrip records an export of id whose task's file is name through
// Apply, as a run does — the download started, then done when the name
// has a safe local form (a download writes nowhere else) — writes the
// manifest after each step and reads it back: what the writer writes, the
// reader reads, and writing what was read gives the same bytes.
func roundTrip(t *testing.T, id, name string) {
	if id == "" || !utf8.ValidString(id) || !utf8.ValidString(name) {
		// Decoded from DRS's JSON answers, they are valid UTF-8; the
		// client refuses an accepted export without an id.
		return
	}
	dir := t.TempDir()
	m := New(endpoint, project, []string{"t1"})
	events := []drstemplate.Event{
		{Kind: drstemplate.EventSubmitted, Export: drstemplate.Export{ID: id, Accepted: accepted, TaskIDs: []string{"t1"}}},
		{Kind: drstemplate.EventDownloading, Result: drstemplate.Result{TaskID: "t1", ExportID: id, File: drstemplate.File{Name: name}}},
	}
	if local, err := localfile.SafeName(name); err == nil {
		sum := sha256.Sum256([]byte(name))
		events = append(events, drstemplate.Event{Kind: drstemplate.EventDone, Result: drstemplate.Result{TaskID: "t1", ExportID: id,
			File: drstemplate.File{Name: name, Path: filepath.Join(dir, local), Size: 1, SHA256: hex.EncodeToString(sum[:])}}})
	}
	for _, e := range events {
		if !m.Apply(e) {
			continue
		}
		err := m.Write(dir, accepted)
		if errors.Is(err, ErrTooLarge) {
			return // written by neither
		}
		if err != nil {
			t.Fatal(err)
		}
		written, err := os.ReadFile(Path(dir))
		if err != nil {
			t.Fatal(err)
		}
		back, err := Read(dir)
		if err != nil {
			t.Fatalf("the reader refuses what the writer wrote (event %v): %v\n%.2000s", e.Kind, err, written)
		}
		if err := back.Write(dir, accepted); err != nil {
			t.Fatal(err)
		}
		if again, _ := os.ReadFile(Path(dir)); !bytes.Equal(written, again) {
			t.Fatalf("written again, the manifest differs:\n%.2000s\n%.2000s", written, again)
		}
	}
}

// TestRoundTripNames records export ids and file names DRS may send that
// an earlier reader refused although its writer wrote them.
func TestRoundTripNames(t *testing.T) {
	tests := []struct{ name, id, file string }{
		{"plain", "e1", "t1_mysql_20260301100001.xlsx"},
		{"a space in the export id", "job 1", "t1_mysql_20260301100001.xlsx"},
		{"an export id over 256 bytes", strings.Repeat("e", 300), "t1_mysql_20260301100001.xlsx"},
		{"a space in the engine's name", "e1", "t1_my sql_20260301100001.xlsx"},
		{"a control character", "e1", "t1_\x1b[31m_20260301100001.xlsx"},
		{"a format character", "e1", "t1_\u202emysql_20260301100001.xlsx"},
		{"a file name over 1024 bytes", "e1", strings.Repeat("n", 1100) + ".xlsx"},
		{"replacement characters", "e\ufffd1", "t1_\ufffd_20260301100001.xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { roundTrip(t, tt.id, tt.file) })
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("e1", "t1_mysql_20260301100001.xlsx")
	f.Add("job 1", "t1_my sql_\x00.xlsx")
	f.Add(strings.Repeat("e", 300), "\u202e.xlsx")
	f.Add("\xff", "..")
	f.Fuzz(roundTrip)
}
