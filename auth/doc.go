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
// Responses that are not authentication failures pass through the Transport
// untouched, whatever their status. An authentication failure — HTTP 401, or
// 403 with DRS's "invalid token" code DRS.M00100 — is not returned as a
// response: the Transport reads the Huawei error body and returns an
// [*Error] instead, after one retry with a new token for password
// credentials. http.Client wraps that error in a *url.Error; errors.As and
// errors.Is see through it:
//
//	resp, err := client.Do(req)
//	var ae *auth.Error
//	if errors.As(err, &ae) {
//		log.Printf("refused: %v (request id %s)", ae.Err, ae.RequestID)
//	}
//	if errors.Is(err, auth.ErrClockSkew) { ... }
//
// This keeps one error shape for every way a request can be refused, and a
// layer above never mistakes a refusal for a response it should parse.
// [ErrUnauthorized] matches every refusal; [ErrTokenRejected],
// [ErrInvalidSignature] and [ErrClockSkew] say which kind it was.
//
// # Secrets
//
// No token, password, secret key, security token or signature appears in an
// error of this package or in the fmt output of any of its types (String,
// GoString, %v, %+v, %#v and every other verb): they print as REDACTED. Error
// messages copied from a server are scrubbed of the credentials the request
// carried. The package does not log.
package auth
