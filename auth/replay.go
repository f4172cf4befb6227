package auth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// errNotReplayable reports a body that was consumed and cannot be recreated.
var errNotReplayable = errors.New("auth: the request body was consumed and has no GetBody to send it again")

// replay hands the body of one request to the attempts of a RoundTrip. It
// reads the body only when asked for its bytes (to sign them), then sends
// exactly those bytes; otherwise the first attempt sends the original body
// and later ones a copy from GetBody. A nil *replay stands for a request
// without a body: every method works on it.
type replay struct {
	req      *http.Request
	buf      []byte
	buffered bool // buf holds the body
	taken    bool // req.Body was read here or handed to the base transport
}

func (b *replay) hasBody() bool {
	return b != nil && hasBody(b.req)
}

// hasBody reports whether req has a body to send.
func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

// noBody is the body function of a request without a body.
func noBody() ([]byte, error) { return nil, nil }

// bytes returns the body, reading it on the first call: from GetBody when
// the request has one, else from the original body. It reads at most one
// byte more than [sdksign.MaxSignedBody]: a larger body, whatever its
// declared length, fails with [ErrBodyTooLarge] without being read whole.
func (b *replay) bytes() ([]byte, error) {
	if !b.hasBody() {
		return nil, nil
	}
	if b.buffered {
		return b.buf, nil
	}
	var rc io.ReadCloser
	switch {
	case b.req.GetBody != nil:
		var err error
		if rc, err = b.req.GetBody(); err != nil {
			return nil, err
		}
	case !b.taken:
		rc, b.taken = b.req.Body, true
	default:
		return nil, errNotReplayable
	}
	data, err := io.ReadAll(io.LimitReader(rc, sdksign.MaxSignedBody+1))
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if len(data) > sdksign.MaxSignedBody {
		return nil, fmt.Errorf("%w (more than %d bytes)", ErrBodyTooLarge, sdksign.MaxSignedBody)
	}
	b.buf, b.buffered = data, true
	return data, nil
}

// attach gives r (a clone of the request) the body to send.
func (b *replay) attach(r *http.Request) error {
	if !b.hasBody() {
		return nil
	}
	switch {
	case b.buffered:
		data := b.buf
		r.Body = io.NopCloser(bytes.NewReader(data))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		r.ContentLength = int64(len(data))
	case !b.taken:
		r.Body, b.taken = b.req.Body, true // the base transport closes it
	case b.req.GetBody != nil:
		rc, err := b.req.GetBody()
		if err != nil {
			return err
		}
		r.Body = rc
	default:
		return errNotReplayable
	}
	return nil
}

// replayable reports whether another attempt can send the body.
func (b *replay) replayable() bool {
	return !b.hasBody() || b.buffered || b.req.GetBody != nil
}

// close closes the original body if no attempt took it: a RoundTripper
// must close the request body in every case.
func (b *replay) close() {
	if b.hasBody() && !b.taken {
		b.taken = true
		_ = b.req.Body.Close()
	}
}
