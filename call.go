package drstemplate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/retry"
)

// call makes a call of op, attempting it again as the client's RetryPolicy
// and op.decide allow: send builds and sends the request with the project
// id, afresh for each attempt, through the auth transport, which
// authenticates each one afresh. A response with status want is returned
// (the caller closes its body; a JSON body is already read whole, see
// attempt); any other becomes an *APIError.
func (c *Client) call(ctx context.Context, op operation, want int, send func(ctx context.Context, project string) (*http.Response, error)) (*http.Response, error) {
	project, err := c.projectID(ctx)
	if err != nil {
		return nil, err
	}
	return retry.Loop[*http.Response]{
		Policy: c.retry.policy(),
		Rand:   c.jitter,
		Check:  func(_ *http.Response, err error) retry.Decision { return op.decide(err) },
		Retrying: func(_ *http.Response, err error, attempt int, pause time.Duration) {
			c.log.DebugContext(ctx, "drstemplate: retrying", "operation", op.String(), "attempt", attempt+1, "delay", pause, "error", err)
		},
	}.Do(ctx, func(attempt int) (*http.Response, error) {
		return c.attempt(ctx, op, want, attempt, func() (*http.Response, error) { return send(ctx, project) })
	})
}

// callOnce is call for a request that cannot be sent again, such as an
// upload read from a stream as it comes: one attempt, whatever its outcome.
func (c *Client) callOnce(ctx context.Context, op operation, want int, send func(ctx context.Context, project string) (*http.Response, error)) (*http.Response, error) {
	project, err := c.projectID(ctx)
	if err != nil {
		return nil, err
	}
	return c.attempt(ctx, op, want, 1, func() (*http.Response, error) { return send(ctx, project) })
}

// attempt makes one attempt of a call of op. The body of a JSON answer is
// read whole here, so that one that breaks off fails the attempt rather
// than the decoding after it; the download's body is the product, passed on
// as it arrives (DownloadToDir downloads again what breaks off). An answer
// other than want is read into an *APIError, which carries its Retry-After.
func (c *Client) attempt(ctx context.Context, op operation, want, attempt int, send func() (*http.Response, error)) (*http.Response, error) {
	start := time.Now()
	resp, err := send()
	switch {
	case err != nil:
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		}
		err = fmt.Errorf("%s: %w", op, err)
	case op.result(resp.StatusCode, want) && !op.streamed():
		if _, rerr := readBody(resp); rerr != nil {
			err = fmt.Errorf("%s: reading the answer: %w", op, rerr)
		}
	case resp.StatusCode == want:
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		_ = resp.Body.Close()
		err = fmt.Errorf("%w: %s answered HTTP %d, want %d", ErrUnexpectedResponse, op, resp.StatusCode, want)
	default:
		err = c.apiError(ctx, op, resp)
		_ = resp.Body.Close()
	}
	c.logAttempt(ctx, op, attempt, start, resp, err)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// logAttempt logs one attempt at debug level: never a header or a body, so
// never a credential.
func (c *Client) logAttempt(ctx context.Context, op operation, attempt int, start time.Time, resp *http.Response, err error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", op.String()),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", resp.Header.Get("X-Request-Id")))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "drstemplate: call", attrs...)
}

// maxJSONBody bounds the JSON bodies read whole. A page of a thousand
// template names is about 100 KB.
const maxJSONBody = 8 << 20

// errBodyTooLarge reports a JSON answer over maxJSONBody.
var errBodyTooLarge = fmt.Errorf("%w: the response body exceeds %d bytes", ErrUnexpectedResponse, maxJSONBody)

// readBody reads resp's body whole (up to maxJSONBody) and puts it back as
// a *bufferedBody, closing the body it read; it returns what it read.
func readBody(resp *http.Response) ([]byte, error) {
	body := resp.Body
	defer func() { _ = body.Close() }() // the body as it came, not the one put back
	var data []byte
	if n := resp.ContentLength; n >= 0 && n <= maxJSONBody {
		// The usual case, in one allocation: the length is declared.
		data = make([]byte, n)
		if _, err := io.ReadFull(body, data); err != nil {
			return nil, err
		}
	} else {
		var err error
		if data, err = io.ReadAll(io.LimitReader(body, maxJSONBody+1)); err != nil {
			return nil, err
		}
		if len(data) > maxJSONBody {
			return nil, errBodyTooLarge
		}
	}
	b := &bufferedBody{data: data}
	b.Reset(data)
	resp.Body = b
	return data, nil
}

// bufferedBody is a response body read whole.
type bufferedBody struct {
	bytes.Reader
	data []byte
}

// Close does nothing: the body is in memory.
func (*bufferedBody) Close() error { return nil }

// jsonBody returns resp's JSON body: read whole by attempt, or else here,
// as attempt reads it.
func jsonBody(resp *http.Response) ([]byte, error) {
	if b, ok := resp.Body.(*bufferedBody); ok {
		return b.data, nil
	}
	return readBody(resp)
}

// decode reads resp's JSON body (see jsonBody) into v.
func decode(op operation, resp *http.Response, v any) error {
	data, err := jsonBody(resp)
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", op, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: the body is not the documented JSON (Content-Type %q): %w",
			ErrUnexpectedResponse, op, resp.Header.Get("Content-Type"), err)
	}
	return nil
}
