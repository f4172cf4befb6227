// Run-time checks of the JSON bodies the client reads, typed by the types that
// openapi-typescript generates from the spec. The generated types are only a
// promise: these checks hold each response to it at run time.
//
// object<T>() must be given a check for every property of T, required or
// optional: a field the spec adds, renames or retypes breaks the type check
// until its check here follows.
import type { components, operations } from "./generated/drs.js";
import type { components as iam } from "./generated/iam.js";

/** Check returns value as a T, or throws a ShapeError naming where it differs. */
export type Check<T> = (value: unknown, path: string) => T;

/** ShapeError: a response body that does not fit its generated type. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

function fail(path: string, want: string, got: unknown): never {
  const shown = JSON.stringify(got) ?? String(got);
  throw new ShapeError(`${path}: want ${want}, got ${shown.length > 80 ? shown.slice(0, 80) + "…" : shown}`);
}

/** string accepts any JSON string. */
export const string: Check<string> = (v, p) => (typeof v === "string" ? v : fail(p, "a string", v));

/** count accepts an integer of at least 0 (`type: integer, minimum: 0`). */
export const count: Check<number> = (v, p) =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : fail(p, "an integer ≥ 0", v);

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** dateTime accepts a string of `format: date-time` (RFC 3339). */
export const dateTime: Check<string> = (v, p) =>
  typeof v === "string" && rfc3339.test(v) && !Number.isNaN(Date.parse(v)) ? v : fail(p, "an RFC 3339 date-time", v);

/** bytes accepts a body read with `parseAs: "arrayBuffer"`. */
export const bytes: Check<ArrayBuffer> = (v, p) => (v instanceof ArrayBuffer ? v : fail(p, "bytes", v));

type DownloadMedia = keyof operations["DownloadCreateTemplate"]["responses"][200]["content"];

/** downloadMedia: the media types the spec gives a download, every one of them. */
export const downloadMedia = [
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/zip",
  "application/octet-stream",
] as const satisfies readonly DownloadMedia[];
// A media type the spec adds to the download and downloadMedia lacks fails the type check.
export const everyDownloadMedia: [Exclude<DownloadMedia, (typeof downloadMedia)[number]>] extends [never] ? true : never = true;

type BlankMedia = keyof operations["DownloadBatchCreateTemplate"]["responses"][200]["content"];

/** blankMedia: the media types the spec gives the blank batch-import template, every one of them. */
export const blankMedia = ["application/x-download"] as const satisfies readonly BlankMedia[];
// A media type the spec adds to the blank template and blankMedia lacks fails the type check.
export const everyBlankMedia: [Exclude<BlankMedia, (typeof blankMedia)[number]>] extends [never] ? true : never = true;

/** optional accepts a missing property, or one that passes c. */
export function optional<T>(c: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : c(v, p));
}

/** array accepts a JSON array whose items all pass item. */
export function array<T>(item: Check<T>): Check<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) {
      return fail(p, "an array", v);
    }
    v.forEach((x, i) => item(x, `${p}[${i}]`));
    return v as T[];
  };
}

/** object accepts a JSON object whose properties pass their checks (others are ignored, as the spec allows). */
export function object<T>(fields: { [K in keyof Required<T>]: Check<T[K]> }): Check<T> {
  return (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      return fail(p, "an object", v);
    }
    for (const k of Object.keys(fields) as (keyof T)[]) {
      fields[k]((v as Record<PropertyKey, unknown>)[k], `${p}.${String(k)}`);
    }
    return v as T;
  };
}

type DRS = components["schemas"];
type IAM = iam["schemas"];

const domain = object<IAM["DomainRef"]>({ name: optional(string), id: optional(string) });
const named = object<IAM["NamedEntity"]>({ id: optional(string), name: optional(string), domain: optional(domain) });

/** The checks of every body the client reads, one per schema of the spec. */
export const shapes = {
  ExportJob: object<DRS["ExportJob"]>({ id: string, status: string }),
  ExportProgress: object<DRS["ExportProgress"]>({ process_status: string }),
  TemplateList: object<DRS["TemplateList"]>({
    count,
    export_report_obs_files: array(object<DRS["TemplateFile"]>({ file_name: string, last_modified: dateTime })),
  }),
  ErrorResponse: object<DRS["ErrorResponse"]>({ error_code: string, error_msg: string, request_id: optional(string) }),
  TokenResponse: object<IAM["TokenResponse"]>({
    token: object<IAM["Token"]>({
      expires_at: dateTime,
      issued_at: optional(dateTime),
      methods: optional(array(string)),
      project: optional(named),
      user: optional(named),
    }),
  }),
};
