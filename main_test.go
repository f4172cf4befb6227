package drstemplate_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a wait, a
// retry or a download that outlives its call.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
