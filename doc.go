// Package drstemplate exports Huawei Cloud DRS task creation templates: it starts
// an export of existing replication tasks, waits for it, and downloads the .xlsx
// templates it produced.
//
// The HTTP contract lives in api/openapi.yaml; the typed client generated from it
// is in gen/drsapi.
package drstemplate
