package drsfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/gen/iamapi"
)

// checkAnswer asserts the invariants of any answer of the fake: a request id,
// and for errors a short one-line JSON body of the right shape.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder, iam bool) {
	t.Helper()
	if w.Header().Get(headerRequestID) == "" || w.Header().Get("Date") == "" {
		t.Fatalf("answer without X-Request-Id or Date: %v", w.Header())
	}
	if w.Code < 400 {
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error with Content-Type %q: %q", ct, w.Body)
	}
	var msg string
	if iam {
		var e iamapi.IAMError
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != w.Code {
			t.Fatalf("not an IAM error body: %q", w.Body)
		}
		msg = e.Error.Message
	} else if bytes.Contains(w.Body.Bytes(), []byte(`"import_error_messages"`)) { // the import's 400
		var e drsapi.BatchImportResult
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.ErrorCode == nil || e.ErrorMsg == nil {
			t.Fatalf("not the import's error body: %q", w.Body)
		}
		msg = *e.ErrorMsg
	} else {
		msg = errBody(t, "application/json", w.Body.Bytes()).ErrorMsg
	}
	if len(msg) > maxMessage+len("…") || strings.ContainsAny(msg, "\r\n") || !utf8.ValidString(msg) {
		t.Fatalf("error message is not one short line: %q", msg)
	}
}

// FuzzDRSRequest sends arbitrary paths, queries, headers and bodies to the
// DRS side: every answer must be a declared status with a Huawei-shaped body,
// and the validation-error mapper must keep messages short.
func FuzzDRSRequest(f *testing.F) {
	p := "5237e10fe9aa4ad5b16b6a5245248314"
	f.Add(uint8(0), "/jobs/export/template", "", "application/json", `{"jobs":["task-1"]}`+"\n", "en-us")
	f.Add(uint8(0), "/templates/download", "", "application/json", `{"files":["a.xlsx","b.xlsx"]}`, "")
	f.Add(uint8(1), "/templates", "offset=1&limit=2", "application/json", "", "zh-cn")
	f.Add(uint8(1), "/templates", "limit=-5&offset=x", "", "", "de")
	f.Add(uint8(1), "/jobs/%2F%00/export/progress", "", "text/plain", "\x00", "")
	f.Add(uint8(0), "/jobs/export/template", "", "application/json", `{"jobs":[{"a":[[[[1]]]]}],"jobs":null}`, "")
	f.Add(uint8(2), "/templates", "", "application/json", `{}`, "")
	f.Add(uint8(1), "/templates", "limit=0;&offset=1&offset=2", "", "", "")
	f.Add(uint8(0), "/jobs/export/template", "", "application/json", `{"jobs":["task-1"]} {"jobs":[]}`, "")
	f.Add(uint8(0), "/jobs/template", "", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\r\n--b--\r\n", "")
	f.Add(uint8(1), "/jobs/template", "engine_type=postgresql", "application/json", "", "")
	f.Add(uint8(1), "/batch-async-jobs", "status=ASYNC_JOB_VALIDATING&sort_dir=asc", "", "", "")
	f.Add(uint8(0), "/batch-async-jobs/some-id/commit", "", "application/json", "", "")
	s := mustNew(f, WithToken("tok"), WithProjectID(p), WithTasks(Task{ID: "task-1", Engine: "mysql"}))
	methods := []string{"POST", "GET", "PUT", "DELETE"}
	f.Fuzz(func(t *testing.T, m uint8, path, query, contentType, body, lang string) {
		target := "/v5/" + p + path
		if query != "" {
			target += "?" + query
		}
		r, err := http.NewRequest(methods[int(m)%len(methods)], target, strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		r.Header.Set("X-Auth-Token", "tok")
		if contentType != "" {
			r.Header["Content-Type"] = []string{contentType}
		}
		if lang != "" {
			r.Header["X-Language"] = []string{lang}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch w.Code {
		case 200, 202, 400, 404:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		checkAnswer(t, w, false)
	})
}

// maxFileNameLength is the contract's maxLength of a file name
// (DownloadTemplateRequest.files).
const maxFileNameLength = 255

// FuzzDownloadNames sends arbitrary file-name lists to DownloadCreateTemplate:
// names the contract refuses answer 400, unknown ones 404 quoting at most a
// clipped name, never a dump.
func FuzzDownloadNames(f *testing.F) {
	f.Add("a.xlsx", "b.xlsx", 2)
	f.Add("", "\x00\xff", 1)
	f.Add(strings.Repeat("é", 200), "../../etc/passwd", 3)
	f.Add("task_mysql_20250703094510.xlsx", `"quoted"`, 0)
	s := mustNew(f, WithToken("tok"))
	target := "/v5/" + s.ProjectIDs()[0] + "/templates/download"
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		files := []string{a, b, a}[:max(0, n%4)]
		body, err := json.Marshal(map[string]any{"files": files})
		if err != nil {
			t.Skip()
		}
		w := serve(s, "POST", target, "tok", string(body))
		checkAnswer(t, w, false)
		switch {
		case len(files) == 0 || slices.ContainsFunc(files, func(f string) bool {
			return f == "" || utf8.RuneCountInString(f) > maxFileNameLength
		}):
			if w.Code != 400 {
				t.Fatalf("files %q: %d, want 400 (the contract: 1 to %d characters)", files, w.Code, maxFileNameLength)
			}
		case w.Code != 404:
			t.Fatalf("files %q: %d, want 404", files, w.Code)
		default:
			msg := errBody(t, "application/json", w.Body.Bytes()).ErrorMsg
			if len(msg) > len(msgFileNotFoundPrefix)+2+4*maxEcho+len("…") {
				t.Fatalf("message quotes too much: %q", msg)
			}
			if len(a) > 2*maxEcho && bytes.Contains([]byte(msg), []byte(a)) {
				t.Fatalf("message echoes a long name whole")
			}
		}
	})
}

// FuzzIAMLogin sends arbitrary bodies to POST /v3/auth/tokens.
func FuzzIAMLogin(f *testing.F) {
	good := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"acc"},"name":"u","password":"p"}}},"scope":{"project":{"name":"cn-north-4"}}}}`
	f.Add(good)
	f.Add(strings.Replace(good, `"p"`, `"q"`, 1))
	f.Add(`{"auth":{}}`)
	f.Add(`{"auth":{"identity":{"methods":[]}}}`)
	f.Add(`[`)
	s := mustNew(f, WithUser("acc", "u", "p"))
	f.Fuzz(func(t *testing.T, body string) {
		w := serve(s, "POST", "/v3/auth/tokens", "", body)
		switch w.Code {
		case 201:
			if !strings.HasPrefix(w.Header().Get(headerSubjectToken), "MII") {
				t.Fatal("201 without a token")
			}
		case 400, 401, 404:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		checkAnswer(t, w, true)
		if w.Code != 201 && strings.Contains(w.Body.String(), `"p"`) {
			t.Fatal("the answer echoes the password")
		}
	})
}

// FuzzIAMListProjects sends arbitrary queries and credentials to GET
// /v3/projects: every answer is 200, 400 or 401 and fits the contract (200:
// the projects whose name is the name asked for; 400: Keystone's body; 401:
// the gateway's body).
func FuzzIAMListProjects(f *testing.F) {
	f.Add("name=cn-north-4", "tok", "")
	f.Add("name=cn-north-4_2", "tok", "")
	f.Add("name=cn-south-1", "tok", "")
	f.Add("", "tok", "")
	f.Add("name=", "tok", "")
	f.Add("name=cn-north-4&name=x", "tok", "")
	f.Add("name=%ff%00&domain_id=x&page=-1", "tok", "")
	f.Add("name=cn-north-4", "", "")
	f.Add("name=cn-north-4", "wrong", "")
	f.Add("name=cn-north-4", "", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature="+strings.Repeat("0", 64))
	f.Add("name=cn-north-4", "", "garbage")
	s := mustNew(f, WithToken("tok"), WithAccessKey("AK", "SK"),
		WithProjectID("5237e10fe9aa4ad5b16b6a5245248314", "0123456789abcdef0123456789abcdef"))
	f.Fuzz(func(t *testing.T, query, token, authorization string) {
		r, err := http.NewRequest(http.MethodGet, "http://iam.example.com/v3/projects?"+query, nil)
		if err != nil {
			t.Skip()
		}
		if token != "" {
			r.Header["X-Auth-Token"] = []string{token}
		}
		if authorization != "" {
			r.Header["Authorization"] = []string{authorization}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch w.Code {
		case 200:
			var l iamapi.ProjectList
			if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil || l.Projects == nil {
				t.Fatalf("not a project list: %s", w.Body)
			}
			name := r.URL.Query().Get("name")
			for _, p := range l.Projects {
				if name != "" && p.Name != name {
					t.Fatalf("name %q listed %q", name, p.Name)
				}
			}
			checkAnswer(t, w, true)
		case 400:
			checkAnswer(t, w, true)
		case 401:
			checkAnswer(t, w, false)
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		validateResponse(t, r, w.Result())
	})
}

// FuzzArrayLonger checks the fake's cheap scan for over-long arrays against
// a full decode, on any valid JSON value.
func FuzzArrayLonger(f *testing.F) {
	for _, s := range []string{
		`{"jobs":["a","b"]}`, `[]`, `[[],[1,2,3],{"a":[1,2]}]`, `["a,b","c\"]","[",{"x":",,,"}]`,
		`{"files":[` + strings.Repeat(`"x",`, 20) + `"y"]}`, `"plain"`, ` [ 1 , [ ] , 2 ] `,
	} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, body string, limit int) {
		if !json.Valid([]byte(body)) || limit < 0 {
			t.Skip()
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber() // a valid number may not fit a float64 (1e1000)
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("valid JSON did not decode: %v", err)
		}
		var longest func(v any) int
		longest = func(v any) int {
			n := 0
			switch v := v.(type) {
			case []any:
				n = len(v)
				for _, e := range v {
					n = max(n, longest(e))
				}
			case map[string]any:
				for _, e := range v {
					n = max(n, longest(e))
				}
			}
			return n
		}
		if got, want := arrayLonger([]byte(body), limit), longest(v) > limit; got != want {
			t.Errorf("arrayLonger(%q, %d) = %t, want %t", body, limit, got, want)
		}
	})
}
