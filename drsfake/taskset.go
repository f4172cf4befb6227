package drsfake

import "sync"

// taskSet is the fake's tasks: configured by New, grown by commits of batch
// imports. Its methods are the only ways to read or add them.
type taskSet struct {
	mu    sync.RWMutex
	byID  map[string]Task
	order []string
}

// all returns copies of the tasks, in order.
func (ts *taskSet) all() []Task {
	ts.mu.RLock()
	defer ts.mu.RUnlock()
	out := make([]Task, 0, len(ts.order))
	for _, id := range ts.order {
		out = append(out, ts.byID[id].clone())
	}
	return out
}

// task returns the task with the given id.
func (s *Server) task(id string) (Task, bool) {
	s.tasks.mu.RLock()
	defer s.tasks.mu.RUnlock()
	t, ok := s.tasks.byID[id]
	return t, ok
}

// addTasks adds tasks created by a commit; their ids are new.
func (s *Server) addTasks(tasks []Task) {
	s.tasks.mu.Lock()
	defer s.tasks.mu.Unlock()
	for _, t := range tasks {
		s.tasks.byID[t.ID] = t.clone()
		s.tasks.order = append(s.tasks.order, t.ID)
	}
}

// newTaskID draws a task id shaped like the generated ones (a UUID whose
// last group reads like "2883629jb204").
func (s *Server) newTaskID() string {
	id := []byte(s.ids.uuid())
	copy(id[len(id)-5:], "jb")
	return string(id)
}

// knownEngines is the set of engines an imported row may name: those of
// generated tasks (mysql, postgresql, gaussdbv5, mongodb), of the blank
// templates, and of every configured task — so that every exported template
// names a known engine.
func knownEngines(tasks map[string]Task) map[string]bool {
	known := make(map[string]bool, len(generatedEngines)+len(tasks))
	for _, e := range generatedEngines {
		known[e.engine] = true
	}
	for _, e := range blankEngines {
		known[e] = true
	}
	for _, t := range tasks {
		known[t.Engine] = true
	}
	return known
}
