package drstemplate

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
)

// TestReadBodyBound: readBody takes a body of exactly maxJSONBody bytes and
// refuses one of maxJSONBody+1, whether the length is declared or not
// (chunked); a declared length is read exactly, so a body cut short of it
// is an error.
func TestReadBodyBound(t *testing.T) {
	const undeclared = -1
	tests := []struct {
		name    string
		length  int64 // Content-Length; -1 for none (chunked)
		size    int   // bytes the body holds
		wantErr error // nil: accepted whole
	}{
		{"declared, at the bound", maxJSONBody, maxJSONBody, nil},
		{"declared, one over", maxJSONBody + 1, maxJSONBody + 1, errBodyTooLarge},
		{"declared at the bound, cut short", maxJSONBody, maxJSONBody - 1, io.ErrUnexpectedEOF},
		{"chunked, at the bound", undeclared, maxJSONBody, nil},
		{"chunked, one over", undeclared, maxJSONBody + 1, errBodyTooLarge},
		{"chunked, small", undeclared, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Repeat([]byte{'x'}, tt.size)
			body := &closeCounter{Reader: bytes.NewReader(data)}
			resp := &http.Response{ContentLength: tt.length, Body: body}
			_, err := readBody(resp)
			if body.closed != 1 {
				t.Errorf("the body came closed %d times, want 1", body.closed)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("readBody: %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("readBody: %v, want the body accepted", err)
			}
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("the body put back holds %d bytes, want the %d read", len(got), len(data))
			}
		})
	}
}

// closeCounter is a body that counts its closings.
type closeCounter struct {
	*bytes.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }
