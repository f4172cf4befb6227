package drsfake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// benchServer returns a fake holding 10 exports of 20 tasks (200 files).
func benchServer(b *testing.B) (*Server, string, []string) {
	b.Helper()
	clock := NewManualClock(t0)
	s := mustNew(b, WithClock(clock), WithToken("tok"), WithGeneratedTasks(20), WithExportTimings(0, time.Second))
	p := s.ProjectIDs()[0]
	var ids []string
	for _, task := range s.Tasks() {
		ids = append(ids, `"`+task.ID+`"`)
	}
	for range 10 {
		if w := serve(s, "POST", "/v5/"+p+"/jobs/export/template", "tok", `{"jobs":[`+strings.Join(ids, ",")+`]}`); w.Code != 202 {
			b.Fatal(w.Body)
		}
		clock.Advance(2 * time.Second)
	}
	serve(s, "GET", "/v5/"+p+"/templates", "tok", "") // settles the exports
	s.store.mu.Lock()
	var names []string
	for _, f := range s.store.files[p] {
		names = append(names, f.name)
	}
	s.store.mu.Unlock()
	if len(names) != 200 {
		b.Fatalf("%d files", len(names))
	}
	return s, p, names
}

// BenchmarkListTemplates measures one in-process listing of a 100-file page
// (of 200), the whole pipeline included: auth, routing, validation, handler.
func BenchmarkListTemplates(b *testing.B) {
	s, p, _ := benchServer(b)
	r := httptestRequest("GET", "/v5/"+p+"/templates?offset=50&limit=100", "")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r())
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkDownloadOne measures downloading one (already built) .xlsx.
func BenchmarkDownloadOne(b *testing.B) {
	s, p, names := benchServer(b)
	body := fmt.Sprintf(`{"files":[%q]}`, names[0])
	r := httptestRequest("POST", "/v5/"+p+"/templates/download", body)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r()) // builds the file once
	b.SetBytes(int64(w.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r())
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkBuildWorkbook measures writing one template with excelize (the
// cost of a file's first download).
func BenchmarkBuildWorkbook(b *testing.B) {
	task := generateTasks(newRandSource(1, streamSetup), 1, strings.Repeat("a", 32), DefaultRegion)[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildWorkbook(task, "x.xlsx", t0); err != nil {
			b.Fatal(err)
		}
	}
}

func httptestRequest(method, target, body string) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Auth-Token", "tok")
		return r
	}
}

// BenchmarkNew measures building a fake (loading and routing both specs).
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}
