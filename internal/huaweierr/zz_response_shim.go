package huaweierr

// TEMPORARY shim until the auth branch lands.

import "net/http"

// ParseResponse parses resp's error body (temporary).
func ParseResponse(resp *http.Response, body []byte) Info {
	var secrets []string
	if resp.Request != nil {
		secrets = append(secrets, resp.Request.Header.Get("X-Auth-Token"), resp.Request.Header.Get("X-Security-Token"))
	}
	return Parse(resp.Header, body, secrets...)
}
