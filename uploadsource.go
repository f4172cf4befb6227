package drstemplate

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/drs-tools/drstemplate/internal/localfile"
)

// uploadSource is the workbook of an import, checked before anything is
// sent: a sized io.ReaderAt, opened afresh for every attempt, or a plain
// io.Reader, read once and bounded as it is read.
type uploadSource struct {
	size  int64       // -1: not known in advance (a plain reader)
	at    io.ReaderAt // set when the source can be opened again
	limit int64

	mu       sync.Mutex
	once     io.Reader // a plain reader: its first bytes put back before the rest
	used     bool      // once was handed out
	read     int64     // bytes of once read so far
	tooLarge error     // once grew past limit
}

// newUploadSource checks r as [Client.Import] documents and returns the
// source of its uploads.
func newUploadSource(r io.Reader, limit int64) (*uploadSource, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: no workbook (a nil reader)", ErrInvalidInput)
	}
	if at, size, ok := sizedReaderAt(r); ok {
		if err := checkWorkbookAt(at, size, limit); err != nil {
			return nil, err
		}
		return &uploadSource{size: size, at: at, limit: limit}, nil
	}
	head := make([]byte, len(localfile.ZipMagic))
	n, err := io.ReadFull(r, head)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil, notWorkbook("it is empty")
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("reading the workbook: %w", err)
	case !localfile.IsZip(head[:n]):
		return nil, notWorkbook(fmt.Sprintf("it does not start like an .xlsx (a zip container): it starts %q", head[:n]))
	}
	return &uploadSource{size: -1, limit: limit, once: io.MultiReader(bytes.NewReader(head[:n]), r)}, nil
}

// sizedReaderAt returns r as an io.ReaderAt and its size, when r knows it:
// a regular *os.File, or a reader with a Size method (*bytes.Reader,
// *strings.Reader, *io.SectionReader).
func sizedReaderAt(r io.Reader) (io.ReaderAt, int64, bool) {
	if f, ok := r.(*os.File); ok {
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return nil, 0, false // a pipe or a device: read as it comes
		}
		return f, fi.Size(), true
	}
	if s, ok := r.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		return s, s.Size(), true
	}
	return nil, 0, false
}

// checkWorkbookAt checks that the size bytes of r are a workbook of at
// most limit bytes: a whole zip container holding an Office workbook. It
// reads the start and the zip's central directory, not the sheets.
func checkWorkbookAt(r io.ReaderAt, size, limit int64) error {
	switch {
	case size == 0:
		return notWorkbook("it is empty")
	case size > limit:
		return notWorkbook(fmt.Sprintf("it has %d bytes, more than the %d an import may send", size, limit))
	}
	head := make([]byte, len(localfile.ZipMagic))
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the workbook: %w", err)
	}
	if !localfile.IsZip(head[:n]) {
		return notWorkbook(fmt.Sprintf("it does not start like an .xlsx (a zip container): it starts %q", head[:n]))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return notWorkbook(fmt.Sprintf("it starts like a zip container but is not a whole one: %v", err))
	}
	if !localfile.HasPart(zr, localfile.ContentTypesPart) || !localfile.HasPart(zr, localfile.WorkbookPart) {
		return notWorkbook("it is a zip container but not an Excel workbook (no [Content_Types].xml and xl/workbook.xml)")
	}
	return nil
}

// notWorkbook is a refusal of a file that cannot be imported.
func notWorkbook(why string) error {
	return fmt.Errorf("%w: %w: %s", ErrInvalidInput, ErrNotWorkbook, why)
}

// reopenable reports whether every attempt gets the whole workbook.
func (s *uploadSource) reopenable() bool { return s.at != nil }

// open returns the workbook's bytes for one attempt: from the start for a
// source that can be opened again; the plain reader once, bounded.
func (s *uploadSource) open() (io.Reader, error) {
	if s.at != nil {
		return io.NewSectionReader(s.at, 0, s.size), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return nil, errors.New("the workbook was read from a stream once and cannot be sent again")
	}
	s.used = true
	return (*boundedUpload)(s), nil
}

// sent is the number of the workbook's bytes an attempt reads: its size,
// or what was read of a plain reader.
func (s *uploadSource) sent() int64 {
	if s.at != nil {
		return s.size
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read
}

// overflow returns the refusal of a plain reader that grew past the limit
// while it was sent, or nil.
func (s *uploadSource) overflow() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooLarge
}

// boundedUpload reads a plain reader's workbook, failing once it has given
// more than the limit: the form is then cut off, and DRS, which reads a
// truncated form, creates nothing.
type boundedUpload uploadSource

func (b *boundedUpload) Read(p []byte) (int, error) {
	s := (*uploadSource)(b)
	s.mu.Lock()
	room := s.limit - s.read
	s.mu.Unlock()
	if int64(len(p)) > room+1 {
		p = p[:room+1] // one byte over the limit tells a larger file
	}
	n, err := s.once.Read(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.read += int64(n)
	if s.read > s.limit {
		s.tooLarge = notWorkbook(fmt.Sprintf("it has more than the %d bytes an import may send (the upload was cut off)", s.limit))
		return 0, s.tooLarge
	}
	return n, err
}
