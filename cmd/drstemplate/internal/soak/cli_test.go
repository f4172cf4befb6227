package soak

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
	"github.com/drs-tools/drstemplate/drsfake"
)

// exportLog counts, per task, the exports DRS accepted.
type exportLog struct {
	mu     sync.Mutex
	counts map[string]int
}

func (l *exportLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/jobs/export/template") {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		var req struct{ Jobs []string }
		if sw.status != http.StatusAccepted || json.Unmarshal(body, &req) != nil {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, task := range req.Jobs {
			l.counts[task]++
		}
	})
}

func (l *exportLog) snapshot() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]int, len(l.counts))
	for k, v := range l.counts {
		m[k] = v
	}
	return m
}

// statusWriter remembers the status written; Unwrap lets the fake's faults
// hijack the connection through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestSoakCLI runs the soak's batch through the drstemplate command against
// the bad day, kills it (SIGKILL) four times — once between two events
// recorded in the manifest's journal, then at random points — each time
// resuming with --resume, then lets it finish. The end state must be the
// library soak's — every template there, byte for byte the fake's, nothing
// partial — and no task whose file was downloaded and recorded may be
// exported again.
func TestSoakCLI(t *testing.T) {
	if *soakTasks == 0 {
		t.Skip("make soak runs the soak (-soak.tasks=N)")
	}
	bin := filepath.Join(t.TempDir(), "drstemplate")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const ak, sk = soakAK, soakSK
	fake, err := drsfake.New(
		drsfake.WithAccessKey(ak, sk),
		drsfake.WithGeneratedTasks(*soakTasks),
		drsfake.WithSeed(2027),
		drsfake.WithExportTimings(500*time.Millisecond, 1500*time.Millisecond),
		drsfake.WithFaults(drsfake.Faults{All: badDay, RetryAfter: time.Second}),
		drsfake.WithRateLimit(40, 20),
	)
	if err != nil {
		t.Fatal(err)
	}
	exports := &exportLog{counts: map[string]int{}}
	srv := httptest.NewServer(exports.wrap(fake))
	defer srv.Close()
	project := fake.ProjectIDs()[0]
	var tasks []string
	for _, task := range fake.Tasks() {
		tasks = append(tasks, task.ID)
	}
	dir := t.TempDir()
	tasksFile := filepath.Join(dir, "tasks.txt")
	if err := os.WriteFile(tasksFile, []byte(strings.Join(tasks, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "templates")
	command := func() *exec.Cmd {
		cmd := exec.Command(bin, "export", "--endpoint", srv.URL, "--tasks-file", tasksFile, "--out", out,
			"--resume", "-q", "--max-per-export", "20", "--poll-interval", "200ms")
		cmd.Env = append(os.Environ(), auth.EnvAccessKey+"="+ak, auth.EnvSecretKey+"="+sk,
			auth.EnvProjectID+"="+project, "HOME="+dir)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		t.Cleanup(func() {
			if strings.Contains(stdout.String()+stderr.String(), sk) {
				t.Error("the command printed the secret key")
			}
		})
		return cmd
	}

	// Tasks whose file the manifest recorded (and that is there, verified),
	// with their export count at that moment.
	recorded := map[string]int{}
	rng := rand.New(rand.NewPCG(2027, uint64(*soakTasks)))
	journaled := 0 // kills that left changes in the journal
	for kill := 1; kill <= 4; kill++ {
		cmd := command()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if kill == 1 {
			// Between two events: once the journal has changes after the
			// manifest's first write, so that a kill surely leaves them.
			waitJournal(t, out, 3)
		} else {
			// A random point of a run, which takes about 60 ms a task here.
			time.Sleep(200*time.Millisecond + time.Duration(rng.Int64N(int64(time.Duration(*soakTasks)*40*time.Millisecond))))
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		after := time.Since(start)
		if n := journalLines(out); n > 1 {
			journaled++
			t.Logf("kill %d after %s: the journal has %d lines", kill, after.Round(time.Millisecond), n)
		}
		counts := exports.snapshot()
		m, err := manifest.Read(out)
		if errors.Is(err, fs.ErrNotExist) {
			t.Logf("kill %d after %s: no manifest yet", kill, after)
			continue
		}
		if err != nil {
			t.Fatalf("kill %d after %s: %v", kill, after, err)
		}
		n := 0
		for task, st := range m.State {
			if st.File == nil {
				continue
			}
			if _, err := manifest.Verify(out, *st.File); err == nil {
				if _, seen := recorded[task]; !seen {
					recorded[task] = counts[task]
				}
				n++
			}
		}
		t.Logf("kill %d after %s: %d of %d templates recorded", kill, after.Round(time.Millisecond), n, len(tasks))
	}

	if journaled == 0 {
		t.Error("no kill left changes in the journal: the resumes never read one")
	}
	cmd := command()
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("the last run: %v", err)
	}
	t.Logf("the last run finished in %s", time.Since(start).Round(time.Millisecond))
	if _, err := os.Stat(filepath.Join(out, manifest.JournalName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the journal is still there after the last run: %v", err)
	}

	counts := exports.snapshot()
	again := 0
	for task, n := range recorded {
		if counts[task] != n {
			again++
			t.Errorf("task %s was exported again after its template was recorded", task)
		}
	}
	t.Logf("%d tasks recorded before the last kill; exported again: %d", len(recorded), again)

	// The end state: the library soak's.
	if err := fake.SetFaults(drsfake.Faults{}); err != nil {
		t.Fatal(err)
	}
	if err := fake.SetRateLimit(0, 0); err != nil {
		t.Fatal(err)
	}
	c, err := drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(project),
		drstemplate.WithCredentials(auth.AccessKey{ID: ak, Secret: sk, ProjectID: project}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	results := make([]drstemplate.Result, len(tasks))
	for i, task := range tasks {
		st := m.State[task]
		if st == nil || st.File == nil {
			t.Fatalf("task %s has no file in the manifest", task)
		}
		f, err := manifest.Verify(out, *st.File)
		results[i] = drstemplate.Result{TaskID: task, File: f, Err: err}
	}
	writeOnly := filepath.Join(out, manifest.FileName)
	if err := os.Rename(writeOnly, filepath.Join(dir, manifest.FileName)); err != nil {
		t.Fatal(err)
	}
	checkTemplates(t, c, out, tasks, results)
	noSecretInFiles(t, dir, sk)
}

// waitJournal waits until the journal in dir has at least lines lines (a
// header and changes), for up to a minute.
func waitJournal(t *testing.T, dir string, lines int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if journalLines(dir) >= lines {
			return
		}
	}
	t.Fatalf("the journal in %s did not reach %d lines in a minute", dir, lines)
}

// journalLines counts the whole lines of the journal in dir.
func journalLines(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, manifest.JournalName))
	return bytes.Count(b, []byte("\n"))
}

// noSecretInFiles fails the test if a file under dir — the manifest and the
// workbooks (read as text: they are compressed) — shows secret.
func noSecretInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		if strings.HasSuffix(path, ".xlsx") {
			wb, err := workbook.Open(path)
			if err != nil {
				return err
			}
			var b strings.Builder
			if err := workbook.WriteText(&b, wb); err != nil {
				return err
			}
			text = b.String()
		}
		if strings.Contains(text, secret) {
			t.Errorf("%s shows the secret key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
