package drsfake

import (
	"testing"
	"time"
)

// TestRateLimit steps a per-project token bucket with the fake's clock.
func TestRateLimit(t *testing.T) {
	clock := NewManualClock(t0)
	second := "0123456789abcdef0123456789abcdef"
	s := mustNew(t, WithClock(clock), WithToken("tok"), WithProjectID("5237e10fe9aa4ad5b16b6a5245248314", second), WithRateLimit(2, 3))
	p := s.ProjectIDs()[0]
	list := func(project string) (int, string) {
		w := serve(s, "GET", "/v5/"+project+"/templates", "tok", "")
		if w.Code == 429 {
			if e := errBody(t, w.Header().Get("Content-Type"), w.Body.Bytes()); e.ErrorCode != CodeThrottled {
				t.Fatalf("429 with %+v", e)
			}
		}
		return w.Code, w.Header().Get("Retry-After")
	}
	for i := range 3 {
		if code, _ := list(p); code != 200 {
			t.Fatalf("request %d of the burst: %d", i+1, code)
		}
	}
	if code, retry := list(p); code != 429 || retry != "1" {
		t.Fatalf("past the burst: %d, Retry-After %q; want 429, 1", code, retry)
	}
	if code, _ := list(second); code != 200 {
		t.Fatalf("another project shares the bucket: %d", code)
	}
	clock.Advance(499 * time.Millisecond)
	if code, _ := list(p); code != 429 {
		t.Fatalf("a token after 0.499s at 2/s: %d", code)
	}
	clock.Advance(time.Millisecond)
	if code, _ := list(p); code != 200 {
		t.Fatalf("no token after 0.5s at 2/s: %d", code)
	}
	clock.Advance(time.Hour) // the bucket holds at most the burst
	for range 3 {
		list(p)
	}
	if code, _ := list(p); code != 429 {
		t.Fatalf("bucket grew past its burst: %d", code)
	}
	// IAM logins are not limited.
	if w := serve(s, "POST", "/v3/auth/tokens", "", `{}`); w.Code == 429 {
		t.Error("IAM throttled by the DRS rate limit")
	}
	if err := s.SetRateLimit(0, 0); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if code, _ := list(p); code != 200 {
			t.Fatal("limit not lifted")
		}
	}
	if err := s.SetRateLimit(1, 0); err == nil {
		t.Error("SetRateLimit accepted a rate without burst")
	}
}
