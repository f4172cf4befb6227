package drsfake

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"
)

// Task is a DRS replication or migration task (a "job") whose creation
// template can be exported.
type Task struct {
	// ID is the task id, usually UUID-like: letters, digits and '-'.
	ID string
	// Name is the task's display name.
	Name string
	// Engine is the database engine, e.g. "mysql" or "postgresql": lower-case
	// letters, digits and '.'. It is part of the template file name.
	Engine string
	// Type is the kind of task, e.g. "migration" or "synchronization"
	// (default "migration").
	Type string
	// SourceEndpoint is the source database, e.g. "192.168.0.10:3306".
	SourceEndpoint string
	// TargetEndpoint is the target database.
	TargetEndpoint string
	// Region is the task's region (default: the fake's region).
	Region string
	// ProjectID is the project the task belongs to (default: the fake's
	// first project). Exports only find tasks of the project in the URI.
	ProjectID string
	// FailExport makes exports including this task end "failed".
	FailExport bool
	// Settings are further settings listed in the template, in key order.
	Settings map[string]string
}

// The patterns of a task's id and engine, compiled when first used, not at
// package initialisation: every program that links drsfake (the command,
// whatever it runs) would pay for them at start-up — counted repetitions
// make a regexp costly to compile.
var (
	taskIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`) })
	enginePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9.]{1,32}$`) })
)

// validate checks a task whose defaults have been filled in.
func (t Task) validate(projects []string) error {
	switch {
	case !taskIDPattern().MatchString(t.ID):
		return fmt.Errorf("drsfake: task id %q: want 1 to 64 letters, digits or '-'", t.ID)
	case !enginePattern().MatchString(t.Engine):
		return fmt.Errorf("drsfake: task %s: engine %q: want 1 to 32 lower-case letters, digits or '.'", t.ID, t.Engine)
	case !slices.Contains(projects, t.ProjectID):
		return fmt.Errorf("drsfake: task %s: project %q is not a project of the fake", t.ID, t.ProjectID)
	}
	return nil
}

// clone returns a copy of t that shares no map with it.
func (t Task) clone() Task {
	t.Settings = maps.Clone(t.Settings)
	return t
}

// generatedEngines are the engines of generated tasks, in turn.
var generatedEngines = [...]struct{ engine, port, target string }{
	{"mysql", "3306", "rds-mysql"},
	{"postgresql", "5432", "rds-pg"},
	{"gaussdbv5", "8000", "gaussdb"},
	{"mongodb", "8635", "dds"},
}

// generateTasks makes n tasks with seeded ids in the given project and region.
// Ids look like DRS job ids: a UUID whose last group reads like "2883629jb204".
func generateTasks(rs *randSource, n int, project, region string) []Task {
	tasks := make([]Task, 0, n)
	for i := range n {
		id := []byte(rs.uuid())
		copy(id[len(id)-5:], "jb")
		e := generatedEngines[i%len(generatedEngines)]
		tasks = append(tasks, Task{
			ID:             string(id),
			Name:           fmt.Sprintf("DRS-%s-%d", e.engine, i+1),
			Engine:         e.engine,
			Type:           "migration",
			SourceEndpoint: fmt.Sprintf("192.168.%d.%d:%s", i/250, 10+i%240, e.port),
			TargetEndpoint: fmt.Sprintf("%s-%d.%s.internal:%s", e.target, i+1, region, e.port),
			Region:         region,
			ProjectID:      project,
			Settings: map[string]string{
				"Network type":   "vpc",
				"Migration mode": "full+incremental",
			},
		})
	}
	return tasks
}
