package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLoggerSilent runs the command against a server that sends
// bytes after each answer, on the idle connection: net/http logs them
// ("Unsolicited response received on idle HTTP channel", with the bytes)
// through the standard logger, which must not reach stderr raw.
func TestStandardLoggerSilent(t *testing.T) {
	fake := startFake(t)
	useFake(t, fake)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.serve(rec, r)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		res := rec.Result()
		res.ContentLength = int64(rec.Body.Len())
		_ = res.Write(buf)
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nX-Sneaky: \x1b[31mred\r\n\r\n")
		_ = buf.Flush()
		// Keep the connection open until the client closes it, as an idle
		// keep-alive connection is.
		_, _ = buf.ReadByte()
	}))
	t.Cleanup(hostile.Close)
	t.Setenv(envEndpoint, hostile.URL)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(binary(t), "list", "-q", "-o", "json", "--task", task1+","+task2)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if strings.Contains(stderr.String(), "Unsolicited") || strings.Contains(stderr.String(), "\x1b") {
		t.Errorf("net/http's log reached stderr (%v):\n%q", err, stderr.String())
	}
	if err != nil || !strings.Contains(stdout.String(), `"templates"`) {
		t.Errorf("list: %v\n%s%s", err, stdout.String(), stderr.String())
	}
}
