package drsfake

import (
	"fmt"
	"slices"
	"time"
)

// ProjectIDs returns the fake's project ids; the first is the default one.
func (s *Server) ProjectIDs() []string { return slices.Clone(s.projects) }

// ProjectName returns the IAM name of a project of the fake: the region for
// the first project, "{region}_{n}" for the n-th (n ≥ 2), "" for an unknown id.
func (s *Server) ProjectName(id string) string {
	i := slices.Index(s.projects, id)
	switch {
	case i < 0:
		return ""
	case i == 0:
		return s.region
	default:
		return fmt.Sprintf("%s_%d", s.region, i+1)
	}
}

// Region returns the fake's region.
func (s *Server) Region() string { return s.region }

// Tasks returns the fake's tasks, in the order they were configured
// (generated tasks last), then those created by committed batch imports, in
// the order they were created.
func (s *Server) Tasks() []Task { return s.tasks.all() }

// RevokeToken revokes a token accepted by the fake (given with [WithToken]
// or issued by IAM): later requests with it get 401 APIGW.0301. Revoking an
// unknown token has no effect.
func (s *Server) RevokeToken(tok string) { s.auth.revoke(tok) }

// IssueToken makes a token for projectID that expires ttl from now on the
// fake's clock, as if the project's user had logged in with IAM. It lets
// tests get short-lived tokens without an IAM call.
func (s *Server) IssueToken(projectID string, ttl time.Duration) (string, error) {
	if !slices.Contains(s.projects, projectID) {
		return "", fmt.Errorf("drsfake: IssueToken: %q is not a project of the fake", projectID)
	}
	if ttl <= 0 {
		return "", fmt.Errorf("drsfake: IssueToken: ttl %v is not positive", ttl)
	}
	return s.issueToken(projectID, s.clock.Now(), ttl), nil
}

// SetFaults replaces the fault-injection configuration while the server
// runs. Requests already past the fault step are not affected. The zero
// Faults turns injection off.
func (s *Server) SetFaults(f Faults) error { return s.faults.set(f) }

// SetRateLimit replaces the per-project rate limit while the server runs
// (see [WithRateLimit]); every project starts again with a full bucket.
func (s *Server) SetRateLimit(perSecond float64, burst int) error {
	return s.limiter.set(perSecond, burst)
}

// Clock returns the clock the fake reads the time from: the one given with
// [WithClock], else the system clock.
func (s *Server) Clock() Clock { return s.clock }
