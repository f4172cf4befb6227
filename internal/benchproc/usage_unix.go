//go:build unix

package benchproc

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// Usage is what an ended process used, from its resource usage
// (getrusage): CPU time in user and system mode, and its peak resident
// memory.
type Usage struct {
	CPU    time.Duration
	MaxRSS int64 // bytes
}

// UsageOf returns the usage of the ended process ps; zero if the system
// gives none.
func UsageOf(ps *os.ProcessState) Usage {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return Usage{}
	}
	rss := int64(ru.Maxrss) //nolint:unconvert // int32 on some systems
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		rss *= 1024 // kilobytes everywhere but Apple's systems, which count bytes
	}
	return Usage{CPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), MaxRSS: rss}
}
