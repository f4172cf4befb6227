// Package localfile is how this module keeps files on the local disk: each
// concept once, for the client's downloads, the command's export manifest
// and auth's token cache alike.
//
//   - [Dir] is a directory that every name is resolved inside (an [os.Root]):
//     neither "..", an absolute path nor a symbolic link leads out of it.
//   - [Dir.Write] writes a file whole or not at all: a temporary file in the
//     directory, synced, then linked or renamed into place (never over a file
//     that appeared meanwhile, unless asked to), and the directory synced.
//   - [Dir.Sweep] removes the temporary files of writers that were killed.
//   - [SafeName] turns a name chosen by a server into one path element that
//     is safe to create.
//   - [OpenRegular] opens a file only if it is a regular one, never blocking
//     on a FIFO: the profile file, the token cache, a manifest, a workbook.
//   - [Lock] takes a directory's advisory lock (a lock file, flock on Unix)
//     and says who holds it; [MakeDir] makes a directory, naming a dangling
//     symbolic link in its way.
//   - [IsZip], [CheckZip] and [CheckWorkbook] tell a zip container (an .xlsx, or a .zip of
//     several) by its first bytes and check one whole.
//
// Nothing here imports the root package: it sits below the client.
package localfile
