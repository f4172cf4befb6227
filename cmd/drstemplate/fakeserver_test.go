package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// startCommand runs `drstemplate args...` until the returned cancel is
// called, and returns the banner lines it printed up to "Try:" and the line
// after it.
func startCommand(t *testing.T, args ...string) (banner map[string]string, tasks []string, curl string, stop func() error) {
	t.Helper()
	pr, pw := io.Pipe()
	root := newRootCommand()
	root.SetOut(pw)
	root.SetErr(pw)
	root.SetArgs(args)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		_ = pw.Close()
		done <- err
	}()
	banner = map[string]string{}
	sc := bufio.NewScanner(pr)
	inTasks := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "Tasks:":
			inTasks = true
		case line == "Credentials:":
			inTasks = false
		case inTasks:
			tasks = append(tasks, strings.Fields(line)[0])
		case line == "Try:":
			if sc.Scan() {
				curl = strings.TrimSpace(sc.Text())
			}
		}
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && !inTasks {
			banner[k] = strings.TrimSpace(v)
		}
		if strings.HasPrefix(line, "Press Ctrl-C") {
			break
		}
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(pr)
		rest <- string(b)
	}()
	if curl == "" {
		cancel()
		err := <-done
		t.Fatalf("no banner; command ended with %v: %s", err, <-rest)
	}
	return banner, tasks, curl, func() error {
		cancel()
		select {
		case err := <-done:
			if out := <-rest; !strings.Contains(out, "drsfake: stopped") {
				t.Errorf("no clean stop message: %q", out)
			}
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("the command did not stop")
			return nil
		}
	}
}

// TestFakeServerCommand starts the command on a free loopback port, calls
// the fake with the printed token (as the printed curl line does) and with
// the printed AK/SK, and stops it by cancelling its context.
func TestFakeServerCommand(t *testing.T) {
	banner, tasks, curl, stop := startCommand(t, "fake-server", "--addr", "127.0.0.1:0", "--seed", "3", "--tasks", "2", "--export-duration", "0s")
	base, project, token := banner["Base URL"], banner["Project ID"], banner["X-Auth-Token"]
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(base) || len(project) != 32 || token == "" || len(tasks) != 2 {
		t.Fatalf("banner %v, tasks %v", banner, tasks)
	}
	if want := drsfake.DefaultCredentials(3); token != want.Token || banner["Access key (AK)"] != want.AccessKey {
		t.Errorf("printed credentials are not the seeded ones")
	}
	wantCurl := "curl -sS -H 'X-Auth-Token: " + token + "' " + base + "/v5/" + project + "/templates"
	if curl != wantCurl {
		t.Errorf("curl line %q, want %q", curl, wantCurl)
	}

	// What the curl line does.
	req, _ := http.NewRequest(http.MethodGet, base+"/v5/"+project+"/templates", nil)
	req.Header.Set("X-Auth-Token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"count":0`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}

	// An AK/SK-signed export with the printed keys.
	raw := []byte(`{"jobs":["` + tasks[0] + `"]}` + "\n")
	req, _ = http.NewRequest(http.MethodPost, base+"/v5/"+project+"/jobs/export/template", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Project-Id", project)
	if err := sdksign.Sign(req, raw, banner["Access key (AK)"], banner["Secret key (SK)"], time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var job drsapi.ExportJob
	err = json.NewDecoder(resp.Body).Decode(&job)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || err != nil || job.Id == "" {
		t.Fatalf("signed export: %d %v", resp.StatusCode, err)
	}
	http.DefaultClient.CloseIdleConnections()

	if err := stop(); err != nil {
		t.Errorf("command ended with %v", err)
	}
}

// TestFakeServerFlags checks the refusals of bad flag combinations, before
// anything listens.
func TestFakeServerFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "--allow-remote"},
		{[]string{"--addr", ":0"}, "--allow-remote"},
		{[]string{"--addr", "192.168.1.10:8080"}, "not a loopback address"},
		{[]string{"--addr", "nonsense"}, "--addr"},
		{[]string{"--addr", "127.0.0.1:0", "--fault-500", "1.5"}, "probability"},
		{[]string{"--addr", "127.0.0.1:0", "--fault-500", "0.6", "--fault-503", "0.6"}, "more than 1"},
		{[]string{"--addr", "127.0.0.1:0", "--ak", "AK"}, "--ak and --sk"},
		{[]string{"--addr", "127.0.0.1:0", "--project-id", "XYZ"}, "32 lower-case hex"},
		{[]string{"--addr", "127.0.0.1:0", "--fail-task", "nope"}, "not a task"},
		{[]string{"--addr", "127.0.0.1:0", "--export-duration", "-1s"}, "negative"},
		{[]string{"--addr", "127.0.0.1:0", "--rate-limit", "5", "--rate-burst", "0"}, "burst"},
		{[]string{"extra-arg"}, "unknown command"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			root := newRootCommand()
			var out bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&out)
			root.SetArgs(append([]string{"fake-server"}, tc.args...))
			err := root.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// TestFakeServerHelp checks that the help says why credentials are printed.
func TestFakeServerHelp(t *testing.T) {
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"fake-server", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"made-up test credentials", "--allow-remote", "--export-duration", "--fault-503", "--seed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
