// Package auth authenticates requests to Huawei Cloud DRS in the three ways
// Huawei Cloud users do it: an IAM token they already hold ([StaticToken]),
// an IAM user name and password that are turned into tokens ([NewPassword]),
// and an access key pair that signs each request with SDK-HMAC-SHA256
// ([AccessKey]). [Chain] finds whichever of these is configured in explicit
// settings, the environment or the SDK's profile file.
//
// # Applying credentials
//
// Credentials are applied by [Transport], an http.RoundTripper. It clones
// every request it sends, so each attempt — including a retry by a layer
// above it — is authenticated afresh: a retried AK/SK request gets a new
// X-Sdk-Date and signature. [NewHTTPClient] wraps a Transport in an
// *http.Client that never follows redirects and requires TLS 1.2 or later
// with verified certificates; a Transport also refuses to attach credentials
// to a request for any host other than its Endpoint.
//
// # Errors
//
// Refusals come back as responses; [Refusal] classifies them. A Transport
// returns every response it gets — 401 and 403 included, status, header and
// body intact — and returns an error only when it got none (the
// http.RoundTripper contract), so that a retry layer above it never
// mistakes a refusal for a network error. For password credentials it
// first retries a refused request once with a new token. A caller that
// turns non-2xx answers into errors (as the drstemplate client does for
// every call) reads the body once and hands it to Refusal:
//
//	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
//	if err := auth.Refusal(resp, body); err != nil {
//		// errors.Is(err, auth.ErrTokenRejected), auth.ErrInvalidSignature,
//		// auth.ErrClockSkew (an *auth.ClockSkewError: how far off), and
//		// always auth.ErrUnauthorized
//	}
//
// A password login IAM refuses is a [*LoginError] (errors.Is
// [ErrLoginFailed]). Configuration errors match [ErrNoCredentials],
// [ErrAmbiguousCredentials], [ErrIncompleteCredentials] or
// [ErrInvalidCredentials]; their messages name the setting at fault and
// where it was set.
//
// # Secrets
//
// No token, password, secret key, security token or signature appears in an
// error of this package or in the fmt output of any of its types (String,
// GoString, %v, %+v, %#v and every other verb): they print as REDACTED. A
// [*LoginError]'s message, copied from IAM, is scrubbed of the password;
// refusals carry no server text, and the module's client parses their
// bodies with a parser that scrubs the credentials the request carried. The
// package does not log. Files that hold credentials — the SDK profile file,
// the token cache — are read only when they are regular files of this
// user's that nobody else can read or write.
package auth
