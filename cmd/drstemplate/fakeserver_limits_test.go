package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/drs-tools/drstemplate/drsfake"
	"github.com/drs-tools/drstemplate/internal/memnet"
)

// TestHTTPServerLimits runs fake-server's HTTP server (newHTTPServer) over
// in-memory connections in a synctest bubble, where its timeouts pass
// without waiting: a stalled upload and an idle connection are closed at
// their timeouts, an oversized header block is refused with 431, and a
// request without credentials is refused 401 before its 13 MB body is
// accepted.
func TestHTTPServerLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, conn net.Conn, project string)
	}{
		{"stalled upload", func(t *testing.T, conn net.Conn, project string) {
			start := time.Now()
			writeAll(t, conn, "POST /v5/"+project+"/jobs/export/template HTTP/1.1\r\nHost: fake\r\nX-Auth-Token: tok\r\n"+
				"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"jobs\":[")
			waitClosed(t, conn, start, readTimeout)
		}},
		{"idle connection", func(t *testing.T, conn net.Conn, project string) {
			writeAll(t, conn, "GET /v5/"+project+"/templates HTTP/1.1\r\nHost: fake\r\nX-Auth-Token: tok\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("list: %s", resp.Status)
			}
			waitClosed(t, conn, time.Now(), idleTimeout)
		}},
		{"oversized header block", func(t *testing.T, conn net.Conn, project string) {
			go func() { // the server stops reading before the end
				_, _ = io.WriteString(conn, "GET /v5/"+project+"/templates HTTP/1.1\r\nHost: fake\r\nX-Big: "+strings.Repeat("a", 2*maxHeaderBytes)+"\r\n\r\n")
			}()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("status %s, want 431", resp.Status)
			}
		}},
		{"unauthenticated upload", func(t *testing.T, conn net.Conn, project string) {
			writeAll(t, conn, "POST /v5/"+project+"/jobs/export/template HTTP/1.1\r\nHost: fake\r\nContent-Type: application/json\r\n"+
				"Content-Length: 13000000\r\nExpect: 100-continue\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("first answer %s, want 401 (and no 100 Continue)", resp.Status)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake, err := drsfake.New(drsfake.WithToken("tok"))
				if err != nil {
					t.Fatal(err)
				}
				ln := memnet.Listen()
				srv := newHTTPServer(fake, context.Background())
				go func() { _ = srv.Serve(ln) }()
				conn, err := ln.DialContext(t.Context(), "", "")
				if err != nil {
					t.Fatal(err)
				}
				tc.run(t, conn, fake.ProjectIDs()[0])
				_ = conn.Close()
				_ = srv.Close()
				// net/http lingers half a second before closing a connection
				// it refused: let it, on the bubble's clock.
				time.Sleep(time.Second)
			})
		})
	}
}

// writeAll writes s to conn or fails the test.
func writeAll(t *testing.T, conn net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(conn, s); err != nil {
		t.Fatal(err)
	}
}

// waitClosed reads conn until the server closes it, which must happen
// limit after start (on the bubble's clock), not later.
func waitClosed(t *testing.T, conn net.Conn, start time.Time, limit time.Duration) {
	t.Helper()
	_ = conn.SetReadDeadline(start.Add(limit + time.Second))
	_, err := io.Copy(io.Discard, conn)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.Errorf("the connection is still open %v later; want it closed after %v", time.Since(start), limit)
	case err != nil && !errors.Is(err, io.ErrClosedPipe):
		t.Errorf("reading: %v", err)
	}
	if d := time.Since(start); d < limit {
		t.Errorf("closed after %v, before the %v limit", d, limit)
	}
	_ = conn.Close()
}
