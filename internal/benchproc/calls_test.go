package benchproc

import (
	"maps"
	"testing"
)

func TestParseCalls(t *testing.T) {
	for _, tc := range []struct {
		name, output string
		want         Calls // nil: an error
	}{
		{"calls", "drsfake: calls: ExportCreationTemplate=1 ListTemplates=10\ndrsfake: stopped\n",
			Calls{"ExportCreationTemplate": 1, "ListTemplates": 10}},
		{"among other lines", "time=... level=WARN msg=x\r\n  drsfake: calls: ShowExportProgress=4\r\n", Calls{"ShowExportProgress": 4}},
		{"none", "drsfake: calls: none\n", Calls{}},
		{"no line", "drsfake: stopped\n", nil},
		{"empty", "drsfake: calls:\n", nil},
		{"not a pair", "drsfake: calls: ListTemplates\n", nil},
		{"not a number", "drsfake: calls: ListTemplates=x\n", nil},
		{"negative", "drsfake: calls: ListTemplates=-1\n", nil},
		{"no operation", "drsfake: calls: =3\n", nil},
		{"twice", "drsfake: calls: ListTemplates=1 ListTemplates=2\n", nil},
		{"none among calls", "drsfake: calls: none ListTemplates=2\n", nil},
	} {
		got, err := ParseCalls(tc.output)
		switch {
		case tc.want == nil && err == nil:
			t.Errorf("%s: ParseCalls = %v, want an error", tc.name, got)
		case tc.want != nil && (err != nil || !maps.Equal(got, tc.want)):
			t.Errorf("%s: ParseCalls = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestCallsTotal(t *testing.T) {
	if got := (Calls{"A": 1, "B": 1000}).Total(); got != 1001 {
		t.Errorf("Total = %d, want 1001", got)
	}
	if got := (Calls{}).Total(); got != 0 {
		t.Errorf("Total of none = %d", got)
	}
}
