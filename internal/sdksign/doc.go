// Package sdksign implements Huawei Cloud's AK/SK request signing scheme
// "SDK-HMAC-SHA256" as used by the official Go SDK for DRS calls.
//
// It is the single place in this project that knows the canonical request
// form. The client-side signer uses [Sign]; the fake DRS service verifies
// with [Verify]. The lower-level building blocks ([CanonicalURI],
// [CanonicalQuery], [SignableHeaders], [CanonicalRequest], [HashPayload],
// [StringToSign], [Signature]) are exported for tests and diagnostics.
//
// The canonical request is six lines joined by "\n": upper-case method,
// canonical URI (strictly escaped decoded path, always ending in "/"),
// canonical query (names and values sorted on their raw strings, strictly
// escaped, "name=" for empty values), one "name:value" line per signed header
// (followed by its own "\n"), the ";"-joined signed header names, and the
// lower-case hex SHA-256 of the body (or the verbatim value of
// X-Sdk-Content-Sha256). The string to sign is
// "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(SHA-256(canonical request)),
// and the signature is hex(HMAC-SHA256(SK, string to sign)).
//
// [Sign] and [Verify] build the canonical request and the string to sign
// in fixed-size buffers on the stack and compute the HMAC with
// sha256.Sum256, so that signing or verifying a DRS call costs a handful of
// allocations (a test pins the counts); the exported building blocks
// return strings and favour clarity over allocations.
//
// Secrets never appear in errors: no error produced by this package contains
// the secret key, a signature or a security token, and [Authorization]
// redacts its signature when formatted with fmt.
package sdksign
