package drsfake

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/auth"
	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// rawForm builds a multipart body part by part: each part is a form name,
// an optional file name and its content.
func rawForm(t testing.TB, parts ...[3]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.SetBoundary("drsfake-test-boundary")
	for _, p := range parts {
		var w io.Writer
		var err error
		if p[1] != "" {
			w, err = mw.CreateFormFile(p[0], p[1])
		} else {
			w, err = mw.CreateFormField(p[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, p[2])
	}
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// countingBody counts the bytes read from it.
type countingBody struct {
	r io.Reader
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (countingBody) Close() error { return nil }

// endless is an endless reader of 'x'.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestImportBadForms: every malformed upload gets a clear 400 DRS.M00007,
// and the fake reads no more of it than the contract's bound.
func TestImportBadForms(t *testing.T) {
	s := mustNew(t, WithToken("tok"), WithGeneratedTasks(1))
	project := s.ProjectIDs()[0]
	target := "/v5/" + project + "/jobs/template"
	limit := s.drs.maxBody[OpImportBatchCreateJobs]
	fileLimit := s.drs.formLimits[OpImportBatchCreateJobs]["file"]
	if fileLimit != 10<<20 || limit != fileLimit+len64("cloudDataGuard")+2*partSlack+bodySlack {
		t.Fatalf("limits %d / %d do not come from the contract", limit, fileLimit)
	}
	book := workbook(t, map[string][][]string{"S": {{headerSetting, headerValue}}})
	ct, twoFiles := rawForm(t, [3]string{"file", "a.xlsx", string(book)}, [3]string{"file", "b.xlsx", string(book)})
	_, noFile := rawForm(t, [3]string{"type", "", "migration"})
	_, badType := rawForm(t, [3]string{"file", "a.xlsx", string(book)}, [3]string{"type", "", "bogus"})
	_, bigFile := rawForm(t, [3]string{"file", "a.xlsx", strings.Repeat("x", int(fileLimit)+1)})
	_, manyParts := rawForm(t, [3]string{"a", "", "1"}, [3]string{"b", "", "1"}, [3]string{"c", "", "1"}, [3]string{"d", "", "1"},
		[3]string{"e", "", "1"}, [3]string{"f", "", "1"}, [3]string{"g", "", "1"}, [3]string{"h", "", "1"}, [3]string{"file", "a.xlsx", "x"})
	_, whole := rawForm(t, [3]string{"file", "a.xlsx", string(book)})
	tests := []struct {
		name        string
		contentType string
		body        io.Reader
		length      int64 // -1: unknown (chunked)
		want        string
	}{
		{"no file part", ct, bytes.NewReader(noFile), -1, "the form has no file part"},
		{"two file parts", ct, bytes.NewReader(twoFiles), -1, "more than one file part"},
		{"type not in the contract", ct, bytes.NewReader(badType), -1, "type must be one of"},
		{"file part over its bound", ct, bytes.NewReader(bigFile), -1, `the "file" part is larger than 10485760 bytes`},
		{"body over its bound, length unknown", ct, io.MultiReader(bytes.NewReader(bigFile[:bytes.Index(bigFile, []byte("\r\n\r\n"))+4]), endless{}), -1, "larger than"},
		{"body over its bound, length declared", ct, endless{}, limit + 1, "larger than"},
		{"too many parts", ct, bytes.NewReader(manyParts), -1, "more than 8 form parts"},
		{"truncated body", ct, bytes.NewReader(whole[:len(whole)/2]), -1, "not a complete multipart/form-data body"},
		{"garbage", ct, strings.NewReader("this is not a form"), -1, "not a complete multipart/form-data body"},
		{"JSON instead of a form", "application/json", strings.NewReader(`{"file":"x"}`), -1, "Content-Type must be multipart/form-data"},
		{"multipart/mixed", strings.Replace(ct, "form-data", "mixed", 1), bytes.NewReader(whole), -1, "Content-Type must be multipart/form-data"},
		{"no boundary", "multipart/form-data", bytes.NewReader(whole), -1, "Content-Type must be multipart/form-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read atomic.Int64
			r := httptest.NewRequest(http.MethodPost, target, nil)
			r.Body, r.ContentLength = countingBody{tt.body, &read}, tt.length
			r.Header.Set("Content-Type", tt.contentType)
			r.Header.Set("X-Auth-Token", "tok")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes())
			if w.Code != http.StatusBadRequest || e.ErrorCode != CodeInvalidParameter || !strings.Contains(e.ErrorMsg, tt.want) {
				t.Errorf("%d %s, want 400 %s saying %q", w.Code, w.Body, CodeInvalidParameter, tt.want)
			}
			if n := read.Load(); n > limit+1 {
				t.Errorf("read %d bytes of the body, more than the bound %d", n, limit)
			}
			if tt.length > limit && read.Load() != 0 {
				t.Errorf("a body declared too large was read (%d bytes)", read.Load())
			}
		})
	}
	t.Run("unauthenticated upload: not read at all", func(t *testing.T) {
		var read atomic.Int64
		r := httptest.NewRequest(http.MethodPost, target, nil)
		r.Body, r.ContentLength = countingBody{bytes.NewReader(whole), &read}, -1
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized || read.Load() != 0 {
			t.Errorf("%d, %d bytes read", w.Code, read.Load())
		}
	})
}

func len64(s string) int64 { return int64(len(s)) }

// TestImportSigned: an AK/SK-signed upload as Huawei's signer sends it
// (UNSIGNED-PAYLOAD, through this module's auth transport, streamed) is
// accepted; so is one whose body hash is signed; UNSIGNED-PAYLOAD on a
// JSON call is refused.
func TestImportSigned(t *testing.T) {
	h := newImportHarness(t)
	book := h.template(h.ts.TaskIDs[0])
	ct, body := form(t, book, "")
	transport := &auth.Transport{
		Credentials: auth.AccessKey{ID: h.ts.AccessKey, Secret: h.ts.SecretKey, ProjectID: h.ts.ProjectID},
		Endpoint:    mustParseURL(t, h.ts.URL), Base: h.ts.Client().Transport, Now: h.clock.Now,
	}
	c, err := drsapi.NewClientWithResponses(h.ts.URL, drsapi.WithHTTPClient(&http.Client{Transport: validatingTransport{t, transport}}))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe() // a stream of unknown length, with no GetBody
	go func() { _, err := pw.Write(body); pw.CloseWithError(err) }()
	r, err := c.ImportBatchCreateJobsWithBodyWithResponse(context.Background(), h.ts.ProjectID, nil, ct, pr)
	if err != nil || r.JSON200 == nil {
		t.Fatalf("signed, streamed upload: %v %d %s", err, r.StatusCode(), r.Body)
	}

	// A signer that hashes the multipart body instead (not Huawei's, but a
	// valid signature) is verified over the body, which is then read first.
	for _, tt := range []struct {
		name string
		sent []byte
		want int
	}{{"body-hash signed upload", body, http.StatusOK}, {"tampered body-hash signed upload", append(slices.Clip(body), 'x'), http.StatusUnauthorized}} {
		req := hashSigned(t, h, ct, body, tt.sent)
		w := httptest.NewRecorder()
		h.ts.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("%s: %d %s", tt.name, w.Code, w.Body)
		}
	}

	// UNSIGNED-PAYLOAD on a JSON call: Huawei's signer never sends it.
	jsonBody := []byte(`{"jobs":["` + h.ts.TaskIDs[0] + `"]}`)
	req := httptest.NewRequest(http.MethodPost, h.ts.URL+"/v5/"+h.ts.ProjectID+"/jobs/export/template", bytes.NewReader(jsonBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sdksign.HeaderContentSha256, sdksign.UnsignedPayload)
	_ = sdksign.Sign(req, nil, h.ts.AccessKey, h.ts.SecretKey, h.clock.Now())
	w := httptest.NewRecorder()
	h.ts.ServeHTTP(w, req)
	if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); w.Code != http.StatusUnauthorized || e.ErrorCode != CodeAuthFailed {
		t.Fatalf("UNSIGNED-PAYLOAD on JSON: %d %s", w.Code, w.Body)
	}
}

// TestBatchListing: ListAsyncJobs pages, filters and sorts; the detail of a
// job of several sheets pages in sheet order.
func TestBatchListing(t *testing.T) {
	h := newImportHarness(t)
	book := h.template(h.ts.TaskIDs[0])
	var ids []string
	for range 3 {
		ids = append(ids, h.accepted(book))
		h.clock.Advance(time.Second)
	}
	h.clock.Advance(time.Minute - 2*time.Second) // the first two validated, the last validating
	list := func(p drsapi.ListAsyncJobsParams) ([]string, int32, int) {
		t.Helper()
		r, err := h.c.ListAsyncJobsWithResponse(context.Background(), h.ts.ProjectID, &p)
		if err != nil {
			t.Fatal(err)
		}
		if r.JSON200 == nil {
			return nil, 0, r.StatusCode()
		}
		var got []string
		for _, j := range r.JSON200.Jobs {
			got = append(got, j.AsyncJobId)
			if j.CreateTime == nil || j.DomainName == nil || *j.DomainName != h.ts.User.Account || *j.UserName != h.ts.User.Name {
				t.Errorf("job %+v", j)
			}
		}
		return got, r.JSON200.TotalCount, r.StatusCode()
	}
	ptr := func(s string) *string { return &s }
	asc, off, lim := drsapi.Asc, drsapi.Offset(1), drsapi.Limit(1)
	for _, tt := range []struct {
		name  string
		p     drsapi.ListAsyncJobsParams
		want  []string
		total int32
	}{
		{"newest first", drsapi.ListAsyncJobsParams{}, []string{ids[2], ids[1], ids[0]}, 3},
		{"asc", drsapi.ListAsyncJobsParams{SortDir: &asc}, ids, 3},
		{"page", drsapi.ListAsyncJobsParams{Offset: &off, Limit: &lim}, []string{ids[1]}, 3},
		{"by status", drsapi.ListAsyncJobsParams{Status: ptr(BatchValidating)}, []string{ids[2]}, 1},
		{"by id", drsapi.ListAsyncJobsParams{AsyncJobId: &ids[0]}, []string{ids[0]}, 1},
		{"by another user", drsapi.ListAsyncJobsParams{UserName: ptr("someone-else")}, nil, 0},
		{"by sort_key create_time", drsapi.ListAsyncJobsParams{SortKey: ptr("create_time"), SortDir: &asc}, ids, 3},
	} {
		got, total, code := list(tt.p)
		if code != http.StatusOK || total != tt.total || strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: %d, total %d, %v; want total %d, %v", tt.name, code, total, got, tt.total, tt.want)
		}
	}
	if _, _, code := list(drsapi.ListAsyncJobsParams{SortKey: ptr("status")}); code != http.StatusBadRequest {
		t.Errorf("sort_key status: %d, want 400", code)
	}

	three := workbook(t, map[string][][]string{"A": sheetOf("a", "10.0.0.1"), "B": sheetOf("b", "10.0.0.2"), "C": sheetOf("c", "10.0.0.3")})
	id := h.accepted(three)
	r, err := h.c.ListAsyncJobDetailWithResponse(context.Background(), h.ts.ProjectID, id, &drsapi.ListAsyncJobDetailParams{Offset: &off, Limit: &lim})
	if err != nil || r.JSON200 == nil {
		t.Fatal(err)
	}
	if r.JSON200.TotalCount != 3 || len(r.JSON200.Jobs) != 1 || *r.JSON200.Jobs[0].BaseInfo.Name != "b" ||
		*(*r.JSON200.Jobs[0].SourceEndpoint)[0].Endpoint.Ip != "10.0.0.2" {
		b, _ := json.Marshal(r.JSON200)
		t.Errorf("detail page 2 of 3: %s", b)
	}
}

// sheetOf is a task sheet named name with source host.
func sheetOf(name, host string) [][]string {
	return [][]string{{headerSetting, headerValue}, {rowTaskName, name}, {rowTaskType, "migration"},
		{rowEngine, "mysql"}, {rowSource, host + ":3306"}, {rowTarget, "10.9.9.9:3306"}}
}

// TestBatchFaultsAndThrottling: faults are drawn for the new operations by
// their names, and the rate limit counts them as DRS calls.
func TestBatchFaultsAndThrottling(t *testing.T) {
	h := newImportHarness(t)
	book := h.template(h.ts.TaskIDs[0])
	if err := h.ts.SetFaults(Faults{PerOperation: map[Operation]FaultRates{
		OpImportBatchCreateJobs: {Unavailable: 1}, OpCommitAsyncJob: {InternalError: 1},
	}}); err != nil {
		t.Fatal(err)
	}
	if r := h.upload(book, ""); r.StatusCode() != http.StatusServiceUnavailable || r.JSON503 == nil {
		t.Errorf("import with a 503 fault: %d %s", r.StatusCode(), r.Body)
	}
	if r := h.commit("whatever"); r.StatusCode() != http.StatusInternalServerError {
		t.Errorf("commit with a 500 fault: %d", r.StatusCode())
	}
	_ = h.ts.SetFaults(Faults{})
	if err := h.ts.SetRateLimit(1, 1); err != nil {
		t.Fatal(err)
	}
	h.accepted(book)
	if r := h.upload(book, ""); r.StatusCode() != http.StatusTooManyRequests {
		t.Errorf("second import within the rate: %d", r.StatusCode())
	}
}

func mustParseURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// hashSigned returns an import request carrying sent, signed over the hash
// of signedBody with the building blocks of sdksign (Sign itself would use
// UNSIGNED-PAYLOAD for a multipart body, as Huawei's signer does).
func hashSigned(t *testing.T, h *importHarness, ct string, signedBody, sent []byte) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, h.ts.URL+"/v5/"+h.ts.ProjectID+"/jobs/template", bytes.NewReader(sent))
	req.Header.Set("Content-Type", ct)
	date := h.clock.Now().UTC().Format(sdksign.DateLayout)
	req.Header.Set(sdksign.HeaderDate, date)
	signed := []string{"x-sdk-date"}
	cr := sdksign.CanonicalRequest(http.MethodPost, req.URL.Path, nil, signed, req.Header.Get, sdksign.HashPayload(signedBody))
	sig := sdksign.Signature(h.ts.SecretKey, sdksign.StringToSign(date, cr))
	req.Header.Set(sdksign.HeaderAuthorization, "SDK-HMAC-SHA256 Access="+h.ts.AccessKey+", SignedHeaders=x-sdk-date, Signature="+sig)
	return req
}

// TestImportReadsFormAsItComes: the fake reads an upload part by part as it
// arrives — a form refused on its first part is answered while the client
// is still sending, so nothing on the way (kin-openapi's validation, the
// verification of an UNSIGNED-PAYLOAD signature) buffers the body whole.
func TestImportReadsFormAsItComes(t *testing.T) {
	for _, signed := range []bool{false, true} {
		s := mustNew(t, WithToken("tok"), WithAccessKey("AKIMPORT", "SK"), WithGeneratedTasks(1))
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			_ = mw.WriteField("type", "bogus")
			fw, _ := mw.CreateFormFile("file", "big.xlsx")
			_, _ = fw.Write([]byte("PK")) // and then nothing more until the test ends
		}()
		r := httptest.NewRequest(http.MethodPost, "/v5/"+s.ProjectIDs()[0]+"/jobs/template", nil)
		r.Body, r.ContentLength = pr, -1
		r.Header.Set("Content-Type", mw.FormDataContentType())
		if signed {
			if err := sdksign.Sign(r, nil, "AKIMPORT", "SK", time.Now()); err != nil {
				t.Fatal(err)
			}
		} else {
			r.Header.Set("X-Auth-Token", "tok")
		}
		w := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { s.ServeHTTP(w, r); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = pr.CloseWithError(io.ErrUnexpectedEOF)
			<-done
			t.Fatalf("signed %v: the fake waited for the whole body before answering a form refused on its first part", signed)
		}
		_ = pw.Close()
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "type must be one of") {
			t.Fatalf("signed %v: %d %s", signed, w.Code, w.Body)
		}
	}
}
