//go:build !unix

package auth

import "errors"

// mkfifo is not available here; the test that uses it is skipped.
func mkfifo(string) error { return errors.New("no FIFOs on this system") }
