package workbook

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// sharedStringBomb returns a small workbook whose shared strings table
// holds one string of size bytes that every one of cells cells (rows of
// perRow cells) shows: a few kilobytes zipped, gigabytes as text.
func sharedStringBomb(tb testing.TB, size, cells, perRow int) []byte {
	tb.Helper()
	var rows strings.Builder
	for n := 0; n < cells; n++ {
		r, c := n/perRow+1, n%perRow
		if c == 0 {
			if n > 0 {
				rows.WriteString(`</row>`)
			}
			fmt.Fprintf(&rows, `<row r="%d">`, r)
		}
		fmt.Fprintf(&rows, `<c r="%s%d" t="s"><v>0</v></c>`, columnLetters(c), r)
	}
	rows.WriteString(`</row>`)
	data := rawBook(tb, rawSheet{name: "S", target: "worksheets/sheet1.xml", xml: sheetXML(rows.String())})
	return addPart(tb, data, "xl/sharedStrings.xml",
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`+
			strings.Repeat("x", size)+`</t></si></sst>`)
}

// TestWriteSharedStringBomb writes the shared-string bomb of the bad-input
// catalogue to the file $DRSTEMPLATE_WRITE_BOMB names, to measure the
// command on it (see docs/RELIABILITY.md); without it, it is skipped.
func TestWriteSharedStringBomb(t *testing.T) {
	path := os.Getenv("DRSTEMPLATE_WRITE_BOMB")
	if path == "" {
		t.Skip("DRSTEMPLATE_WRITE_BOMB names no file")
	}
	if err := os.WriteFile(path, sharedStringBomb(t, 1<<20, 20_000, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSharedStringBomb(t *testing.T) {
	tests := []struct {
		name          string
		cells, perRow int
	}{
		{"twenty cells", 20, 1},
		{"one cell a row", 20_000, 1},
		{"one wide row", 16_384, 16_384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := sharedStringBomb(t, 1<<20, tt.cells, tt.perRow)
			if len(data) > 1<<20 {
				t.Fatalf("the bomb is %d bytes, not a bomb", len(data))
			}
			wb, err := readBytes(data)
			if !errors.Is(err, ErrTooLarge) || wb != nil {
				t.Fatalf("Read = %v; want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), "bytes of text") {
				t.Errorf("Read = %v; want it to say what is too large", err)
			}
		})
	}
}

// TestDiffCheckSize diffs two workbooks within MaxTextSize whose diff
// would repeat a long column name on every added row.
func TestDiffCheckSize(t *testing.T) {
	long := strings.Repeat("n", 1<<20)
	rows := [][]string{{"key", long}}
	for i := range 100 {
		rows = append(rows, []string{fmt.Sprint("k", i), "v"})
	}
	header := wbOf(Sheet{Name: "S", Rows: rows[:1]})
	full := wbOf(Sheet{Name: "S", Rows: rows})
	if err := Diff(header, full).CheckSize(); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "bytes of text") {
		t.Errorf("CheckSize of 100 rows repeating a 1 MiB name = %v; want ErrTooLarge", err)
	}
	if err := Diff(header, wbOf(Sheet{Name: "S", Rows: rows[:60]})).CheckSize(); err != nil {
		t.Errorf("CheckSize of 59 rows repeating a 1 MiB name = %v; want nil", err)
	}
}
