package drsfake

import (
	"context"
	"net/http"
	"net/url"

	"github.com/drs-tools/drstemplate/gen/iamapi"
	"github.com/drs-tools/drstemplate/gen/iamserver"
)

// defaultAccount is the account (domain) name of a fake that has no IAM
// user; with users, the fake's account is the first user's.
const defaultAccount = "drsfake-account"

// domainID returns the id of the fake's account (domain): the account of its
// first IAM user ([WithUser]), or defaultAccount without users. IAM's
// GET /v3/projects reports it as every project's domain_id, and a login of
// that user as the token's domain id. It is derived from the account name,
// so it is the same on every run.
func (s *Server) domainID() string {
	account := defaultAccount
	if len(s.auth.users) > 0 {
		account = s.auth.users[0].Account
	}
	return nameID("domain", account)
}

// KeystoneListProjects lists the fake's projects (GET /v3/projects), those
// named exactly like the name query parameter if it is given: the first
// project is named after the region (cn-north-4), the others
// "{region}_{n}". A name that matches nothing gives an empty list. Each
// project has its id, name, the fake's account id (the id of its first IAM user's account), enabled: true, an
// empty description and, as at Huawei, the account id as parent of the
// region's project and that project as parent of the others. The request has
// been authenticated like a DRS call (token or AK/SK signature) before it
// gets here; any valid token may list, whatever its project.
func (o operations) KeystoneListProjects(ctx context.Context, req iamserver.KeystoneListProjectsRequestObject) (iamserver.KeystoneListProjectsResponseObject, error) {
	info := o.info(ctx)
	domain := o.s.domainID()
	body := iamapi.ProjectList{Projects: []iamapi.Project{}}
	for i, id := range o.s.projects {
		name := o.s.ProjectName(id)
		if req.Params.Name != nil && *req.Params.Name != name {
			continue
		}
		parent := domain
		if i > 0 {
			parent = o.s.projects[0]
		}
		p := iamapi.Project{
			Id: id, Name: name, DomainId: new(domain), Enabled: new(true),
			Description: new(""), ParentId: new(parent), IsDomain: new(false),
		}
		if info.base != "" {
			p.Links = &iamapi.Links{Self: new(info.base + "/v3/projects/" + url.PathEscape(id))}
		}
		body.Projects = append(body.Projects, p)
	}
	if info.base != "" {
		self := info.base + "/v3/projects"
		if req.Params.Name != nil {
			self += "?" + url.Values{"name": {*req.Params.Name}}.Encode()
		}
		body.Links = &iamapi.Links{Self: &self}
	}
	return projectsListed{requestID: info.id, body: body}, nil
}

// projectsListed is the 200 answer to GET /v3/projects.
type projectsListed struct {
	requestID string
	body      iamapi.ProjectList
}

// VisitKeystoneListProjectsResponse writes the 200 answer.
func (p projectsListed) VisitKeystoneListProjectsResponse(w http.ResponseWriter) error {
	if p.requestID != "" {
		w.Header().Set(headerRequestID, p.requestID)
		w.Header().Set(headerIAMTraceID, p.requestID)
	}
	writeJSON(w, http.StatusOK, p.body)
	return nil
}
