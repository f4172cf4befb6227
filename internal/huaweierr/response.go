package huaweierr

import (
	"net/http"
	"strings"
)

// ParseResponse is [Parse] for the answer to a request of this module: it
// reads resp's header and body (what the caller read of resp.Body) and
// scrubs the credentials that resp.Request carried — X-Auth-Token,
// X-Security-Token and the signature of an SDK-HMAC-SHA256 Authorization
// header (for another scheme, the credentials after it). A resp.Request of
// nil scrubs nothing.
func ParseResponse(resp *http.Response, body []byte) Info {
	return Parse(resp.Header, body, sentSecrets(resp.Request)...)
}

// sentSecrets lists the credentials r carried in its header.
func sentSecrets(r *http.Request) []string {
	if r == nil {
		return nil
	}
	secrets := []string{r.Header.Get("X-Auth-Token"), r.Header.Get("X-Security-Token")}
	scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "SDK-HMAC-SHA256") {
		return append(secrets, strings.TrimSpace(rest))
	}
	for field := range strings.SplitSeq(rest, ",") {
		if sig, ok := strings.CutPrefix(strings.TrimSpace(field), "Signature="); ok {
			secrets = append(secrets, sig)
		}
	}
	return secrets
}
