package workbook

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWriteText(t *testing.T) {
	richWB, err := readBytes(rich.build(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		wb     *Workbook
		golden string
	}{
		{"every kind of sheet", richWB, "text/rich.txt"},
		{"hostile cells", &Workbook{Sheets: []Sheet{{Name: "Evil\x1b[2J", Rows: [][]string{
			{"Key", "Value"},
			{"clear screen", "\x1b[2J\x1b[Hgotcha"},
			{"title", "\x1b]0;owned\a"},
			{"lines", "one\ntwo\r\nthree\tfour"},
			{"right-to-left override", "abc\u202edef"},
			{"invalid UTF-8", "a\xffb"},
			{"nbsp and zero-width", "a\u00a0b\u200bc"},
		}}}}, "text/hostile.txt"},
		{"wide and long cells", &Workbook{Sheets: []Sheet{{Name: "宽", Rows: [][]string{
			{"名称", "值", "Note"},
			{"源端", "10.0.0.1:3306", "旧"},
			{"mixed 中文 text", "ｆｕｌｌｗｉｄｔｈ", "e\u0301 (e + combining) → ok"},
			{"long", strings.Repeat("x", 100), "after"},
			{"long wide", strings.Repeat("字", 50), "after"},
			{"", "", "only the third"},
			{"trailing empties in a hand-made row", "", ""},
		}}}}, "text/wide.txt"},
		{"no sheets", &Workbook{}, "text/none.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, tt.wb); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			golden(t, tt.golden, buf.Bytes())
			for i, line := range strings.Split(out, "\n") {
				if strings.TrimRight(line, " ") != line {
					t.Errorf("line %d ends in spaces: %q", i+1, line)
				}
				if strings.ContainsAny(line, "\x1b\a\r\u202e") || !utf8.ValidString(line) {
					t.Errorf("line %d carries a control character: %q", i+1, line)
				}
			}
		})
	}
}

// TestWriteTextAligned checks the alignment on its own, by display width.
func TestWriteTextAligned(t *testing.T) {
	wb := &Workbook{Sheets: []Sheet{{Name: "S", Rows: [][]string{
		{"键", "a"}, {"ab", "b"}, {"中文键", "c"}, {strings.Repeat("é", 3), "d"},
	}}}}
	var buf bytes.Buffer
	if err := WriteText(&buf, wb); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")[1:]
	for _, line := range lines {
		col := textWidth(line) - 1 // every second cell is one column wide
		if col != 8 {
			t.Errorf("%q: second column starts at %d, want 8", line, col)
		}
	}
}

func TestWriteTextNil(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, nil); err != nil || buf.Len() != 0 {
		t.Errorf("WriteText(nil) = %q, %v", buf.String(), err)
	}
}

// failWriter fails every write.
type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteTextError(t *testing.T) {
	if err := WriteText(failWriter{}, &Workbook{Sheets: []Sheet{{Name: "S"}}}); !errors.Is(err, errWrite) {
		t.Errorf("WriteText to a failing writer = %v", err)
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		in      string
		escaped string
		width   int // of escaped
		clipped string
	}{
		{"plain", "plain", 5, "plain"},
		{"订单迁移", "订单迁移", 8, "订单…"},
		{"a\nb", `a\nb`, 4, `a\nb`},
		{"\x1b[31mred", `\x1b[31mred`, 11, `\x1b…`},
		{"\u202e", `\u202e`, 6, `\u20…`},
		{"x\xff", `x\xff`, 5, `x\xff`},
		{"e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", 6, "e\u0301e\u0301e\u0301e\u0301…"},
		{"\U0001F600ok", "\U0001F600ok", 4, "\U0001F600ok"},
		{"\U000e0001", `\U000e0001`, 10, `\U00…`},
	}
	for _, tt := range tests {
		e := escape(tt.in)
		if e != tt.escaped || textWidth(e) != tt.width {
			t.Errorf("escape(%q) = %q (width %d); want %q (width %d)", tt.in, e, textWidth(e), tt.escaped, tt.width)
		}
		if c := clipColumns(e, 5); c != tt.clipped || textWidth(c) > 5 {
			t.Errorf("clipColumns(%q, 5) = %q; want %q", e, c, tt.clipped)
		}
	}
}
