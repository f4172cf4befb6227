package sdksign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// errAmbiguous reports a request on which Sign's choice among several
// spellings of Content-Type or X-Sdk-Content-Sha256 depends on map order.
var errAmbiguous = errors.New("several non-canonical spellings")

// referenceSign is a plain transcription of the SDK's algorithm as the
// reference (huawei-auth.md, section 1.2) and the [Sign] documentation state
// it: strings, strings.ToLower, a map of header values, crypto/hmac. It
// shares no code with the package, so that the fuzz target below checks the
// allocation-free implementation against an independent one. It returns the
// Authorization value Sign must set on r.
func referenceSign(r *http.Request, body []byte, ak, sk string, now time.Time) (string, error) {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	deleteKeysFold := func(name string) {
		for k := range h {
			if strings.EqualFold(k, name) {
				delete(h, k)
			}
		}
	}
	deleteKeysFold("Authorization")
	date := now.UTC().Format("20060102T150405Z")
	if vs := h["X-Sdk-Date"]; len(vs) == 1 {
		if t, err := time.Parse("20060102T150405Z", vs[0]); err == nil && t.Format("20060102T150405Z") == vs[0] {
			date = vs[0]
		}
	}
	deleteKeysFold("X-Sdk-Date")
	h["X-Sdk-Date"] = []string{date}
	// first returns the values of the canonical key, else of the one key
	// equal to it under case folding.
	first := func(canonical string) ([]string, error) {
		if vs, ok := h[canonical]; ok {
			return vs, nil
		}
		var found []string
		n := 0
		for k, vs := range h {
			if strings.EqualFold(k, canonical) {
				found, n = vs, n+1
			}
		}
		if n > 1 {
			return nil, errAmbiguous
		}
		return found, nil
	}
	ct, err := first("Content-Type")
	if err != nil {
		return "", err
	}
	if len(ct) > 0 && !strings.Contains(ct[0], "application/json") && !strings.Contains(ct[0], "application/bson") {
		deleteKeysFold("X-Sdk-Content-Sha256")
		h["X-Sdk-Content-Sha256"] = []string{"UNSIGNED-PAYLOAD"}
	}

	values := map[string]string{}
	var names []string
	for k, vs := range h {
		l := strings.ToLower(k)
		if l == "" || strings.HasPrefix(l, "content-type") || strings.Contains(l, "_") {
			continue
		}
		if _, dup := values[l]; dup || len(vs) > 1 {
			return "", errors.New("several values")
		}
		values[l] = strings.Join(vs, "")
		names = append(names, l)
	}
	slices.Sort(names)

	escape := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	segs := strings.Split(r.URL.Path, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", err
	}
	var pairs []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range slices.Sorted(slices.Values(q[k])) {
			pairs = append(pairs, escape(k)+"="+escape(v))
		}
	}
	var lines strings.Builder
	for _, n := range names {
		lines.WriteString(n + ":" + strings.TrimSpace(values[n]) + "\n")
	}
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	if vs, err := first("X-Sdk-Content-Sha256"); err != nil {
		return "", err
	} else if len(vs) > 0 {
		payload = strings.TrimSpace(vs[0])
	}
	method := r.Method
	if method == "" {
		method = "GET"
	}
	canonical := strings.Join([]string{strings.ToUpper(method), uri, strings.Join(pairs, "&"),
		lines.String(), strings.Join(names, ";"), payload}, "\n")
	crSum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(crSum[:])))
	return "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=" + strings.Join(names, ";") +
		", Signature=" + hex.EncodeToString(mac.Sum(nil)), nil
}

// FuzzSignMatchesReference signs fuzzed requests with Sign and with
// referenceSign and wants the same Authorization value, or an error from
// both; whatever Sign signs with well-formed header names, Verify accepts.
func FuzzSignMatchesReference(f *testing.F) {
	f.Add("GET", "/v5/p/jobs/id/export/progress", "", "User-Agent", "drstemplate", "X-Language", "en-us", "application/json", "", []byte(nil), "SK")
	f.Add("POST", "/v5/p/jobs/export/template", "", "X-Project-Id", " p ", "x-project-id", "p", "application/json;charset=UTF-8", "20250703T094412Z", []byte(`{"jobs":["a"]}`), "SK")
	f.Add("get", "/v5/p/templates", "offset=0&limit=10&limit=2", "Host", "drs.example.com", "TEST_UNDERSCORE", "v", "text/plain", "2025-07-03", []byte("x"), "SK")
	f.Add("", "/a b/ü/", "k=%20&=v&a", "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD", "Content-Typex", "", "", "20250703T094412Z", []byte{}, strings.Repeat("k", 70))
	f.Add("PUT", "", "a=1;b=2", "X-Ünïcode", "v", "X-Ünïcode", "w", "-", "", []byte(nil), "SK")
	now := time.Date(2025, 7, 3, 9, 44, 12, 0, time.UTC)
	f.Fuzz(func(t *testing.T, method, path, rawQuery, k1, v1, k2, v2, contentType, date string, body []byte, sk string) {
		if sk == "" {
			sk = "SK"
		}
		newRequest := func() *http.Request {
			r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{}}
			r.Header[k1] = append(r.Header[k1], v1)
			r.Header[k2] = append(r.Header[k2], v2)
			if contentType != "-" {
				r.Header.Set("Content-Type", contentType)
			}
			if date != "" {
				r.Header.Set(HeaderDate, date)
			}
			return r
		}
		want, wantErr := referenceSign(newRequest(), body, "AK", sk, now)
		if errors.Is(wantErr, errAmbiguous) {
			return
		}
		r := newRequest()
		err := Sign(r, body, "AK", sk, now)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Sign error %v, reference error %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if got := r.Header.Get(HeaderAuthorization); got != want {
			t.Fatalf("Authorization differs from the reference:\n got %q\nwant %q", got, want)
		}

		// Verify needs header names that are tokens (a ";" in one would
		// split it in SignedHeaders), reads Host from the request and wants
		// a declared payload hash to match the body.
		for k := range r.Header {
			if !validHeaderName(strings.ToLower(k)) {
				return
			}
		}
		a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
		if err != nil || method == "" || slices.Contains(a.SignedHeaders, "host") ||
			r.Header.Get(HeaderContentSha256) != "" && r.Header.Get(HeaderContentSha256) != UnsignedPayload ||
			r.Header.Get(HeaderContentSha256) == UnsignedPayload && !PayloadUnsigned(r.Header) {
			return // a declared hash must match; UNSIGNED-PAYLOAD only where the signer sends it
		}
		// A date pinned by the request may be any distance from now (year
		// 9999, say): verify at the time it names, as its signer meant.
		at := now
		if pinned, err := time.Parse("20060102T150405Z", r.Header.Get(HeaderDate)); err == nil {
			at = pinned
		}
		if _, err := Verify(r, body, func(string) (string, bool) { return sk, true }, at, time.Minute); err != nil {
			t.Fatalf("Verify of what Sign signed: %v", err)
		}
	})
}
