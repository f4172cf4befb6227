package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// checkFiles checks what a tool wrote into dir for tasks: every task must
// have exactly one .xlsx file, named "{task id}_…" as DRS names templates,
// that is a whole workbook (a zip holding xl/workbook.xml). It returns the
// number of tasks that do, and what is wrong with the others. Files that
// are not .xlsx (a manifest) are not looked at; an .xlsx of no task is a
// problem.
func checkFiles(dir string, tasks []string) (int, []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, []string{err.Error()}
	}
	files := make(map[string]int, len(tasks)) // task → whole files
	for _, t := range tasks {
		files[t] = 0
	}
	var problems []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".xlsx") {
			continue
		}
		task, _, _ := strings.Cut(name, "_")
		if _, ok := files[task]; !ok || !e.Type().IsRegular() {
			problems = append(problems, name+": not a file of a task asked for")
			continue
		}
		if err := checkWorkbook(filepath.Join(dir, name)); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		files[task]++
	}
	ok := 0
	for _, t := range tasks {
		switch files[t] {
		case 1:
			ok++
		case 0:
			problems = append(problems, t+": no whole template")
		default:
			problems = append(problems, fmt.Sprintf("%s: %d templates", t, files[t]))
		}
	}
	return ok, problems
}

// checkWorkbook checks that the file at path is a regular file (see
// localfile.OpenRegular) and a whole workbook.
func checkWorkbook(path string) error {
	f, fi, err := localfile.OpenRegular(path, false)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return localfile.CheckWorkbook(f, fi.Size())
}
