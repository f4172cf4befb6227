package clip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		s     string
		limit int
		want  string
	}{
		{"", 10, ""},
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven…"},   // 7 bytes + 3 for "…"; the space before the cut is dropped
		{"abcdefghijkl", 10, "abcdefg…"}, // 7 + 3
		{"ééééé", 8, "éé…"},              // 2-byte runes: never cut in the middle of one
		{"日本語テキスト", 10, "日本…"},           // 3-byte runes
		{"abcdef", 3, "…"},
		{"abcdef", 2, "ab"},
		{"éé", 2, "é"},
		{"abcdef", 0, ""},
		{"abcdef", -1, ""},
	}
	for _, tt := range tests {
		got := String(tt.s, tt.limit)
		if got != tt.want {
			t.Errorf("String(%q, %d) = %q, want %q", tt.s, tt.limit, got, tt.want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("hello, world", 8)
	f.Add("ééééé", 4)
	f.Add(strings.Repeat("x", 100), 64)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		got := String(s, limit)
		if len(s) <= limit {
			if got != s {
				t.Fatalf("String(%q, %d) = %q: a short string must be kept", s, limit, got)
			}
			return
		}
		if len(got) > max(limit, 0) {
			t.Fatalf("String(%q, %d) = %q: %d bytes", s, limit, got, len(got))
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("String(%q, %d) = %q: cut inside a rune", s, limit, got)
		}
		if limit >= len(ellipsis) && !strings.HasSuffix(got, ellipsis) || limit < len(ellipsis) && !strings.HasPrefix(s, got) {
			t.Fatalf("String(%q, %d) = %q: no ellipsis", s, limit, got)
		}
	})
}
