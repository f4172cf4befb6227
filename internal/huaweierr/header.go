package huaweierr

import (
	"net/http"
	"net/textproto"
)

// credentialHeaders are the headers that carry a credential, in a request or
// in an answer (IAM answers a login with its token in X-Subject-Token): an
// answer's copy of them is never kept.
var credentialHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
	"X-Auth-Token", "X-Subject-Token", "X-Security-Token",
}

// ScrubHeader returns a copy of resp's header without the headers that
// carry credentials (Authorization, X-Auth-Token, X-Subject-Token,
// X-Security-Token, cookies...) and with every value that holds a credential
// resp.Request carried (see [ParseResponse]) left out: what an error may
// show of the answer. A resp of nil gives nil.
func ScrubHeader(resp *http.Response) http.Header {
	if resp == nil || resp.Header == nil {
		return nil
	}
	r := newRedactor(sentSecrets(resp.Request))
	h := make(http.Header, len(resp.Header))
	for name, values := range resp.Header {
		if isCredentialHeader(name) {
			continue
		}
		var kept []string
		for _, v := range values {
			if r.redact(v) == v {
				kept = append(kept, v)
			}
		}
		if kept != nil {
			h[name] = kept
		}
	}
	return h
}

// isCredentialHeader reports whether name is one of credentialHeaders, in
// any case.
func isCredentialHeader(name string) bool {
	name = textproto.CanonicalMIMEHeaderKey(name)
	for _, c := range credentialHeaders {
		if name == c {
			return true
		}
	}
	return false
}
