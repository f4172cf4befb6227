package workbook

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// relationships is an OPC relationships part (_rels/*.rels).
type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// packageParts maps the archive's part names, with backslashes turned into
// slashes as the workbook library (excelize) does, to their entries; a
// later entry of the same name wins, as there.
func packageParts(zr *zip.Reader) map[string]*zip.File {
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		parts[strings.ReplaceAll(f.Name, "\\", "/")] = f
	}
	return parts
}

// workbookPath returns the workbook part's name as the package's
// relationships (_rels/.rels) give it, or "" if they give none.
func workbookPath(parts map[string]*zip.File) string {
	root, ok := readRels(parts["_rels/.rels"])
	if !ok {
		return ""
	}
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			return strings.TrimPrefix(r.Target, "/")
		}
	}
	return ""
}

// sheetParts maps the relationship ids of the workbook part to the parts
// they point to, resolved exactly as the workbook library resolves them. It
// lets [Read] refuse a workbook whose sheets share one part, which would
// make the library parse that part once per sheet. It returns nil when the
// workbook's relationships cannot be read; the library then finds no sheet
// parts either.
func sheetParts(parts map[string]*zip.File) map[string]string {
	wbPath := workbookPath(parts)
	if wbPath == "" {
		return nil
	}
	dir := filepath.Dir(wbPath)
	relsPath := "_rels/" + filepath.Base(wbPath) + ".rels"
	if dir != "." {
		relsPath = strings.TrimPrefix(dir+"/_rels/"+filepath.Base(wbPath)+".rels", "/")
	}
	wbRels, ok := readRels(parts[relsPath])
	if !ok {
		return nil
	}
	targets := make(map[string]string, len(wbRels.Rels))
	for _, r := range wbRels.Rels {
		p := filepath.Clean(dir + "/" + r.Target)
		if strings.HasPrefix(r.Target, "/") {
			p = filepath.Clean(r.Target)
		}
		targets[r.ID] = filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(p, "\\", "/"), "/"))
	}
	return targets
}

// readRels decodes a relationships part, as the workbook library does
// (character sets other than UTF-8 included). The part's size was checked
// with the whole archive's.
func readRels(f *zip.File) (relationships, bool) {
	var rels relationships
	if f == nil {
		return rels, false
	}
	rc, err := f.Open()
	if err != nil {
		return rels, false
	}
	defer func() { _ = rc.Close() }()
	d := xml.NewDecoder(io.LimitReader(rc, MaxUnzippedSize))
	d.CharsetReader = charset.NewReaderLabel
	if err := d.Decode(&rels); err != nil && !errors.Is(err, io.EOF) {
		return rels, false
	}
	return rels, true
}

// wellFormed reads a sheet's part through an XML decoder, as the workbook
// library does. The library stops quietly at the first error inside a
// sheet's rows, which would show a damaged sheet as a shorter one; this
// finds the error. On the way it adds to *text the size of the shared
// strings (whose sizes are shared) the sheet's cells show, so that [Read]
// refuses a sheet of many cells showing one long string before the library
// copies it into each. (RawToken with a stack of names costs less than
// Token's namespace work.)
func wellFormed(f *zip.File, shared []int, text *int) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel
	var open []xml.Name
	sharedCell := false // inside <c t="s">
	for {
		tok, err := d.RawToken()
		switch {
		case errors.Is(err, io.EOF) && len(open) == 0:
			return nil
		case errors.Is(err, io.EOF):
			return io.ErrUnexpectedEOF
		case err != nil:
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
			if t.Name.Local == "c" {
				sharedCell = attr(t, "t") == "s"
			}
		case xml.CharData:
			if !sharedCell || len(open) == 0 || open[len(open)-1].Local != "v" {
				continue
			}
			i, err := strconv.Atoi(strings.TrimSpace(string(t)))
			if err != nil || i < 0 || i >= len(shared) {
				continue // the library shows such a cell as its number
			}
			if *text += shared[i]; *text > MaxTextSize {
				return errTooMuchText
			}
		case xml.EndElement:
			if len(open) == 0 {
				return fmt.Errorf("element </%s> closes nothing open", t.Name.Local)
			}
			if top := open[len(open)-1]; top != t.Name {
				return fmt.Errorf("element <%s> closed by </%s>", top.Local, t.Name.Local)
			}
			open = open[:len(open)-1]
		}
	}
}

// errTooMuchText is [Read]'s error for cells showing more than MaxTextSize
// bytes of text in all.
var errTooMuchText = fmt.Errorf("%w: its cells show more than %d bytes of text", ErrTooLarge, MaxTextSize)

// attr returns the value of the element's attribute of that local name.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// sharedStringSizes returns the size in bytes of each string of the shared
// strings part (nil if there is none or it cannot be read: the library then
// shows such cells as numbers): the text of every <t> in each <si>, an
// upper bound of what the library shows for it.
func sharedStringSizes(f *zip.File) []int {
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer func() { _ = rc.Close() }()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel
	var sizes []int
	depth, inT := 0, false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return sizes
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name.Local == "si" {
				sizes = append(sizes, 0)
			}
			inT = t.Name.Local == "t"
		case xml.EndElement:
			depth--
			inT = false
		case xml.CharData:
			if inT && len(sizes) > 0 {
				sizes[len(sizes)-1] += len(t)
			}
		}
	}
}
