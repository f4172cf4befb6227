package drstemplate

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
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

// MaxListedFiles is the most files one listing ([Client.Templates]) reads:
// a project holds the templates of its tasks, which DRS keeps for a
// limited time. A listing that announces or brings more ends with an error
// matching [ErrUnexpectedResponse], so that a broken or hostile server
// cannot make the client hold names without end.
const MaxListedFiles = 100_000

// maxListPages bounds the pages of one listing: twice what MaxListedFiles
// takes (a list that changes is read again in part), and the stale pages.
const maxListPages = 2*MaxListedFiles/pageSize + maxStalePages

// maxNameLength is the contract's bound on a file name, in characters
// (api/openapi.yaml: a downloaded file's maxLength): a longer listed name
// could not be downloaded.
const maxNameLength = 255

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
		stale := 0             // pages in a row that brought no file not seen before
		staleCounts := []int{} // the counts those pages announced
		for pages := 1; count < 0 || offset < count; pages++ {
			page, err := c.listPage(ctx, offset)
			if err == nil {
				err = checkPage(page, pages)
			}
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
				if len(seen) == MaxListedFiles {
					yield(Template{}, fmt.Errorf("%w: %s: more than %d files, the most a listing reads", ErrUnexpectedResponse, opList, MaxListedFiles))
					return
				}
				seen[f.FileName] = struct{}{}
				fresh++
				if !yield(newTemplate(f), nil) {
					return
				}
			}
			if stale, staleCounts = stale+1, append(staleCounts, total); fresh > 0 {
				stale, staleCounts = 0, staleCounts[:0]
			}
			if stale > maxStalePages {
				yield(Template{}, staleError(stale, staleCounts))
				return
			}
			if len(files) == 0 && next >= offset {
				return // nothing more, whatever count says
			}
			offset, count = next, total
		}
	}
}

// checkPage refuses a page past the contract's bounds or the listing's:
// more files than asked for, a name that could not be downloaded, a count
// over MaxListedFiles, or the page past maxListPages.
func checkPage(page *drsapi.TemplateList, pages int) error {
	switch {
	case int64(page.Count) > MaxListedFiles:
		return fmt.Errorf("%w: %s announces %d files, more than the %d a listing reads", ErrUnexpectedResponse, opList, page.Count, MaxListedFiles)
	case len(page.ExportReportObsFiles) > pageSize:
		return fmt.Errorf("%w: %s sent %d files, more than the %d asked for", ErrUnexpectedResponse, opList, len(page.ExportReportObsFiles), pageSize)
	case pages > maxListPages:
		return fmt.Errorf("%w: %s: more than %d pages in one listing", ErrUnexpectedResponse, opList, maxListPages)
	}
	for _, f := range page.ExportReportObsFiles {
		if n := utf8.RuneCountInString(f.FileName); n > maxNameLength {
			return fmt.Errorf("%w: %s lists a file name of %d characters (%q), more than the contract's %d",
				ErrUnexpectedResponse, opList, n, clip.String(f.FileName, 64), maxNameLength)
		}
	}
	return nil
}

// staleError is the error of a listing whose last pages brought no file
// not seen before; counts are what those pages announced. It says whether
// the count kept changing (files come and go faster than the pages are
// read) or not (the server sends the same files whatever the offset).
func staleError(pages int, counts []int) error {
	why := fmt.Sprintf("the count stays at %d: the server sends files already seen, whatever the offset", counts[len(counts)-1])
	if slices.Min(counts) != slices.Max(counts) {
		why = fmt.Sprintf("while the count keeps changing (%d now)", counts[len(counts)-1])
	}
	return fmt.Errorf("%w: %s: %d pages in a row without a file not seen before, %s", ErrUnexpectedResponse, opList, pages, why)
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
