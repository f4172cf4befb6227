package drsfake

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/drs-tools/drstemplate/internal/clip"
)

// api is one of the fake's two contracts (DRS's api/openapi.yaml, IAM's
// api/iam.yaml) made ready to serve: its router, the request limits derived
// from it, kin-openapi's validation and the generated strict server.
type api struct {
	iam      bool
	router   routers.Router
	opts     *openapi3filter.Options
	maxBody  map[Operation]int64 // see bodyLimit
	maxItems map[Operation]int   // see itemLimit
	// formLimits holds, for each operation whose body is a multipart form,
	// the size bound of each part (see formLimits); the pipeline streams
	// those bodies to the handler instead of reading them whole.
	formLimits map[Operation]map[string]int64
	formOpts   *openapi3filter.Options // opts, leaving a form body to the handler
	mux        *http.ServeMux          // the generated server's routes
	handler    http.Handler            // the generated strict server, on mux
}

// Limits of the requests the fake reads. Bodies and queries beyond them are
// refused with 400 (DRS.M00007, or Keystone's body on IAM calls).
const (
	// bodySlack is added to every body limit: room for white space around
	// the JSON (Huawei's SDK ends it with a newline).
	bodySlack = 4 << 10
	// maxUnboundedBody limits the bodies whose schema leaves a string or an
	// array unbounded (IAM's password login): far beyond any real login.
	maxUnboundedBody = 64 << 10
	// maxCharBytes is the longest JSON form of one character of a string,
	// an escaped surrogate pair (\uXXXX\uXXXX).
	maxCharBytes = 12
	// maxQueryBytes limits the raw query string.
	maxQueryBytes = 2 << 10
	// maxUnknownParams is how many query parameters the contract does not
	// declare a request may carry (they are ignored, as the gateway does).
	maxUnknownParams = 8
	// partSlack is added to each part's bound in a multipart body's limit:
	// room for its boundary line and headers (a file name included).
	partSlack = 1 << 10
	// formContentType is the media type of a multipart form body.
	formContentType = "multipart/form-data"
)

// newAPI loads a contract (drsserver.GetSpec or iamserver.GetSpec) and prepares a
// router for it; its generated server is serve's, on the api's mux. The
// document's servers are dropped so that routes match on the path alone,
// whatever host and port the fake listens on.
func newAPI(ctx context.Context, load func() (*openapi3.T, error), iam bool, serve func(*api) http.Handler) (*api, error) {
	doc, err := load()
	if err != nil {
		return nil, fmt.Errorf("drsfake: loading the embedded spec: %w", err)
	}
	doc.Servers = nil
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("drsfake: the embedded spec is invalid: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("drsfake: routing the embedded spec: %w", err)
	}
	a := &api{
		iam:    iam,
		router: router,
		opts: &openapi3filter.Options{
			// The fake authenticates requests itself, before validation.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// Leave the request as the client sent it.
			SkipSettingDefaults: true,
		},
		maxBody:    make(map[Operation]int64),
		maxItems:   make(map[Operation]int),
		formLimits: make(map[Operation]map[string]int64),
		mux:        http.NewServeMux(),
	}
	formOpts := *a.opts
	// kin-openapi would decode a multipart body whole, file included (it
	// buffers every part to validate it): such a body is checked by its
	// handler, streamed and within the contract's bounds (formLimits); see
	// check.
	formOpts.ExcludeRequestBody = true
	a.formOpts = &formOpts
	a.handler = serve(a)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			a.maxBody[Operation(op.OperationID)] = bodyLimit(op)
			a.maxItems[Operation(op.OperationID)] = itemLimit(op)
			if parts, ok := formLimits(op); ok {
				a.formLimits[Operation(op.OperationID)] = parts
			}
		}
	}
	return a, nil
}

// bodyLimit is the size limit of op's request body: the largest valid body
// (see largestBody) plus bodySlack, maxUnboundedBody where the schema sets
// no bound, bodySlack alone for an operation without a body. A multipart
// form may hold each part the contract declares at its bound (formLimits)
// plus partSlack.
func bodyLimit(op *openapi3.Operation) int64 {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return bodySlack
	}
	if parts, ok := formLimits(op); ok {
		n := int64(bodySlack)
		for _, limit := range parts {
			n += limit + partSlack
		}
		return n
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return maxUnboundedBody
	}
	n, ok := largestBody(mt.Schema.Value)
	if !ok {
		return maxUnboundedBody
	}
	return n + bodySlack
}

// largestBody returns the length of the largest compact JSON value that fits
// schema s: every array at its maxItems, every string at its maxLength with
// each character (and each property name's) in its longest JSON form, only
// the declared properties. ok is false where s leaves a string or an array
// unbounded, or has a type this does not measure.
func largestBody(s *openapi3.Schema) (n int64, ok bool) {
	switch {
	case s.Type.Is(openapi3.TypeString):
		if s.MaxLength == nil {
			return 0, false
		}
		return 2 + int64(*s.MaxLength)*maxCharBytes, true //nolint:gosec // contract bounds are small
	case s.Type.Is(openapi3.TypeArray):
		if s.MaxItems == nil || s.Items == nil || s.Items.Value == nil {
			return 0, false
		}
		item, ok := largestBody(s.Items.Value)
		if !ok {
			return 0, false
		}
		// [item,item,...]
		items := int64(*s.MaxItems) //nolint:gosec // contract bounds are small
		return 2 + items*(item+1), true
	case s.Type.Is(openapi3.TypeObject):
		n := int64(2) // {}
		for name, p := range s.Properties {
			if p.Value == nil {
				return 0, false
			}
			v, ok := largestBody(p.Value)
			if !ok {
				return 0, false
			}
			n += 2 + int64(len(name))*6 + 1 + v + 1 // "name":value,
		}
		return n, true
	}
	return 0, false
}

// formLimits returns the size bound, in bytes, of each part of op's
// multipart/form-data body: a binary part's maxLength, a string's longest
// enum value or maxLength (times utf8.UTFMax: a part carries raw UTF-8). ok is false for an operation
// without such a body, or one whose schema leaves a part unbounded (the
// contract test requires bounds, so that does not happen).
func formLimits(op *openapi3.Operation) (map[string]int64, bool) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, false
	}
	mt := op.RequestBody.Value.Content.Get(formContentType)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil, false
	}
	parts := make(map[string]int64, len(mt.Schema.Value.Properties))
	for name, p := range mt.Schema.Value.Properties {
		if p.Value == nil || !p.Value.Type.Is(openapi3.TypeString) {
			return nil, false
		}
		switch v := p.Value; {
		case len(v.Enum) > 0:
			for _, e := range v.Enum {
				s, _ := e.(string)
				parts[name] = max(parts[name], int64(len(s)))
			}
		case v.Format == "binary" && v.MaxLength != nil:
			parts[name] = int64(*v.MaxLength) //nolint:gosec // contract bounds are small
		case v.MaxLength != nil:
			parts[name] = int64(*v.MaxLength) * utf8.UTFMax //nolint:gosec // contract bounds are small
		default:
			return nil, false
		}
	}
	return parts, true
}

// itemLimit is the largest maxItems of the arrays in op's JSON request body,
// or 0 where one has no maxItems (or there is no body): no array of a valid
// body is longer.
func itemLimit(op *openapi3.Operation) int {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return 0
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return 0
	}
	var walk func(s *openapi3.Schema) (int, bool)
	walk = func(s *openapi3.Schema) (int, bool) {
		n := 0
		if s.Type.Is(openapi3.TypeArray) {
			if s.MaxItems == nil || s.Items == nil || s.Items.Value == nil {
				return 0, false
			}
			m, ok := walk(s.Items.Value)
			n = max(int(*s.MaxItems), m) //nolint:gosec // contract bounds are small
			if !ok {
				return 0, false
			}
		}
		for _, p := range s.Properties {
			if p.Value == nil {
				return 0, false
			}
			m, ok := walk(p.Value)
			if !ok {
				return 0, false
			}
			n = max(n, m)
		}
		return n, true
	}
	n, _ := walk(mt.Schema.Value)
	return n
}

// arrayLonger reports whether an array in body, one valid JSON value (see
// json.Valid), has more than limit items. It scans the bytes once and keeps
// only a stack as deep as the nesting: kin-openapi's validation decodes the
// whole body into memory first, some 60 bytes for each byte of a long array
// of small values, which this lets the fake refuse without.
func arrayLonger(body []byte, limit int) bool {
	var items []int // of each open array, innermost last; -1 for an object
	inString, escaped, opened := false, false, false
	for _, c := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		}
		if opened { // the first thing after '[': an item, unless the array is empty
			opened = false
			if c != ']' {
				if items[len(items)-1] = 1; 1 > limit {
					return true
				}
			}
		}
		switch c {
		case '"':
			inString = true
		case '[':
			items, opened = append(items, 0), true
		case '{':
			items = append(items, -1)
		case ']', '}':
			items = items[:len(items)-1]
		case ',':
			if top := len(items) - 1; items[top] >= 0 {
				if items[top]++; items[top] > limit {
					return true
				}
			}
		}
	}
	return false
}

// route finds the operation r asks for.
func (a *api) route(r *http.Request) (*routers.Route, map[string]string, bool) {
	route, params, err := a.router.FindRoute(r)
	if err != nil {
		return nil, nil, false
	}
	return route, params, true
}

// checkQuery says what is wrong with a raw query for route, or "": longer
// than maxQueryBytes, not parseable, a declared parameter sent more than
// once, or more than maxUnknownParams undeclared ones.
func checkQuery(raw string, route *routers.Route) string {
	if len(raw) > maxQueryBytes {
		return fmt.Sprintf("query: longer than %d bytes", maxQueryBytes)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "query: malformed (use & between parameters and %XX escapes)"
	}
	unknown := 0
	for _, name := range slices.Sorted(maps.Keys(q)) {
		p := route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
		if p == nil && route.PathItem != nil {
			p = route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
		}
		switch {
		case p == nil:
			unknown++
		case len(q[name]) > 1:
			return "query parameter " + quote(name) + ": sent more than once"
		}
	}
	if unknown > maxUnknownParams {
		return fmt.Sprintf("query: more than %d parameters the API does not know", maxUnknownParams)
	}
	return ""
}

// hasJSONBody reports whether route's operation takes a body and r declares
// it as JSON.
func hasJSONBody(r *http.Request, route *routers.Route) bool {
	if route.Operation.RequestBody == nil {
		return false
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ct), "application/json")
}

// check validates r, whose body is body, against its route with kin-openapi.
// It leaves r with a fresh body reader. A multipart form's body is left to
// its handler: r keeps its body (streamed, or a reader over body if it was
// read to verify a signature), and kin-openapi sees a copy of r without it
// — its security step reads a request's body whole (for an
// AuthenticationFunc that might want it) even when told to exclude the body.
func (a *api) check(ctx context.Context, r *http.Request, route *routers.Route, params map[string]string, body []byte) error {
	if _, form := a.formLimits[Operation(route.Operation.OperationID)]; form {
		bodiless := r.WithContext(ctx) // a shallow copy: r's body is not touched
		bodiless.Body, bodiless.GetBody, bodiless.ContentLength = http.NoBody, nil, 0
		return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
			Request: bodiless, PathParams: params, Route: route, Options: a.formOpts,
		})
	}
	resetBody(r, body)
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route, Options: a.opts,
	})
	resetBody(r, body)
	return err
}

// resetBody gives r a fresh reader over body.
func resetBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
}

// describeValidation turns kin-openapi's long, multi-line error texts into a
// short description of the first violation, such as `query parameter "limit":
// number must be at least 1` or `request body /jobs: minimum number of items
// is 1`. It never quotes the request's values.
func describeValidation(err error) string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		return describeValidation(multi[0])
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return "the request does not match the API contract"
	}
	switch {
	case re.Parameter != nil:
		return fmt.Sprintf("%s parameter %s: %s", re.Parameter.In, quote(re.Parameter.Name), describeCause(re))
	case re.RequestBody != nil:
		if strings.HasPrefix(re.Reason, "header Content-Type has unexpected value") {
			return "request body: Content-Type must be application/json"
		}
		var se *openapi3.SchemaError
		if errors.As(re.Err, &se) {
			return "request body" + pointer(se) + ": " + schemaReason(se)
		}
		return "request body: " + describeCause(re)
	default:
		return describeCause(re)
	}
}

// describeCause describes the cause of a RequestError without its value.
func describeCause(re *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return "is required"
	case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
		return "must not be empty"
	case errors.As(re.Err, &se):
		return strings.TrimPrefix(pointer(se)+" ", " ") + schemaReason(se)
	case errors.As(re.Err, &pe):
		if re.RequestBody != nil {
			return "not valid JSON"
		}
		if p := re.Parameter; p != nil && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type != nil {
			return "must be of type " + strings.Join(p.Schema.Value.Type.Slice(), " or ")
		}
		return "cannot be parsed"
	case re.Reason != "":
		return re.Reason
	default:
		return "invalid"
	}
}

// schemaReason is the reason of a schema violation, without kin-openapi's
// dump of the schema and value.
func schemaReason(se *openapi3.SchemaError) string {
	return cmp.Or(se.Reason, "does not match the schema")
}

// pointer renders the JSON pointer of a schema violation ("" at the root).
func pointer(se *openapi3.SchemaError) string {
	p := se.JSONPointer()
	if len(p) == 0 {
		return ""
	}
	for i, s := range p {
		p[i] = clip.String(s, maxEcho)
	}
	return " /" + strings.Join(p, "/")
}
