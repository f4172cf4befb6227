package auth

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/internal/redact"

	"github.com/drs-tools/drstemplate/internal/sdksign"
)

// AccessKey is an access key pair that signs each request with
// SDK-HMAC-SHA256, the way Huawei's official SDKs do. A security token makes
// it a temporary credential.
//
// Before signing, Authenticate sets X-Project-Id (when ProjectID is set) and
// X-Security-Token (when SecurityToken is set) and replaces any X-Sdk-Date
// with the attempt's time. Every header on the request at that point is
// signed except Content-Type and names containing '_'; through
// [NewHTTPClient] a DRS call signs user-agent;x-project-id;x-sdk-date, plus
// x-language and x-security-token when present. The payload hash covers the
// exact bytes sent. Bodies over 12 MB are refused with [ErrBodyTooLarge].
//
// A request whose Content-Type is neither JSON nor BSON (a multipart
// upload) is signed as Huawei's signer signs it: with X-Sdk-Content-Sha256:
// UNSIGNED-PAYLOAD, signed, and that literal instead of the body's hash. Its
// body is then never read for signing — the upload is streamed as the
// caller provides it, and the 12 MB limit of signed bodies does not apply
// (the API's own bounds do). Such a body is sent once: a retry needs the
// request's GetBody.
//
// Formatting an AccessKey with fmt redacts Secret and SecurityToken.
type AccessKey struct {
	// ID is the access key id (AK).
	ID string
	// Secret is the secret access key (SK).
	Secret string
	// SecurityToken is the session token of temporary credentials; empty
	// for a permanent key.
	SecurityToken string
	// ProjectID is sent as X-Project-Id; empty sends none.
	ProjectID string
}

// Authenticate signs r.
func (k AccessKey) Authenticate(r *http.Request, body func() ([]byte, error), now time.Time) error {
	if k.ID == "" || k.Secret == "" {
		return fmt.Errorf("%w: an access key needs both the key id and the secret key", ErrIncompleteCredentials)
	}
	if err := k.validate(); err != nil {
		return err
	}
	var data []byte
	if !sdksign.PayloadUnsigned(r.Header) { // else the body is neither read nor buffered
		if r.ContentLength > sdksign.MaxSignedBody {
			return fmt.Errorf("%w (%d bytes)", ErrBodyTooLarge, r.ContentLength)
		}
		var err error
		data, err = body()
		if errors.Is(err, ErrBodyTooLarge) {
			return err
		}
		if err != nil {
			return fmt.Errorf("auth: reading the request body to sign it: %w", err)
		}
	}
	if k.ProjectID != "" {
		r.Header.Set(HeaderProjectID, k.ProjectID)
	}
	if k.SecurityToken != "" {
		r.Header.Set(HeaderSecurityToken, k.SecurityToken)
	}
	r.Header.Del(sdksign.HeaderDate) // the attempt's time, never a stale one
	if err := sdksign.Sign(r, data, k.ID, k.Secret, now); err != nil {
		if errors.Is(err, sdksign.ErrBodyTooLarge) {
			return fmt.Errorf("%w (%d bytes)", ErrBodyTooLarge, len(data))
		}
		return fmt.Errorf("auth: signing the request: %w", err)
	}
	return nil
}

// validate checks the fields that are set against the rules of
// validate.go.
func (k AccessKey) validate() error {
	for _, f := range []struct {
		name, v string
		rule    func(string) string
	}{
		{"access key id", k.ID, checkAccessKeyID}, {"secret key", k.Secret, checkSecret},
		{"security token", k.SecurityToken, checkSecret}, {"project id", k.ProjectID, checkProjectID},
	} {
		if f.v == "" {
			continue
		}
		if why := f.rule(f.v); why != "" {
			return fmt.Errorf("%w: the %s %s", ErrInvalidCredentials, f.name, why)
		}
	}
	return nil
}

// String describes the key without its secrets: the key id, the project and
// whether it is temporary.
func (k AccessKey) String() string {
	s := "AK/SK (access key " + cmp.Or(show(k.ID), unset) + ", secret key " + cmp.Or(redact.Mask(k.Secret), unset)
	if k.ProjectID != "" {
		s += ", project " + show(k.ProjectID)
	}
	if k.SecurityToken != "" {
		s += ", temporary"
	}
	return s + ")"
}

// GoString renders a Go-syntax form with the secrets redacted (for %#v).
func (k AccessKey) GoString() string {
	type accessKey AccessKey // no methods: %#v lists every field
	k.Secret, k.SecurityToken = redact.Mask(k.Secret), redact.Mask(k.SecurityToken)
	return redact.GoSyntax("auth.AccessKey", accessKey(k))
}

// Format redacts the secrets for every fmt verb.
func (k AccessKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String(), k.GoString()) }
