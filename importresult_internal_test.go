package drstemplate

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestParseImportResult: the answers Huawei documents, and the ones off the
// contract that must not pass for a batch job.
func TestParseImportResult(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		id     string
		rows   int
		code   string
		bad    bool // not the documented JSON
	}{
		{"200", 200, `{"async_job_id":"dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456"}`, "dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456", 0, "", false},
		{"400 with rows (Huawei's example)", 400, `{"error_code":"DRS.10120001","error_msg":"Failed to parse the imported file",
			"import_error_messages":[{"sheet_name":"sheet0","row_rum":"10","value":"test","error_message":"base_info.tags parse object failed."}]}`,
			"", 1, "DRS.10120001", false},
		{"400 without rows", 400, `{"error_code":"DRS.M00007","error_msg":"Invalid parameter."}`, "", 0, "DRS.M00007", false},
		{"200 with rows", 200, `{"async_job_id":"a1","import_error_messages":[{"sheet_name":"s","row_rum":"2"}]}`, "a1", 1, "", false},
		{"200 without an id", 200, `{}`, "", 0, "", true},
		{"200 null", 200, `null`, "", 0, "", true},
		{"an HTML page", 200, `<html>`, "", 0, "", true},
		{"an id with a newline", 200, `{"async_job_id":"a\nb"}`, "", 0, "", true},
		{"an id too long", 200, `{"async_job_id":"` + strings.Repeat("a", 65) + `"}`, "", 0, "", true},
		{"rows not an array", 400, `{"import_error_messages":{}}`, "", 0, "", true},
	}
	for _, tc := range cases {
		id, refused, err := parseImportResult(tc.status, []byte(tc.body))
		switch {
		case tc.bad:
			if err == nil {
				t.Errorf("%s: %q, %+v accepted", tc.name, id, refused)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if id != tc.id {
			t.Errorf("%s: id %q, want %q", tc.name, id, tc.id)
		}
		wantRefused := tc.status != http.StatusOK || tc.rows > 0
		if (refused != nil) != wantRefused {
			t.Fatalf("%s: refusal %+v, want one: %v", tc.name, refused, wantRefused)
		}
		if refused != nil && (len(refused.Rows) != tc.rows || refused.Code != tc.code) {
			t.Errorf("%s: %+v", tc.name, refused)
		}
	}
}

// FuzzParseImportResult: whatever the body, the parser returns an id only
// when it is one, never a batch job for a 400, and an *ImportError with
// every row the body lists; its message is one line.
func FuzzParseImportResult(f *testing.F) {
	f.Add(200, []byte(`{"async_job_id":"dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456"}`))
	f.Add(400, []byte(`{"error_code":"DRS.10120001","error_msg":"Failed to parse the imported file","import_error_messages":[{"sheet_name":"sheet0","row_rum":"10","value":"test","error_message":"base_info.tags parse object failed."}]}`))
	f.Add(400, []byte(`{"import_error_messages":[{},{"row_rum":null},{"value":"\u0000"}]}`))
	f.Add(200, []byte(`{"async_job_id":"","import_error_messages":[]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status != http.StatusOK {
			status = http.StatusBadRequest
		}
		id, refused, err := parseImportResult(status, body)
		if err != nil {
			if id != "" || refused != nil {
				t.Fatalf("an error with a result: %q %+v", id, refused)
			}
			return
		}
		if len(id) > 64 || !printableASCII(id) {
			t.Fatalf("id %q", id)
		}
		if status == http.StatusOK && refused == nil && id == "" {
			t.Fatal("a 200 without a batch job accepted")
		}
		if status != http.StatusOK && refused == nil {
			t.Fatal("a 400 that is not a refusal")
		}
		if refused == nil {
			return
		}
		var raw struct {
			Rows []json.RawMessage `json:"import_error_messages"`
		}
		if json.Unmarshal(body, &raw) == nil && len(raw.Rows) != len(refused.Rows) {
			t.Fatalf("%d rows listed, %d returned", len(raw.Rows), len(refused.Rows))
		}
		// The API part is *APIError's (scrubbed, bounded): only a refusal of
		// a 200 has none.
		refused.API = nil
		if msg := refused.Error(); strings.ContainsAny(msg, "\n\r") || !utf8.ValidString(msg) {
			t.Fatalf("message %q is not one line of UTF-8", msg)
		}
		var target *ImportError
		if !errors.As(error(refused), &target) {
			t.Fatal("errors.As does not find the *ImportError")
		}
	})
}
