//go:build ignore

// The code generator this module runs, for readers and editors. The pin
// itself is the tool directive in go.mod (`go get -tool`), which `go
// generate` runs as `go tool oapi-codegen`: a tool directive stays out of an
// importer's module graph, where a blank import in a file of this package
// (even behind a build tag) would make every importer's `go mod tidy` add
// the generator and its dependencies. The ignore tag keeps this file out of
// every build and of `go mod tidy`.
package drstemplate

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
