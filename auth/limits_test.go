package auth

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// stream is a body of n bytes of 'x', made as it is read, that counts the
// bytes read from it.
type stream struct {
	n    int64
	read atomic.Int64
}

func (s *stream) Read(p []byte) (int, error) {
	left := s.n - s.read.Load()
	if left <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), left))
	for i := range k {
		p[i] = 'x'
	}
	s.read.Add(int64(k))
	return k, nil
}

func (s *stream) Close() error { return nil }

// roundTripFunc is an http.RoundTripper made of a func.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// An AK/SK-signed body of unknown length is read only up to the 12 MB
// limit, through the body or through GetBody, before it is refused.
func TestAccessKeyReadsNoMoreThanTheLimit(t *testing.T) {
	const size = 48 << 20 // four times the limit
	for _, viaGetBody := range []bool{false, true} {
		s := newTestServer(t)
		body := &stream{n: size}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/v5/p/x", nil)
		req.ContentLength = -1
		if viaGetBody {
			req.Body = io.NopCloser(strings.NewReader("never read"))
			req.GetBody = func() (io.ReadCloser, error) { return body, nil }
		} else {
			req.Body = body
		}
		err := doErr(s.client(AccessKey{ID: testAK, Secret: testSK}), req)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("GetBody %v: err = %v, want ErrBodyTooLarge", viaGetBody, err)
		}
		if got, limit := body.read.Load(), int64(sdksign.MaxSignedBody+1); got > limit {
			t.Fatalf("GetBody %v: %d bytes of the body were read, want at most %d", viaGetBody, got, limit)
		}
		if _, drs := s.counts(); drs != 0 {
			t.Fatalf("GetBody %v: the oversized request was sent", viaGetBody)
		}
	}
}

// IAM's answer to a login is read up to 1 MiB, not whole.
func TestLoginReadsNoMoreThanOneMiB(t *testing.T) {
	const size = 32 << 20
	pad := &stream{n: size}
	body := io.MultiReader(strings.NewReader(`{"token":{"expires_at":"2099-01-01T00:00:00Z"},"pad":"`), pad)
	iam := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		h := http.Header{"Content-Type": {"application/json"}, "X-Subject-Token": {"tok"}}
		return &http.Response{StatusCode: http.StatusCreated, Header: h, Body: io.NopCloser(body), Request: r}, nil
	})
	p, err := NewPassword(PasswordLogin{IAMEndpoint: mustURL("https://iam.example.com"), Account: "a", User: "u", Password: "pw-SECRET",
		ProjectName: "cn-north-4", HTTPClient: &http.Client{Transport: iam}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.ProjectID(t.Context())
	if !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("err = %v, want ErrLoginFailed", err)
	}
	if got := pad.read.Load(); got > 1<<20 {
		t.Fatalf("%d bytes of IAM's answer were read, want at most 1 MiB", got)
	}
	if !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want it to say the answer is too large", err)
	}
}
