package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/endpoint"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/benchproc"
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
		if strings.HasPrefix(line, "export ") {
			banner[line] = "" // a line to paste: the key is the line
			continue
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
		out := <-rest
		t.Fatalf("no banner; command ended with %v (%d more bytes of output, not shown: they may hold credentials)", err, len(out))
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
		t.Fatalf("banner: base URL %q, project %q, token printed %t, %d tasks (want 2)", base, project, token != "", len(tasks))
	}
	if want := drsfake.DefaultCredentials(3); token != want.Token || banner["Access key (AK)"] != want.AccessKey {
		t.Errorf("printed credentials are not the seeded ones")
	}
	wantCurl := "curl -sS -H 'X-Auth-Token: " + token + "' " + base + "/v5/" + project + "/templates"
	if curl != wantCurl {
		hide := strings.NewReplacer(token, "<the printed token>")
		t.Errorf("curl line %q, want %q", hide.Replace(curl), hide.Replace(wantCurl))
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

// TestFailTaskFlag checks that --fail-task marks exactly the named tasks
// of the fake --tasks and --seed make, and changes nothing else.
func TestFailTaskFlag(t *testing.T) {
	f := &fakeServerFlags{
		region: drsfake.DefaultRegion, tasks: 3, seed: 5, exportDuration: 5 * time.Second,
		tokenTTL: drsfake.DefaultTokenTTL, pageSizeLimit: drsfake.DefaultPageSizeLimit, rateBurst: 10,
	}
	tasks := func() []drsfake.Task {
		t.Helper()
		opts, _, err := f.options()
		if err != nil {
			t.Fatal(err)
		}
		fake, err := drsfake.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return fake.Tasks()
	}
	plain := tasks()
	f.failTasks = []string{plain[1].ID}
	failing := tasks()
	if len(failing) != len(plain) {
		t.Fatalf("%d tasks with --fail-task, %d without", len(failing), len(plain))
	}
	for i := range plain {
		want := plain[i]
		want.FailExport = i == 1
		if !reflect.DeepEqual(failing[i], want) {
			t.Errorf("task %d with --fail-task: %+v, want %+v", i, failing[i], want)
		}
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
	for _, want := range []string{"made-up test credentials", "--allow-remote", "crypto/rand", "--export-duration", "--fault-503", "--seed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// TestFakeServerAllowRemoteCredentials checks that a fake other machines can
// reach does not accept the seeded credentials the documentation prints:
// with --allow-remote and without --seed, credentials not given by flags are
// random (different on every start) and work; --seed or explicit
// credentials are kept.
func TestFakeServerAllowRemoteCredentials(t *testing.T) {
	seeded := drsfake.DefaultCredentials(1)
	printed := func(banner map[string]string) drsfake.Credentials {
		c := drsfake.Credentials{Token: banner["X-Auth-Token"], AccessKey: banner["Access key (AK)"], SecretKey: banner["Secret key (SK)"]}
		if _, pw, ok := strings.Cut(banner["IAM user"], ", password "); ok {
			c.User.Password = pw
		}
		return c
	}
	// same reports, by name only, which printed credentials equal want's.
	same := func(got, want drsfake.Credentials) []string {
		var s []string
		for _, c := range []struct {
			name      string
			got, want string
		}{
			{"token", got.Token, want.Token},
			{"access key", got.AccessKey, want.AccessKey},
			{"secret key", got.SecretKey, want.SecretKey},
			{"IAM password", got.User.Password, want.User.Password},
		} {
			if c.got == c.want {
				s = append(s, c.name)
			}
		}
		return s
	}
	run := func(args ...string) (drsfake.Credentials, map[string]string) {
		t.Helper()
		banner, _, _, stop := startCommand(t, append([]string{"fake-server", "--addr", "127.0.0.1:0", "--tasks", "0"}, args...)...)
		creds := printed(banner)
		// The printed token works.
		req, _ := http.NewRequest(http.MethodGet, banner["Base URL"]+"/v5/"+banner["Project ID"]+"/templates", nil)
		req.Header.Set("X-Auth-Token", creds.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		http.DefaultClient.CloseIdleConnections()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%v: the printed token is refused: %d", args, resp.StatusCode)
		}
		if err := stop(); err != nil {
			t.Errorf("command ended with %v", err)
		}
		return creds, banner
	}

	first, _ := run("--allow-remote")
	if s := same(first, seeded); len(s) > 0 {
		t.Errorf("--allow-remote without --seed prints the seed-1 %s", strings.Join(s, ", "))
	}
	if !regexp.MustCompile(`^MIIdrsfake[A-Za-z0-9_-]{64}$`).MatchString(first.Token) ||
		!regexp.MustCompile(`^[A-Z0-9]{20}$`).MatchString(first.AccessKey) ||
		!regexp.MustCompile(`^[A-Za-z0-9]{40}$`).MatchString(first.SecretKey) ||
		!regexp.MustCompile(`^[A-Za-z0-9]{16}$`).MatchString(first.User.Password) {
		t.Error("random credentials are not shaped like the seeded ones")
	}
	second, _ := run("--allow-remote")
	if s := same(second, first); len(s) > 0 {
		t.Errorf("two starts with --allow-remote print the same %s", strings.Join(s, ", "))
	}

	withSeed, _ := run("--allow-remote", "--seed", "1")
	if s := same(withSeed, seeded); len(s) != 4 {
		t.Errorf("--allow-remote --seed 1: only the %s are the seeded ones", strings.Join(s, ", "))
	}
	explicit, banner := run("--allow-remote", "--token", "tok-GIVEN", "--iam-user", "alice")
	if explicit.Token != "tok-GIVEN" || !strings.Contains(banner["IAM user"], "user alice,") {
		t.Error("--allow-remote replaced credentials given by flags")
	}
	if s := same(explicit, seeded); len(s) > 0 {
		t.Errorf("--allow-remote --token: the %s not given are the seed-1 ones", strings.Join(s, ", "))
	}
}

// TestCheckLoopback checks which --addr hosts count as loopback: the same
// ones as endpoint.IsLoopbackHost, which the client uses for plain http.
func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"127.9.9.9:80", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{"LocalHost:8080", true},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{":8080", false},
		{"192.168.1.10:8080", false},
		{"example.com:80", false},
		{"localhost.example.com:80", false},
	} {
		host, _, _ := net.SplitHostPort(tc.addr)
		if err := checkLoopback(tc.addr, false); (err == nil) != tc.ok || tc.ok != endpoint.IsLoopbackHost(host) {
			t.Errorf("checkLoopback(%q) = %v, want ok %t (as endpoint.IsLoopbackHost)", tc.addr, err, tc.ok)
		}
		if err := checkLoopback(tc.addr, true); err != nil {
			t.Errorf("checkLoopback(%q, allowRemote) = %v", tc.addr, err)
		}
	}
}

// TestFakeServerBanner: the text banner's "export" lines, pasted, point
// drstemplate at the fake; -o json prints one JSON object with the URL,
// the project and the credentials, and nothing else on stdout.
func TestFakeServerBanner(t *testing.T) {
	cleanEnv(t)
	banner, _, _, stop := startCommand(t, "fake-server", "--addr", "127.0.0.1:0", "--seed", "5", "--tasks", "1", "--export-duration", "0s")
	defer func() { _ = stop() }()
	var exports int
	for k := range banner {
		line, ok := strings.CutPrefix(k, "export ")
		if !ok {
			continue
		}
		exports++
		name, value, _ := strings.Cut(line, "=")
		t.Setenv(name, value)
	}
	if exports != 4 {
		t.Fatalf("%d export lines, want 4 (endpoint, AK, SK, project): %v", exports, banner)
	}
	if res := run(t, "list"); res.code != exitOK {
		t.Errorf("list with the pasted environment: exit %d\n%s", res.code, res.stderr)
	}

	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	root := newRootCommand()
	root.SetOut(pw)
	root.SetErr(&stderr)
	root.SetArgs([]string{"fake-server", "-o", "json", "--addr", "127.0.0.1:0", "--seed", "5", "--tasks", "1"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		_ = pw.Close()
		done <- err
	}()
	var b fakeBanner
	if err := json.NewDecoder(pr).Decode(&b); err != nil {
		cancel()
		t.Fatalf("fake-server -o json: %v", err)
	}
	want := drsfake.DefaultCredentials(5)
	if !strings.HasPrefix(b.URL, "http://127.0.0.1:") || len(b.ProjectID) != 32 || b.Credentials.AccessKey != want.AccessKey ||
		b.Credentials.SecretKey != want.SecretKey || b.Credentials.Token != want.Token || len(b.Tasks) != 1 ||
		b.Env[envEndpoint] != b.URL || b.Env[auth.EnvProjectID] != b.ProjectID {
		t.Errorf("the JSON banner: %+v", b)
	}
	cancel()
	rest, _ := io.ReadAll(pr)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(rest)) != "" || !strings.Contains(stderr.String(), "drsfake: stopped") {
		t.Errorf("after the JSON object: stdout %q, stderr %q", rest, stderr.String())
	}
}

// TestCallsLine: the line is what benchproc.ParseCalls reads, for calls
// and for none.
func TestCallsLine(t *testing.T) {
	for _, in := range []map[drsfake.Operation]int64{
		{},
		{drsfake.OpShowExportProgress: 7, drsfake.OpExportCreationTemplate: 1, drsfake.OpDownloadCreateTemplate: 1000},
	} {
		line := callsLine(in)
		got, err := benchproc.ParseCalls(line)
		want := benchproc.Calls{}
		for op, n := range in {
			want[string(op)] = n
		}
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("ParseCalls(%q) = %v, %v; want %v", line, got, err, want)
		}
	}
	if got, want := callsLine(map[drsfake.Operation]int64{drsfake.OpShowExportProgress: 2, drsfake.OpExportCreationTemplate: 1}),
		"drsfake: calls: ExportCreationTemplate=1 ShowExportProgress=2"; got != want {
		t.Errorf("callsLine = %q, want %q", got, want)
	}
}
