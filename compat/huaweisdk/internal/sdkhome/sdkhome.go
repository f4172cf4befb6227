// Package sdkhome is for the tests of this module that build clients of
// Huawei's Go SDK.
package sdkhome

import (
	"fmt"
	"os"
	"testing"
)

// Run runs m's tests with HOME set to a throw-away directory, removed
// afterwards, and returns their exit code, for a TestMain to pass to
// os.Exit. Building an SDK client creates ~/.huaweicloud/application_id
// (the app id of its User-Agent), once per process, in the home directory
// of that moment; a test must not leave it in the real home. Setting HOME
// for the whole process, rather than per test, holds whichever test builds
// the first client.
func Run(m *testing.M) int {
	home, err := os.MkdirTemp("", "sdk-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(home) }()
	if err := os.Setenv("HOME", home); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}
