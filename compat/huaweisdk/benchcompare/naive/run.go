package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v5/model"
)

// maxJobsPerExport is the most task ids one ExportCreationTemplate takes
// (the contract's maxItems).
const maxJobsPerExport = 1000

// pageSize is the limit of one ListTemplates page.
const pageSize = 100

// settings are what the program is told.
type settings struct {
	endpoint          string
	ak, sk, projectID string
	tasksFile, out    string
	poll              time.Duration
	chunk             int // task ids per export
}

// run gets the templates of the tasks of c.tasksFile into c.out and
// returns the number of files written.
func run(c settings) (int, error) {
	tasks, err := readTasks(c.tasksFile)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return 0, err
	}
	cred, err := basic.NewCredentialsBuilder().WithAk(c.ak).WithSk(c.sk).WithProjectId(c.projectID).SafeBuild()
	if err != nil {
		return 0, fmt.Errorf("credentials: %w", err)
	}
	hc, err := drs.DrsClientBuilder().
		WithEndpoints([]string{c.endpoint}).
		WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig()).
		SafeBuild()
	if err != nil {
		return 0, fmt.Errorf("DRS client: %w", err)
	}
	client := drs.NewDrsClient(hc)

	// 1. Export, chunk by chunk, each waited for before the next.
	for start := 0; start < len(tasks); start += c.chunk {
		chunk := tasks[start:min(start+c.chunk, len(tasks))]
		resp, err := client.ExportCreationTemplate(&model.ExportCreationTemplateRequest{
			Body: &model.ExportJobsTemplateReq{Jobs: chunk},
		})
		if err != nil {
			return 0, fmt.Errorf("ExportCreationTemplate: %w", err)
		}
		if resp.Id == nil {
			return 0, errors.New("ExportCreationTemplate: no export id")
		}
		// 2. Wait for it.
		if err := wait(client, *resp.Id, c.poll); err != nil {
			return 0, err
		}
	}

	// 3. List every file, newest first; keep the newest of each task.
	want := make(map[string]bool, len(tasks))
	for _, t := range tasks {
		want[t] = true
	}
	var files []string
	for offset := int32(0); ; {
		limit := int32(pageSize)
		resp, err := client.ListTemplates(&model.ListTemplatesRequest{Offset: &offset, Limit: &limit})
		if err != nil {
			return 0, fmt.Errorf("ListTemplates: %w", err)
		}
		if resp.ExportReportObsFiles == nil || len(*resp.ExportReportObsFiles) == 0 {
			break
		}
		for _, f := range *resp.ExportReportObsFiles {
			if f.FileName == nil {
				continue
			}
			task, _, _ := strings.Cut(*f.FileName, "_")
			if want[task] {
				files = append(files, *f.FileName)
				delete(want, task)
			}
		}
		offset += int32(len(*resp.ExportReportObsFiles)) //nolint:gosec // a page is small
		if resp.Count == nil || offset >= *resp.Count {
			break
		}
	}
	if len(want) > 0 {
		return 0, fmt.Errorf("ListTemplates: no file for %d of the %d tasks", len(want), len(tasks))
	}

	// 4. Download them one by one.
	for _, name := range files {
		if err := download(client, name, filepath.Join(c.out, filepath.Base(name))); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// wait asks for the progress of export id every poll until it ends.
func wait(client *drs.DrsClient, id string, poll time.Duration) error {
	for {
		resp, err := client.ShowExportProgress(&model.ShowExportProgressRequest{AsyncJobId: id})
		if err != nil {
			return fmt.Errorf("ShowExportProgress: %w", err)
		}
		if resp.ProcessStatus != nil {
			switch *resp.ProcessStatus {
			case "success":
				return nil
			case "failed":
				return fmt.Errorf("export %s failed", id)
			}
		}
		time.Sleep(poll)
	}
}

// download writes the template file name to path.
func download(client *drs.DrsClient, name, path string) error {
	resp, err := client.DownloadCreateTemplate(&model.DownloadCreateTemplateRequest{
		Body: &model.ExportFilesReq{Files: []string{name}},
	})
	if err != nil {
		return fmt.Errorf("DownloadCreateTemplate %s: %w", name, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := resp.Consume(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("DownloadCreateTemplate %s: %w", name, err)
	}
	return f.Close()
}

// readTasks reads the task ids of a file, separated by white space.
func readTasks(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	tasks := strings.Fields(string(data))
	if len(tasks) == 0 {
		return nil, fmt.Errorf("%s: no task ids", path)
	}
	return tasks, nil
}
