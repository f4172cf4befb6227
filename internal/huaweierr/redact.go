package huaweierr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/drs-tools/drstemplate/internal/clip"
	"github.com/drs-tools/drstemplate/internal/redact"
)

// Redacted stands in for each secret [Parse] removes.
const Redacted = redact.Placeholder

// MinSecret is the length, in bytes, of the shortest secret [Parse] removes;
// shorter strings would match ordinary text, and no credential is that short.
const MinSecret = 4

// MinFragment is the length, in bytes, of the shortest run copied from a
// secret that [Parse] removes where the rest of the secret is missing (a
// server that echoes the first kilobyte of a long token, say).
const MinFragment = 16

// maxPasses bounds the rounds of redaction: a replacement can only make a
// secret appear again by joining the marker with the text around it, which
// takes secrets built from pieces of the marker.
const maxPasses = 4

// redactor removes a request's secrets from the text of an error response.
type redactor struct {
	// needles are the secrets in every form they may take in a response:
	// as sent, as [fold] prints them, and JSON-escaped (with and without
	// "\/" and \u escapes for non-ASCII). Each is at least MinSecret bytes.
	needles []string
	// grams holds every MinFragment-byte substring of the needles.
	grams map[string]struct{}
	// marker replaces each run of secret bytes: Redacted, unless a secret
	// occurs in it.
	marker string
}

func newRedactor(secrets []string) *redactor {
	r := &redactor{marker: Redacted}
	seen := make(map[string]bool)
	add := func(s string) {
		if len(s) >= MinSecret && !seen[s] {
			seen[s] = true
			r.needles = append(r.needles, s)
		}
	}
	for _, s := range secrets {
		if len(s) < MinSecret {
			continue
		}
		add(s)
		add(fold(s))
		for _, e := range jsonForms(s) {
			add(e)
			add(strings.ReplaceAll(e, "/", `\/`))
		}
	}
	for _, n := range r.needles {
		if strings.Contains(Redacted, n) {
			r.marker = "***" // shorter than MinSecret: no secret occurs in it
		}
		for i := 0; i+MinFragment <= len(n); i++ {
			if r.grams == nil {
				r.grams = make(map[string]struct{})
			}
			r.grams[n[i:i+MinFragment]] = struct{}{}
		}
	}
	return r
}

// clean returns raw without secrets, printable on one line and cut to at
// most limit bytes (see [fold] and [clip.String]). The secrets are removed from
// raw first, so that folding white space cannot hide them, and again after
// each step that could make one appear. In the unlikely case that no
// number of rounds gets rid of them, clean returns "".
func (r *redactor) clean(raw string, limit int) string {
	if raw == "" {
		return ""
	}
	s := fold(r.redact(raw))
	for range maxPasses {
		s = clip.String(fold(r.redact(s)), limit)
		if r.redact(s) == s {
			return s
		}
	}
	return ""
}

// redact replaces each maximal run of bytes of s that belongs to an
// occurrence of a needle, or to a MinFragment-byte substring of one, by the
// marker.
func (r *redactor) redact(s string) string {
	if len(r.needles) == 0 || len(s) < MinSecret {
		return s
	}
	var covered []bool // allocated on the first hit
	mark := func(from, to int) {
		if covered == nil {
			covered = make([]bool, len(s))
		}
		for i := from; i < to; i++ {
			covered[i] = true
		}
	}
	for _, n := range r.needles {
		for off := 0; off+len(n) <= len(s); {
			k := strings.Index(s[off:], n)
			if k < 0 {
				break
			}
			mark(off+k, off+k+len(n))
			off += k + 1 // occurrences may overlap
		}
	}
	if r.grams != nil {
		for i := 0; i+MinFragment <= len(s); i++ {
			if _, ok := r.grams[s[i:i+MinFragment]]; ok {
				mark(i, i+MinFragment)
			}
		}
	}
	if covered == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(r.marker)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

// jsonForms returns s as JSON string contents (without the quotes) the ways
// common encoders write it: Go's (escaping <, > and &), without HTML
// escapes, and ASCII-only with \u escapes in lower and in upper case.
func jsonForms(s string) []string {
	var forms []string
	for _, escapeHTML := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(s) // a string always encodes
		q := strings.TrimSuffix(buf.String(), "\n")
		forms = append(forms, q[1:len(q)-1])
	}
	for _, layout := range []string{`\u%04x`, `\u%04X`} {
		var b strings.Builder
		for _, c := range forms[1] { // the form without HTML escapes
			if c < 0x80 {
				b.WriteRune(c)
				continue
			}
			if c > 0xffff {
				hi, lo := utf16.EncodeRune(c)
				fmt.Fprintf(&b, layout+layout, hi, lo)
				continue
			}
			fmt.Fprintf(&b, layout, c)
		}
		forms = append(forms, b.String())
	}
	return forms
}
