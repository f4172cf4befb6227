package drsfake

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// iamTimeLayout is the layout of expires_at and issued_at in IAM token
// bodies, e.g. 2020-01-04T09:05:22.701000Z (UTC, microseconds).
const iamTimeLayout = "2006-01-02T15:04:05.000000Z"

// IAM response headers: the new token, and IAM's trace id (the fake sends
// the request id; Huawei's SDKs quote it in their errors).
const (
	headerSubjectToken = "X-Subject-Token"
	headerIAMTraceID   = "X-IAM-Trace-Id"
)

// tokenAlphabet is what issued tokens are made of after their "MII" prefix.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// KeystoneCreateUserTokenByPassword logs an IAM user in (POST
// /v3/auth/tokens): for a user added with [WithUser] and a project named by id
// or by name, it answers 201 with the token in X-Subject-Token, valid for the
// token TTL ([WithTokenTTL]) on the fake's clock and for that project only.
// A wrong account, user or password answers 401, an unknown project 404.
func (o operations) KeystoneCreateUserTokenByPassword(ctx context.Context, req iamserver.KeystoneCreateUserTokenByPasswordRequestObject) (iamserver.KeystoneCreateUserTokenByPasswordResponseObject, error) {
	info := o.info(ctx)
	if req.Body == nil {
		return iamError(http.StatusBadRequest, iamMsgBadRequestPrefix+"request body is required"), nil
	}
	user, ok := o.s.findUser(req.Body.Auth.Identity.Password.User)
	if !ok {
		return iamError(http.StatusUnauthorized, iamMsgWrongPassword), nil
	}
	scope := req.Body.Auth.Scope.Project
	if scope.Id == nil && scope.Name == nil {
		return iamError(http.StatusBadRequest, iamMsgBadRequestPrefix+"scope.project needs an id or a name"), nil
	}
	project, name, ok := o.s.findProject(scope)
	if !ok {
		return iamError(http.StatusNotFound, iamMsgProjectNotFound), nil
	}
	issued := info.now.UTC()
	expires := issued.Add(o.s.tokenTTL)
	token := o.s.issueToken(project, issued, o.s.tokenTTL)

	domain := &iamapi.DomainRef{Id: new(nameID("domain", user.Account)), Name: new(user.Account)}
	body := tokenBody{Token: tokenMeta{
		ExpiresAt: expires.Format(iamTimeLayout),
		IssuedAt:  issued.Format(iamTimeLayout),
		Methods:   []string{"password"},
		Project:   iamapi.NamedEntity{Id: new(project), Name: new(name), Domain: domain},
		User:      iamapi.NamedEntity{Id: new(nameID("user", user.Account+"\x00"+user.Name)), Name: new(user.Name), Domain: domain},
	}}
	if req.Params.Nocatalog == nil || *req.Params.Nocatalog != iamapi.True {
		body.Token.Catalog = &[]any{}
	}
	return tokenCreated{token: token, requestID: info.id, body: body}, nil
}

// findUser returns the configured user u names (account by name or id) whose
// password matches.
func (s *Server) findUser(u iamapi.PasswordUser) (IAMUser, bool) {
	for _, c := range s.auth.users {
		byName := u.Domain.Name != nil && *u.Domain.Name == c.Account
		byID := u.Domain.Id != nil && *u.Domain.Id == nameID("domain", c.Account)
		if (byName || byID) && u.Name == c.Name &&
			subtle.ConstantTimeCompare([]byte(u.Password), []byte(c.Password)) == 1 {
			return *c, true
		}
	}
	return IAMUser{}, false
}

// findProject resolves a token scope to a project id and name.
func (s *Server) findProject(p iamapi.ProjectRef) (id, name string, ok bool) {
	for _, pid := range s.projects {
		n := s.ProjectName(pid)
		if (p.Id == nil || *p.Id == pid) && (p.Name == nil || *p.Name == n) {
			return pid, n, true
		}
	}
	return "", "", false
}

// nameID derives a stable 32-hex id for an IAM entity from its name.
func nameID(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + name))
	return hex.EncodeToString(sum[:16])
}

// tokenBody is IAM's token response body, with times in IAM's own layout
// (the generated model would render them with Go's RFC 3339 layout).
type tokenBody struct {
	Token tokenMeta `json:"token"`
}

type tokenMeta struct {
	ExpiresAt string             `json:"expires_at"`
	IssuedAt  string             `json:"issued_at"`
	Methods   []string           `json:"methods"`
	Catalog   *[]any             `json:"catalog,omitempty"`
	Project   iamapi.NamedEntity `json:"project"`
	User      iamapi.NamedEntity `json:"user"`
}

// tokenCreated is the 201 answer to a successful login.
type tokenCreated struct {
	token     string
	requestID string
	body      tokenBody
}

// VisitKeystoneCreateUserTokenByPasswordResponse writes the 201 answer.
func (t tokenCreated) VisitKeystoneCreateUserTokenByPasswordResponse(w http.ResponseWriter) error {
	w.Header().Set(headerSubjectToken, t.token)
	w.Header().Set(headerRequestID, t.requestID)
	w.Header().Set(headerIAMTraceID, t.requestID)
	writeJSON(w, http.StatusCreated, t.body)
	return nil
}

// iamErrorResponse is an IAM error answer.
type iamErrorResponse struct{ failure }

// VisitKeystoneCreateUserTokenByPasswordResponse writes the error.
func (e iamErrorResponse) VisitKeystoneCreateUserTokenByPasswordResponse(w http.ResponseWriter) error {
	e.write(w)
	return nil
}

func iamError(status int, msg string) iamErrorResponse {
	return iamErrorResponse{failure{status: status, msg: msg}}
}

// issueToken accepts a new token for project for ttl from now.
func (s *Server) issueToken(project string, now time.Time, ttl time.Duration) string {
	token := "MII" + s.ids.text(180, tokenAlphabet)
	s.auth.addToken(token, project, now.Add(ttl), now)
	return token
}
