// Type-checked by `make spec-reuse` (not run): the batch-import operations of
// api/openapi.yaml as a TypeScript client sees them — the blank template's
// query, the multipart form, the one answer object of the import's 200 and
// 400 (row_rum as Huawei spells it), the batch jobs and the commit. A field
// the spec renames or retypes breaks the type check.
import type { components, operations, paths } from "./generated/drs.js";

type BatchImportResult = components["schemas"]["BatchImportResult"];

export const blankQuery: NonNullable<operations["DownloadBatchCreateTemplate"]["parameters"]["query"]> = {
  engine_type: "postgresql",
};
export const importForm: operations["ImportBatchCreateJobs"]["requestBody"]["content"]["multipart/form-data"] = {
  file: "<binary>",
  type: "migration",
};
export const imported: operations["ImportBatchCreateJobs"]["responses"][200]["content"]["application/json"] = {
  async_job_id: "dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456",
};
export const refused: operations["ImportBatchCreateJobs"]["responses"][400]["content"]["application/json"] = {
  error_code: "DRS.10120001",
  error_msg: "Failed to parse the imported file",
  import_error_messages: [
    { sheet_name: "sheet0", row_rum: "10", value: "test", error_message: "base_info.tags parse object failed." },
  ],
};
export const jobsQuery: NonNullable<operations["ListAsyncJobs"]["parameters"]["query"]> = {
  status: "AUTO_PARAM_VALIDATE_SUCCESS",
  offset: 0,
  limit: 10,
  sort_dir: "asc",
};
// Statuses are open strings: a value Huawei adds later type-checks.
export const jobs: operations["ListAsyncJobs"]["responses"][200]["content"]["application/json"] = {
  total_count: 1,
  jobs: [{ async_job_id: "dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456", status: "A_STATUS_ADDED_LATER" }],
};
export const detail: operations["ListAsyncJobDetail"]["responses"][200]["content"]["application/json"] = {
  total_count: 1,
  jobs: [{ id: "2e69ebb1", status: "CONFIGURATION", base_info: { name: "copy", job_type: "migration" } }],
};
export const committed: operations["CommitAsyncJob"]["responses"][200]["content"]["application/json"] = {
  job: { async_job_id: "dc6016cf-f3b6-4c2d-b4d7-5084b0fdf456", status: "COMMIT_SUCCESS", msg: "" },
};
export const batchJobId: paths["/v5/{project_id}/batch-async-jobs/{async_job_id}/commit"]["post"]["parameters"]["path"]["async_job_id"] =
  committed.job.async_job_id;

/** rowProblems lists the refused rows of an import's answer. */
export function rowProblems(r: BatchImportResult): string[] {
  return (r.import_error_messages ?? []).map((m) => `${m.sheet_name}!${m.row_rum}: ${m.error_message}`);
}
