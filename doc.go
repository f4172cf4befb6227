// Package drstemplate exports Huawei Cloud DRS task creation templates: it
// starts an export of existing replication tasks, waits for it, and
// downloads the .xlsx templates it produced.
//
// [Client.ExportAndDownload] is the whole job in one call. Its steps are
// there on their own too: [Client.Export] starts an export and returns its
// export id (DRS's asynchronous job id, async_job_id in the contract's
// paths; this package, its CLI and their documentation call it the export
// id), [Client.Wait] polls it to the end (the export id is all it needs, so
// any process can wait), [Client.Templates] ranges over every page of the file
// list, [Client.Download] streams a file to a writer and
// [Client.DownloadToDir] writes files whole or not at all.
//
// # The way back: importing
//
// A filled workbook creates tasks in bulk. [Client.BlankTemplate] streams
// DRS's blank batch-import template; [Client.Import] checks a workbook and
// streams it to DRS as multipart/form-data, and returns the batch job DRS
// made of it, or an [*ImportError] listing the rows DRS refused;
// [Client.WaitBatch] waits, with the waiter and options of [Client.Wait],
// until DRS has validated the job; [Client.CommitBatch] commits it, which
// creates the tasks (and starts their billing): nothing commits
// implicitly. [Client.BatchTasks] lists the tasks, whose templates can then
// be exported. The batch job id is all these need, in any process.
//
// # Calls, retries and errors
//
// Every call is made by the client generated from the project's OpenAPI
// contract (gen/drsapi), attempted as the retry policy allows, each attempt
// through package auth, which authenticates it afresh (an IAM token, a
// password login or an AK/SK signature). Calls that may be repeated are
// retried on network errors, 429 and 5xx (see [RetryPolicy]); starting an
// export, importing a workbook and committing a batch job only where DRS
// cannot have acted on them. Every error answer becomes
// an [*APIError]; errors.Is matches it with the sentinels of this package
// ([ErrNotFound], [ErrThrottled]) and, for refused credentials, of package
// auth (auth.ErrTokenRejected, auth.ErrInvalidSignature, auth.ErrClockSkew).
// No credential appears in an error or a log line.
//
// # Testing
//
// Package drsfake is a fake DRS service built from the same contract.
// drsfaketest.StartInMemory (package drsfake/drsfaketest) runs it on an
// in-memory network, so that inside a
// testing/synctest bubble the fake, this client and their timers run on
// fake time: a ten-minute export is waited for in no real time.
//
// The HTTP contract lives in api/openapi.yaml; the typed client generated
// from it is in gen/drsapi.
package drstemplate
