package sdksign

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/v5/p/templates", "/v5/p/templates/"},
		{"/v5/p/templates/", "/v5/p/templates/"},
		{"a/b", "a/b/"},
		{"//a//", "//a//"},
		{"/a b/c", "/a%20b/c/"},
		{"/@:+$&=,;", "/%40%3A%2B%24%26%3D%2C%3B/"},
		{"/~user/._-", "/~user/._-/"},
		{"/%41", "/%2541/"},
		{"/ü", "/%C3%BC/"},
		{"/\x00\xff", "/%00%FF/"},
	}
	for _, tt := range tests {
		if got := CanonicalURI(tt.in); got != tt.want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		name string
		in   url.Values
		want string
	}{
		{"nil", nil, ""},
		{"empty", url.Values{}, ""},
		{"single", url.Values{"limit": {"1"}}, "limit=1"},
		{"sorted names", url.Values{"offset": {"0"}, "limit": {"10"}}, "limit=10&offset=0"},
		{"sorted values", url.Values{"a": {"2", "10", "1"}}, "a=1&a=10&a=2"},
		{"empty value", url.Values{"a": {""}, "b": {"1"}}, "a=&b=1"},
		{"space and plus", url.Values{"q": {"a b+c"}}, "q=a%20b%2Bc"},
		{"reserved", url.Values{"k&=": {"v=&?/"}}, "k%26%3D=v%3D%26%3F%2F"},
		{"unicode", url.Values{"ключ": {"日本"}}, "%D0%BA%D0%BB%D1%8E%D1%87=%E6%97%A5%E6%9C%AC"},
		// Raw-byte order: "A" (0x41) < "_" (0x5f) < "a" (0x61).
		{"raw order", url.Values{"a": {"x"}, "_": {"x"}, "A": {"x"}}, "A=x&_=x&a=x"},
		{"values by raw bytes", url.Values{"k": {"-", "!"}}, "k=%21&k=-"},
		{"empty name", url.Values{"": {"v"}}, "=v"},
		// Raw and escaped order differ: raw "~" (0x7e) sorts before "ü"
		// (0xc3 0xbc), escaped "%C3%BC" would sort before "~".
		{"raw vs escaped names", url.Values{"ü": {"1"}, "~": {"2"}}, "~=2&%C3%BC=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalQuery(tt.in); got != tt.want {
				t.Errorf("CanonicalQuery(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	// The input must not be reordered.
	in := url.Values{"a": {"2", "1"}}
	CanonicalQuery(in)
	if !slices.Equal(in["a"], []string{"2", "1"}) {
		t.Errorf("CanonicalQuery modified its input: %v", in)
	}
}

func TestSignableHeaders(t *testing.T) {
	h := http.Header{
		"Content-Type":         {"application/json"},
		"Content-Typex":        {"x"}, // starts with content-type: excluded like the SDK
		"Content-Length":       {"3"},
		"Test_underscore":      {"v"},
		"X-Sdk-Date":           {"20060102T150405Z"},
		"x-sdk-date":           {"20060102T150405Z"}, // duplicate spelling collapses
		"User-Agent":           {"ua"},
		"X-Project-Id":         {"p"},
		"X-Security-Token":     {"t"},
		"Host":                 {"example.com"},
		"X-Sdk-Content-Sha256": {UnsignedPayload},
	}
	want := []string{"content-length", "host", "user-agent", "x-project-id", "x-sdk-content-sha256", "x-sdk-date", "x-security-token"}
	if got := SignableHeaders(h); !slices.Equal(got, want) {
		t.Errorf("SignableHeaders = %v, want %v", got, want)
	}
	if got := SignableHeaders(nil); len(got) != 0 {
		t.Errorf("SignableHeaders(nil) = %v", got)
	}
}

func TestHashPayload(t *testing.T) {
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if HashPayload(nil) != empty || HashPayload([]byte{}) != empty {
		t.Error("hash of empty body")
	}
}

func TestCanonicalRequestTrimsValues(t *testing.T) {
	got := CanonicalRequest("post", "/p", nil, []string{"x-a", "x-b"},
		func(n string) string { return map[string]string{"x-a": "  a  b \t", "x-b": ""}[n] }, "h")
	want := "POST\n/p/\n\nx-a:a  b\nx-b:\n\nx-a;x-b\nh"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
