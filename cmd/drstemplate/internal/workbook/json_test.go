package workbook

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWorkbookJSON pins the documented JSON shape of a Workbook.
func TestWorkbookJSON(t *testing.T) {
	wb, err := readBytes(rich.build(t))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(wb, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "json/rich.json", append(js, '\n'))
	var back Workbook
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wb, &back); d != "" {
		t.Errorf("the JSON does not decode back (-read +decoded):\n%s", d)
	}
}
