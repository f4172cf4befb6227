package benchproc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"
)

// Config describes the fake to start.
type Config struct {
	// Bin is the drstemplate command (see [Build]).
	Bin string
	// Tasks is the number of seeded tasks (--tasks).
	Tasks int
	// Latency is added to every request (--latency).
	Latency time.Duration
	// ExportDuration is the time from an export to its success
	// (--export-duration).
	ExportDuration time.Duration
	// Seed seeds the fake's ids and credentials (--seed).
	Seed uint64
	// AccessKey and SecretKey are the AK/SK the fake accepts (--ak, --sk);
	// empty: the seeded ones.
	AccessKey, SecretKey string
	// ProjectID is the fake's project (--project-id); empty: the seeded one.
	ProjectID string
}

// args are the command-line arguments of the fake c describes.
func (c Config) args() []string {
	args := []string{"fake-server", "-o", "json", "--addr", "127.0.0.1:0",
		"--tasks", strconv.Itoa(c.Tasks), "--seed", strconv.FormatUint(c.Seed, 10),
		"--export-duration", c.ExportDuration.String(), "--latency", c.Latency.String()}
	if c.AccessKey != "" || c.SecretKey != "" {
		args = append(args, "--ak", c.AccessKey, "--sk", c.SecretKey)
	}
	if c.ProjectID != "" {
		args = append(args, "--project-id", c.ProjectID)
	}
	return args
}

// Server is a running fake-server process.
type Server struct {
	// URL is the fake's base URL, http://127.0.0.1:PORT.
	URL string
	// ProjectID is the fake's project.
	ProjectID string
	// TaskIDs are the fake's tasks.
	TaskIDs []string
	// Env is the environment that points drstemplate and Huawei's SDKs at
	// the fake (KEY=VALUE, sorted): the banner's "env".
	Env []string

	cmd    *exec.Cmd
	stderr *bytes.Buffer // complete once cmd.Wait has returned
}

// banner is what Start reads of the JSON banner.
type banner struct {
	URL       string                `json:"url"`
	ProjectID string                `json:"project_id"`
	Tasks     []struct{ ID string } `json:"tasks"`
	Env       map[string]string     `json:"env"`
}

// Start runs the fake c describes and returns once it listens. ctx bounds
// the start only: stop the fake with [Server.Stop].
func Start(ctx context.Context, c Config) (*Server, error) {
	// The fake outlives the start: ctx bounds only the wait for the banner.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), c.Bin, c.args()...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, stderr: new(bytes.Buffer)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the fake: %w", err)
	}
	decoded := make(chan error, 1)
	var b banner
	go func() { decoded <- json.NewDecoder(stdout).Decode(&b) }()
	select {
	case err = <-decoded:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("the fake's banner: %w; stderr: %q", err, tail(s.stderr.Bytes()))
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }() // nothing more is expected
	s.URL, s.ProjectID = b.URL, b.ProjectID
	for _, t := range b.Tasks {
		s.TaskIDs = append(s.TaskIDs, t.ID)
	}
	for k, v := range b.Env {
		s.Env = append(s.Env, k+"="+v)
	}
	slices.Sort(s.Env)
	if s.URL == "" || len(s.TaskIDs) != c.Tasks {
		_, _ = s.Stop()
		return nil, fmt.Errorf("the fake's banner: URL %q and %d tasks, want %d", s.URL, len(s.TaskIDs), c.Tasks)
	}
	return s, nil
}

// Stop interrupts the fake (as Ctrl-C does), waits for it to end and
// returns the calls it received.
func (s *Server) Stop() (Calls, error) {
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		_ = s.cmd.Process.Kill() // no interrupt on this system
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		err = errors.Join(errors.New("the fake did not stop within 30s"), <-done)
	}
	if err != nil {
		return nil, fmt.Errorf("the fake: %w; stderr: %q", err, tail(s.stderr.Bytes()))
	}
	return ParseCalls(s.stderr.String())
}

// tail is the end of a process's output, for an error message.
func tail(b []byte) []byte {
	const keep = 2000
	if len(b) > keep {
		return b[len(b)-keep:]
	}
	return b
}

// Build compiles the drstemplate command of the module in moduleDir (the
// repository's root) to the file out.
func Build(ctx context.Context, moduleDir, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/drstemplate")
	cmd.Dir = moduleDir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/drstemplate: %w\n%s", err, b)
	}
	return nil
}
