package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// TestResume: a second run with --resume skips verified files, downloads a
// deleted one again from its recorded export (no new export), and refuses
// to overwrite a changed one.
func TestResume(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	out, rep, _ := exportTo(t, exitOK, task1, task2, task3)

	// All there: nothing to do, no call but the project's.
	res := run(t, "export", "--resume", "-o", "json", "--out", out, task3, task1, task2)
	if res.code != exitOK || !strings.Contains(res.stdout, `"skipped": 3`) {
		t.Fatalf("resume of a finished run: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}

	if err := os.Remove(rep.Tasks[1].File.Path); err != nil {
		t.Fatal(err)
	}
	res = run(t, "export", "--resume", "-o", "json", "--out", out, task1, task2, task3)
	if res.code != exitOK || !strings.Contains(res.stdout, `"skipped": 2`) || !strings.Contains(res.stdout, `"exported": 1`) {
		t.Fatalf("resume after a file was deleted: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if got := fake.exports()[task2]; got != 1 {
		t.Errorf("task 2 was submitted %d times; its recorded export should have been reused", got)
	}
	if _, err := manifest.Verify(out, *rep.Tasks[1].File); err != nil {
		t.Errorf("the deleted file: %v", err)
	}

	// The same size with other bytes: only the SHA-256 tells.
	changed, err := os.ReadFile(rep.Tasks[0].File.Path)
	if err != nil {
		t.Fatal(err)
	}
	changed[len(changed)/2] ^= 0xff
	if err := os.WriteFile(rep.Tasks[0].File.Path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	res = run(t, "export", "--resume", "--out", out, task1, task2, task3)
	if res.code != exitFailed || !strings.Contains(res.stderr, "differs from the recorded file") || !strings.Contains(res.stderr, "already exists") {
		t.Fatalf("resume with a changed file: exit %d\n%s", res.code, res.stderr)
	}
	if b, _ := os.ReadFile(rep.Tasks[0].File.Path); !bytes.Equal(b, changed) {
		t.Error("the changed file was overwritten without --overwrite")
	}
	res = run(t, "export", "--resume", "--overwrite", "-q", "--out", out, task1, task2, task3)
	if res.code != exitOK {
		t.Fatalf("resume --overwrite: exit %d\n%s", res.code, res.stderr)
	}

	// A damaged manifest: exit 2, nothing touched.
	before, _ := os.ReadFile(manifest.Path(out))
	if err := os.WriteFile(manifest.Path(out), before[:len(before)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	res = run(t, "export", "--resume", "--out", out, task1, task2, task3)
	if res.code != exitUsage || !strings.Contains(res.stderr, "damaged") {
		t.Errorf("resume with a damaged manifest: exit %d, %q", res.code, res.stderr)
	}
	if after, _ := os.ReadFile(manifest.Path(out)); !bytes.Equal(before[:len(before)/2], after) {
		t.Error("the damaged manifest was changed")
	}
	// --resume without a manifest is a fresh run.
	if res := run(t, "export", "--resume", "-q", "--out", filepath.Join(t.TempDir(), "new"), task1); res.code != exitOK {
		t.Errorf("--resume into an empty directory: exit %d, %q", res.code, res.stderr)
	}
}

// startBinary starts the built command with args in the environment of the
// test, and returns it with its stderr lines.
func startBinary(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, <-chan string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, &stdout, lines
}

// waitLine reads lines until one contains want.
func waitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the command ended before printing %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no line with %q after 30s", want)
		}
	}
}

// noPartialFiles fails the test if dir holds anything but finished
// workbooks and the manifest.
func noPartialFiles(t *testing.T, dir string) []string { return files(t, dir, false) }

// files lists the workbooks in dir and fails the test on anything else but
// the manifest — or, with tolerateTemp, the temporary files of writes a
// kill -9 cut short, the lock file it left (its lock ended with the
// process) and the journal it did not fold into the manifest.
func files(t *testing.T, dir string, tolerateTemp bool) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var xlsx []string
	for _, e := range entries {
		switch {
		case e.Name() == manifest.FileName:
		case tolerateTemp && (strings.HasPrefix(e.Name(), ".drstemplate-") || e.Name() == localfile.LockFileName ||
			e.Name() == manifest.JournalName):
			t.Logf("left by the kill: %s", e.Name())
		case strings.HasSuffix(e.Name(), ".xlsx") && !strings.HasPrefix(e.Name(), "."):
			xlsx = append(xlsx, e.Name())
		default:
			t.Errorf("left in --out: %s", e.Name())
		}
	}
	return xlsx
}

// TestInterrupt sends SIGINT to the real command while it waits for an
// export and while it downloads: it exits 130 at once, leaves no partial
// file, and the manifest lets --resume finish without exporting again.
func TestInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	for _, tc := range []struct {
		name     string
		during   string // the stderr line to wait for
		hold     bool   // downloads hang midway
		fakeOpts []drsfake.Option
	}{
		{"during the wait", "running", false, []drsfake.Option{drsfake.WithExportTimings(0, time.Hour)}},
		{"during a download", "downloading", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := startFake(t, tc.fakeOpts...)
			fake.hold(tc.hold)
			useFake(t, fake)
			out := filepath.Join(t.TempDir(), "out")
			cmd, _, lines := startBinary(t, "export", "--out", out, "--poll-interval", "50ms", task1, task2)
			waitLine(t, lines, tc.during)
			if tc.hold {
				<-fake.downloading
			}
			start := time.Now()
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("stopping took %v", took)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("exit %d (%v), want %d", code, err, exitInterrupted)
			}
			if xlsx := noPartialFiles(t, out); len(xlsx) != 0 {
				t.Errorf("workbooks written before the interrupt: %v", xlsx)
			}
			m, err := manifest.Read(out)
			if err != nil || len(m.Exports) != 1 {
				t.Fatalf("manifest after the interrupt: %v, %+v", err, m)
			}
			// Resume: the recorded export is waited on, not submitted again.
			fake.hold(false)
			if tc.name == "during the wait" {
				return // the fake's export runs for an hour: resuming is TestKillAndResume's
			}
			res := run(t, "export", "--resume", "-q", "--out", out, task1, task2)
			if res.code != exitOK {
				t.Fatalf("resume: exit %d, %s", res.code, res.stderr)
			}
			if ex := fake.exports(); ex[task1] != 1 || ex[task2] != 1 {
				t.Errorf("exports per task: %v; want 1 each", ex)
			}
			if xlsx := noPartialFiles(t, out); len(xlsx) != 2 {
				t.Errorf("after resuming: %v", xlsx)
			}
		})
	}
}

// TestKillAndResume kills the real command with SIGKILL while it waits,
// one task's file already written, then resumes: the written file is not
// exported again, the export in progress is waited on rather than submitted
// again, and all files end up there.
func TestKillAndResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	fake := startFake(t, drsfake.WithExportTimings(0, 1500*time.Millisecond))
	useFake(t, fake)
	out := filepath.Join(t.TempDir(), "out")
	// One task per export, one export at a time: task1 finishes, then
	// task2's export is submitted and waited on when the kill comes.
	cmd, _, lines := startBinary(t, "export", "--out", out, "--max-per-export", "1", "--exports", "1",
		"--poll-interval", "100ms", task1, task2, task3)
	waitLine(t, lines, "task "+task1+": done")
	waitFor(t, "task 2's export in the manifest", func() bool {
		m, err := manifest.Read(out)
		return err == nil && m.State[task2] != nil && m.State[task2].ExportID != ""
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// Task 1's file is there, and maybe task 3's: chunks take turns at
	// the one export slot in no set order.
	written := files(t, out, true)
	if len(written) == 0 || len(written) > 2 || !strings.HasPrefix(written[0], task1) {
		t.Fatalf("files after the kill: %v; want task 1's (and maybe task 3's)", written)
	}

	res := run(t, "export", "--resume", "-o", "json", "--out", out, "--poll-interval", "100ms", task1, task2, task3)
	if res.code != exitOK {
		t.Fatalf("resume: exit %d\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, fmt.Sprintf(`"skipped": %d`, len(written))) || !strings.Contains(res.stdout, fmt.Sprintf(`"exported": %d`, 3-len(written))) {
		t.Errorf("resume report:\n%s", res.stdout)
	}
	if ex := fake.exports(); ex[task1] != 1 || ex[task2] != 1 || ex[task3] != 1 {
		t.Errorf("exports per task: %v; want 1 each", ex)
	}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{task1, task2, task3} {
		st := m.State[task]
		if st == nil || st.File == nil {
			t.Errorf("task %s has no file in the manifest", task)
			continue
		}
		if _, err := manifest.Verify(out, *st.File); err != nil {
			t.Errorf("task %s: %v", task, err)
		}
	}
	// A download in flight at the kill left the library's temporary file
	// (.drstemplate-{host}-{pid}-*.part); the resumed run removed it, its writer
	// being gone.
	if got := noPartialFiles(t, out); len(got) != 3 {
		t.Errorf("files: %v", got)
	}
}
