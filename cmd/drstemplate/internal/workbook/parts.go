package workbook

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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

// wellFormed reads a part through an XML decoder, as the workbook library
// does. The library stops quietly at the first error inside a sheet's rows,
// which would show a damaged sheet as a shorter one; this finds the error.
// (RawToken with a stack of names costs less than Token's namespace work.)
func wellFormed(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel
	var open []xml.Name
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
