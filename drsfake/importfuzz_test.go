package drsfake

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// fuzzBoundary is the boundary of the fuzzed import bodies.
const fuzzBoundary = "drsfake-fuzz"

// importSeeds returns workbooks to seed the import fuzz targets with: an
// exported template, the blank template and a three-sheet import.
func importSeeds(t testing.TB) [][]byte {
	t.Helper()
	tasks := generateTasks(newRandSource(1, streamSetup), 1, "5237e10fe9aa4ad5b16b6a5245248314", DefaultRegion)
	exported, err := buildWorkbook(tasks[0], "t.xlsx", t0)
	if err != nil {
		t.Fatal(err)
	}
	blank, err := writeTemplate("b.xlsx", "blank", blankStamp, blankRows("mysql"))
	if err != nil {
		t.Fatal(err)
	}
	three := workbook(t, map[string][][]string{"A": sheetOf("a", "10.0.0.1"), "B": sheetOf("b", "10.0.0.2"), "C": sheetOf("c", "10.0.0.1")})
	return [][]byte{exported, blank, three}
}

// formBody is a multipart import body with the fuzz boundary.
func formBody(file []byte, typ string) []byte {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.SetBoundary(fuzzBoundary)
	fw, _ := mw.CreateFormFile("file", "tasks.xlsx")
	_, _ = fw.Write(file)
	if typ != "" {
		_ = mw.WriteField("type", typ)
	}
	_ = mw.Close()
	return buf.Bytes()
}

// fuzzImport sends body as an import to s and checks the answer: 200 with
// an async_job_id or 400 with Huawei's import shape, fitting the contract
// (row_rum of 1 to 3 characters, bounded values and messages).
func fuzzImport(t *testing.T, s *Server, project string, body []byte) {
	r := httptest.NewRequest(http.MethodPost, "/v5/"+project+"/jobs/template", bytes.NewReader(body))
	r.Header.Set("Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
	r.Header.Set("X-Auth-Token", "tok")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	resp := w.Result()
	validateResponse(t, r, resp)
	var res drsapi.BatchImportResult
	dec := json.NewDecoder(resp.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("%d: not the import's answer: %v %q", w.Code, err, w.Body)
	}
	switch w.Code {
	case http.StatusOK:
		if res.AsyncJobId == nil || res.ErrorCode != nil {
			t.Fatalf("200 without an async_job_id: %q", w.Body)
		}
	case http.StatusBadRequest:
		if res.ErrorCode == nil || res.ErrorMsg == nil || res.AsyncJobId != nil {
			t.Fatalf("400 without error_code and error_msg: %q", w.Body)
		}
		if *res.ErrorCode != CodeImportParseFailed && (*res.ErrorCode != CodeInvalidParameter || res.ImportErrorMessages != nil) {
			t.Fatalf("400 %s: %q", *res.ErrorCode, w.Body)
		}
	default:
		t.Fatalf("status %d: %q", w.Code, w.Body)
	}
}

// FuzzImportForm sends arbitrary multipart bodies to ImportBatchCreateJobs:
// every answer is 200 or a 400 in the import's shape within the contract.
func FuzzImportForm(f *testing.F) {
	for _, book := range importSeeds(f) {
		body := formBody(book, "migration")
		f.Add(body)
		f.Add(body[:len(body)/2])
	}
	f.Add(formBody([]byte("not a workbook"), "sync"))
	f.Add([]byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ny\r\n--" + fuzzBoundary + "--\r\n"))
	f.Add([]byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nbogus\r\n--" + fuzzBoundary + "--\r\n"))
	f.Add([]byte{})
	s := mustNew(f, WithToken("tok"), WithClock(NewManualClock(t0)), WithImportValidation(time.Minute))
	project := s.ProjectIDs()[0]
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzImport(t, s, project, body)
	})
}

// FuzzImportWorkbook sends arbitrary files, in a well-formed form, to
// ImportBatchCreateJobs: the workbook parser refuses what it cannot read
// with Huawei's shape, never panics, and reports rows within the contract's
// bounds.
func FuzzImportWorkbook(f *testing.F) {
	for _, book := range importSeeds(f) {
		f.Add(book)
	}
	f.Add([]byte("PK\x03\x04"))
	s := mustNew(f, WithToken("tok"), WithClock(NewManualClock(t0)), WithImportValidation(time.Minute))
	project := s.ProjectIDs()[0]
	f.Fuzz(func(t *testing.T, file []byte) {
		fuzzImport(t, s, project, formBody(file, ""))
	})
}

// FuzzImportResponseShape decodes arbitrary bytes as the import's answer
// (the one object of its 200 and 400): decoding never panics, and whatever
// decodes encodes back to a value that decodes the same — the shape a
// client's parser of this answer can rely on.
func FuzzImportResponseShape(f *testing.F) {
	f.Add([]byte(`{"async_job_id":"dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456"}`))
	f.Add([]byte(`{"error_code":"DRS.10120001","error_msg":"Failed to parse the imported file","import_error_messages":[{"sheet_name":"sheet0","row_rum":"10","value":"test","error_message":"base_info.tags parse object failed."}]}`))
	f.Add([]byte(`{"import_error_messages":null,"row_rum":10}`))
	f.Add([]byte(`{"import_error_messages":[{"row_rum":10}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var first drsapi.BatchImportResult
		if json.Unmarshal(data, &first) != nil {
			return
		}
		again, err := json.Marshal(first)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", first, err)
		}
		var second drsapi.BatchImportResult
		if err := json.Unmarshal(again, &second); err != nil {
			t.Fatalf("decoding what was encoded: %v", err)
		}
		b1, _ := json.Marshal(second)
		if !bytes.Equal(again, b1) {
			t.Fatalf("not stable: %s then %s", again, b1)
		}
	})
}
