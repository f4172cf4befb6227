// Package huaweisdk proves that Huawei Cloud's official Go SDK
// (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/drs/v5) works
// unchanged against drsfake, the fake DRS service of drstemplate.
//
// The package has no code of its own. Its tests build the SDK's DRS client
// the way Huawei documents it, point it at a
// [github.com/drs-tools/drstemplate/drsfake] server and run the four
// task-creation-template calls (ExportCreationTemplate, ShowExportProgress,
// ListTemplates, DownloadCreateTemplate) and the batch import with permanent and temporary
// (security token) AK/SK credentials and with X-Language; they check what
// the SDK makes of the fake's refusals (wrong signature, unknown access key,
// unknown export id or file, invalid parameters, stale X-Sdk-Date) and of
// its injected faults, including the SDK's opt-in retry. A recording handler
// in front of the fake logs the headers the SDK puts on the wire and checks
// them against what drsfake is built to accept (user-agent, x-project-id and
// x-sdk-date signed, Content-Type on GETs, JSON bodies ending in a newline).
//
// The batch import goes through the SDK unchanged too (TestBatchImport):
// ImportBatchCreateJobs uploads an edited template as the SDK builds it —
// multipart/form-data signed with X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD,
// which proves that drsfake's verifier and this module's signer follow the
// SDK's rule for non-JSON bodies — then ListAsyncJobs, ListAsyncJobDetail
// and CommitAsyncJob take the batch job to the created task, whose template
// the SDK exports. The blank template is out of the SDK's reach:
// DownloadBatchCreateTemplate's response type has no body, and the SDK
// answers the fake's zip with a decoding error carrying the 200
// (TestBlankTemplateOutOfReach).
//
// Credentials without a project id work too: building the client
// WithRegion, the SDK looks the project id up with IAM's GET
// /v3/projects?name={region} at the IAM endpoint (the fake), and
// TestProjectIDDiscovery checks that lookup, its use in DRS calls and the
// failed builds when no project has the region's name or the signature is
// wrong.
//
// The module also holds the comparison that make bench-compare runs
// (./benchcompare): a program written with the SDK as its documentation
// shows (./benchcompare/naive), the library's ExportAndDownload
// (./benchcompare/library) and the drstemplate command, each a process
// against a fake-server of its own; see docs/PERFORMANCE.md.
//
// This is a separate Go module because the SDK is large (about 250 MB of
// source, every Huawei service) and must not become a dependency of
// drstemplate itself. The main module's `go test ./...` does not enter
// nested modules; run these tests with
//
//	cd compat/huaweisdk && go test -race -count=1 ./...
//
// go.mod replaces github.com/drs-tools/drstemplate with ../.. so the tests
// always run against the drsfake of this checkout.
package huaweisdk
