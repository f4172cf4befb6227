package sdksign

import (
	"net/http"
	"strings"
)

// PayloadUnsigned reports whether Huawei's signer signs a request with
// header h without its body: when h has a Content-Type whose (first) value
// contains neither "application/json" nor "application/bson" (compared
// case-sensitively, as the SDK does). Such a request carries
// X-Sdk-Content-Sha256: [UnsignedPayload], and that literal replaces the
// body's hash in the canonical request, so the body need not be read to
// sign it: a multipart upload can be streamed. A request without a
// Content-Type has its body hashed.
//
// This is the one statement of the rule: [Sign] applies it, [Verify]
// accepts UNSIGNED-PAYLOAD only where it applies, and package auth leaves
// the body of such a request unread.
func PayloadUnsigned(h http.Header) bool {
	ct, ok := lookupFold(h, "Content-Type")
	return ok && len(ct) > 0 &&
		!strings.Contains(ct[0], "application/json") && !strings.Contains(ct[0], "application/bson")
}
