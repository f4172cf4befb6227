package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/manifest"
	"github.com/drs-tools/drstemplate/cmd/drstemplate/internal/workbook"
	"github.com/drs-tools/drstemplate/drsfake"
)

// The demo's made-up access key: printed and documented on purpose, it
// opens nothing but the in-process fake.
const (
	demoAccessKey = "DEMOAKDRSTEMPLATE000"
	demoSecretKey = "demo-secret-key-of-the-in-process-fake-only"
)

// demoTasks are the fake's tasks: several engines, as a DRS project has.
func demoTasks() []drsfake.Task {
	return []drsfake.Task{
		{ID: "0d3e8ca1-2b61-4b4c-9d3a-2c5c0a8fjb01", Name: "orders-mysql-to-rds", Engine: "mysql", Type: "migration",
			SourceEndpoint: "192.168.0.10:3306", TargetEndpoint: "192.168.10.21:3306",
			Settings: map[string]string{"migration_type": "full+incremental", "databases": "orders,payments", "speed_limit_mbps": "50", "network_type": "vpc"}},
		{ID: "5b71f0de-93c4-4f0e-8a12-7e4b1c9djb02", Name: "billing-pg-sync", Engine: "postgresql", Type: "synchronization",
			SourceEndpoint: "192.168.0.20:5432", TargetEndpoint: "192.168.10.22:5432",
			Settings: map[string]string{"sync_mode": "incremental", "schemas": "public,billing", "conflict_policy": "overwrite", "ddl_sync": "on"}},
		{ID: "a9c2e4f7-1d38-4b6a-b5e0-3f8d2a6cjb03", Name: "ledger-to-gaussdb", Engine: "gaussdbv5", Type: "migration",
			SourceEndpoint: "192.168.0.30:8000", TargetEndpoint: "192.168.10.23:8000",
			Settings: map[string]string{"migration_type": "full", "databases": "ledger", "compatibility": "ORA", "parallelism": "8"}},
		{ID: "3e6b8d21-7c4f-4a95-9e03-b2d7f1a8jb04", Name: "catalog-mongodb-dr", Engine: "mongodb", Type: "disaster_recovery",
			SourceEndpoint: "192.168.0.40:8635", TargetEndpoint: "192.168.10.24:8635",
			Settings: map[string]string{"replica_set": "rs0", "collections": "catalog.*", "read_preference": "secondaryPreferred"}},
		{ID: "c4f1a7b9-6e20-4d83-a1c5-8b9e0d3fjb05", Name: "sessions-redis-migration", Engine: "redis", Type: "migration",
			SourceEndpoint: "192.168.0.50:6379", TargetEndpoint: "192.168.10.25:6379",
			Settings: map[string]string{"migration_type": "full+incremental", "db_index": "0-15", "key_filter": "session:*"}},
		{ID: "e8d2b6c3-4a19-4f7e-8c60-1a5f9b2ejb06", Name: "crm-mysql-to-gaussdb", Engine: "mysql", Type: "synchronization",
			SourceEndpoint: "192.168.0.60:3306", TargetEndpoint: "192.168.10.26:8000",
			Settings: map[string]string{"sync_mode": "full+incremental", "databases": "crm", "object_mapping": "crm→crm_v2", "filter_dml": "delete"}},
	}
}

// demoReport is what `demo -o json` prints.
type demoReport struct {
	Fake   string        `json:"fake"`
	Export *exportReport `json:"export"`
	Calls  []demoCall    `json:"calls"`
	// RoundTrip is the round trip's: the edited copy imported, committed
	// and exported again, and the diff.
	RoundTrip *roundTripReport `json:"round_trip"`
}

// demoCall counts the calls of one operation the fake answered.
type demoCall struct {
	Operation string `json:"operation"`
	Count     int    `json:"count"`
}

func newDemoCommand(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole export, and the round trip back, against a built-in fake DRS service",
		Long: `Start drsfake, a fake DRS service, in this process on a free loopback port,
with six tasks of several engines (MySQL, PostgreSQL, GaussDB, MongoDB,
Redis), and run exactly what "drstemplate export" runs against it with AK/SK
credentials — every request signed — downloading the templates into --out.
Then print what was called, how long each step took, where the files are,
and the contents of one workbook.

Then go all the way round: change the task name and one setting in a copy of
that workbook, import it, wait for the validation, commit (the fake creates
the task), export the new task's template into --out/roundtrip and diff it
with the original. The diff shows the two edits and nothing else, once the
rows that identify a task and its export (Task ID, Template file, Exported at
(UTC)) are left out with diff --ignore; those are shown apart, as they differ
between any two tasks' templates.

The credentials are made up and open nothing but this fake, which stops
with the demo: only the access key id is shown. A directory left by an
earlier demo is cleared first; any other non-empty --out is refused.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), cmd, g, out)
		},
	}
	cmd.Flags().StringVar(&out, "out", "drstemplate-demo", "directory for the downloaded templates")
	return cmd
}

// callLog records the calls the fake answers, for the summary.
type callLog struct {
	mu    sync.Mutex
	calls []call
}

type call struct {
	op         string
	start, end time.Time
}

// wrap records each request h serves.
func (l *callLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		l.mu.Lock()
		l.calls = append(l.calls, call{operationOf(r), start, time.Now()})
		l.mu.Unlock()
	})
}

// operationOf names the DRS operation of a request by its path.
func operationOf(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/jobs/export/template"):
		return "ExportCreationTemplate"
	case strings.HasSuffix(p, "/export/progress"):
		return "ShowExportProgress"
	case strings.HasSuffix(p, "/templates/download"):
		return "DownloadCreateTemplate"
	case strings.HasSuffix(p, "/templates"):
		return "ListTemplates"
	}
	return r.Method + " " + p
}

// demoOperations are the DRS operations, in the order of an export.
var demoOperations = []string{"ExportCreationTemplate", "ShowExportProgress", "ListTemplates", "DownloadCreateTemplate"}

// counts is how many calls of each operation the fake answered.
func (l *callLog) counts() []demoCall {
	calls := make([]demoCall, 0, len(demoOperations))
	for _, op := range demoOperations {
		_, _, n := l.span(op)
		calls = append(calls, demoCall{op, n})
	}
	return calls
}

// steps are the rows of the demo's summary: each step of the export, its
// calls and how long it took.
func (l *callLog) steps() [][]string {
	subStart, subEnd, _ := l.span("ExportCreationTemplate")
	_, waitEnd, polls := l.span("ShowExportProgress")
	listStart, _, _ := l.span("ListTemplates")
	_, dlEnd, dls := l.span("DownloadCreateTemplate")
	return [][]string{
		{"  ExportCreationTemplate", "1 call", "submit", ms(subEnd.Sub(subStart))},
		{"  ShowExportProgress", plural(polls, "call"), "wait for pending → running → success", ms(waitEnd.Sub(subEnd))},
		{"  ListTemplates + DownloadCreateTemplate", plural(dls, "download"), "find and download the files", ms(dlEnd.Sub(listStart))},
	}
}

// span is the first start and last end of op's calls.
func (l *callLog) span(op string) (first, last time.Time, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.calls {
		if c.op != op {
			continue
		}
		if n == 0 || c.start.Before(first) {
			first = c.start
		}
		if c.end.After(last) {
			last = c.end
		}
		n++
	}
	return first, last, n
}

// runDemo runs the demo's steps: start the fake, run export against it,
// then tell what was called and show a workbook.
func runDemo(ctx context.Context, cmd *cobra.Command, g *globals, out string) error {
	if out == "" {
		return usagef("--out must not be empty")
	}
	started := time.Now()
	fake, err := startDemoFake(ctx)
	if err != nil {
		return err
	}
	defer fake.stop()
	fakeUp := time.Since(started)
	if err := clearDemoDir(out); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	say := func(format string, args ...any) {
		if !g.json() {
			_, _ = fmt.Fprintf(w, format, args...)
		}
	}
	fake.introduce(say, out, fakeUp)

	exportStart := time.Now()
	rep, err := fake.export(ctx, cmd, g, out)
	if rep == nil {
		return err
	}
	exportTook := time.Since(exportStart)
	if g.json() {
		var trip *roundTripReport
		if err == nil {
			trip, err = fake.roundTrip(ctx, cmd, g, out, demoOriginal(rep), say)
		}
		if werr := writeJSON(w, demoReport{Fake: fake.base, Export: rep, Calls: fake.calls.counts(), RoundTrip: trip}); werr != nil && err == nil {
			err = werr
		}
		return err
	}
	if werr := rep.writeText(w); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	say("\n3. what was called, and how long each step took (export: %s in all)\n", ms(exportTook))
	_ = table(w, nil, fake.calls.steps())
	first := rep.Tasks[0].File
	say("\n4. drstemplate inspect %s\n\n", first.Path)
	wb, err := workbook.Open(first.Path)
	if err != nil {
		return err
	}
	if err := workbook.WriteText(w, wb); err != nil {
		return err
	}
	if _, err := fake.roundTrip(ctx, cmd, g, out, demoOriginal(rep), say); err != nil {
		return err
	}
	say("\nThe templates are in %s/ (%s and %s, for export --resume; the round trip's in %s/).\n",
		out, plural(len(rep.Tasks), "workbook"), manifest.FileName, filepath.Join(out, roundTripDir))
	say("Next: drstemplate inspect FILE, drstemplate diff A B, drstemplate blank, drstemplate import --help, drstemplate fake-server.\n")
	say("Done in %s.\n", ms(time.Since(started)))
	return nil
}

// demoFake is the demo's drsfake, served on a loopback port.
type demoFake struct {
	fake  *drsfake.Server
	tasks []drsfake.Task
	base  string // its URL
	calls *callLog
	stop  func()
}

// startDemoFake starts the demo's fake on a free loopback port.
func startDemoFake(ctx context.Context) (*demoFake, error) {
	d := &demoFake{tasks: demoTasks(), calls: &callLog{}}
	var err error
	d.fake, err = drsfake.New(
		drsfake.WithTasks(d.tasks...),
		drsfake.WithAccessKey(demoAccessKey, demoSecretKey),
		drsfake.WithExportTimings(400*time.Millisecond, 1200*time.Millisecond),
		drsfake.WithSeed(1),
	)
	if err != nil {
		return nil, fmt.Errorf("demo: starting drsfake: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listening on loopback: %w", err)
	}
	srv := &http.Server{Handler: d.calls.wrap(d.fake), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // http.ErrServerClosed once the demo is over
	}()
	d.stop = func() {
		_ = srv.Close()
		<-served
	}
	d.base = "http://" + ln.Addr().String()
	return d, nil
}

// introduce says what the demo runs against and what it is about to run.
func (d *demoFake) introduce(say func(string, ...any), out string, startup time.Duration) {
	engines := map[string]bool{}
	for _, t := range d.tasks {
		engines[t.Engine] = true
	}
	say("drstemplate demo: the whole export against drsfake, a fake DRS service in this process\n\n")
	say("1. started drsfake at %s (%s) with %s of %s: %s\n", d.base, ms(startup),
		plural(len(d.tasks), "task"), plural(len(engines), "engine"), strings.Join(sortedKeys(engines), ", "))
	say("   AK/SK credentials made up for it: access key %s (the secret key is not shown)\n\n", demoAccessKey)
	say("2. drstemplate export --endpoint %s --project-id %s %s --out %s\n",
		d.base, d.fake.ProjectIDs()[0], "<6 task ids>", out)
	say("   (every request signed with SDK-HMAC-SHA256; progress on stderr)\n\n")
}

// export runs what `drstemplate export` runs, against the fake, with its
// AK/SK, into out.
func (d *demoFake) export(ctx context.Context, cmd *cobra.Command, g *globals, out string) (*exportReport, error) {
	f := &exportFlags{
		cloud:        d.cloudConfig(),
		out:          out,
		pollInterval: 300 * time.Millisecond,
	}
	ids := make([]string, len(d.tasks))
	for i, t := range d.tasks {
		ids[i] = t.ID
	}
	logTo := &switchWriter{w: cmd.ErrOrStderr()}
	c, err := f.cloud.newClient(cmd, g, logTo, f.clientOptions()...)
	if err != nil {
		return nil, err
	}
	return runExport(ctx, cmd, g, c, logTo, f, ids)
}

// cloudConfig is the configuration of a client of the fake, with its
// AK/SK.
func (d *demoFake) cloudConfig() cloudConfig {
	return cloudConfig{
		endpoint: d.base, projectID: d.fake.ProjectIDs()[0],
		accessKey: demoAccessKey, secretKey: demoSecretKey,
	}
}

// clearDemoDir makes out ready for the demo: missing or empty is fine; a
// directory an earlier demo filled (its manifest names a loopback fake)
// is cleared of what that manifest lists; anything else is refused.
func clearDemoDir(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: --out: %w", err)
	}
	m, err := manifest.Read(out)
	if err != nil || !strings.HasPrefix(m.Endpoint, "http://127.0.0.1:") {
		return usagef("demo: %s is not empty and not an earlier demo's output: remove it or choose another --out", out)
	}
	for _, st := range m.State {
		if st.File == nil {
			continue
		}
		if p := manifest.LocalPath(out, *st.File); p != "" {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("demo: clearing %s: %w", out, err)
			}
		}
	}
	// The journal before the manifest: a kill between the two leaves a
	// manifest the next demo recognises, not a journal alone it refuses.
	if err := os.Remove(filepath.Join(out, manifest.JournalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("demo: clearing %s: %w", out, err)
	}
	if err := os.Remove(manifest.Path(out)); err != nil {
		return fmt.Errorf("demo: clearing %s: %w", out, err)
	}
	if err := os.RemoveAll(filepath.Join(out, roundTripDir)); err != nil {
		return fmt.Errorf("demo: clearing %s: %w", out, err)
	}
	return nil
}

// demoOriginal is the path of the template the round trip starts from:
// the first task's, which has the setting it edits.
func demoOriginal(rep *exportReport) string {
	for _, t := range rep.Tasks {
		if t.TaskID == demoTasks()[0].ID && t.File != nil {
			return t.File.Path
		}
	}
	return rep.Tasks[0].File.Path
}

// ms renders a duration for the summary: "12ms", "1.84s".
func ms(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
