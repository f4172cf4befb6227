// Type-checked by `make spec-reuse`: proof that a TypeScript client can be generated
// from api/openapi.yaml and used with the shapes the Go client sees. It is never run.
import type { components, operations, paths } from "./generated/drs";

type ExportJob = components["schemas"]["ExportJob"];
type TemplateList = components["schemas"]["TemplateList"];
type ErrorResponse = components["schemas"]["ErrorResponse"];

// Request bodies and parameters.
const exportBody: operations["ExportCreationTemplate"]["requestBody"]["content"]["application/json"] = {
  jobs: ["2e69ebb1-f06d-4eb2-a789-2883629jb204"],
};
const listQuery: NonNullable<operations["ListTemplates"]["parameters"]["query"]> = { offset: 0, limit: 10 };
const projectId: paths["/v5/{project_id}/templates"]["get"]["parameters"]["path"]["project_id"] =
  "5237e10fe9aa4ad5b16b6a5245248314";
const language: components["schemas"]["Language"] = "zh-cn";

// Responses: the typed 202/200 bodies and the shared error shape.
const accepted: operations["ExportCreationTemplate"]["responses"][202]["content"]["application/json"] = {
  id: "62a055ae-ce03-4232-beb6-46c83b8ef2b2",
  status: "SUCCESS",
};
const progress: operations["ShowExportProgress"]["responses"][200]["content"]["application/json"] = {
  process_status: "pending",
};
const page: TemplateList = {
  count: 1,
  export_report_obs_files: [
    {
      file_name: "2e69ebb1-f06d-4eb2-a789-2883629jb204_postgresql_20250703094510.xlsx",
      last_modified: "2025-07-03T09:44:12Z",
    },
  ],
};
const throttled: operations["ListTemplates"]["responses"][429]["content"]["application/json"] = {
  error_code: "APIG.0308",
  error_msg: "The request is throttled.",
};
const retryAfter: operations["ListTemplates"]["responses"][429]["headers"]["Retry-After"] = "3";

function fileNames(p: TemplateList): string[] {
  return p.export_report_obs_files.map((f) => f.file_name);
}

function describe(e: ErrorResponse): string {
  return `${e.error_code}: ${e.error_msg}`;
}

const done: ExportJob = accepted;
export const used = [exportBody, listQuery, projectId, language, progress, fileNames(page), describe(throttled), retryAfter, done];

// The IAM contract: a password token request and the token metadata it returns.
import type { components as iam } from "./generated/iam";

const login: iam["schemas"]["PasswordTokenRequest"] = {
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { domain: { name: "example-account" }, name: "example-user", password: "example-password" } },
    },
    scope: { project: { name: "cn-north-4" } },
  },
};
const expiresAt: iam["schemas"]["Token"]["expires_at"] = "2020-01-05T09:05:22.701000Z";
export const usedIAM = [login, expiresAt];
