package auth

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// sendGate is a base RoundTripper that records when the request is handed
// on to be sent.
type sendGate struct {
	base    http.RoundTripper
	sending *atomic.Bool
}

func (g sendGate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.sending.Store(true)
	return g.base.RoundTrip(r)
}

// earlyReadBody is a request body that fails if it is read before the
// request is handed on to be sent: a signer that buffers it fails.
type earlyReadBody struct {
	io.Reader
	sending *atomic.Bool
}

var errReadBeforeSend = errors.New("the body was read before the request was sent")

func (b earlyReadBody) Read(p []byte) (int, error) {
	if !b.sending.Load() {
		return 0, errReadBeforeSend
	}
	return b.Reader.Read(p)
}

func (earlyReadBody) Close() error { return nil }

// TestTransportStreamsUnsignedPayload: a multipart upload signed with AK/SK
// carries X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD (signed) and its body is
// not read before it is sent — larger than the 12 MB of signed bodies, of
// unknown length, with no GetBody — and the server verifies the signature.
// A JSON body is still read and hashed; token auth never reads it.
func TestTransportStreamsUnsignedPayload(t *testing.T) {
	mw := multipart.NewWriter(nil)
	tests := []struct {
		name        string
		contentType string
		size        int
		creds       func(*testServer) Credentials
		wantMarker  bool
		wantErr     error // nil: sent and accepted
	}{
		{"AK/SK multipart", mw.FormDataContentType(), 1 << 10, aksk, true, nil},
		{"AK/SK multipart over the signed-body limit", mw.FormDataContentType(), sdksign.MaxSignedBody + 1, aksk, true, nil},
		{"AK/SK octet stream", "application/octet-stream", 1 << 10, aksk, true, nil},
		{"AK/SK JSON: hashed, so read before sending", "application/json", 1 << 10, aksk, false, errReadBeforeSend},
		{"token multipart", mw.FormDataContentType(), 1 << 10, func(s *testServer) Credentials { s.valid["t"] = true; return StaticToken("t") }, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			var sending atomic.Bool
			tr := &Transport{Credentials: tt.creds(s), Endpoint: mustURL(s.URL), Now: s.clock.Now,
				Base: sendGate{http.DefaultTransport, &sending}}
			payload := strings.Repeat("x", tt.size)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/"+testProject+"/jobs/template",
				earlyReadBody{strings.NewReader(payload), &sending})
			req.ContentLength = -1 // a stream of unknown length
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := NewHTTPClient(tr).Do(req)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || len(s.lastBody) != tt.size {
				t.Fatalf("status %d, %d bytes received: the server did not accept the upload", resp.StatusCode, len(s.lastBody))
			}
			marker := s.lastDRS.Header.Get(sdksign.HeaderContentSha256)
			if (marker == sdksign.UnsignedPayload) != tt.wantMarker {
				t.Errorf("X-Sdk-Content-Sha256 = %q", marker)
			}
			if tt.wantMarker {
				a, err := sdksign.ParseAuthorization(s.lastDRS.Header.Get("Authorization"))
				if err != nil || !strings.Contains(strings.Join(a.SignedHeaders, ";"), "x-sdk-content-sha256") {
					t.Errorf("the marker is not signed: %v %v", a.SignedHeaders, err)
				}
			}
		})
	}
}

func aksk(*testServer) Credentials {
	return AccessKey{ID: testAK, Secret: testSK, ProjectID: testProject}
}
