package drstemplate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/drs-tools/drstemplate/gen/drsapi"
	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/localfile"
	"github.com/drs-tools/drstemplate/internal/retry"
)

// MaxTemplateSize bounds one downloaded file, counted as decoded (a body
// sent gzip-compressed is counted as it is written, not as it travels): a
// larger one is refused rather than written, and no more than this is ever
// written. Templates are workbooks of a few kilobytes (inspect reads up to
// 16 MiB); the bound (64 MiB) keeps a broken or hostile server from filling
// the disk, 2 MB of gzip becoming a gigabyte per file.
const MaxTemplateSize = 64 << 20

// DownloadOptions say how [Client.DownloadToDir] writes files. The zero
// value (or nil) means the defaults.
type DownloadOptions struct {
	// Overwrite replaces files that are already in the directory. Without
	// it such a file is kept and the download fails with [ErrFileExists].
	Overwrite bool
}

// Download streams the template file with the given name to w and returns
// the number of bytes written. An answer that is not a template (empty, or
// not a zip container) is refused before anything is written, and one
// larger than [MaxTemplateSize] stops with an error. The request is retried
// as the RetryPolicy says, but a body that breaks off midway is not: w then
// holds part of it. [Client.DownloadToDir] writes files whole or not at all.
func (c *Client) Download(ctx context.Context, name string, w io.Writer) (int64, error) {
	if name == "" {
		return 0, fmt.Errorf("%w: empty file name", ErrInvalidInput)
	}
	resp, err := c.download(ctx, []string{name})
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	return copyTemplate(ctx, w, resp, c.fileLimit())
}

// download asks DRS for the named files and returns the response, its body
// unread.
func (c *Client) download(ctx context.Context, names []string) (*http.Response, error) {
	return c.call(ctx, opDownload, http.StatusOK, func(ctx context.Context, project string) (*http.Response, error) {
		return c.api.DownloadCreateTemplate(ctx, project, &drsapi.DownloadCreateTemplateParams{XLanguage: c.language},
			drsapi.DownloadTemplateRequest{Files: names})
	})
}

// bodyError is a failure to read a download's body (as opposed to writing
// it), which another attempt may not meet.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading the download: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// fileLimit is the most bytes one downloaded file may have.
func (c *Client) fileLimit() int64 {
	if c.maxFile > 0 {
		return c.maxFile
	}
	return MaxTemplateSize
}

// copyTemplate copies a downloaded template from resp's body to w, checking
// that it starts like a zip container and is not over limit bytes.
// Nothing is held in memory whole. A body cut short by a server that closes
// the connection without having said its length cannot be told from a
// whole one here: DownloadToDir checks the whole zip before keeping a file.
func copyTemplate(ctx context.Context, w io.Writer, resp *http.Response, limit int64) (int64, error) {
	head := make([]byte, len(localfile.ZipMagic))
	n, err := io.ReadFull(resp.Body, head)
	switch {
	case n == 0 && (errors.Is(err, io.EOF) || err == nil):
		return 0, fmt.Errorf("%w: the answer is empty", ErrNotTemplate)
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return 0, readFailure(ctx, err)
	case n < len(head) && strings.HasPrefix(localfile.ZipMagic, string(head[:n])):
		return 0, readFailure(ctx, err) // the start of a zip, cut short
	case !localfile.IsZip(head[:n]):
		return 0, fmt.Errorf("%w: it is not a zip container (Content-Type %q, starts %q)",
			ErrNotTemplate, resp.Header.Get("Content-Type"), head[:n])
	}
	written, err := w.Write(head)
	if err != nil {
		return int64(written), err
	}
	rest, err := io.Copy(w, &readerOnly{r: io.LimitReader(resp.Body, limit-int64(len(head)))})
	total := int64(written) + rest
	var be *bodyError
	switch {
	case errors.As(err, &be):
		return total, readFailure(ctx, be.err)
	case err != nil:
		return total, err
	case total < limit:
		return total, nil
	}
	// At the bound: one byte more, read and not written, says it is over.
	var one [1]byte
	switch n, err := io.ReadFull(resp.Body, one[:]); {
	case n == 1:
		return total, fmt.Errorf("%w: it is larger than %d bytes", ErrNotTemplate, limit)
	case !errors.Is(err, io.EOF):
		return total, readFailure(ctx, err)
	}
	return total, nil
}

// readFailure describes a failed read of a download's body; when the
// context ended, that is the error.
func readFailure(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("download stopped: %w", ctxErr)
	}
	return &bodyError{err: err}
}

// readerOnly hides everything but Read, so that io.Copy's read errors can be
// told from its write errors: they come back as *bodyError.
type readerOnly struct{ r io.Reader }

func (r *readerOnly) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = &bodyError{err: err}
	}
	return n, err
}

// DownloadToDir downloads the named template files into dir (made if
// missing) and returns what it wrote, in the order of names. Each file is
// written whole or not at all (mode 0600), under a safe form of its name:
// one path element without separators, "..", control characters or
// characters Windows refuses, at most 200 bytes. A file already there is
// kept, and [ErrFileExists] returned, unless opts.Overwrite. A download that
// breaks off midway is done again as the RetryPolicy allows. When some of
// several names are missing, the files found are written and returned with
// the error.
func (c *Client) DownloadToDir(ctx context.Context, dir string, names []string, opts *DownloadOptions) ([]File, error) {
	var o DownloadOptions
	if opts != nil {
		o = *opts
	}
	local, err := localNames(names)
	if err != nil {
		return nil, err
	}
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	// Temporary files that a process of this machine left in dir when it
	// was killed mid-download go, once that process is gone (on Unix).
	c.sweepTemp(ctx, dir)
	if !o.Overwrite {
		for _, n := range local {
			if err := checkAbsent(dir, n); err != nil {
				return nil, err
			}
		}
	}
	// One name is one .xlsx. Several are asked for in one call and come as a
	// .zip, extracted safely: only the entries asked for, no links, no
	// paths, each checked to be a workbook and bounded in size.
	if len(names) == 1 {
		f, err := c.saveOne(ctx, dir, names[0], local[0], o.Overwrite)
		if err != nil {
			return nil, err
		}
		return []File{f}, nil
	}
	return c.saveBundle(ctx, dir, names, local, o.Overwrite)
}

// localNames checks a list of file names to download and returns their safe
// local forms.
func localNames(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no file names", ErrInvalidInput)
	}
	if len(names) > maxJobsPerRequest {
		return nil, fmt.Errorf("%w: %d file names, more than the %d one download may ask for", ErrInvalidInput, len(names), maxJobsPerRequest)
	}
	local := make([]string, len(names))
	seen := make(map[string]string, len(names))
	for i, n := range names {
		if n == "" {
			return nil, fmt.Errorf("%w: file name #%d is empty", ErrInvalidInput, i+1)
		}
		s, err := safeName(n)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[s]; dup {
			return nil, fmt.Errorf("%w: %q and %q would both be written as %s", ErrInvalidInput, clip.String(prev, 64), clip.String(n, 64), s)
		}
		seen[s] = n
		local[i] = s
	}
	return local, nil
}

// saveOne downloads one file into dir/local: into a temporary file in dir,
// synced and checked to be a whole zip container, then renamed into place
// (writeFile). A body that breaks off is downloaded again, as the retry
// policy allows.
func (c *Client) saveOne(ctx context.Context, dir, name, local string, overwrite bool) (File, error) {
	f, err := downloadAgain(ctx, c, name, func() (File, error) {
		return writeFile(dir, local, name, overwrite, func(w io.Writer) (int64, error) {
			resp, err := c.download(ctx, []string{name})
			if err != nil {
				return 0, err
			}
			defer func() { _ = resp.Body.Close() }()
			if err := localfile.CheckFree(dir, resp.ContentLength); err != nil {
				return 0, err
			}
			return copyTemplate(ctx, w, resp, c.fileLimit())
		})
	})
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", clip.String(name, 128), err)
	}
	return f, nil
}

// downloadAgain calls download until it succeeds or fails otherwise than
// by a body that broke off (see decideDownloadAgain), as often as the retry
// policy allows attempts, with its backoff between them.
func downloadAgain[T any](ctx context.Context, c *Client, name string, download func() (T, error)) (T, error) {
	return retry.Loop[T]{
		Policy: c.retry.policy(),
		Rand:   c.jitter,
		Check:  func(_ T, err error) retry.Decision { return decideDownloadAgain(err) },
		Retrying: func(_ T, err error, _ int, pause time.Duration) {
			c.log.DebugContext(ctx, "drstemplate: download broke off, downloading again", "file", name, "delay", pause, "error", err)
		},
	}.Do(ctx, func(int) (T, error) { return download() })
}
