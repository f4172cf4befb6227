package drsfake

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Batch job states, as ListAsyncJobs reports them in status (the values
// Huawei's SDK lists). Clients must treat the status as an open string: the
// API reference's example also shows ASYNC_JOB_CREATING and
// ASYNC_JOB_COMPLETED, which the fake never reports.
const (
	// BatchValidating: DRS validates the imported tasks' parameters.
	BatchValidating = "ASYNC_JOB_VALIDATING"
	// BatchValidateFailed: a task failed validation; the job cannot be
	// committed.
	BatchValidateFailed = "ASYNC_JOB_VALIDATE_FAILED"
	// BatchValidated: every task passed; CommitAsyncJob creates them.
	BatchValidated = "AUTO_PARAM_VALIDATE_SUCCESS"
	// BatchCommitted: the tasks were created.
	BatchCommitted = "COMMIT_SUCCESS"
)

// Task statuses in ListAsyncJobDetail (the fake's choice among DRS's task
// statuses; Huawei documents none for a batch job's tasks).
const (
	// TaskConfiguration: an imported task not created yet.
	TaskConfiguration = "CONFIGURATION"
	// TaskCreateFailed: an imported task that failed validation.
	TaskCreateFailed = "CREATE_FAILED"
	// TaskWaitingForStart: a task created by a commit.
	TaskWaitingForStart = "WAITING_FOR_START"
)

// batchJob is the batch job of one accepted import.
type batchJob struct {
	id, project  string
	domain, user string // who created it
	tasks        []Task // ids assigned at import, project and region filled in
	sheets       []string
	failures     []string // per task: why validation fails, "" if it passes
	created      time.Time
	validatedAt  time.Time
	committedAt  time.Time // zero until committed
	seq          uint64
}

// status reports the job's state at now.
func (j *batchJob) status(now time.Time) string {
	switch {
	case now.Before(j.validatedAt):
		return BatchValidating
	case !j.committedAt.IsZero():
		return BatchCommitted
	case j.failure() >= 0:
		return BatchValidateFailed
	default:
		return BatchValidated
	}
}

// failure returns the index of the first task that fails validation, or -1.
func (j *batchJob) failure() int {
	return slices.IndexFunc(j.failures, func(f string) bool { return f != "" })
}

// taskStatus reports the status of task i at now.
func (j *batchJob) taskStatus(i int, now time.Time) string {
	switch st := j.status(now); {
	case st == BatchCommitted:
		return TaskWaitingForStart
	case st == BatchValidateFailed && j.failures[i] != "":
		return TaskCreateFailed
	default:
		return TaskConfiguration
	}
}

// ended is when the job last changed: its commit, else the end of its
// validation. It is forgotten retention later.
func (j *batchJob) ended() time.Time {
	if !j.committedAt.IsZero() {
		return j.committedAt
	}
	return j.validatedAt
}

// validateTask is the check a batch job runs on the fake's clock, beyond
// what the import's row check does: the fake refuses a task whose source
// and destination are the same database (host and port), which DRS's
// connection checks would refuse. It returns why t fails, or "".
func validateTask(t Task) string {
	if strings.EqualFold(t.SourceEndpoint, t.TargetEndpoint) {
		return "the source and the destination are the same database"
	}
	return ""
}

// batchStore holds the batch jobs, per id. Finished jobs are forgotten
// retention after they ended; every look sweeps them.
type batchStore struct {
	retention time.Duration

	mu   sync.Mutex
	seq  uint64
	jobs map[string]*batchJob
}

func newBatchStore(retention time.Duration) *batchStore {
	return &batchStore{retention: retention, jobs: make(map[string]*batchJob)}
}

// sweepLocked forgets the jobs that ended retention before now.
func (b *batchStore) sweepLocked(now time.Time) {
	for id, j := range b.jobs {
		if !now.Before(j.ended().Add(b.retention)) {
			delete(b.jobs, id)
		}
	}
}

// add records a new job.
func (b *batchStore) add(j *batchJob) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	j.seq = b.seq
	b.jobs[j.id] = j
}

// batchView is a job as one answer shows it.
type batchView struct {
	job    *batchJob // its fields do not change but committedAt, copied below
	status string
}

// get returns job id of project at now.
func (b *batchStore) get(project, id string, now time.Time) (batchView, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
	j, ok := b.jobs[id]
	if !ok || j.project != project {
		return batchView{}, false
	}
	c := *j
	return batchView{job: &c, status: j.status(now)}, true
}

// batchFilter selects jobs in ListAsyncJobs.
type batchFilter struct {
	id, status, domain, user string // "" matches all
	asc                      bool
}

// list returns the jobs of project matching f at now, sorted by creation.
func (b *batchStore) list(project string, f batchFilter, now time.Time) []batchView {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
	var out []batchView
	for _, j := range b.jobs {
		st := j.status(now)
		if j.project != project || f.id != "" && j.id != f.id || f.status != "" && st != f.status ||
			f.domain != "" && j.domain != f.domain || f.user != "" && j.user != f.user {
			continue
		}
		c := *j
		out = append(out, batchView{job: &c, status: st})
	}
	slices.SortFunc(out, func(x, y batchView) int {
		c := cmp.Or(x.job.created.Compare(y.job.created), cmp.Compare(x.job.seq, y.job.seq))
		if !f.asc {
			c = -c
		}
		return c
	})
	return out
}

// commit commits job id of project at now: only from BatchValidated, and
// create (which adds the tasks) runs under the store's lock, so a job is
// committed once. It returns the job's status before the commit and, for a
// failed validation, why; ok is false for an unknown job.
func (b *batchStore) commit(project, id string, now time.Time, create func([]Task)) (before, why string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
	j, found := b.jobs[id]
	if !found || j.project != project {
		return "", "", false
	}
	before = j.status(now)
	if before == BatchValidateFailed {
		i := j.failure()
		why = "task " + quote(j.tasks[i].Name) + " (sheet " + quote(j.sheets[i]) + "): " + j.failures[i]
	}
	if before != BatchValidated {
		return before, why, true
	}
	j.committedAt = now
	create(j.tasks)
	return before, "", true
}
