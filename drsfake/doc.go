// Package drsfake is a fake Huawei Cloud DRS service for tests and demos: the
// four task-creation-template calls (ExportCreationTemplate,
// ShowExportProgress, ListTemplates, DownloadCreateTemplate) and two IAM
// calls — the password login (POST /v3/auth/tokens) and the project lookup
// (GET /v3/projects?name=cn-north-4, which Huawei's SDKs use to fill in a
// missing project id) — served by one [http.Handler] built from the same
// OpenAPI documents as the client (api/openapi.yaml, api/iam.yaml).
//
// It behaves like the real service where a client can tell:
//
//   - Authentication as at Huawei's API gateway: X-Auth-Token (static tokens,
//     IAM-issued tokens that expire, revocation) or AK/SK signatures
//     (SDK-HMAC-SHA256, verified over the raw request; temporary credentials
//     with X-Security-Token), X-Sdk-Date within 15 minutes, X-Project-Id
//     matching the URI. Refusals are 401 APIGW.0301 / APIGW.0303 and 403
//     APIGW.0302 with the gateway's JSON body. GET /v3/projects is
//     authenticated the same way (any valid token, whatever its project; no
//     X-Project-Id needed) and lists the fake's projects by exact name, each
//     with its id, name, the account's id and enabled: true;
//     the password login needs no credentials.
//   - Every request is validated against the contract with kin-openapi;
//     violations answer 400 {"error_code":"DRS.M00007","error_msg":"..."}
//     with a short message (IAM calls: Keystone's {"error":{...}} body).
//   - Exports progress pending → running → success (or failed) on the fake's
//     [Clock]; each success adds one real .xlsx per task, named
//     {task id}_{engine}_{yyyyMMddHHmmss}.xlsx; listings page newest first;
//     downloads stream one .xlsx or a .zip.
//   - Fault injection ([Faults]: 500, 503, 429 with Retry-After, latency,
//     connection resets, truncated bodies), seeded and changeable while
//     running, and a per-project rate limit.
//   - Every response carries X-Request-Id and a Date header from the fake's
//     clock.
//
// In Go tests, [Start] runs a fake on a loopback port with working
// credentials; pass a [*ManualClock] with [WithClock] to step exports and
// token expiry without sleeping. The drstemplate command runs one with
// `drstemplate fake-server`. The error codes the fake answers with are
// constants of this package (CodeAuthFailed, CodeInvalidParameter, ...) so
// tests can check for them; the messages' wording is not part of the API. Values that hold credentials ([TestServer],
// [Server], [Credentials], [IAMUser]) never show them when
// formatted with fmt, whatever the verb: secrets print as REDACTED.
package drsfake
