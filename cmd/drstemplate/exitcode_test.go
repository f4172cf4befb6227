package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
)

// TestBadInput: every flag and argument with a bad value is a usage error
// (exit 2) with a message that names it, and no call is made.
func TestBadInput(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	dir := t.TempDir()
	badTasks := filepath.Join(dir, "tasks.txt")
	if err := os.WriteFile(badTasks, []byte("# tasks\n"+task1+"\n\n"+task2+" "+task3+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dupTasks := filepath.Join(dir, "dup.txt")
	if err := os.WriteFile(dupTasks, []byte(task1+"\n"+task2+"\n"+task1+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"exprt"}, "did you mean export"},
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"version", "-o", "yaml"}, `--output "yaml": want text or json`},
		{[]string{"version", "extra"}, "unknown command \"extra\""},
		{[]string{"version", "-q", "-v"}, "--quiet and --verbose cannot go together"},
		{[]string{"export"}, "no task ids"},
		{[]string{"export", task1, "--tasks-file", badTasks}, "not both"},
		{[]string{"export", "--tasks-file", badTasks}, badTasks + ":4: \"" + task2 + " 3333"},
		{[]string{"export", "--tasks-file", dupTasks}, dupTasks + `:3: task "` + task1 + `" repeats line 1`},
		{[]string{"export", "--tasks-file", filepath.Join(dir, "missing.txt")}, "--tasks-file: open"},
		{[]string{"export", task1, task1}, `argument 2: task "` + task1 + `" repeats argument 1`},
		{[]string{"export", "bad\x01id"}, `argument 1: "bad\x01id" has control`},
		{[]string{"export", "12345"}, `argument 1: "12345" is not a DRS task id: it has 5 characters, not 36 (a task id looks like 2e69ebb1-f06d-4eb2-a789-2883629jb204; --no-id-check skips this check)`},
		{[]string{"export", task1, task2[:35]}, `argument 2: "` + task2[:35] + `" is not a DRS task id: it has 35 characters, not 36`},
		{[]string{"export", "a/b"}, `argument 1: "a/b" is not a DRS task id: it has '/' at character 2`},
		{[]string{"export", task1 + ","}, `argument 1: "` + task1 + `," is not a DRS task id: it has ',' at character 37`},
		{[]string{"export", strings.ToUpper(task1)}, "DRS task ids are lower-case"},
		{[]string{"list", "--task", "12345"}, `--task: invalid task list: argument 1: "12345" is not a DRS task id`},
		{[]string{"export", task1, "--timeout", "2"}, `invalid argument "2" for "--timeout" flag: 2 has no unit: use a unit, e.g. 2m (minutes) or 2s (seconds)`},
		{[]string{"import", "tasks.xlsx", "--poll-interval", "2"}, `invalid argument "2" for "--poll-interval" flag: 2 has no unit: use a unit`},
		{[]string{"batch", "status", "dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456", "--poll-interval", "2"}, `invalid argument "2" for "--poll-interval" flag: 2 has no unit: use a unit`},
		{[]string{"export", task1, "--timeout", "-1s"}, "--timeout -1s must not be negative"},
		{[]string{"export", task1, "--timeout", "soon"}, `invalid argument "soon" for "--timeout"`},
		{[]string{"export", task1, "--exports", "0"}, "--exports 0"},
		{[]string{"export", task1, "--downloads", "-1"}, "--downloads -1"},
		{[]string{"export", task1, "--max-per-export", "1001"}, "--max-per-export 1001"},
		{[]string{"export", task1, "--max-per-export", "0"}, "--max-per-export 0"},
		{[]string{"export", task1, "--poll-interval", "-1s"}, "--poll-interval -1s"},
		{[]string{"export", task1, "--out", ""}, "--out must not be empty"},
		{[]string{"export", task1, "--no-wait", "--resume"}, "--no-wait only submits"},
		{[]string{"export", task1, "--language", "fr-fr"}, `language "fr-fr": want en-us or zh-cn`},
		{[]string{"export", task1, "--project-id", "nothex"}, "project"},
		{[]string{"export", task1, "--endpoint", "ftp://example.com"}, "endpoint"},
		{[]string{"export", task1, "--endpoint", "http://drs.example.com"}, "endpoint"},
		{[]string{"export", task1, "--token-file", filepath.Join(dir, "none")}, "--token-file: open"},
		{[]string{"export", task1, "--token-file", "-", "--password-file", "-"}, "cannot both read standard input"},
		{[]string{"status"}, "accepts 1 arg(s), received 0"},
		{[]string{"status", "a", "b"}, "accepts 1 arg(s), received 2"},
		{[]string{"status", "x", "--poll-interval", "-2s"}, "--poll-interval -2s"},
		{[]string{"list", "--limit", "-1"}, "--limit -1 must not be negative"},
		{[]string{"list", "--limit", "many"}, `invalid argument "many" for "--limit"`},
		{[]string{"list", "--task", "a b"}, `--task: invalid task list: argument 1: "a b" has white space`},
		{[]string{"list", "extra"}, `unknown command "extra" for "drstemplate list"`},
		{[]string{"download"}, "requires at least 1 arg(s)"},
		{[]string{"download", "x.xlsx", "--out", ""}, "--out must not be empty"},
		{[]string{"inspect"}, "accepts 1 arg(s), received 0"},
		{[]string{"diff", "a.xlsx"}, "accepts 2 arg(s), received 1"},
		{[]string{"demo", "--out", ""}, "--out must not be empty"},
		{[]string{"demo", "now"}, `unknown command "now"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			res := run(t, tc.args...)
			if res.code != exitUsage || !strings.Contains(res.stderr, tc.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", res.code, exitUsage, res.stderr, tc.want)
			}
			if res.stdout != "" {
				t.Errorf("stdout: %q", res.stdout)
			}
			if lines := strings.Split(strings.TrimSpace(res.stderr), "\n"); !strings.HasPrefix(lines[0], "drstemplate: ") || len(lines) > 2 {
				t.Errorf("want one error line (and a hint): %q", res.stderr)
			}
		})
	}
	if n := len(fake.exports()); n != 0 {
		t.Errorf("bad input led to %d exports", n)
	}
}

// TestExitCodes runs a command into each documented exit code.
func TestExitCodes(t *testing.T) {
	t.Run("0 success", func(t *testing.T) {
		useFake(t, startFake(t))
		if res := run(t, "export", "-q", "--out", t.TempDir(), task1); res.code != exitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
	})
	t.Run("1 some tasks failed, the others written", func(t *testing.T) {
		useFake(t, startFake(t))
		out, rep, res := exportTo(t, exitFailed, task1, taskFail, task2)
		if rep.Exported != 2 || rep.Failed != 1 || rep.Tasks[1].Status != "failed" || !strings.Contains(rep.Tasks[1].Error, "failed") {
			t.Fatalf("report: %+v", rep)
		}
		if !strings.Contains(res.stderr, "1 of 3 tasks failed") {
			t.Errorf("stderr: %s", res.stderr)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 3 { // two workbooks and the manifest
			t.Errorf("%d entries in --out, want 3", len(entries))
		}
	})
	t.Run("1 status --wait of a failed export", func(t *testing.T) {
		useFake(t, startFake(t))
		res := run(t, "export", "--no-wait", taskFail)
		id := strings.TrimSpace(res.stdout)
		res = run(t, "status", id, "--wait", "--poll-interval", "10ms")
		if res.code != exitFailed || !strings.Contains(res.stdout, "failed") {
			t.Fatalf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
		}
		if res := run(t, "status", id); res.code != exitOK {
			t.Errorf("status without --wait of a failed export: exit %d", res.code)
		}
	})
	t.Run("1 unknown export", func(t *testing.T) {
		useFake(t, startFake(t))
		res := run(t, "status", "00000000-0000-4000-8000-000000000000")
		if res.code != exitFailed || !strings.Contains(res.stderr, "DRS.") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("3 timed out", func(t *testing.T) {
		useFake(t, startFake(t, drsfake.WithExportTimings(time.Hour, 0)))
		out := t.TempDir()
		res := run(t, "export", "--out", out, "--timeout", "300ms", "--poll-interval", "50ms", task1)
		if res.code != exitTimeout {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
		res = run(t, "list", "--timeout", "1ns")
		if res.code != exitTimeout {
			t.Fatalf("list --timeout 1ns: exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("4 wrong secret key", func(t *testing.T) {
		useFake(t, startFake(t))
		t.Setenv(auth.EnvSecretKey, "wrong-secret-key-0000000000000000")
		res := run(t, "list")
		if res.code != exitAuth || !strings.Contains(res.stderr, "signature") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
		if strings.Contains(res.stderr, "wrong-secret-key") {
			t.Error("the secret key is in the error")
		}
	})
	t.Run("4 no credentials", func(t *testing.T) {
		cleanEnv(t)
		t.Setenv(envRegion, "cn-north-4")
		res := run(t, "list")
		if res.code != exitAuth || !strings.Contains(res.stderr, "no credentials") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("4 a profile file others can read", func(t *testing.T) {
		cleanEnv(t)
		profile := filepath.Join(t.TempDir(), "credentials")
		if err := os.WriteFile(profile, []byte("[basic]\nak = AKFILE\nsk = file-sk-secret\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv(auth.EnvCredentialsFile, profile)
		res := run(t, "list", "--region", "cn-north-4")
		if runtime.GOOS == "windows" {
			return // modes do not say on Windows
		}
		if res.code != exitAuth || !strings.Contains(res.stderr, "group or others can access it") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("4 password login without a password and no terminal", func(t *testing.T) {
		cleanEnv(t)
		res := run(t, "list", "--region", "cn-north-4", "--iam-account", "acct", "--iam-user", "bob")
		if res.code != exitAuth || !strings.Contains(res.stderr, "--password-file") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("2 no region", func(t *testing.T) {
		cleanEnv(t)
		res := run(t, "list")
		if res.code != exitUsage || !strings.Contains(res.stderr, "DRSTEMPLATE_REGION") {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("130 interrupted", func(t *testing.T) {
		useFake(t, startFake(t, drsfake.WithExportTimings(time.Hour, 0)))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		res := runIn(t, ctx, "", "export", "--out", t.TempDir(), "--poll-interval", "20ms", task1)
		if res.code != exitInterrupted {
			t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
}

// TestCredentialSources: a token from --token-file (and from standard
// input), the environment's AK/SK, and flags winning over the environment.
func TestCredentialSources(t *testing.T) {
	fake := startFake(t, drsfake.WithToken("test-token-from-a-file-0001"))
	useFake(t, fake)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("test-token-from-a-file-0001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The environment has AK/SK; a token file is an explicit setting and wins.
	if res := run(t, "list", "-v", "--token-file", tokenFile); res.code != exitOK || !strings.Contains(res.stderr, "credentials from the settings") {
		t.Errorf("--token-file: exit %d, stderr %q", res.code, res.stderr)
	}
	if res := runIn(t, context.Background(), "test-token-from-a-file-0001\n", "list", "--token-file", "-"); res.code != exitOK {
		t.Errorf("--token-file -: exit %d, stderr %q", res.code, res.stderr)
	}
	if res := run(t, "list", "-v"); res.code != exitOK || !strings.Contains(res.stderr, "credentials from the environment") ||
		strings.Contains(res.stderr, "test-token-from-a-file") {
		t.Errorf("environment AK/SK: exit %d, stderr %q", res.code, res.stderr)
	}
	// A flag wins over the environment: a wrong endpoint flag is used.
	if res := run(t, "list", "--endpoint", "http://127.0.0.1:1"); res.code != exitFailed {
		t.Errorf("--endpoint over %s: exit %d, stderr %q", envEndpoint, res.code, res.stderr)
	}
}

// TestErrorsSayDrstemplateOnce runs commands that fail in the library
// (a task that fails to export, an unknown export, a refused signature,
// input the library refuses): each line of their stderr names the program
// once, never "drstemplate: drstemplate:" or a prefix in the middle.
func TestErrorsSayDrstemplateOnce(t *testing.T) {
	useFake(t, startFake(t))
	for _, args := range [][]string{
		{"export", "-q", "--out", t.TempDir(), task1, taskFail},
		{"status", "00000000-0000-4000-8000-000000000000"},
		{"download", "--out", t.TempDir(), "no-such-file.xlsx"},
		{"list", "--project-id", "0123456789abcdef0123456789abcdeX"},
	} {
		res := run(t, args...)
		if res.code == exitOK {
			t.Errorf("%v: exit 0", args)
			continue
		}
		for line := range strings.Lines(res.stderr) {
			if strings.Count(line, "drstemplate: ") > 1 || strings.Contains(line, ": drstemplate:") {
				t.Errorf("%v: %q names the program more than once", args, line)
			}
		}
		if !strings.HasPrefix(res.stderr, "drstemplate: ") && !strings.Contains(res.stderr, "\ndrstemplate: ") {
			t.Errorf("%v: no line starts with the program's name: %q", args, res.stderr)
		}
	}
}

// TestErrorLinesPrefixOnce: every line of an error gets "drstemplate: "
// once, also when the error's text carries the prefix already.
func TestErrorLinesPrefixOnce(t *testing.T) {
	for _, tc := range []struct{ err, want string }{
		{"boom", "drstemplate: boom\n"},
		{"drstemplate: boom", "drstemplate: boom\n"},
		{"drstemplate: a\ndrstemplate: b\nc", "drstemplate: a\ndrstemplate: b\ndrstemplate: c\n"},
		{"a \x1b[31mred\x1b[0m", `drstemplate: a \x1b[31mred\x1b[0m` + "\n"},
	} {
		if got := errorLines(errors.New(tc.err)); got != tc.want {
			t.Errorf("errorLines(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestNoIDCheck: --no-id-check sends an id outside DRS's shape to DRS, and
// the basic checks still apply.
func TestNoIDCheck(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	res := run(t, "export", "--no-id-check", "--no-wait", "task-12345")
	if fake.exports()["task-12345"] != 1 {
		t.Errorf("--no-id-check: the id was not sent (exit %d)\n%s", res.code, res.stderr)
	}
	res = run(t, "export", "--no-id-check", "--no-wait", "a b")
	if res.code != exitUsage || !strings.Contains(res.stderr, "has white space") {
		t.Errorf("--no-id-check with a space in an id: exit %d\n%s", res.code, res.stderr)
	}
}
