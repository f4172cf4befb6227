// Package ini parses the strict INI subset of Huawei Cloud's SDK profile
// file (~/.huaweicloud/credentials). It reads outside input: it never panics,
// bounds what it reads, and its errors never quote the input.
package ini

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest input [Parse] accepts, in bytes.
const MaxSize = 1 << 20

// Entry is the value of a key, with the line that set it (from 1), so that
// a caller can say where a value it refuses came from.
type Entry struct {
	Value string
	Line  int
}

// Parse parses the strict INI subset of the SDK's credentials file into
// sections of keys and their entries:
//
//	# comment            (also ';', on lines of their own)
//	[section]
//	key = value
//
// Lines end in "\n" or "\r\n"; a leading UTF-8 byte order mark is skipped.
// Section names and keys are made of ASCII letters, digits, '_', '-' and
// '.', and are case-sensitive. Values are trimmed, and one pair of matching
// quotes around a value is removed; there are no inline comments, escapes
// or continuation lines. Everything else is an error: a key outside a
// section, a repeated section or key, a line that is neither, input that is
// not UTF-8 or holds control characters, input over [MaxSize]. Errors name the
// line number but never quote the line, which may hold a secret.
func Parse(data []byte) (map[string]map[string]Entry, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not UTF-8 text")
	}
	sections := make(map[string]map[string]Entry)
	var cur map[string]Entry
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.ContainsFunc(line, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return nil, fmt.Errorf("line %d: control character", n)
		}
		line = strings.Trim(line, " \t")
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			name, ok := strings.CutSuffix(line[1:], "]")
			name = strings.Trim(name, " \t")
			if !ok || !validName(name) {
				return nil, fmt.Errorf("line %d: malformed section header", n)
			}
			if _, dup := sections[name]; dup {
				return nil, fmt.Errorf("line %d: section repeated", n)
			}
			cur = make(map[string]Entry)
			sections[name] = cur
		default:
			key, value, ok := strings.Cut(line, "=")
			key = strings.Trim(key, " \t")
			if !ok || !validName(key) {
				return nil, fmt.Errorf("line %d: want key = value", n)
			}
			if cur == nil {
				return nil, fmt.Errorf("line %d: key outside a section", n)
			}
			if _, dup := cur[key]; dup {
				return nil, fmt.Errorf("line %d: key repeated in its section", n)
			}
			cur[key] = Entry{Value: unquote(strings.Trim(value, " \t")), Line: n}
		}
	}
	return sections, nil
}

// validName reports whether s is a valid section name or key.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// unquote removes one pair of matching quotes around v.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
