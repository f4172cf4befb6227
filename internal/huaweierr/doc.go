// Package huaweierr reads the error bodies of Huawei Cloud APIs.
//
// Huawei services do not agree on one error shape. DRS answers
// {"error_code": "DRS.M00201", "error_msg": "..."}, the API gateway adds a
// "request_id" field, some services answer {"code": ..., "message": ...},
// and IAM nests its pair one level down: {"error": {"code": 401,
// "message": "..."}} with a numeric code. [Parse] accepts all of these, reads
// the request id from the X-Request-Id header (or the body), and falls back
// to the raw body, cleaned and truncated, when it finds no message.
//
// Everything [Parse] returns is safe to print: one line, valid UTF-8,
// without control characters, bounded in length, and without the
// credentials the caller passes it (which servers sometimes echo in their
// messages).
package huaweierr
