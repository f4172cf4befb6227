package drstemplate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/drs-tools/drstemplate/auth"
)

// TestListingsNeverShareAFailedListing: a listing that has ended in failure
// is not handed to a chunk that asks later, even one it would qualify for
// (begun after the chunk's mark): that chunk begins a fresh listing. Only a
// chunk that was already waiting on the listing shares its failure.
func TestListingsNeverShareAFailedListing(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, `{"error_code":"DRS.0001","error_msg":"refused"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"count":0,"export_report_obs_files":[]}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithEndpoint(srv.URL), WithProjectID("0123456789abcdef0123456789abcdef"),
		WithCredentials(auth.StaticToken("t")), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	l := &listings{c: c, tasks: map[string]int{}}
	ctx := context.Background()

	mark := l.mark()
	if _, seq, err := l.since(ctx, mark); err == nil || seq != 1 {
		t.Fatalf("first listing: seq %d, err %v; want seq 1 and the server's refusal", seq, err)
	}
	// The failed listing #1 has ended, and began after mark: it qualifies
	// by number, but a failure is not shared once over.
	_, seq, err := l.since(ctx, mark)
	if err != nil {
		t.Fatalf("second ask: %v; want a fresh listing, not the ended one's failure", err)
	}
	if seq != 2 {
		t.Errorf("second ask got listing %d, want a fresh one (2)", seq)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d list calls, want 2", n)
	}
}
