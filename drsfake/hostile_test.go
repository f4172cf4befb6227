package drsfake

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// unreadBody is a request body that records whether anything read it.
type unreadBody struct {
	r    io.Reader
	read bool
}

func (b *unreadBody) Read(p []byte) (int, error) {
	b.read = true
	return b.r.Read(p)
}

func (b *unreadBody) Close() error { return nil }

// TestRefusedBeforeTheBodyIsRead checks that a request without valid
// credentials is refused with 401 without its body being read, whatever
// its size, and that an oversized body of an authenticated request gets a
// JSON 400 DRS.M00007 rather than being read whole.
func TestRefusedBeforeTheBodyIsRead(t *testing.T) {
	s := mustNew(t, WithToken("tok"), WithAccessKey("AKID", "secret"))
	p := s.ProjectIDs()[0]
	big := 13 << 20
	for _, tc := range []struct {
		name string
		hdr  map[string]string
	}{
		{"no credentials", nil},
		{"unknown token", map[string]string{"X-Auth-Token": "wrong"}},
		{"malformed Authorization", map[string]string{"Authorization": "SDK-HMAC-SHA256 garbage"}},
		{"unknown access key", map[string]string{
			"Authorization": "SDK-HMAC-SHA256 Access=NOSUCHKEY, SignedHeaders=x-sdk-date, Signature=" + strings.Repeat("0", 64),
			"X-Sdk-Date":    t0.Format("20060102T150405Z"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &unreadBody{r: io.LimitReader(zeros{}, int64(big))}
			r := httptest.NewRequest(http.MethodPost, "/v5/"+p+"/jobs/export/template", nil)
			r.Body, r.ContentLength = body, int64(big)
			r.Header.Set("Content-Type", "application/json")
			for k, v := range tc.hdr {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", w.Code, w.Body)
			}
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeAuthFailed {
				t.Errorf("code %s, want %s", e.ErrorCode, CodeAuthFailed)
			}
			if body.read {
				t.Error("the body of an unauthenticated request was read")
			}
		})
	}
}

// zeros is an endless stream of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// TestExpectContinueRefusedWithoutUpload sends the head of a 13 MB upload
// with Expect: 100-continue and no credentials over a real connection: the
// fake must answer 401 without first inviting the body with 100 Continue.
func TestExpectContinueRefusedWithoutUpload(t *testing.T) {
	ts := Start(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard: the answer comes at once
	head := "POST /v5/" + ts.ProjectID + "/jobs/export/template HTTP/1.1\r\nHost: fake\r\n" +
		"Content-Type: application/json\r\nContent-Length: 13000000\r\nExpect: 100-continue\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("first answer %s, want 401 without 100 Continue", resp.Status)
	}
}
