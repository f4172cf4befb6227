// Package catalogue holds the bad-input catalogue of drstemplate: a table
// test that runs each class of bad input — task ids and lists, regions and
// endpoints, task files, hostile file names and bundles, files that are not
// workbooks, error bodies that are HTML or cut short, wrong content types, a
// full disk — through the library and through the command, and checks the
// error, the exit code and that nothing partial is written. It has no code
// of its own: `go test ./cmd/drstemplate/internal/catalogue` runs it (make test does), and
// docs/RELIABILITY.md lists the classes.
package catalogue
