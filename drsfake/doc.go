// Package drsfake is a fake Huawei Cloud DRS service for tests and demos: the
// four task-creation-template calls (ExportCreationTemplate,
// ShowExportProgress, ListTemplates, DownloadCreateTemplate), the five calls
// of the batch import (DownloadBatchCreateTemplate, ImportBatchCreateJobs,
// ListAsyncJobs, ListAsyncJobDetail, CommitAsyncJob) and two IAM
// calls — the password login (POST /v3/auth/tokens) and the project lookup
// (GET /v3/projects?name=cn-north-4, which Huawei's SDKs use to fill in a
// missing project id) — served by one [http.Handler] built from the same
// OpenAPI documents as the client (api/openapi.yaml, api/iam.yaml).
//
// In Go tests, drsfaketest.Start (package drsfake/drsfaketest) runs a fake
// on a loopback port with working credentials; pass a [*ManualClock] with
// [WithClock] to step exports, token expiry and the retention without
// sleeping. [New] returns the bare handler, [NewWithDefaults] one with
// working credentials.
// The drstemplate command runs one with `drstemplate fake-server`.
//
// Every request takes the same way through the fake, in this order:
//
//  1. Route: a method and path the contracts do not have is 404 (APIGW.0101,
//     or IAM's Keystone body under /v3/), whatever the credentials.
//  2. Authenticate, as at Huawei's API gateway: X-Auth-Token (static tokens,
//     IAM-issued tokens that expire, revocation) or an AK/SK signature
//     (SDK-HMAC-SHA256 over the raw request; temporary credentials with
//     X-Security-Token), X-Sdk-Date within 15 minutes, DRS credentials valid
//     for the project in the URI (token scope, X-Project-Id). Refusals are
//     401 APIGW.0301 / APIGW.0303 and 403 APIGW.0302 with the gateway's JSON
//     body. GET /v3/projects takes any valid token; the password login needs
//     no credentials. The body is not read before the credentials pass (for
//     a signature: before it is well-formed, dated and by a known key), so an
//     unauthenticated upload is refused without being accepted, also with
//     Expect: 100-continue.
//  3. Validate against the contract: a query that does not parse, repeats a
//     parameter, carries more than a few unknown ones or is over 2 KiB; a
//     body over its operation's limit (the largest body the contract allows,
//     from its maxItems and maxLength, plus 4 KiB; 64 KiB where the contract
//     sets no bound) — refused before it is read whole; a JSON body with
//     anything but white space after it, or an array longer than the
//     contract's maxItems — refused before it is decoded; then kin-openapi's
//     validation of parameters, headers and body. Violations answer 400
//     {"error_code":"DRS.M00007","error_msg":"..."} with a short message
//     (IAM calls: Keystone's {"error":{...}} body); an unknown project 404
//     DRS.M00404.
//  4. Faults: the per-project rate limit of DRS calls, then the injected
//     faults ([Faults]: latency, 500, 503, 429 with Retry-After — the rate
//     limit's 429 is the same answer — connection resets, truncated bodies),
//     seeded and changeable while running.
//  5. Handler: exports progress pending → running → success (or failed) on
//     the fake's [Clock]; each success adds one real .xlsx per task, named
//     {task id}_{engine}_{yyyyMMddHHmmss}.xlsx; listings page newest first
//     (or as [WithListOrder] says); downloads stream one .xlsx or a .zip. An
//     import of a workbook in the layout of the exported templates (its
//     multipart form streamed, within the contract's bounds) is refused row
//     by row with Huawei's 400 shape, or becomes a batch job that validates
//     on the fake's clock (ASYNC_JOB_VALIDATING, then
//     AUTO_PARAM_VALIDATE_SUCCESS or ASYNC_JOB_VALIDATE_FAILED) and whose
//     commit creates tasks like the others; the rules are the fake's own, in
//     docs/drsfake.md. Finished exports, their files, batch jobs and expired
//     tokens are forgotten after a retention ([WithRetention], default
//     24 h), so a long-running fake holds a bounded state.
//
// Every answer of the fake carries X-Request-Id and a Date header from the
// fake's clock, and every error it answers is JSON. Some malformed requests
// never reach it: Go's HTTP server answers them itself, in plain text and
// without X-Request-Id — a request line or URI that does not parse (a path
// such as /v5/{project}/jobs/%/export/progress), a missing or repeated Host
// header, a malformed header line or name, conflicting Content-Lengths
// (400); a Transfer-Encoding other than chunked (501); an HTTP major version
// other than 1 (505); an Expect other than 100-continue (417, empty body);
// request line and headers over the server's MaxHeaderBytes (431; 1 MB for
// drsfaketest.Start, 64 KiB for fake-server). drsfaketest.Start and
// fake-server leave OPTIONS * to the fake (404 in JSON); an http.Server of
// your own answers it 200 unless its DisableGeneralOptionsHandler is set.
//
// Tests compare the error codes, which are constants of this package
// (CodeAuthFailed, CodeInvalidParameter, ...); the messages' wording is not
// part of the API. Values that hold credentials (drsfaketest.Server, [Server],
// [Credentials], [IAMUser]) never show them when formatted with fmt,
// whatever the verb: secrets print as REDACTED.
package drsfake
