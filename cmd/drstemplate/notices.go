package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"
)

// retryNotices is the client's log handler without -v (and without -q): of
// the client's debug records it shows only those about a call that is
// about to be tried again — a record with an "error" and a "delay" — as one
// plain line, so that a run that struggles (connection refused, 503s) says
// so instead of going quiet until it gives up.
type retryNotices struct{ w io.Writer }

func (retryNotices) Enabled(context.Context, slog.Level) bool { return true }

func (h retryNotices) Handle(_ context.Context, r slog.Record) error {
	var what, why string
	var delay time.Duration
	var attempt int64
	hasDelay := false
	r.Attrs(func(a slog.Attr) bool {
		v := a.Value.Resolve()
		switch a.Key {
		case "operation":
			what = v.String()
		case "file":
			what = cmp.Or(what, "downloading "+v.String())
		case "step":
			what = cmp.Or(what, v.String())
		case "error":
			why = v.String()
		case "attempt":
			if v.Kind() == slog.KindInt64 {
				attempt = v.Int64()
			}
		case "delay":
			if v.Kind() == slog.KindDuration {
				delay, hasDelay = v.Duration(), true
			}
		}
		return true
	})
	if !hasDelay || why == "" {
		return nil
	}
	line := "drstemplate: "
	if what != "" && !strings.HasPrefix(why, what+":") {
		line += what + ": "
	}
	line += why + "; trying again in " + delay.Round(100*time.Millisecond).String()
	if attempt > 1 {
		line += fmt.Sprintf(" (attempt %d)", attempt)
	}
	_, err := io.WriteString(h.w, escapeControl(line)+"\n")
	return err
}

func (h retryNotices) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h retryNotices) WithGroup(string) slog.Handler      { return h }

// withDNSHint adds to err, when a host name did not resolve and the host
// was built from the region (no --endpoint), the likely cause: a region
// mistyped, or one without DRS.
func withDNSHint(err error, cfg *cloudConfig) error {
	var dns *net.DNSError
	if err == nil || !errors.As(err, &dns) || cmp.Or(cfg.endpoint, envGet(envEndpoint)) != "" {
		return err
	}
	region := cmp.Or(cfg.region, envGet(envRegion))
	return fmt.Errorf("%w\n%s did not resolve: check the region %q (--region or %s; DRS is at drs.REGION.myhuaweicloud.com), or give the DRS host with --endpoint",
		err, dns.Name, region, envRegion)
}
