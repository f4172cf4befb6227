package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/internal/huaweierr"
)

// maxLoginBody bounds how much of IAM's answer to a login is read: a token
// body without the service catalog is a few kilobytes.
const maxLoginBody = 1 << 20

// logIn obtains a token with POST /v3/auth/tokens (without the service
// catalog) through the generated IAM client.
func (p *PasswordCredentials) logIn(ctx context.Context) (iamToken, error) {
	l := p.login
	scope := iamapi.ProjectRef{Id: new(l.ProjectID)}
	if l.ProjectID == "" {
		scope = iamapi.ProjectRef{Name: new(l.ProjectName)}
	}
	body := iamapi.PasswordTokenRequest{Auth: iamapi.PasswordAuth{
		Identity: iamapi.PasswordIdentity{
			Methods: []iamapi.PasswordIdentityMethods{iamapi.Password},
			Password: iamapi.PasswordCredentials{User: iamapi.PasswordUser{
				Domain:   iamapi.DomainRef{Name: new(l.Account)},
				Name:     l.User,
				Password: l.Password,
			}},
		},
		Scope: iamapi.TokenScope{Project: scope},
	}}
	resp, err := p.iam.KeystoneCreateUserTokenByPassword(ctx,
		&iamapi.KeystoneCreateUserTokenByPasswordParams{Nocatalog: new(iamapi.True)}, body)
	if err != nil {
		return iamToken{}, fmt.Errorf("auth: IAM login: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		defer func() { _ = resp.Body.Close() }()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		info := huaweierr.Parse(resp.Header, data, l.Password)
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			info.Message = "IAM redirected the login; redirects are not followed"
		}
		return iamToken{}, &LoginError{
			StatusCode: resp.StatusCode,
			Code:       info.Code,
			Message:    info.Message,
			RequestID:  info.RequestID,
		}
	}
	limited := &io.LimitedReader{R: resp.Body, N: maxLoginBody + 1}
	resp.Body = readCloser{Reader: limited, Closer: resp.Body}
	parsed, err := iamapi.ParseKeystoneCreateUserTokenByPasswordResponse(resp) // closes the body
	if limited.N == 0 {
		return iamToken{}, fmt.Errorf("%w: the IAM response is larger than %d bytes", ErrLoginFailed, maxLoginBody)
	}
	if err != nil {
		return iamToken{}, fmt.Errorf("%w: unreadable IAM response: %w", ErrLoginFailed, err)
	}
	if parsed.JSON201 == nil || parsed.Headers201 == nil || parsed.Headers201.XSubjectToken == "" {
		return iamToken{}, fmt.Errorf("%w: the IAM response has no token (X-Subject-Token) or no token body", ErrLoginFailed)
	}
	tok := iamToken{
		value:   parsed.Headers201.XSubjectToken,
		expires: parsed.JSON201.Token.ExpiresAt,
	}
	if !validHeaderValue(tok.value) {
		return iamToken{}, errors.New("auth: IAM returned a token that cannot be sent as a header")
	}
	if tok.expires.IsZero() {
		return iamToken{}, fmt.Errorf("%w: the IAM response has no expires_at", ErrLoginFailed)
	}
	if t := parsed.JSON201.Token.IssuedAt; t != nil {
		tok.issued = *t
	} else {
		tok.issued = tok.expires.Add(-24 * time.Hour) // IAM tokens live 24 hours
	}
	if pr := parsed.JSON201.Token.Project; pr != nil && pr.Id != nil {
		tok.projectID = *pr.Id
	}
	return tok, nil
}

// readCloser is a response body read through Reader and closed by Closer.
type readCloser struct {
	io.Reader
	io.Closer
}
