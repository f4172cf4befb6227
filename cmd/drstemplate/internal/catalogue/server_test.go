package catalogue

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostile is a DRS of the worst kind that still follows the happy path's
// shape: it accepts any export, reports it done, lists a file per task
// (named by name), and answers the calls as its fields say. Zero fields
// answer as DRS would.
type hostile struct {
	// name makes the listed file name of a task.
	name func(task string) string
	// download, when set, answers DownloadCreateTemplate.
	download http.HandlerFunc
	// progress, when set, answers ShowExportProgress.
	progress http.HandlerFunc

	// drs, when set, answers what the cases above do not: the batch
	// import's calls, by drsfake's rules.
	drs http.Handler

	calls atomic.Int64
	tasks atomic.Value // []string of the last export
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.calls.Add(1)
	path := r.URL.Path
	switch {
	case strings.HasSuffix(path, "/jobs/export/template"):
		var req struct{ Jobs []string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		h.tasks.Store(req.Jobs)
		writeJSON(w, http.StatusAccepted, map[string]string{"id": "62a055ae-ce03-4232-beb6-46c83b8ef2b2", "status": "SUCCESS"})
	case strings.HasSuffix(path, "/export/progress"):
		if h.progress != nil {
			h.progress(w, r)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"process_status": "success"})
	case strings.HasSuffix(path, "/templates/download"):
		if h.download != nil {
			h.download(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		_, _ = w.Write(xlsx)
	case strings.HasSuffix(path, "/templates"):
		tasks, _ := h.tasks.Load().([]string)
		var files []map[string]string
		for _, task := range tasks {
			name := task + "_mysql_20300101000000.xlsx"
			if h.name != nil {
				name = h.name(task)
			}
			files = append(files, map[string]string{"file_name": name, "last_modified": "2030-01-01T00:00:00Z"})
		}
		writeJSON(w, http.StatusOK, map[string]any{"count": len(files), "export_report_obs_files": files})
	case h.drs != nil:
		h.drs.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// xlsx is a small real workbook.
var xlsx = func() []byte {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	_ = f.SetCellValue("Sheet1", "A1", "Setting")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}()

// bundle answers every download with a .zip built by entries.
func bundle(t *testing.T, entries func(zw *zip.Writer)) http.HandlerFunc {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(buf.Bytes())
	}
}

// entry adds a file to a .zip.
func entry(zw *zip.Writer, h *zip.FileHeader, data []byte) {
	w, err := zw.CreateHeader(h)
	if err != nil {
		panic(err)
	}
	_, _ = w.Write(data)
}

// answer answers with a fixed status, content type and body.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Request-Id", "catalogue-request")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// big answers every download with a workbook-looking body of n bytes.
func big(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", fmt.Sprint(n))
		_, _ = io.WriteString(w, "PK\x03\x04")
		_, _ = w.Write(make([]byte, n-4))
	}
}

// zipBomb is a workbook with a part that inflates to 200 MB.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	src, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range src.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/bomb.bin", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 200 {
		_, _ = w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// everyRowRefused is a task sheet of n settings whose every value is over
// drsfake's bound of 1,024 characters.
func everyRowRefused(t *testing.T, n int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	rows := [][]any{{"Setting", "Value"}}
	long := strings.Repeat("v", 1025)
	for i := range n {
		rows = append(rows, []any{fmt.Sprintf("setting_%03d", i), long})
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
