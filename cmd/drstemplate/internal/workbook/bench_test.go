package workbook

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// thousandRows builds a workbook of one sheet with a header and 1,000 rows
// of four columns: a key, a text, a number and a formatted number.
func thousandRows(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Setting", "Value", "Count", "Ratio"}); err != nil {
		tb.Fatal(err)
	}
	for i := range 1000 {
		row := []any{fmt.Sprintf("setting_%04d", i), fmt.Sprintf("值 %d", i), i * 7, float64(i) / 1000}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkRead1000Rows(b *testing.B) {
	data := thousandRows(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		wb, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil || len(wb.Sheets[0].Rows) != 1001 {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteText1000Rows(b *testing.B) {
	data := thousandRows(b)
	wb, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteText(io.Discard, wb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiff1000Rows(b *testing.B) {
	data := thousandRows(b)
	old, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	cur, _ := Read(bytes.NewReader(data), int64(len(data)))
	cur.Sheets[0].Rows[500][1] = "changed"
	b.ReportAllocs()
	for b.Loop() {
		if c := Diff(old, cur); len(c.Sheets) != 1 {
			b.Fatal("no change found")
		}
	}
}
