package catalogue

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate"
	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/endpoint"
)

// Distinctive made-up credentials: no output of any case may show them.
const (
	accessKey = "CATALOGUEAKNOPRINT00"
	secretKey = "catalogue-secret-key-never-printed-42"
	project   = "5237e10fe9aa4ad5b16b6a5245248314"
)

// bin is the drstemplate command, built once for the catalogue.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "catalogue")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "drstemplate")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// env is what one case runs in: a server, a client of it, and an empty
// output directory (inside a parent that must stay otherwise empty) for the
// library and for the command each.
type env struct {
	srv    *hostile
	url    string
	client *drstemplate.Client
	dir    string // scratch space for inputs (task files, workbooks)
	out    string // where the case writes
}

// badInput is one class of bad input and how the library and the command
// must meet it.
type badInput struct {
	class, name string
	// server, when set, adapts the hostile server for the case.
	server func(t *testing.T, h *hostile)
	// setup prepares inputs in e.dir (and may make e.out a full disk).
	setup func(t *testing.T, e *env)
	// lib runs the case through the library; libErr says whether its error
	// is the right one (nil: it must succeed).
	lib    func(ctx context.Context, e *env) error
	libErr func(error) bool
	// args are the command's arguments ({out}, {dir} and {url} are
	// replaced); exit is its exit code, stderr a phrase its error shows.
	args   []string
	exit   int
	stderr string
	// written are the files the output directory holds afterwards.
	written []string
	// noCalls: the input is refused before any request.
	noCalls bool
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

func apiStatus(status int) func(error) bool {
	return func(err error) bool {
		var apiErr *drstemplate.APIError
		return errors.As(err, &apiErr) && apiErr.StatusCode == status
	}
}

// exportTo runs the whole flow for tasks into the case's directory.
func exportTo(tasks ...string) func(ctx context.Context, e *env) error {
	return func(ctx context.Context, e *env) error {
		_, err := e.client.ExportAndDownload(ctx, e.out, tasks, nil)
		return err
	}
}

// downloadTo downloads names into the case's directory.
func downloadTo(names ...string) func(ctx context.Context, e *env) error {
	return func(ctx context.Context, e *env) error {
		_, err := e.client.DownloadToDir(ctx, e.out, names, nil)
		return err
	}
}

// importFile imports the file name of the case's input directory.
func importFile(name string) func(ctx context.Context, e *env) error {
	return func(ctx context.Context, e *env) error {
		f, err := os.Open(filepath.Join(e.dir, name))
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		_, err = e.client.Import(ctx, name, f, nil)
		return err
	}
}

// refusedRows matches an *ImportError listing at least n rows (none when n
// is 0).
func refusedRows(n int) func(error) bool {
	return func(err error) bool {
		var refused *drstemplate.ImportError
		return errors.As(err, &refused) && refused.Code == drsfake.CodeImportParseFailed &&
			(n == 0 && len(refused.Rows) == 0 || n > 0 && len(refused.Rows) >= n)
	}
}

// newWith builds a client with opts, to see New refuse them.
func newWith(opts ...drstemplate.Option) func(context.Context, *env) error {
	return func(context.Context, *env) error {
		_, err := drstemplate.New(append(opts, drstemplate.WithCredentials(auth.StaticToken("t")))...)
		return err
	}
}

var catalogue = []badInput{
	// Task ids and lists: refused before any call.
	{class: "task ids", name: "repeated", lib: exportTo("t1", "t1"), libErr: is(drstemplate.ErrInvalidInput),
		args: []string{"export", "t1", "t1", "--out", "{out}"}, exit: 2, stderr: "repeats", noCalls: true},
	{class: "task ids", name: "blank", lib: exportTo("t1", " "), libErr: is(drstemplate.ErrInvalidInput),
		args: []string{"export", "t1", " ", "--out", "{out}"}, exit: 2, stderr: "argument 2", noCalls: true},
	{class: "task ids", name: "a control character", lib: exportTo("t\x1b[31m1"), libErr: is(drstemplate.ErrInvalidInput),
		args: []string{"export", "t\x1b[31m1", "--out", "{out}"}, exit: 2, stderr: `\x1b`, noCalls: true},
	{class: "task ids", name: "longer than the contract allows", lib: exportTo(strings.Repeat("x", 129)), libErr: is(drstemplate.ErrInvalidInput),
		args: []string{"export", strings.Repeat("x", 129), "--out", "{out}"}, exit: 2, stderr: "128", noCalls: true},
	{class: "task lists", name: "empty", lib: exportTo(), libErr: is(drstemplate.ErrInvalidInput),
		args: []string{"export", "--out", "{out}"}, exit: 2, stderr: "task", noCalls: true},
	{class: "task lists", name: "more than one export may carry",
		lib: func(ctx context.Context, e *env) error {
			_, err := e.client.Export(ctx, manyIDs(1001)...)
			return err
		}, libErr: is(drstemplate.ErrInvalidInput),
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.txt", strings.Join(manyIDs(1001), "\n")) },
		args:  []string{"export", "--no-wait", "--no-id-check", "--tasks-file", "{dir}/tasks.txt"}, exit: 2, stderr: "1001", noCalls: true},
	{class: "task ids", name: "not in DRS's shape",
		args: []string{"export", "0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01", "12345,", "--out", "{out}"}, exit: 2,
		stderr: `argument 2: "12345," is not a DRS task id: it has ',' at character 6`, noCalls: true},

	// Regions and endpoints: refused when the client is made.
	{class: "regions", name: "with a path in it", lib: newWith(drstemplate.WithRegion("cn/../evil")), libErr: is(endpoint.ErrInvalidRegion),
		args: []string{"list", "--region", "cn/../evil", "--endpoint", ""}, exit: 2, stderr: "region", noCalls: true},
	{class: "endpoints", name: "plain http to a remote host", lib: newWith(drstemplate.WithEndpoint("http://drs.example.com")), libErr: is(endpoint.ErrInvalidEndpoint),
		args: []string{"list", "--endpoint", "http://drs.example.com"}, exit: 2, stderr: "https", noCalls: true},
	{class: "endpoints", name: "user info in the URL", lib: newWith(drstemplate.WithEndpoint("https://admin:hunter2@drs.example.com")), libErr: is(endpoint.ErrInvalidEndpoint),
		args: []string{"list", "--endpoint", "https://admin:hunter2@drs.example.com"}, exit: 2, stderr: "user info", noCalls: true},
	{class: "endpoints", name: "not http", lib: newWith(drstemplate.WithEndpoint("ftp://drs.example.com")), libErr: is(endpoint.ErrInvalidEndpoint),
		args: []string{"list", "--endpoint", "ftp://drs.example.com"}, exit: 2, stderr: "https", noCalls: true},

	// Task files (the command's own input).
	{class: "task files", name: "a bad line is named",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.txt", "t1\n# a comment\nt2 t3\n") },
		args:  []string{"export", "--tasks-file", "{dir}/tasks.txt", "--out", "{out}"}, exit: 2, stderr: "tasks.txt:3", noCalls: true},
	{class: "task files", name: "a repeated id names both lines",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.txt", "t1\nt2\nt1\n") },
		args:  []string{"export", "--tasks-file", "{dir}/tasks.txt", "--out", "{out}"}, exit: 2, stderr: "line 1", noCalls: true},
	{class: "task files", name: "missing",
		args: []string{"export", "--tasks-file", "{dir}/no-such-file", "--out", "{out}"}, exit: 2, stderr: "no-such-file", noCalls: true},

	// Unsafe file names from the server: written inside the directory,
	// under a safe name, or not at all.
	{class: "unsafe server file names", name: "a path that climbs out",
		server: func(_ *testing.T, h *hostile) {
			h.name = func(task string) string { return task + "_mysql_20300101000000.xlsx" }
		},
		lib: exportTo("../../escape"), args: []string{"export", "--no-id-check", "../../escape", "--out", "{out}"}, exit: 0,
		written: []string{"_.._escape_mysql_20300101000000.xlsx"}},
	{class: "unsafe server file names", name: "Windows paths and hidden files",
		lib: exportTo(`C:\evil\t1`, ".hidden"), args: []string{"export", "--no-id-check", `C:\evil\t1`, ".hidden", "--out", "{out}"}, exit: 0,
		written: []string{"C__evil_t1_mysql_20300101000000.xlsx", "hidden_mysql_20300101000000.xlsx"}},
	{class: "unsafe server file names", name: "terminal escapes",
		lib: downloadTo("x\x1b]0;pwned\x07.xlsx"), args: []string{"download", "x\x1b]0;pwned\x07.xlsx", "--out", "{out}"}, exit: 0,
		written: []string{"x_]0;pwned_.xlsx"}},

	// Bundles of several files (a .zip).
	{class: "hostile bundles", name: "zip-slip entries are never written",
		server: func(t *testing.T, h *hostile) {
			h.download = bundle(t, func(zw *zip.Writer) {
				entry(zw, &zip.FileHeader{Name: "../../a.xlsx", Method: zip.Deflate}, xlsx)
				entry(zw, &zip.FileHeader{Name: "/tmp/b.xlsx", Method: zip.Deflate}, xlsx)
				entry(zw, &zip.FileHeader{Name: "a.xlsx", Method: zip.Deflate}, xlsx)
				entry(zw, &zip.FileHeader{Name: "b.xlsx", Method: zip.Deflate}, xlsx)
			})
		},
		lib: downloadTo("a.xlsx", "b.xlsx"), args: []string{"download", "a.xlsx", "b.xlsx", "--out", "{out}"}, exit: 0,
		written: []string{"a.xlsx", "b.xlsx"}},
	{class: "hostile bundles", name: "a symbolic link",
		server: func(t *testing.T, h *hostile) {
			h.download = bundle(t, func(zw *zip.Writer) {
				l := &zip.FileHeader{Name: "a.xlsx"}
				l.SetMode(os.ModeSymlink | 0o777)
				entry(zw, l, []byte("/etc/passwd"))
				entry(zw, &zip.FileHeader{Name: "b.xlsx", Method: zip.Deflate}, xlsx)
			})
		},
		lib: downloadTo("a.xlsx", "b.xlsx"), libErr: is(drstemplate.ErrNotTemplate),
		args: []string{"download", "a.xlsx", "b.xlsx", "--out", "{out}"}, exit: 1, stderr: "not a regular file"},
	{class: "hostile bundles", name: "a zip bomb",
		server: func(t *testing.T, h *hostile) {
			h.download = bundle(t, func(zw *zip.Writer) {
				entry(zw, &zip.FileHeader{Name: "a.xlsx", Method: zip.Deflate}, append(slices.Clone(xlsx), make([]byte, 8<<20)...))
				entry(zw, &zip.FileHeader{Name: "b.xlsx", Method: zip.Deflate}, xlsx)
			})
		},
		lib: downloadTo("a.xlsx", "b.xlsx"), libErr: is(drstemplate.ErrNotTemplate),
		args: []string{"download", "a.xlsx", "b.xlsx", "--out", "{out}"}, exit: 1, stderr: "zip bomb"},

	// Files that are not workbooks.
	{class: "not a workbook", name: "an HTML page as the download",
		server: func(_ *testing.T, h *hostile) {
			h.download = answer(http.StatusOK, "text/html", "<html><body>Sign in to continue</body></html>")
		},
		lib: downloadTo("a.xlsx"), libErr: is(drstemplate.ErrNotTemplate),
		args: []string{"download", "a.xlsx", "--out", "{out}"}, exit: 1, stderr: "not a zip container"},
	{class: "not a workbook", name: "a text file to inspect",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "notes.xlsx", "just some notes\n") },
		lib: func(_ context.Context, e *env) error {
			_, err := workbook.Open(filepath.Join(e.dir, "notes.xlsx"))
			return err
		}, libErr: is(workbook.ErrNotWorkbook),
		args: []string{"inspect", "{dir}/notes.xlsx"}, exit: 1, stderr: "not"},

	// Import files: what is not a workbook is refused before anything is
	// sent (exit 2); what DRS refuses comes back row by row (exit 1).
	{class: "import files", name: "not a workbook",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.xlsx", "Setting,Value\nTask name,orders\n") },
		lib:   importFile("tasks.xlsx"), libErr: is(drstemplate.ErrNotWorkbook),
		args: []string{"import", "{dir}/tasks.xlsx"}, exit: 2, stderr: "not a workbook", noCalls: true},
	{class: "import files", name: "50 MB",
		setup: func(t *testing.T, e *env) {
			writeFile(t, e.dir, "tasks.xlsx", string(append(slices.Clone(xlsx), make([]byte, 50_000_000)...)))
		},
		lib: importFile("tasks.xlsx"), libErr: is(drstemplate.ErrNotWorkbook),
		args: []string{"import", "{dir}/tasks.xlsx"}, exit: 2, stderr: "more than the 10485760", noCalls: true},
	{class: "import files", name: "a zip bomb",
		// A workbook with a part that inflates to 200 MB: the client sends
		// its 200 KB (it checks the container, not what it inflates to) and
		// DRS refuses it whole.
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.xlsx", string(zipBomb(t))) },
		lib:   importFile("tasks.xlsx"), libErr: refusedRows(0),
		args: []string{"import", "{dir}/tasks.xlsx"}, exit: 1, stderr: drsfake.CodeImportParseFailed},
	{class: "import files", name: "an empty sheet",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.xlsx", string(xlsx)) },
		lib:   importFile("tasks.xlsx"), libErr: refusedRows(0),
		args: []string{"import", "{dir}/tasks.xlsx"}, exit: 1, stderr: "header row"},
	{class: "import files", name: "a row error on every row",
		setup: func(t *testing.T, e *env) { writeFile(t, e.dir, "tasks.xlsx", string(everyRowRefused(t, 300))) },
		lib:   importFile("tasks.xlsx"), libErr: refusedRows(300),
		args: []string{"import", "{dir}/tasks.xlsx"}, exit: 1, stderr: "rows refused"},

	// Error bodies and content types that are not what the contract says.
	{class: "error bodies", name: "an HTML error page",
		server: func(_ *testing.T, h *hostile) {
			h.progress = answer(http.StatusNotFound, "text/html", "<html>\n<h1>404 Not Found</h1>\n<p>nginx</p>\n</html>\n")
		},
		lib: func(ctx context.Context, e *env) error {
			_, err := e.client.Poll(ctx, "62a055ae-ce03-4232-beb6-46c83b8ef2b2")
			return err
		}, libErr: apiStatus(http.StatusNotFound),
		args: []string{"status", "62a055ae-ce03-4232-beb6-46c83b8ef2b2"}, exit: 1, stderr: "HTTP 404"},
	{class: "error bodies", name: "a JSON error cut short",
		server: func(_ *testing.T, h *hostile) {
			h.progress = answer(http.StatusBadRequest, "application/json", `{"error_code":"DRS.M000`)
		},
		lib: func(ctx context.Context, e *env) error {
			_, err := e.client.Poll(ctx, "62a055ae-ce03-4232-beb6-46c83b8ef2b2")
			return err
		}, libErr: apiStatus(http.StatusBadRequest),
		args: []string{"status", "62a055ae-ce03-4232-beb6-46c83b8ef2b2"}, exit: 1, stderr: "HTTP 400"},
	{class: "content types", name: "HTML where JSON belongs",
		server: func(_ *testing.T, h *hostile) {
			h.progress = answer(http.StatusOK, "text/html", "<html>portal</html>")
		},
		lib: func(ctx context.Context, e *env) error {
			_, err := e.client.Poll(ctx, "62a055ae-ce03-4232-beb6-46c83b8ef2b2")
			return err
		}, libErr: is(drstemplate.ErrUnexpectedResponse),
		args: []string{"status", "62a055ae-ce03-4232-beb6-46c83b8ef2b2"}, exit: 1, stderr: "text/html"},

	// A full disk: the download fails, and nothing partial stays.
	{class: "a full disk", name: "a 16 KiB file system",
		server: func(_ *testing.T, h *hostile) { h.download = big(256 << 10) },
		setup:  mountSmallDisk,
		lib:    downloadTo("a.xlsx"), libErr: is(syscall.ENOSPC),
		args: []string{"download", "a.xlsx", "--out", "{out}"}, exit: 1, stderr: "no space left"},
}

// TestBadInput runs the catalogue.
func TestBadInput(t *testing.T) {
	for _, tc := range catalogue {
		t.Run(tc.class+"/"+tc.name, func(t *testing.T) {
			if tc.lib != nil {
				t.Run("library", func(t *testing.T) { runLibrary(t, tc) })
			}
			t.Run("command", func(t *testing.T) { runCommand(t, tc) })
		})
	}
}

// newEnv starts the case's server and makes its directories.
func newEnv(t *testing.T, tc badInput) *env {
	fake, err := drsfake.New(drsfake.WithAccessKey(accessKey, secretKey), drsfake.WithProjectID(project), drsfake.WithImportValidation(0))
	if err != nil {
		t.Fatal(err)
	}
	h := &hostile{drs: fake}
	if tc.server != nil {
		tc.server(t, h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	parent := t.TempDir()
	e := &env{srv: h, url: srv.URL, dir: t.TempDir(), out: filepath.Join(parent, "out")}
	if err := os.Mkdir(e.out, 0o700); err != nil {
		t.Fatal(err)
	}
	if tc.setup != nil {
		tc.setup(t, e)
	}
	e.client, err = drstemplate.New(drstemplate.WithEndpoint(srv.URL), drstemplate.WithProjectID(project),
		drstemplate.WithCredentials(auth.AccessKey{ID: accessKey, Secret: secretKey, ProjectID: project}),
		drstemplate.WithRetryPolicy(drstemplate.RetryPolicy{MaxAttempts: 2, MinDelay: 10 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func runLibrary(t *testing.T, tc badInput) {
	e := newEnv(t, tc)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	err := tc.lib(ctx, e)
	switch {
	case tc.libErr == nil && err != nil:
		t.Fatalf("err = %v, want success", err)
	case tc.libErr != nil && (err == nil || !tc.libErr(err)):
		t.Fatalf("err = %v, not the expected kind", err)
	}
	if err != nil {
		checkMessage(t, err.Error())
	}
	checkAfter(t, tc, e)
}

func runCommand(t *testing.T, tc badInput) {
	e := newEnv(t, tc)
	args := make([]string, 0, len(tc.args)+4)
	for _, a := range tc.args {
		args = append(args, strings.NewReplacer("{out}", e.out, "{dir}", e.dir, "{url}", e.url).Replace(a))
	}
	if needsServer(args) && !slices.Contains(args, "--endpoint") {
		args = append(args, "--endpoint", e.url, "--project-id", project)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+e.dir, auth.EnvAccessKey+"="+accessKey, auth.EnvSecretKey+"="+secretKey,
		auth.EnvProjectID+"="+project, "DRSTEMPLATE_POLL_INTERVAL=", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != tc.exit {
		t.Errorf("exit %d, want %d\nstderr: %s", code, tc.exit, stderr.String())
	}
	if tc.stderr != "" && !strings.Contains(stderr.String(), tc.stderr) {
		t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr.String())
	}
	checkMessage(t, stdout.String()+stderr.String())
	checkAfter(t, tc, e)
}

// needsServer reports whether the command talks to DRS.
func needsServer(args []string) bool {
	return len(args) > 0 && slices.Contains([]string{"export", "status", "list", "download", "blank", "import", "batch"}, args[0])
}

// checkMessage checks what a user sees: no secret, no raw control
// character.
func checkMessage(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretKey, "hunter2"} {
		if strings.Contains(s, secret) {
			t.Errorf("the output shows a secret: %q", s)
		}
	}
	if strings.ContainsAny(s, "\x1b\x07") {
		t.Errorf("the output holds raw control characters: %q", s)
	}
}

// checkAfter checks what the case left: the files it should have written
// in the output directory, nothing else there or beside it, and no call
// when the input should have been refused first.
func checkAfter(t *testing.T, tc badInput, e *env) {
	t.Helper()
	var got []string
	entries, err := os.ReadDir(e.out)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if en.Name() == "drstemplate-manifest.json" {
			continue // the command's record of the run
		}
		got = append(got, en.Name())
	}
	want := slices.Clone(tc.written)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the directory holds %q, want %q", got, want)
	}
	if siblings, _ := os.ReadDir(filepath.Dir(e.out)); len(siblings) != 1 {
		t.Errorf("something was written beside the directory: %v", siblings)
	}
	if tc.noCalls && e.srv.calls.Load() != 0 {
		t.Errorf("%d requests were made for input that should have been refused first", e.srv.calls.Load())
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("task-%04d", i)
	}
	return ids
}
