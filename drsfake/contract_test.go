package drsfake

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestValidation sends malformed and unusual requests in-process: the
// contract's violations get short Huawei-shaped 400s (never text/plain), and
// what Huawei's SDK really sends is accepted.
func TestRequestValidation(t *testing.T) {
	s := mustNew(t, WithToken("tok"), WithTasks(Task{ID: "task-1", Engine: "mysql"}))
	p := s.ProjectIDs()[0]
	export := "/v5/" + p + "/jobs/export/template"
	list := "/v5/" + p + "/templates"
	for _, tc := range []struct {
		name          string
		method, path  string
		body          string
		hdr           []string
		status        int
		code, msgPart string
	}{
		{"JSON body ending in a newline", "POST", export, `{"jobs":["task-1"]}` + "\n", nil, 202, "", ""},
		{"JSON with charset", "POST", export, `{"jobs":["task-1"]}`, []string{"Content-Type", "application/json;charset=UTF-8"}, 202, "", ""},
		{"GET with Content-Type application/json", "GET", list, "", nil, 200, "", ""},
		{"GET without Content-Type", "GET", list, "", []string{"Content-Type", ""}, 200, "", ""},
		{"X-Language zh-cn", "GET", list, "", []string{"X-Language", "zh-cn"}, 200, "", ""},
		{"unknown fields are ignored", "POST", export, `{"jobs":["task-1"],"extra":1}`, nil, 202, "", ""},
		{"text/plain body", "POST", export, `{"jobs":["task-1"]}`, []string{"Content-Type", "text/plain"}, 400, CodeInvalidParameter, "Content-Type must be application/json"},
		{"body without Content-Type", "POST", export, `{"jobs":["task-1"]}`, []string{"Content-Type", ""}, 400, CodeInvalidParameter, "Content-Type"},
		{"jobs missing", "POST", export, `{}`, nil, 400, CodeInvalidParameter, `property "jobs" is missing`},
		{"jobs of numbers", "POST", export, `{"jobs":[1]}`, nil, 400, CodeInvalidParameter, "/jobs/0"},
		{"empty job id", "POST", export, `{"jobs":[""]}`, nil, 400, CodeInvalidParameter, "/jobs/0"},
		{"not JSON", "POST", export, `jobs=1`, nil, 400, CodeInvalidParameter, "not valid JSON"},
		{"JSON array", "POST", export, `["task-1"]`, nil, 400, CodeInvalidParameter, "request body"},
		{"limit over int32", "GET", list + "?limit=99999999999", "", nil, 400, CodeInvalidParameter, `"limit"`},
		{"limit not a number", "GET", list + "?limit=ten", "", nil, 400, CodeInvalidParameter, `"limit": must be of type integer`},
		{"offset negative", "GET", list + "?offset=-1", "", nil, 400, CodeInvalidParameter, `"offset"`},
		{"unknown X-Language", "GET", list, "", []string{"X-Language", "fr"}, 400, CodeInvalidParameter, `"X-Language"`},
		{"empty X-Auth-Token value", "GET", list, "", []string{"X-Auth-Token", ""}, 401, CodeAuthFailed, ""},
		{"unknown method", "PUT", list, "", nil, 404, CodeAPINotFound, ""},
		{"unknown path", "GET", "/v5/" + p + "/jobs", "", nil, 404, CodeAPINotFound, ""},
		{"trailing slash", "GET", list + "/", "", nil, 404, CodeAPINotFound, ""},
		{"root", "GET", "/", "", nil, 404, CodeAPINotFound, ""},
		{"project id in upper case", "GET", "/v5/" + strings.ToUpper(p) + "/templates", "", nil, 400, CodeInvalidParameter, `"project_id"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(s, tc.method, tc.path, "tok", tc.body, tc.hdr...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if w.Code < 400 {
				return
			}
			e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes())
			if e.ErrorCode != tc.code || !strings.Contains(e.ErrorMsg, tc.msgPart) {
				t.Errorf("got %s %q, want %s with %q", e.ErrorCode, e.ErrorMsg, tc.code, tc.msgPart)
			}
			if len(e.ErrorMsg) > maxMessage+len("…") || strings.ContainsAny(e.ErrorMsg, "\n\r") {
				t.Errorf("error_msg not one short line: %q", e.ErrorMsg)
			}
		})
	}
}

// TestBindingErrorsAreJSON checks requests that pass kin-openapi but fail the
// generated parameter binding (a header sent twice).
func TestBindingErrorsAreJSON(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	r := httptest.NewRequest(http.MethodGet, "/v5/"+s.ProjectIDs()[0]+"/templates", nil)
	r.Header.Set("X-Auth-Token", "tok")
	r.Header.Add("X-Language", "en-us")
	r.Header.Add("X-Language", "zh-cn")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeInvalidParameter || !strings.Contains(e.ErrorMsg, "X-Language") {
		t.Errorf("got %+v", e)
	}
}

// TestBodyTooLarge checks the size limits of request bodies.
func TestBodyTooLarge(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	big := `{"files":["` + strings.Repeat("a", 4<<20) + `"]}`
	w := serve(s, "POST", "/v5/"+s.ProjectIDs()[0]+"/templates/download", "tok", big)
	if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); w.Code != 400 || !strings.Contains(e.ErrorMsg, "request body: larger than") {
		t.Errorf("%d %+v", w.Code, e)
	}
	w = serve(s, "POST", "/v3/auth/tokens", "", big)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"code":400`) {
		t.Errorf("IAM: %d %s", w.Code, w.Body)
	}
}

// errRecorder is a testing.TB that records errors instead of failing.
type errRecorder struct {
	testing.TB
	errs []string
}

func (e *errRecorder) Errorf(format string, args ...any) { e.errs = append(e.errs, format) }
func (e *errRecorder) Helper()                           {}

// TestResponseCheckerCanFail makes sure the contract check the other tests
// rely on rejects responses that do not fit the contract.
func TestResponseCheckerCanFail(t *testing.T) {
	p := "5237e10fe9aa4ad5b16b6a5245248314"
	for _, tc := range []struct {
		name   string
		method string
		path   string
		status int
		ct     string
		body   string
		ok     bool
	}{
		{"valid listing", "GET", "/v5/" + p + "/templates", 200, "application/json", `{"count":0,"export_report_obs_files":[]}`, true},
		{"count as a string", "GET", "/v5/" + p + "/templates", 200, "application/json", `{"count":"0","export_report_obs_files":[]}`, false},
		{"undeclared status", "GET", "/v5/" + p + "/templates", 418, "application/json", `{}`, false},
		{"error body without code", "GET", "/v5/" + p + "/templates", 400, "application/json", `{"error_msg":"x"}`, false},
		{"IAM 201 without X-Subject-Token", "POST", "/v3/auth/tokens", 201, "application/json", `{"token":{"expires_at":"2020-01-05T09:05:22.701000Z"}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &errRecorder{TB: t}
			req := httptest.NewRequest(tc.method, tc.path, nil)
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.ct}}, Body: io.NopCloser(strings.NewReader(tc.body))}
			validateResponse(rec, req, resp)
			if ok := len(rec.errs) == 0; ok != tc.ok {
				t.Errorf("checker said ok=%v, want %v", ok, tc.ok)
			}
		})
	}
}

// TestStrictServerErrorHandlersAreJSON calls the generated servers behind
// validation directly, so their own error handlers answer: they must be
// Huawei-shaped JSON too.
func TestStrictServerErrorHandlersAreJSON(t *testing.T) {
	s := mustNew(t, WithClock(NewManualClock(t0)), WithToken("tok"), WithUser("acc", "u", "p"))
	p := s.ProjectIDs()[0]

	r := httptest.NewRequest(http.MethodPost, "/v5/"+p+"/jobs/export/template", strings.NewReader(`{"jobs":`))
	w := httptest.NewRecorder()
	s.drs.handler.ServeHTTP(w, r)
	if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); w.Code != 400 || e.ErrorMsg != msgInvalidParameterPrefix+"request body: not valid JSON" {
		t.Errorf("DRS request error: %d %+v", w.Code, e)
	}

	r = withInfo(httptest.NewRequest(http.MethodPost, "/v3/auth/tokens", strings.NewReader(`[`)), reqInfo{op: OpCreateUserTokenByPassword})
	w = httptest.NewRecorder()
	s.iam.handler.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), iamMsgBadRequestPrefix+"request body: not valid JSON") {
		t.Errorf("IAM request error: %d %s", w.Code, w.Body)
	}

	// A template that cannot be built answers 500 DRS.M00500.
	broken := &templateFile{name: "broken.xlsx", modified: t0, content: func() ([]byte, error) { return nil, errors.New("disk on fire") }}
	s.store.mu.Lock()
	s.store.files[p] = append(s.store.files[p], broken)
	s.store.byName[p] = map[string]*templateFile{broken.name: broken}
	s.store.mu.Unlock()
	w = serve(s, "POST", "/v5/"+p+"/templates/download", "tok", `{"files":["broken.xlsx"]}`)
	if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); w.Code != 500 || e.ErrorCode != CodeInternalError || strings.Contains(e.ErrorMsg, "fire") {
		t.Errorf("build failure: %d %+v", w.Code, e)
	}
}

// failingWriter is a ResponseWriter whose body writes fail, as when the
// client has gone away.
type failingWriter struct{ *httptest.ResponseRecorder }

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("client went away") }

// TestLateErrorsDoNotRewriteStartedResponses checks that a zip download
// whose client leaves half-way ends short, without a handler error that
// would try to answer a second time.
func TestLateErrorsDoNotRewriteStartedResponses(t *testing.T) {
	f := &templateFile{name: "a.xlsx", modified: t0}
	z := zipDownload{files: []*templateFile{f, f}, contents: [][]byte{bytes.Repeat([]byte("x"), 1<<16), []byte("y")}, name: "z.zip", requestID: "id"}
	w := failingWriter{httptest.NewRecorder()}
	if err := z.VisitDownloadCreateTemplateResponse(w); err != nil {
		t.Errorf("the zip download returned %v after its answer started", err)
	}
	if w.Code != 200 {
		t.Errorf("status %d, want the 200 already sent", w.Code)
	}
}

// TestBodyLimitsFollowTheContract builds the largest body the contract
// allows for each DRS call — every array at its maxItems, every string at
// its maxLength, each character written as an escaped surrogate pair — and
// checks that it passes the size limit, and that a body one byte over the
// limit does not.
func TestBodyLimitsFollowTheContract(t *testing.T) {
	s := mustNew(t, WithToken("tok"))
	p := s.ProjectIDs()[0]
	for _, tc := range []struct {
		op          Operation
		path, field string
	}{
		{OpExportCreationTemplate, "/jobs/export/template", "jobs"},
		{OpDownloadCreateTemplate, "/templates/download", "files"},
	} {
		t.Run(string(tc.op), func(t *testing.T) {
			route, _, ok := s.drs.route(httptest.NewRequest(http.MethodPost, "/v5/"+p+tc.path, nil))
			if !ok {
				t.Fatal("no route")
			}
			schema := route.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value.Properties[tc.field].Value
			maxItems, maxLength := int(*schema.MaxItems), int(*schema.Items.Value.MaxLength)
			name := `"` + strings.Repeat(`\ud83d\ude00`, maxLength) + `"`
			names := strings.Repeat(name+",", maxItems-1) + name
			largest := `{"` + tc.field + `":[` + names + `]}`
			limit := s.drs.maxBody[tc.op]
			if int64(len(largest)) > limit || limit > int64(len(largest))+2*bodySlack {
				t.Fatalf("limit %d bytes, the largest valid body %d", limit, len(largest))
			}
			w := serve(s, http.MethodPost, "/v5/"+p+tc.path, "tok", largest+strings.Repeat(" ", int(limit)-len(largest)))
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); strings.Contains(e.ErrorMsg, "larger than") {
				t.Errorf("the largest valid body, padded to the limit, was refused: %s", e.ErrorMsg)
			}
			w = serve(s, http.MethodPost, "/v5/"+p+tc.path, "tok", largest+strings.Repeat(" ", int(limit)-len(largest)+1))
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); w.Code != 400 || !strings.Contains(e.ErrorMsg, "larger than") {
				t.Errorf("a body one byte over the limit: %d %s", w.Code, e.ErrorMsg)
			}
		})
	}
}
