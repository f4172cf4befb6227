package drstemplate

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestStoppedWaitCountsCalls: the error of a stopped wait counts its
// progress calls in good English ("1 progress call", "2 progress calls").
func TestStoppedWaitCountsCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		calls int
		want  string
	}{
		{1, "and 1 progress call: context canceled"},
		{2, "and 2 progress calls: context canceled"},
	} {
		w := &waiter[Status]{what: "export", id: "e1", start: time.Now(), calls: tc.calls, last: "running"}
		if err := w.stopped(ctx); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d calls: %q, want %q in it", tc.calls, err, tc.want)
		}
	}
}
