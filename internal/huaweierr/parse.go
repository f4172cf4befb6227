package huaweierr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what [Parse] returns, in bytes.
const (
	// MaxMessage bounds [Info.Message]; longer messages are cut on a rune
	// boundary and end with "…".
	MaxMessage = 512
	// MaxField bounds [Info.Code] and [Info.RequestID].
	MaxField = 128
)

// Info is what an error response says about itself. Fields the response
// does not carry are empty.
type Info struct {
	// Code is the Huawei error code, e.g. "DRS.M00201", "APIGW.0301", or
	// "401" when the service sends a number.
	Code string
	// Message is the error message, or the cleaned, truncated raw body when
	// the body holds no recognisable message.
	Message string
	// RequestID identifies the request at Huawei Cloud: the X-Request-Id
	// response header, else a "request_id" body field, else the
	// X-IAM-Trace-Id header.
	RequestID string
}

// The field pairs Parse looks for, in order of preference.
var pairs = [...][2]string{
	{"error_code", "error_msg"},
	{"code", "message"},
}

// Parse extracts the error code, message and request id from an error
// response's header and body. It never fails: a body that is not JSON, or
// JSON without a known pair, yields its cleaned text as the message. h may be
// nil.
//
// A pair is taken from the top-level object if it holds either member of it
// ("error_code"/"error_msg" before "code"/"message"); otherwise from the
// first object value one level down that does, trying "error" first and then
// the other members in name order. Codes may be strings or numbers.
//
// secrets are the credentials the request carried (a token, a password, a
// signature), which a server may echo. None of them appears in what Parse
// returns: each occurrence is replaced by [Redacted] in the decoded text, and
// in the raw body also in its JSON-escaped forms, before the text is cleaned
// and cut to length, so that neither white-space folding nor truncation can
// let part of one through. A run of [MinFragment] or more bytes copied from a
// secret is removed too, for servers that echo part of a long token. Secrets
// shorter than [MinSecret] bytes are ignored: they would match ordinary text.
func Parse(h http.Header, body []byte, secrets ...string) Info {
	r := newRedactor(secrets)
	var info Info
	var top map[string]json.RawMessage
	if decodeObject(body, &top) {
		if !r.takePair(top, &info) {
			for _, name := range nestedOrder(top) {
				var inner map[string]json.RawMessage
				if decodeObject(top[name], &inner) && r.takePair(inner, &info) {
					if info.RequestID == "" {
						info.RequestID = r.clean(stringValue(inner["request_id"]), MaxField)
					}
					break
				}
			}
		}
		if info.RequestID == "" {
			info.RequestID = r.clean(stringValue(top["request_id"]), MaxField)
		}
	}
	if id := r.clean(h.Get("X-Request-Id"), MaxField); id != "" {
		info.RequestID = id
	} else if info.RequestID == "" {
		info.RequestID = r.clean(h.Get("X-IAM-Trace-Id"), MaxField)
	}
	if info.Code == "" && info.Message == "" {
		info.Message = r.clean(string(body), MaxMessage)
	}
	return info
}

// decodeObject decodes data as one JSON object (numbers kept as
// json.Number) and reports whether it was one.
func decodeObject(data []byte, v *map[string]json.RawMessage) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return false
	}
	return *v != nil
}

// takePair fills info from the first pair present in obj and reports
// whether one was.
func (r *redactor) takePair(obj map[string]json.RawMessage, info *Info) bool {
	for _, p := range pairs {
		code, msg := codeValue(obj[p[0]]), stringValue(obj[p[1]])
		if code == "" && msg == "" {
			continue
		}
		info.Code = r.clean(code, MaxField)
		info.Message = r.clean(msg, MaxMessage)
		return true
	}
	return false
}

// nestedOrder lists the members of obj to search one level down: "error"
// first, then the rest sorted by name.
func nestedOrder(obj map[string]json.RawMessage) []string {
	names := make([]string, 0, len(obj))
	for name := range obj {
		if name != "error" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if _, ok := obj["error"]; ok {
		names = append([]string{"error"}, names...)
	}
	return names
}

// stringValue returns raw as a string if it is a JSON string, else "".
func stringValue(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// codeValue returns raw as a string if it is a JSON string or number.
func codeValue(raw json.RawMessage) string {
	if s := stringValue(raw); s != "" {
		return s
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var n json.Number
	if len(raw) == 0 || dec.Decode(&n) != nil {
		return ""
	}
	return n.String()
}

// fold makes s printable on one line: invalid UTF-8 and control characters
// become spaces, runs of white space collapse to one, and leading and
// trailing white space is dropped.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		if r == ' ' || r == utf8.RuneError && n == 1 || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
