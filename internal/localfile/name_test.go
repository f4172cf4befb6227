package localfile

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 150) + ".xlsx"
	for _, tc := range []struct{ in, want string }{
		{"2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx", "2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx"},
		{"../../etc/passwd", "_.._etc_passwd"},
		{"/abs/path.xlsx", "_abs_path.xlsx"},
		{`C:\Windows\x.xlsx`, "C__Windows_x.xlsx"},
		{".hidden.xlsx", "hidden.xlsx"},
		{"name.xlsx.", "name.xlsx"},
		{"a\x1b[31mred.xlsx", "a_[31mred.xlsx"},
		{"a\u202egnp.xlsx", "a_gnp.xlsx"},
		{"a\x00b.xlsx", "a_b.xlsx"},
		{"con.xlsx", "_con.xlsx"},
		{"LPT1", "_LPT1"},
		{"what?*.xlsx", "what__.xlsx"},
		{"模板_mysql_20250101000000.xlsx", "模板_mysql_20250101000000.xlsx"},
		{"bad\xffutf8.xlsx", "bad_utf8.xlsx"},
		{long, strings.Repeat("é", 97) + ".xlsx"},
	} {
		got, err := SafeName(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("SafeName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", ".", "..", "...", " . "} {
		if got, err := SafeName(bad); !errors.Is(err, ErrUnsafeName) {
			t.Errorf("SafeName(%q) = %q, %v; want ErrUnsafeName", bad, got, err)
		}
	}
}

// FuzzSafeName checks that whatever a server names a file, the name
// written is one harmless path element.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"a.xlsx", "../x", "..", "con.txt", "a\x00b", strings.Repeat("x", 300), "\u202e", "a/b\\c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := SafeName(name)
		if err != nil {
			if !errors.Is(err, ErrUnsafeName) {
				t.Fatalf("error %v does not match ErrUnsafeName", err)
			}
			return
		}
		switch {
		case got == "" || got == "." || got == "..":
			t.Fatalf("%q → %q", name, got)
		case strings.ContainsAny(got, `/\<>:"|?*`):
			t.Fatalf("%q → %q has a separator or reserved character", name, got)
		case strings.HasPrefix(got, ".") || strings.HasSuffix(got, ".") || strings.HasSuffix(got, " "):
			t.Fatalf("%q → %q is hidden or ends in a dot or space", name, got)
		case len(got) > MaxName || !utf8.ValidString(got):
			t.Fatalf("%q → %q is too long or not UTF-8", name, got)
		case strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
			t.Fatalf("%q → %q has a control or format character", name, got)
		}
		if again, err := SafeName(got); err != nil || again != got {
			t.Fatalf("SafeName is not stable on %q: %q, %v", got, again, err)
		}
	})
}
