package drsfake

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// TestConcurrentUse runs 200 concurrent exports, polls, lists and downloads
// (while the clock moves) and then checks that the listing is consistent.
func TestConcurrentUse(t *testing.T) {
	clock := NewManualClock(t0)
	ts := start(t, WithClock(clock), WithExportTimings(time.Second, time.Second), WithGeneratedTasks(4))
	c := drsClient(t, ts, ts.Token)
	ctx := context.Background()
	h := &exportHarness{t: t, ts: ts, c: c, clock: clock}
	first := h.export(ts.TaskIDs...)
	clock.Advance(2 * time.Second)
	files := names(h.list(nil, nil))
	if len(files) != 4 {
		t.Fatalf("setup: %v", files)
	}

	const workers = 200
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		exports = map[string]string{} // export id → task id
	)
	for i := range workers {
		wg.Go(func() {
			if i%10 == 0 { // the clock moves 20 times while the requests run
				clock.Advance(time.Second)
			}
			switch i % 4 {
			case 0:
				task := ts.TaskIDs[i%len(ts.TaskIDs)]
				r, err := c.ExportCreationTemplateWithResponse(ctx, ts.ProjectID, nil, drsapi.ExportTemplateRequest{Jobs: []string{task}})
				if err != nil || r.JSON202 == nil {
					t.Errorf("export: %v %v", err, r)
					return
				}
				mu.Lock()
				exports[r.JSON202.Id] = task
				mu.Unlock()
			case 1:
				r, err := c.ShowExportProgressWithResponse(ctx, ts.ProjectID, first, nil)
				if err != nil || r.JSON200 == nil || r.JSON200.ProcessStatus != StatusSuccess {
					t.Errorf("progress: %v %v", err, r)
				}
			case 2:
				r, err := c.ListTemplatesWithResponse(ctx, ts.ProjectID, nil)
				if err != nil || r.JSON200 == nil {
					t.Errorf("list: %v %v", err, r)
					return
				}
				l := r.JSON200
				if int(l.Count) < 4 || len(l.ExportReportObsFiles) > int(l.Count) {
					t.Errorf("inconsistent page: count %d, %d files", l.Count, len(l.ExportReportObsFiles))
				}
				for j := 1; j < len(l.ExportReportObsFiles); j++ {
					if l.ExportReportObsFiles[j].LastModified.After(l.ExportReportObsFiles[j-1].LastModified) {
						t.Errorf("page not newest first")
					}
				}
			case 3:
				resp, err := c.ClientInterface.(*drsapi.Client).DownloadCreateTemplate(ctx, ts.ProjectID, nil, drsapi.DownloadTemplateRequest{Files: []string{files[i%4]}})
				if err != nil {
					t.Errorf("download: %v", err)
					return
				}
				b, err := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || !bytes.HasPrefix(b, []byte("PK\x03\x04")) || int64(len(b)) != resp.ContentLength {
					t.Errorf("download: %v %d %d bytes", err, resp.StatusCode, len(b))
				}
			}
		})
	}
	wg.Wait()

	clock.Advance(time.Minute)
	for id := range exports {
		if got := h.progress(id); got != StatusSuccess {
			t.Errorf("export %s: %s", id, got)
		}
	}
	// Walk the listing: a fixed count, no repeats, newest first, and every
	// task of every export present.
	seen := map[string]bool{}
	var prev *drsapi.TemplateFile
	var count int32 = -1
	for off := int32(0); ; off += 7 {
		lim := int32(7)
		l := h.list(&off, &lim)
		if count >= 0 && l.Count != count {
			t.Fatalf("count changed from %d to %d while paging", count, l.Count)
		}
		count = l.Count
		if len(l.ExportReportObsFiles) == 0 {
			break
		}
		for _, f := range l.ExportReportObsFiles {
			if seen[f.FileName] {
				t.Errorf("%s listed twice", f.FileName)
			}
			seen[f.FileName] = true
			if prev != nil && f.LastModified.After(prev.LastModified) {
				t.Errorf("%s after the older %s", f.FileName, prev.FileName)
			}
			if !strings.Contains(f.FileName, f.LastModified.UTC().Format(FileTimeLayout)) {
				t.Errorf("%s: name and last_modified %v disagree", f.FileName, f.LastModified)
			}
			prev = &f
		}
	}
	if int(count) != len(seen) {
		t.Errorf("count %d, %d files listed", count, len(seen))
	}
	for id, task := range exports {
		found := false
		for name := range seen {
			found = found || strings.HasPrefix(name, task+"_")
		}
		if !found {
			t.Errorf("export %s of %s left no file", id, task)
		}
	}
	t.Logf("%d exports, %d files", len(exports), len(seen))
}

// TestConcurrentSettleIsDeterministic checks that exports completing while
// many readers race produce the same files as a sequential run.
func TestConcurrentSettleIsDeterministic(t *testing.T) {
	run := func(parallel bool) string {
		clock := NewManualClock(t0)
		s := mustNew(t, WithClock(clock), WithToken("tok"), WithGeneratedTasks(6), WithExportTimings(0, time.Second))
		p := s.ProjectIDs()[0]
		for i, task := range s.Tasks() {
			serve(s, "POST", "/v5/"+p+"/jobs/export/template", "tok", `{"jobs":["`+task.ID+`"]}`)
			clock.Advance(time.Duration(i*300) * time.Millisecond)
		}
		clock.Advance(time.Hour)
		var wg sync.WaitGroup
		n := 1
		if parallel {
			n = 50
		}
		for range n {
			wg.Go(func() { serve(s, "GET", "/v5/"+p+"/templates?limit=100", "tok", "") })
		}
		wg.Wait()
		w := serve(s, "GET", "/v5/"+p+"/templates?limit=100", "tok", "")
		if w.Code != http.StatusOK {
			t.Fatalf("list: %d", w.Code)
		}
		return w.Body.String()
	}
	if a, b := run(false), run(true); a != b {
		t.Errorf("sequential and concurrent runs differ:\n%s\n%s", a, b)
	}
}
