package huaweisdk_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/invoker/retry"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5/model"
	"github.com/xuri/excelize/v2"

	"github.com/drs-tools/drstemplate/compat/huaweisdk/internal/sdkhome"
	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/drsfake/drsfaketest"
)

// TestMain runs the tests with a throw-away home directory (see sdkhome).
func TestMain(m *testing.M) { os.Exit(sdkhome.Run(m)) }

// sdkDateLayout is the layout of X-Sdk-Date.
const sdkDateLayout = "20060102T150405Z"

// Patterns of what the SDK sends and the fake answers.
var (
	authorizationRE = regexp.MustCompile(`^SDK-HMAC-SHA256 Access=([^ ,]+), SignedHeaders=([^ ,]+), Signature=([0-9a-f]{64})$`)
	uuidRE          = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	fileNameRE      = regexp.MustCompile(`^(.+)_([a-z0-9.]+)_([0-9]{14})\.xlsx$`)
)

// exchange is one request as drsfake received it, and the request id and
// error message of its answer.
type exchange struct {
	Method, Path, RawQuery, Host string
	Header                       http.Header
	Body                         []byte
	RequestID                    string // X-Request-Id of the answer
	ErrorMsg                     string // error_msg of an error answer's JSON body
}

// answerWriter keeps the body of an error answer as it passes.
type answerWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (a *answerWriter) WriteHeader(status int) {
	a.status = status
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerWriter) Write(p []byte) (int, error) {
	if a.status >= 400 {
		a.body.Write(p)
	}
	return a.ResponseWriter.Write(p)
}

// Unwrap lets the fake's injected faults take over the connection.
func (a *answerWriter) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// recorder is an http.Handler in front of the fake that keeps every request
// it passes on: what the SDK really puts on the wire.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	log  []exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "recorder: reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ex := exchange{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Host: r.Host,
		Header: r.Header.Clone(), Body: body,
	}
	aw := &answerWriter{ResponseWriter: w}
	rec.next.ServeHTTP(aw, r)
	ex.RequestID = w.Header().Get("X-Request-Id") // the handler has returned: the map is settled
	var e struct {
		ErrorMsg string `json:"error_msg"`
	}
	if json.Unmarshal(aw.body.Bytes(), &e) == nil {
		ex.ErrorMsg = e.ErrorMsg
	}
	rec.mu.Lock()
	rec.log = append(rec.log, ex)
	rec.mu.Unlock()
}

// take returns the requests recorded since the last take.
func (rec *recorder) take() []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := rec.log
	rec.log = nil
	return out
}

// last returns the most recent request.
func (rec *recorder) last(t *testing.T) exchange {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.log) == 0 {
		t.Fatal("no request was recorded")
	}
	return rec.log[len(rec.log)-1]
}

// fixture is a drsfake server (drsfaketest.Start) on a ManualClock that starts
// at the real time — the SDK signs with the real clock, the fake allows 15
// minutes of skew — and a recording server in front of the same handler.
type fixture struct {
	ts    *drsfaketest.Server
	clock *drsfake.ManualClock
	rec   *recorder
	url   string // the recording server; ts.URL serves the same fake unrecorded
}

func start(t *testing.T, clock *drsfake.ManualClock, opts ...drsfake.Option) *fixture {
	t.Helper()
	ts := drsfaketest.Start(t, append([]drsfake.Option{drsfake.WithClock(clock)}, opts...)...)
	rec := &recorder{next: ts.Server}
	hs := httptest.NewServer(rec)
	t.Cleanup(hs.Close)
	return &fixture{ts: ts, clock: clock, rec: rec, url: hs.URL}
}

// credentials builds the SDK's AK/SK credentials (with a security token if
// not empty, and the project id if not empty).
func credentials(t *testing.T, ak, sk, securityToken, projectID string) *basic.Credentials {
	t.Helper()
	cb := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk)
	if projectID != "" {
		cb = cb.WithProjectId(projectID)
	}
	if securityToken != "" {
		cb = cb.WithSecurityToken(securityToken)
	}
	cred, err := cb.SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	return cred
}

// httpConfig is the SDK's default HTTP configuration with a timeout short
// enough for a test.
func httpConfig() *config.HttpConfig {
	return config.DefaultHttpConfig().WithTimeout(30 * time.Second)
}

// build builds the DRS client from b.
func build(t *testing.T, b *core.HcHttpClientBuilder) *drs.DrsClient {
	t.Helper()
	hc, err := b.SafeBuild()
	if err != nil {
		t.Fatalf("DRS client: %v", err)
	}
	return drs.NewDrsClient(hc)
}

// newClient builds the SDK's DRS v5 client the way Huawei documents it:
// AK/SK (and security token) credentials with an explicit project id, one
// endpoint, the SDK's default HTTP configuration.
func newClient(t *testing.T, endpoint, ak, sk, securityToken, projectID string) *drs.DrsClient {
	t.Helper()
	return build(t, drs.DrsClientBuilder().
		WithEndpoints([]string{endpoint}).
		WithCredential(credentials(t, ak, sk, securityToken, projectID)).
		WithHttpConfig(httpConfig()))
}

// export starts an export of jobs and checks the SDK's view of the 202.
func export(t *testing.T, c *drs.DrsClient, lang *model.ExportCreationTemplateRequestXLanguage, jobs ...string) string {
	t.Helper()
	resp, err := c.ExportCreationTemplate(&model.ExportCreationTemplateRequest{
		XLanguage: lang,
		Body:      &model.ExportJobsTemplateReq{Jobs: jobs},
	})
	if err != nil {
		t.Fatalf("ExportCreationTemplate: %v", err)
	}
	if resp.HttpStatusCode != http.StatusAccepted {
		t.Errorf("ExportCreationTemplate: status %d, want 202", resp.HttpStatusCode)
	}
	if resp.Id == nil || !uuidRE.MatchString(*resp.Id) {
		t.Fatalf("ExportCreationTemplate: id %v is not a UUID (%v)", resp.Id, resp)
	}
	if resp.Status == nil || *resp.Status != "SUCCESS" {
		t.Errorf("ExportCreationTemplate: status field %v, want SUCCESS", resp.Status)
	}
	return *resp.Id
}

// waitExport polls ShowExportProgress until the export ends, stepping the
// fake's clock by step between polls (at most 100 polls), and returns the
// states seen, consecutive repeats removed.
func waitExport(t *testing.T, f *fixture, c *drs.DrsClient, lang *model.ShowExportProgressRequestXLanguage, id string, step time.Duration) []string {
	t.Helper()
	var seen []string
	for range 100 {
		resp, err := c.ShowExportProgress(&model.ShowExportProgressRequest{XLanguage: lang, AsyncJobId: id})
		if err != nil {
			t.Fatalf("ShowExportProgress: %v", err)
		}
		if resp.HttpStatusCode != http.StatusOK || resp.ProcessStatus == nil {
			t.Fatalf("ShowExportProgress: %v", resp)
		}
		seen = append(seen, *resp.ProcessStatus)
		if s := *resp.ProcessStatus; s == "success" || s == "failed" {
			return slices.Compact(seen)
		}
		f.clock.Advance(step)
	}
	t.Fatalf("export %s did not end after 100 polls: %v", id, slices.Compact(seen))
	return nil
}

// list calls ListTemplates and returns the count and the file names.
func list(t *testing.T, c *drs.DrsClient, lang *model.ListTemplatesRequestXLanguage, offset, limit *int32) (int32, []model.ExportReportObsFileRespExportReportObsFiles) {
	t.Helper()
	resp, err := c.ListTemplates(&model.ListTemplatesRequest{XLanguage: lang, Offset: offset, Limit: limit})
	if err != nil {
		t.Fatalf("ListTemplates: %v", err)
	}
	if resp.HttpStatusCode != http.StatusOK || resp.Count == nil {
		t.Fatalf("ListTemplates: %v", resp)
	}
	var files []model.ExportReportObsFileRespExportReportObsFiles
	if resp.ExportReportObsFiles != nil {
		files = *resp.ExportReportObsFiles
	}
	return *resp.Count, files
}

// download calls DownloadCreateTemplate and reads the whole stream.
func download(t *testing.T, c *drs.DrsClient, lang *model.DownloadCreateTemplateRequestXLanguage, files ...string) []byte {
	t.Helper()
	resp, err := c.DownloadCreateTemplate(&model.DownloadCreateTemplateRequest{
		XLanguage: lang,
		Body:      &model.ExportFilesReq{Files: files},
	})
	if err != nil {
		t.Fatalf("DownloadCreateTemplate: %v", err)
	}
	if resp.HttpStatusCode != http.StatusOK {
		t.Errorf("DownloadCreateTemplate: status %d, want 200", resp.HttpStatusCode)
	}
	var buf bytes.Buffer
	if _, err := resp.Consume(&buf); err != nil {
		t.Fatalf("DownloadCreateTemplate: reading the stream: %v", err)
	}
	return buf.Bytes()
}

// checkXLSX checks that data is the .xlsx template named name: a zip file
// that excelize opens, whose Task sheet names the file.
func checkXLSX(t *testing.T, name string, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		t.Fatalf("%s: %d bytes without the zip signature: %q", name, len(data), data[:min(len(data), 16)])
	}
	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: excelize: %v", name, err)
	}
	defer func() { _ = wb.Close() }()
	rows, err := wb.GetRows(drsfake.TemplateSheet)
	if err != nil {
		t.Fatalf("%s: sheet %s: %v", name, drsfake.TemplateSheet, err)
	}
	for _, row := range rows {
		if len(row) == 2 && row[0] == "Template file" {
			if row[1] != name {
				t.Errorf("%s: the workbook names itself %q", name, row[1])
			}
			return
		}
	}
	t.Errorf("%s: no \"Template file\" row in %v", name, rows)
}

// names returns the file names of files.
func names(files []model.ExportReportObsFileRespExportReportObsFiles) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		if f.FileName == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, *f.FileName)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// checkWire checks every recorded request against what the SDK is known to
// send (huawei-auth.md 1.1) and logs the headers.
func checkWire(t *testing.T, reqs []exchange, ak, projectID, securityToken string, started time.Time) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no requests recorded")
	}
	logged := map[string]bool{}
	for i, r := range reqs {
		// The headers of the first request of each kind; repeats (polls) in one line.
		var b strings.Builder
		if kind := r.Method + " " + r.Path + "?" + r.RawQuery + " " + r.Header.Get("X-Language"); !logged[kind] {
			logged[kind] = true
			keys := make([]string, 0, len(r.Header))
			for k := range r.Header {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := strings.Join(r.Header[k], " | ")
				switch k {
				case "Authorization":
					v = redactedAuthorization(v)
				case "X-Security-Token", "X-Auth-Token":
					v = "REDACTED"
				}
				b.WriteString("\n    " + k + ": " + v)
			}
		}
		t.Logf("request %d: %s %s?%s (Host %s, %d-byte body %q) -> X-Request-Id %s%s", i+1, r.Method, r.Path, r.RawQuery, r.Host, len(r.Body), r.Body, r.RequestID, b.String())

		where := r.Method + " " + r.Path
		m := authorizationRE.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil {
			t.Errorf("%s: Authorization %v is not SDK-HMAC-SHA256 Access=, SignedHeaders=, Signature=", where, redactedAuthorization(r.Header.Get("Authorization")))
			continue
		}
		if m[1] != ak {
			t.Errorf("%s: Access=%s, want %s", where, m[1], ak)
		}
		signed := []string{"user-agent", "x-project-id", "x-sdk-date"}
		if r.Header.Get("X-Language") != "" {
			signed = append(signed, "x-language")
		}
		if securityToken != "" {
			signed = append(signed, "x-security-token")
		}
		sort.Strings(signed)
		if want := strings.Join(signed, ";"); m[2] != want {
			t.Errorf("%s: SignedHeaders=%s, want %s", where, m[2], want)
		}
		if got := r.Header.Values("Content-Type"); len(got) != 1 || got[0] != "application/json" {
			t.Errorf("%s: Content-Type %q, want exactly application/json (also on GETs)", where, got)
		}
		if got := r.Header.Get("X-Project-Id"); got != projectID {
			t.Errorf("%s: X-Project-Id %q, want %s", where, got, projectID)
		}
		if !strings.HasPrefix(r.Path, "/v5/"+projectID+"/") {
			t.Errorf("%s: the path does not start with /v5/%s/", where, projectID)
		}
		if got := r.Header.Get("X-Security-Token"); got != securityToken {
			t.Errorf("%s: X-Security-Token is not the one configured (want it sent, signed, unchanged)", where)
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "huaweicloud-usdk-go/3.0; ") {
			t.Errorf("%s: User-Agent %q does not start with huaweicloud-usdk-go/3.0; ", where, ua)
		}
		if d, err := time.Parse(sdkDateLayout, r.Header.Get("X-Sdk-Date")); err != nil {
			t.Errorf("%s: X-Sdk-Date: %v", where, err)
		} else if d.Before(started.Truncate(time.Second)) || d.After(time.Now()) {
			t.Errorf("%s: X-Sdk-Date %s is not the real time of the request (test started %s)", where, d, started)
		}
		if r.Host == "" {
			t.Errorf("%s: no Host", where)
		}
		switch r.Method {
		case http.MethodGet:
			if len(r.Body) != 0 {
				t.Errorf("%s: GET with a %d-byte body", where, len(r.Body))
			}
		case http.MethodPost:
			if !bytes.HasSuffix(r.Body, []byte("\n")) || !json.Valid(r.Body) {
				t.Errorf("%s: body %q is not JSON ending in a newline", where, r.Body)
			}
		default:
			t.Errorf("%s: unexpected method", where)
		}
		if r.RequestID == "" {
			t.Errorf("%s: the fake's answer had no X-Request-Id", where)
		}
	}
}

// TestExportFlow runs the four calls through the SDK with AK/SK: export two
// tasks, poll to success, list with paging, download one file (.xlsx) and
// two (.zip); then again with X-Language. Every request the SDK sent is
// logged and checked.
func TestExportFlow(t *testing.T) {
	started := time.Now()
	f := start(t, drsfake.NewManualClock(started))
	ts := f.ts
	if len(ts.TaskIDs) < 3 {
		t.Fatalf("the fake has %d tasks, want 3", len(ts.TaskIDs))
	}
	engine := map[string]string{}
	for _, task := range ts.Tasks() {
		engine[task.ID] = task.Engine
	}

	// The server drsfaketest.Start made, unwrapped: the SDK lists no files yet.
	direct := newClient(t, ts.URL, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	if n, files := list(t, direct, nil, nil, nil); n != 0 || len(files) != 0 {
		t.Fatalf("ListTemplates at %s before any export: count %d, files %v", ts.URL, n, names(files))
	}

	c := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)

	// Export two tasks; the ManualClock steps the export, 100 ms a poll.
	id := export(t, c, nil, ts.TaskIDs[:2]...)
	if got, want := waitExport(t, f, c, nil, id, 100*time.Millisecond), []string{"pending", "running", "success"}; !slices.Equal(got, want) {
		t.Fatalf("ShowExportProgress went %v, want %v", got, want)
	}

	// List: two files, newest first, named {task}_{engine}_{yyyyMMddHHmmss}.xlsx.
	count, files := list(t, c, nil, ptr(int32(0)), ptr(int32(10)))
	if count != 2 || len(files) != 2 {
		t.Fatalf("ListTemplates: count %d, files %v, want 2 of each", count, names(files))
	}
	var tasksSeen []string
	for _, file := range files {
		if file.FileName == nil || file.LastModified == nil {
			t.Fatalf("ListTemplates: incomplete entry %v", file)
		}
		m := fileNameRE.FindStringSubmatch(*file.FileName)
		if m == nil || engine[m[1]] != m[2] {
			t.Fatalf("ListTemplates: file name %q is not {task id}_{engine}_{yyyyMMddHHmmss}.xlsx of a task", *file.FileName)
		}
		tasksSeen = append(tasksSeen, m[1])
		stamp, err := time.Parse("20060102150405", m[3])
		if err != nil {
			t.Fatalf("ListTemplates: %s: %v", *file.FileName, err)
		}
		modified, err := time.Parse(time.RFC3339, *file.LastModified)
		if err != nil {
			t.Fatalf("ListTemplates: last_modified %q: %v", *file.LastModified, err)
		}
		if !modified.Equal(stamp) || modified.Before(started.Truncate(time.Second)) || modified.After(f.clock.Now()) {
			t.Errorf("ListTemplates: %s last modified %s: not its name's time or not during the export", *file.FileName, modified)
		}
	}
	slices.Sort(tasksSeen)
	if want := slices.Sorted(slices.Values(ts.TaskIDs[:2])); !slices.Equal(tasksSeen, want) {
		t.Errorf("ListTemplates: files of tasks %v, want %v", tasksSeen, want)
	}

	// Paging with offset and limit.
	if n, page := list(t, c, nil, ptr(int32(1)), ptr(int32(1))); n != 2 || !slices.Equal(names(page), names(files)[1:]) {
		t.Errorf("ListTemplates offset 1 limit 1: count %d, files %v, want 2, %v", n, names(page), names(files)[1:])
	}
	if n, page := list(t, c, nil, ptr(int32(2)), ptr(int32(5))); n != 2 || len(page) != 0 {
		t.Errorf("ListTemplates offset 2 limit 5: count %d, files %v, want 2 and none", n, names(page))
	}

	// Download one file: the .xlsx itself.
	first := *files[0].FileName
	checkXLSX(t, first, download(t, c, nil, first))

	// Download two: a .zip holding both .xlsx files.
	zipped := download(t, c, nil, names(files)...)
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatalf("DownloadCreateTemplate of two files: not a zip: %v", err)
	}
	var inZip []string
	for _, zf := range zr.File {
		inZip = append(inZip, zf.Name)
		rc, err := zf.Open()
		if err != nil {
			t.Fatalf("zip entry %s: %v", zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatalf("zip entry %s: %v", zf.Name, err)
		}
		checkXLSX(t, zf.Name, data)
	}
	slices.Sort(inZip)
	if want := slices.Sorted(slices.Values(names(files))); !slices.Equal(inZip, want) {
		t.Errorf("the zip holds %v, want %v", inZip, want)
	}

	checkWire(t, f.rec.take(), ts.AccessKey, ts.ProjectID, "", started)

	// Again with X-Language on every call (zh-cn and en-us): a later export
	// of the third task, so its file name has a later second.
	f.clock.Advance(time.Second)
	id = export(t, c, ptr(model.GetExportCreationTemplateRequestXLanguageEnum().ZH_CN), ts.TaskIDs[2])
	if got := waitExport(t, f, c, ptr(model.GetShowExportProgressRequestXLanguageEnum().EN_US), id, 250*time.Millisecond); got[len(got)-1] != "success" {
		t.Fatalf("ShowExportProgress with X-Language went %v", got)
	}
	count, files = list(t, c, ptr(model.GetListTemplatesRequestXLanguageEnum().ZH_CN), nil, nil)
	if count != 3 || len(files) != 3 || !strings.HasPrefix(*files[0].FileName, ts.TaskIDs[2]+"_") {
		t.Fatalf("ListTemplates with X-Language: count %d, files %v, want 3, the newest (%s's) first", count, names(files), ts.TaskIDs[2])
	}
	checkXLSX(t, *files[0].FileName, download(t, c, ptr(model.GetDownloadCreateTemplateRequestXLanguageEnum().EN_US), *files[0].FileName))

	reqs := f.rec.take()
	for _, r := range reqs {
		if lang := r.Header.Get("X-Language"); lang != "zh-cn" && lang != "en-us" {
			t.Errorf("%s %s: X-Language %q, want the value the request model set", r.Method, r.Path, lang)
		}
	}
	checkWire(t, reqs, ts.AccessKey, ts.ProjectID, "", started)
}

// TestTemporaryCredentials runs the calls with a temporary AK/SK and its
// security token, and checks the fake's refusals: no token, a wrong token,
// an expired key.
func TestTemporaryCredentials(t *testing.T) {
	const (
		ak            = "TMPDRSFAKEAK00000001"
		sk            = "tmp-secret-key-of-the-compat-test-0000001"
		securityToken = "gQpjbi1ub3J0aC00-drsfake-compat-security-token-0123456789"
	)
	started := time.Now()
	clock := drsfake.NewManualClock(started)
	f := start(t, clock, drsfake.WithTemporaryAccessKey(ak, sk, securityToken, started.Add(10*time.Minute)))
	ts := f.ts

	c := newClient(t, f.url, ak, sk, securityToken, ts.ProjectID)
	id := export(t, c, nil, ts.TaskIDs[0])
	if got := waitExport(t, f, c, nil, id, 200*time.Millisecond); got[len(got)-1] != "success" {
		t.Fatalf("ShowExportProgress went %v", got)
	}
	count, files := list(t, c, ptr(model.GetListTemplatesRequestXLanguageEnum().EN_US), ptr(int32(0)), ptr(int32(1)))
	if count != 1 || len(files) != 1 {
		t.Fatalf("ListTemplates: count %d, files %v", count, names(files))
	}
	checkXLSX(t, *files[0].FileName, download(t, c, nil, *files[0].FileName))
	checkWire(t, f.rec.take(), ak, ts.ProjectID, securityToken, started)

	listErr := func(c *drs.DrsClient) error {
		_, err := c.ListTemplates(&model.ListTemplatesRequest{})
		return err
	}
	checkError(t, f, "temporary key without its security token",
		listErr(newClient(t, f.url, ak, sk, "", ts.ProjectID)),
		http.StatusUnauthorized, drsfake.CodeAuthFailed)
	checkError(t, f, "temporary key with a wrong security token",
		listErr(newClient(t, f.url, ak, sk, securityToken+"x", ts.ProjectID)),
		http.StatusUnauthorized, drsfake.CodeAuthFailed)

	// 11 minutes on: the key has expired, the signature date is within the skew.
	clock.Advance(11 * time.Minute)
	checkError(t, f, "expired temporary key", listErr(c),
		http.StatusUnauthorized, drsfake.CodeAuthFailed)
}

// checkError checks that err is the SDK's ServiceResponseError with the
// status and error code, and the error_msg and X-Request-Id of the fake's
// answer as its message and request id.
func checkError(t *testing.T, f *fixture, what string, err error, status int, code string) {
	t.Helper()
	var sre *sdkerr.ServiceResponseError
	if !errors.As(err, &sre) {
		t.Errorf("%s: error %v (%T), want *sdkerr.ServiceResponseError", what, err, err)
		return
	}
	t.Logf("%s: %d %s", what, sre.StatusCode, sre.Error())
	if sre.StatusCode != status || sre.ErrorCode != code {
		t.Errorf("%s: status %d, code %q, want %d %q", what, sre.StatusCode, sre.ErrorCode, status, code)
	}
	last := f.rec.last(t)
	if sre.ErrorMessage == "" || sre.ErrorMessage != last.ErrorMsg {
		t.Errorf("%s: message %q, want the answer's error_msg %q", what, sre.ErrorMessage, last.ErrorMsg)
	}
	if rid := last.RequestID; sre.RequestId == "" || sre.RequestId != rid {
		t.Errorf("%s: request id %q, want the answer's X-Request-Id %q", what, sre.RequestId, rid)
	}
}

// TestErrors checks what the SDK makes of the fake's refusals: the
// ServiceResponseError with status, error code, message and request id.
func TestErrors(t *testing.T) {
	clock := drsfake.NewManualClock(time.Now())
	f := start(t, clock)
	ts := f.ts
	good := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	wrongSK := newClient(t, f.url, ts.AccessKey, ts.SecretKey[1:]+"x", "", ts.ProjectID)
	unknownAK := newClient(t, f.url, "UNKNOWNAK00000000000", ts.SecretKey, "", ts.ProjectID)
	otherProject := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", strings.Repeat("0", 32))

	list := func(c *drs.DrsClient) error {
		_, err := c.ListTemplates(&model.ListTemplatesRequest{})
		return err
	}
	exportOf := func(c *drs.DrsClient, jobs ...string) error {
		_, err := c.ExportCreationTemplate(&model.ExportCreationTemplateRequest{Body: &model.ExportJobsTemplateReq{Jobs: jobs}})
		return err
	}
	downloadOf := func(c *drs.DrsClient, files ...string) error {
		resp, err := c.DownloadCreateTemplate(&model.DownloadCreateTemplateRequest{Body: &model.ExportFilesReq{Files: files}})
		if err == nil {
			_ = resp.Body.Close()
		}
		return err
	}
	progressOf := func(c *drs.DrsClient, id string) error {
		_, err := c.ShowExportProgress(&model.ShowExportProgressRequest{AsyncJobId: id})
		return err
	}
	unknownFile := ts.TaskIDs[0] + "_mysql_20250703094510.xlsx"

	for _, tc := range []struct {
		what   string
		call   func() error
		status int
		code   string
	}{
		{"wrong SK, GET", func() error { return list(wrongSK) },
			http.StatusUnauthorized, drsfake.CodeAuthFailed},
		{"wrong SK, POST", func() error { return exportOf(wrongSK, ts.TaskIDs[0]) },
			http.StatusUnauthorized, drsfake.CodeAuthFailed},
		{"wrong SK, download", func() error { return downloadOf(wrongSK, unknownFile) },
			http.StatusUnauthorized, drsfake.CodeAuthFailed},
		{"unknown AK", func() error { return list(unknownAK) },
			http.StatusUnauthorized, drsfake.CodeAuthFailed},
		{"unknown export id", func() error { return progressOf(good, "00000000-0000-4000-8000-000000000000") },
			http.StatusNotFound, drsfake.CodeNotFound},
		{"unknown file", func() error { return downloadOf(good, unknownFile) },
			http.StatusNotFound, drsfake.CodeNotFound},
		{"unknown task", func() error { return exportOf(good, "no-such-task") },
			http.StatusBadRequest, drsfake.CodeInvalidParameter},
		{"no job list (the SDK sends \"jobs\":null)", func() error { return exportOf(good) },
			http.StatusBadRequest, drsfake.CodeInvalidParameter},
		{"empty job list", func() error { return exportOf(good, []string{}...) },
			http.StatusBadRequest, drsfake.CodeInvalidParameter},
		{"limit 0", func() error {
			_, err := good.ListTemplates(&model.ListTemplatesRequest{Limit: ptr(int32(0))})
			return err
		}, http.StatusBadRequest, drsfake.CodeInvalidParameter},
		{"unknown project", func() error { return list(otherProject) },
			http.StatusNotFound, drsfake.CodeNotFound},
	} {
		checkError(t, f, tc.what, tc.call(), tc.status, tc.code)
	}

	// The fake's clock 16 minutes ahead of the SDK's: the signature is stale.
	clock.Advance(16 * time.Minute)
	checkError(t, f, "X-Sdk-Date 16 minutes behind the server", list(good),
		http.StatusUnauthorized, drsfake.CodeSignatureExpired)
}

// TestClientVariants builds the client in two other documented ways: with a
// region (id and endpoint) instead of an endpoint list, and with
// IgnoreContentTypeForGetRequest, which drops Content-Type from the GETs.
func TestClientVariants(t *testing.T) {
	started := time.Now()
	f := start(t, drsfake.NewManualClock(started))
	ts := f.ts

	byRegion := build(t, drs.DrsClientBuilder().
		WithRegion(region.NewRegion(ts.Region(), ts.URL)).
		WithCredential(credentials(t, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)).
		WithHttpConfig(httpConfig()))
	if n, files := list(t, byRegion, nil, nil, nil); n != 0 || len(files) != 0 {
		t.Errorf("ListTemplates with WithRegion: count %d, files %v", n, names(files))
	}

	noGetContentType := build(t, drs.DrsClientBuilder().
		WithEndpoints([]string{f.url}).
		WithCredential(credentials(t, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)).
		WithHttpConfig(httpConfig().WithIgnoreContentTypeForGetRequest(true)))
	id := export(t, noGetContentType, nil, ts.TaskIDs[1])
	if got := waitExport(t, f, noGetContentType, nil, id, 250*time.Millisecond); got[len(got)-1] != "success" {
		t.Fatalf("ShowExportProgress went %v", got)
	}
	if n, _ := list(t, noGetContentType, nil, nil, ptr(int32(1))); n != 1 {
		t.Errorf("ListTemplates without Content-Type: count %d, want 1", n)
	}
	for _, r := range f.rec.take() {
		if ct := r.Header.Get("Content-Type"); (r.Method == http.MethodGet) != (ct == "") {
			t.Errorf("%s %s: Content-Type %q with IgnoreContentTypeForGetRequest", r.Method, r.Path, ct)
		}
	}
}

// TestFaultsAndRetry checks the SDK's view of the fake's injected faults
// (429, 500, 503, a truncated download) and the SDK's opt-in retry against
// throttling.
func TestFaultsAndRetry(t *testing.T) {
	f := start(t, drsfake.NewManualClock(time.Now()))
	ts := f.ts
	c := newClient(t, f.url, ts.AccessKey, ts.SecretKey, "", ts.ProjectID)
	id := export(t, c, nil, ts.TaskIDs[0])
	if got := waitExport(t, f, c, nil, id, 250*time.Millisecond); got[len(got)-1] != "success" {
		t.Fatalf("ShowExportProgress went %v", got)
	}
	_, files := list(t, c, nil, nil, nil)
	if len(files) != 1 {
		t.Fatalf("ListTemplates: %v", names(files))
	}
	file := *files[0].FileName

	setFaults := func(op drsfake.Operation, r drsfake.FaultRates) {
		t.Helper()
		if err := ts.SetFaults(drsfake.Faults{PerOperation: map[drsfake.Operation]drsfake.FaultRates{op: r}}); err != nil {
			t.Fatal(err)
		}
	}

	setFaults(drsfake.OpListTemplates, drsfake.FaultRates{Throttle: 1})
	_, err := c.ListTemplates(&model.ListTemplatesRequest{})
	checkError(t, f, "injected throttling", err, http.StatusTooManyRequests, drsfake.CodeThrottled)

	setFaults(drsfake.OpExportCreationTemplate, drsfake.FaultRates{Unavailable: 1})
	_, err = c.ExportCreationTemplate(&model.ExportCreationTemplateRequest{Body: &model.ExportJobsTemplateReq{Jobs: ts.TaskIDs[:1]}})
	checkError(t, f, "injected 503", err, http.StatusServiceUnavailable, drsfake.CodeServiceUnavailable)

	setFaults(drsfake.OpShowExportProgress, drsfake.FaultRates{InternalError: 1})
	_, err = c.ShowExportProgress(&model.ShowExportProgressRequest{AsyncJobId: id})
	checkError(t, f, "injected 500", err, http.StatusInternalServerError, drsfake.CodeInternalError)

	// A truncated download: the SDK hands over the stream, reading it fails.
	setFaults(drsfake.OpDownloadCreateTemplate, drsfake.FaultRates{Truncate: 1})
	resp, err := c.DownloadCreateTemplate(&model.DownloadCreateTemplateRequest{Body: &model.ExportFilesReq{Files: []string{file}}})
	if err != nil {
		t.Fatalf("truncated download: %v", err)
	}
	if n, err := resp.Consume(io.Discard); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated download: read %d bytes, error %v, want io.ErrUnexpectedEOF", n, err)
	}

	// The SDK's opt-in retry, as its README shows it for GETs, rides out
	// throttling: half the ListTemplates calls get 429 (seeded draws).
	setFaults(drsfake.OpListTemplates, drsfake.FaultRates{Throttle: 0.5})
	var throttled int
	inv := c.ListTemplatesInvoker(&model.ListTemplatesRequest{})
	inv.WithRetry(20, func(_ interface{}, err error) bool {
		var sre *sdkerr.ServiceResponseError
		if errors.As(err, &sre) && sre.StatusCode == http.StatusTooManyRequests {
			throttled++
			return true
		}
		return false
	}, retry.None{})
	res, err := inv.Invoke()
	if err != nil || res.Count == nil || *res.Count != 1 {
		t.Fatalf("ListTemplates with retry: %v, %v", res, err)
	}
	t.Logf("ListTemplates with retry: %d throttled attempts before the answer", throttled)
	if throttled == 0 {
		t.Errorf("no attempt was throttled: the retry was not exercised")
	}
	if err := ts.SetFaults(drsfake.Faults{}); err != nil {
		t.Fatal(err)
	}
}

// TestProjectIDDiscovery builds AK/SK credentials without a project id and
// a client WithRegion: while building the client the SDK looks the project id
// up with IAM's KeystoneListProjects (GET /v3/projects?name={region},
// AK/SK-signed) at the IAM endpoint — the fake — and then calls DRS with it.
// The fake has two projects (cn-north-4 and cn-north-4_2), so the lookup
// only succeeds because the fake filters by exact name (the SDK refuses
// several matches). A region that names no project, and a wrong secret key,
// make the client build fail, as against Huawei's IAM.
func TestProjectIDDiscovery(t *testing.T) {
	const second = "0123456789abcdef0123456789abcdef"
	// The SDK caches discovered project ids per access key and region for
	// the life of the process: access keys of their own for this run make
	// every case really ask the fake, also with -count=N.
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	akFound, akNone, akWrongSK := "FOUND"+run, "NONE"+run, "WRONGSK"+run
	const sk = "project-id-discovery-secret-key-0000001"
	started := time.Now()
	f := start(t, drsfake.NewManualClock(started), drsfake.WithProjectID(strings.Repeat("ab", 16), second),
		drsfake.WithAccessKey(akFound, sk), drsfake.WithAccessKey(akNone, sk), drsfake.WithAccessKey(akWrongSK, sk))
	ts := f.ts
	if ts.Region() != "cn-north-4" || ts.ProjectName(second) != "cn-north-4_2" {
		t.Fatalf("the fake's projects are named %s and %s", ts.ProjectName(ts.ProjectID), ts.ProjectName(second))
	}

	// newBuilder is the SDK's DRS client builder with credentials without a
	// project id, the fake as IAM endpoint and regionID at the fake.
	newBuilder := func(ak, sk, regionID string) (*core.HcHttpClientBuilder, *basic.Credentials) {
		cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).
			WithIamEndpointOverride(f.url).SafeBuild()
		if err != nil {
			t.Fatal(err)
		}
		return drs.DrsClientBuilder().
			WithRegion(region.NewRegion(regionID, f.url)).
			WithCredential(cred).
			WithHttpConfig(httpConfig()), cred
	}
	// checkLookup checks the one request the client build sent: the SDK's
	// project lookup for regionID, signed by ak over x-sdk-date only.
	checkLookup := func(t *testing.T, regionID, ak string) exchange {
		t.Helper()
		reqs := f.rec.take()
		if len(reqs) != 1 {
			t.Fatalf("the client build sent %d requests, want the one project lookup", len(reqs))
		}
		r := reqs[0]
		t.Logf("project lookup: %s %s?%s, User-Agent %q, Authorization %v -> X-Request-Id %s",
			r.Method, r.Path, r.RawQuery, r.Header.Get("User-Agent"), redactedAuthorization(r.Header.Get("Authorization")), r.RequestID)
		if r.Method != http.MethodGet || r.Path != "/v3/projects" || r.RawQuery != "name="+regionID {
			t.Errorf("lookup %s %s?%s, want GET /v3/projects?name=%s", r.Method, r.Path, r.RawQuery, regionID)
		}
		m := authorizationRE.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil || m[1] != ak || m[2] != "x-sdk-date" {
			t.Errorf("lookup Authorization %v, want SDK-HMAC-SHA256 by %s over x-sdk-date only", redactedAuthorization(r.Header.Get("Authorization")), ak)
		}
		for _, h := range []string{"X-Project-Id", "Content-Type"} {
			if v, ok := r.Header[h]; ok {
				t.Errorf("lookup sent %s %q", h, v)
			}
		}
		return r
	}

	t.Run("found", func(t *testing.T) {
		b, cred := newBuilder(akFound, sk, ts.Region())
		hc, err := b.SafeBuild()
		if err != nil {
			t.Fatalf("client build with project id discovery: %v", err)
		}
		checkLookup(t, ts.Region(), akFound)
		if cred.ProjectId != ts.ProjectID {
			t.Fatalf("discovered project id %q, want %s (the project named %s)", cred.ProjectId, ts.ProjectID, ts.Region())
		}
		// The discovered id fills the path and X-Project-Id of DRS calls.
		c := drs.NewDrsClient(hc)
		if n, files := list(t, c, nil, nil, nil); n != 0 || len(files) != 0 {
			t.Errorf("ListTemplates: count %d, files %v", n, names(files))
		}
		id := export(t, c, nil, ts.TaskIDs[0])
		if got := waitExport(t, f, c, nil, id, 250*time.Millisecond); got[len(got)-1] != "success" {
			t.Fatalf("ShowExportProgress went %v", got)
		}
		checkWire(t, f.rec.take(), akFound, ts.ProjectID, "", started)
	})

	t.Run("no project of that name", func(t *testing.T) {
		b, cred := newBuilder(akNone, sk, "ap-southeast-1")
		_, err := b.SafeBuild()
		r := checkLookup(t, "ap-southeast-1", akNone)
		t.Logf("client build: %v", err)
		if err == nil || !strings.Contains(err.Error(), "failed to get project id of region 'ap-southeast-1'") {
			t.Fatalf("client build: error %v, want the SDK's failed project id lookup", err)
		}
		// The SDK quotes IAM's trace id, which the fake sets to the request id.
		if !strings.Contains(err.Error(), "X-IAM-Trace-Id="+r.RequestID) {
			t.Errorf("the error does not quote X-IAM-Trace-Id=%s", r.RequestID)
		}
		if cred.ProjectId != "" {
			t.Errorf("project id %q set after a failed lookup", cred.ProjectId)
		}
	})

	t.Run("wrong secret key", func(t *testing.T) {
		b, _ := newBuilder(akWrongSK, sk+"x", ts.Region())
		_, err := b.SafeBuild()
		checkLookup(t, ts.Region(), akWrongSK)
		t.Logf("client build: %v", err)
		if err == nil || !strings.Contains(err.Error(), drsfake.CodeAuthFailed) {
			t.Fatalf("client build: error %v, want the gateway's 401 %s", err, drsfake.CodeAuthFailed)
		}
	})
}

// redactedAuthorization is an Authorization header value safe to print: its
// signature is replaced.
func redactedAuthorization(v string) string {
	if i := strings.Index(v, "Signature="); i >= 0 {
		return v[:i] + "Signature=REDACTED"
	}
	return "(no signature)"
}
