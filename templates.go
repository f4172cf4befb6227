package drstemplate

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
)

// Template is a template file in the project's list.
type Template struct {
	// Name is the file name, as DRS lists it.
	Name string `json:"name"`
	// TaskID, Engine and Created are read from a name of the documented
	// form {task id}_{engine}_{yyyyMMddHHmmss}.xlsx (Created in UTC); they
	// are empty for a name of another form.
	TaskID  string    `json:"task_id,omitempty"`
	Engine  string    `json:"engine,omitempty"`
	Created time.Time `json:"created,omitzero"`
	// LastModified is when the file was last written.
	LastModified time.Time `json:"last_modified"`
}

// pageSize is the number of files asked for per ListTemplates call; the
// service may send fewer.
const pageSize = 100

// maxStalePages is how many pages in a row may bring no new file (when
// files were removed, a page is read again) before Templates gives up on a
// list that keeps changing under it.
const maxStalePages = 5

// nameTimeLayout is the layout of the time in a template file name.
const nameTimeLayout = "20060102150405"

// Templates iterates over the project's template files, calling
// ListTemplates page by page as the loop goes on. The list may change while
// it is read — an export adds files, old ones expire: every file present
// throughout is yielded exactly once as long as files are only added or
// only removed between two pages (a page that both gains and loses files
// leaves the count unchanged, and nothing tells the client). A failed call ends the iteration with its error:
//
//	for t, err := range c.Templates(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(t.Name)
//	}
func (c *Client) Templates(ctx context.Context) iter.Seq2[Template, error] {
	return func(yield func(Template, error) bool) {
		seen := make(map[string]struct{})
		offset, count := 0, -1
		stale := 0 // pages in a row that brought no file not seen before
		for count < 0 || offset < count {
			page, err := c.listPage(ctx, offset)
			if err != nil {
				yield(Template{}, err)
				return
			}
			files, total := page.ExportReportObsFiles, int(page.Count)
			next := offset + len(files)
			if removed := count - total; count >= 0 && removed > 0 {
				// Files were removed: those after them moved up, past the
				// offset. Read again from where they may now be; the files
				// seen twice are dropped.
				next = max(0, offset-removed)
			}
			fresh := 0
			for _, f := range files {
				if _, dup := seen[f.FileName]; dup {
					continue
				}
				seen[f.FileName] = struct{}{}
				fresh++
				if !yield(newTemplate(f), nil) {
					return
				}
			}
			if stale = stale + 1; fresh > 0 {
				stale = 0
			}
			if stale > maxStalePages {
				yield(Template{}, fmt.Errorf("%w: %s: %d pages in a row without a file not seen before, while the count keeps changing (%d now)",
					ErrUnexpectedResponse, opList, stale, total))
				return
			}
			if len(files) == 0 && next >= offset {
				return // nothing more, whatever count says
			}
			offset, count = next, total
		}
	}
}

// listPage gets the page of files starting at offset.
func (c *Client) listPage(ctx context.Context, offset int) (*drsapi.TemplateList, error) {
	params := &drsapi.ListTemplatesParams{
		Offset:    new(drsapi.Offset(offset)),
		Limit:     new(drsapi.Limit(pageSize)),
		XLanguage: c.language,
	}
	resp, err := c.call(ctx, opList, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.ListTemplates(ctx, project, params)
	})
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	var page drsapi.TemplateList
	if err := decode(opList, resp, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// newTemplate makes a Template of a listed file.
func newTemplate(f drsapi.TemplateFile) Template {
	t := Template{Name: f.FileName, LastModified: f.LastModified.UTC()}
	t.TaskID, t.Engine, t.Created, _ = parseName(f.FileName)
	return t
}

// parseName splits a template file name of the form
// {task id}_{engine}_{yyyyMMddHHmmss}.xlsx. The task id may itself contain
// '_': the engine and the time are taken from the end.
func parseName(name string) (taskID, engine string, created time.Time, ok bool) {
	base, found := strings.CutSuffix(name, ".xlsx")
	if !found {
		return "", "", time.Time{}, false
	}
	rest, stamp, found := cutLast(base, "_")
	if !found || len(stamp) != len(nameTimeLayout) {
		return "", "", time.Time{}, false
	}
	created, err := time.Parse(nameTimeLayout, stamp)
	if err != nil {
		return "", "", time.Time{}, false
	}
	taskID, engine, found = cutLast(rest, "_")
	if !found || taskID == "" || engine == "" {
		return "", "", time.Time{}, false
	}
	return taskID, engine, created, true
}

// cutLast slices s around the last instance of sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
