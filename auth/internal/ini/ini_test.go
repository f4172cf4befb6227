package ini

import (
	"bytes"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLines(t *testing.T) {
	got, err := Parse([]byte("# c\r\n[basic]\r\nak = A\r\n\r\nsk = S\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ak, sk := got["basic"]["ak"], got["basic"]["sk"]; ak != (Entry{"A", 3}) || sk != (Entry{"S", 5}) {
		t.Fatalf("ak %+v, sk %+v; want lines 3 and 5", ak, sk)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]map[string]string
		err  string // substring of the error; "" for success
	}{
		{
			name: "SDK profile",
			in: "\xef\xbb\xbf# Huawei Cloud credentials\r\n[basic]\r\nak = AKEXAMPLE\r\nsk=skexample\r\n" +
				"\tproject_id =  0123  \n; comment\n\n[global]\nak = G\n",
			want: map[string]map[string]string{
				"basic":  {"ak": "AKEXAMPLE", "sk": "skexample", "project_id": "0123"},
				"global": {"ak": "G"},
			},
		},
		{
			name: "quotes, '=' in values, empty values",
			in:   "[s]\na = \"quoted value\"\nb='single'\nc = x=y==\nd =\ne = \"unbalanced\nf = \"\"\n",
			want: map[string]map[string]string{"s": {"a": "quoted value", "b": "single", "c": "x=y==", "d": "", "e": `"unbalanced`, "f": ""}},
		},
		{
			name: "section header with spaces inside brackets",
			in:   "[ basic ]\nak=A\n",
			want: map[string]map[string]string{"basic": {"ak": "A"}},
		},
		{name: "empty file", in: "", want: map[string]map[string]string{}},
		{name: "empty section", in: "[basic]\n", want: map[string]map[string]string{"basic": {}}},
		{name: "key outside a section", in: "ak = A\n[basic]\n", err: "line 1: key outside a section"},
		{name: "line without '='", in: "[basic]\nak secret\n", err: "line 2: want key = value"},
		{name: "empty key", in: "[basic]\n= v\n", err: "line 2: want key = value"},
		{name: "key with space", in: "[basic]\nmy key = v\n", err: "line 2: want key = value"},
		{name: "unclosed section", in: "[basic\n", err: "line 1: malformed section header"},
		{name: "empty section name", in: "[]\n", err: "line 1: malformed section header"},
		{name: "text after section", in: "[basic] x\n", err: "line 1: malformed section header"},
		{name: "repeated section", in: "[a]\n[b]\n[a]\n", err: "line 3: section repeated"},
		{name: "repeated key", in: "[a]\nk=1\nk=2\n", err: "line 3: key repeated"},
		{name: "control character", in: "[a]\nk=v\x00\n", err: "line 2: control character"},
		{name: "lone carriage return", in: "[a]\nk=v\rw\n", err: "line 2: control character"},
		{name: "not UTF-8", in: "[a]\nk=\xff\n", err: "not UTF-8"},
		{name: "too large", in: "[a]\n" + strings.Repeat("#", MaxSize), err: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			values := make(map[string]map[string]string)
			for sec, kv := range got {
				values[sec] = make(map[string]string)
				for k, e := range kv {
					values[sec][k] = e.Value
				}
			}
			if diff := cmp.Diff(tt.want, values); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

var iniError = regexp.MustCompile(`^(line [0-9]+: (control character|malformed section header|section repeated|want key = value|key outside a section|key repeated in its section)|not UTF-8 text|larger than [0-9]+ bytes)$`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[basic]\nak = A\nsk = S\n",
		"\xef\xbb\xbf[basic]\r\nak=\"A\"\r\n",
		"# c\n; c\n[a]\nk = v = w\n[b]\n",
		"[a\n", "k=v\n", "[a]\nk\n", "[a]\nk=1\nk=2\n", "[]\n", "\x00", "[a]\n\tk\t=\t'v'\t\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		if err != nil {
			if got != nil {
				t.Fatal("error with a result")
			}
			// Errors are fixed texts with a line number, never the content.
			if !iniError.MatchString(err.Error()) {
				t.Fatalf("unexpected error text %q", err)
			}
			return
		}
		// Every name is well-formed, every value free of control characters
		// and of surrounding white space.
		for sec, kv := range got {
			if !validName(sec) {
				t.Fatalf("section %q", sec)
			}
			for k, e := range kv {
				v := e.Value
				if !validName(k) || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
					t.Fatalf("key %q value %q", k, v)
				}
				if e.Line < 1 || e.Line > bytes.Count(data, []byte("\n"))+1 {
					t.Fatalf("key %q on line %d", k, e.Line)
				}
			}
		}
		// Rendering the result and parsing it again gives the same sections,
		// keys and values.
		var b strings.Builder
		for sec, kv := range got {
			b.WriteString("[" + sec + "]\n")
			for k, e := range kv {
				b.WriteString(k + " = \"" + e.Value + "\"\n")
			}
		}
		again, err := Parse([]byte(b.String()))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", b.String(), err)
		}
		sameValues := func(a, b map[string]Entry) bool {
			return maps.EqualFunc(a, b, func(x, y Entry) bool { return x.Value == y.Value })
		}
		if !maps.EqualFunc(got, again, sameValues) {
			t.Fatalf("re-parse differs (-first +second):\n%s", cmp.Diff(got, again))
		}
	})
}
