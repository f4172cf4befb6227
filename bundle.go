package drstemplate

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/localfile"
)

// Limits on a .zip of several templates (see Client.DownloadToDir).
const (
	// maxBundleEntries bounds the entries of the archive's directory.
	maxBundleEntries = 10_000
	// maxBundleTotal bounds the bytes extracted from one archive.
	maxBundleTotal = 4 << 30
	// maxBundleRatio bounds how much larger than its compressed form an
	// entry may grow: spreadsheets compress about tenfold; a zip bomb, a
	// thousandfold and more.
	maxBundleRatio = 200
)

// saveBundle downloads several files in one call, as a .zip, into a
// temporary file in dir, and extracts the entries asked for. Files found
// are written and returned even when others are missing; the error then
// names the missing ones.
func (c *Client) saveBundle(ctx context.Context, dir string, names, local []string, overwrite bool) ([]File, error) {
	d, err := localfile.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = d.Close() }()
	tmp, tmpName, err := d.CreateTemp()
	if err != nil {
		return nil, err
	}
	defer func() {
		_ = tmp.Close()
		_ = d.Remove(tmpName)
	}()
	what := fmt.Sprintf("a .zip of %d files", len(names))
	size, err := downloadAgain(ctx, c, what, func() (int64, error) {
		if err := tmp.Truncate(0); err != nil {
			return 0, err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		resp, err := c.download(ctx, names)
		if err != nil {
			return 0, err
		}
		defer func() { _ = resp.Body.Close() }()
		n, err := copyTemplate(ctx, tmp, resp, c.fileLimit())
		if err == nil {
			if zerr := localfile.CheckZip(tmp, n); zerr != nil { // cut short without a length
				err = fmt.Errorf("%w: %w", ErrNotTemplate, &bodyError{err: fmt.Errorf("%s is cut short or damaged: %w", what, zerr)})
			}
		}
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return extractBundle(ctx, tmp, size, d, names, local, overwrite, c.fileLimit())
}

// extractBundle writes the entries of the .zip in r that names asks for
// into d, as local names them, each at most fileLimit bytes.
func extractBundle(ctx context.Context, r io.ReaderAt, size int64, d *localfile.Dir, names, local []string, overwrite bool, fileLimit int64) ([]File, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: the download of %d files is not a readable .zip: %w", ErrNotTemplate, len(names), err)
	}
	if len(zr.File) > maxBundleEntries {
		return nil, fmt.Errorf("%w: the .zip has %d entries, more than %d", ErrNotTemplate, len(zr.File), maxBundleEntries)
	}
	want := make(map[string]int, len(names))
	for i, n := range names {
		want[n] = i
	}
	found := make([]*zip.File, len(names))
	for _, e := range zr.File {
		i, ok := want[e.Name]
		if !ok || e.FileInfo().IsDir() {
			continue // not asked for: never written
		}
		if found[i] != nil {
			return nil, fmt.Errorf("%w: the .zip holds %q twice", ErrNotTemplate, clip.String(e.Name, 64))
		}
		found[i] = e
	}

	var (
		files   []File
		missing []string
		total   int64
	)
	for i, e := range found {
		if e == nil {
			missing = append(missing, names[i])
			continue
		}
		f, err := extract(ctx, e, d, local[i], overwrite, min(fileLimit, maxBundleTotal-total))
		if err != nil {
			return files, err
		}
		total += f.Size
		files = append(files, f)
	}
	if len(missing) > 0 {
		return files, fmt.Errorf("%w: the .zip lacks %s", ErrNotTemplate, strings.Join(missing, ", "))
	}
	return files, nil
}

// extract writes one entry of a bundle to local in d, refusing links,
// entries that are not workbooks, and entries that grow past budget bytes
// or far beyond their compressed size. Sizes are counted as the bytes come,
// not taken from the archive's headers.
func extract(ctx context.Context, e *zip.File, d *localfile.Dir, local string, overwrite bool, budget int64) (File, error) {
	if e.Mode()&fs.ModeSymlink != 0 || !e.Mode().IsRegular() {
		return File{}, fmt.Errorf("%w: %q in the .zip is not a regular file", ErrNotTemplate, clip.String(e.Name, 64))
	}
	limit := min(budget, int64(e.CompressedSize64)*maxBundleRatio+1<<20)
	return writeInto(d, local, e.Name, overwrite, func(w io.Writer) (int64, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		r, err := e.Open()
		if err != nil {
			return 0, fmt.Errorf("%w: %q in the .zip: %w", ErrNotTemplate, clip.String(e.Name, 64), err)
		}
		defer func() { _ = r.Close() }()
		head := make([]byte, len(localfile.ZipMagic))
		if _, err := io.ReadFull(r, head); err != nil || !localfile.IsZip(head) {
			return 0, fmt.Errorf("%w: %q in the .zip is not a workbook", ErrNotTemplate, clip.String(e.Name, 64))
		}
		if _, err := w.Write(head); err != nil {
			return 0, err
		}
		n, err := io.Copy(w, &readerOnly{r: io.LimitReader(r, limit-int64(len(head))+1)})
		n += int64(len(head))
		var damaged *bodyError
		switch {
		case errors.As(err, &damaged):
			return n, fmt.Errorf("%w: %q in the .zip is damaged: %w", ErrNotTemplate, clip.String(e.Name, 64), damaged.err)
		case err != nil:
			return n, err
		case n > limit:
			return n, fmt.Errorf("%w: %q in the .zip expands past %d bytes (a zip bomb?)", ErrNotTemplate, clip.String(e.Name, 64), limit)
		}
		return n, nil
	})
}
