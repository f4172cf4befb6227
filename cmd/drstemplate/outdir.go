package main

import (
	"errors"
	"os"
	"syscall"
)

// checkOut refuses an --out that cannot be a directory — an existing file,
// or a path through one — before any call, with the same message and exit
// code (2) from export and download. A missing directory is fine: it is
// made.
func checkOut(out string) error {
	if out == "" {
		return usagef("--out must not be empty")
	}
	info, err := os.Stat(out)
	switch {
	case err == nil && !info.IsDir():
		return usagef("--out %s is a file, not a directory", out)
	case errors.Is(err, syscall.ENOTDIR):
		return usagef("--out %s: a part of the path is a file, not a directory", out)
	}
	return nil
}
