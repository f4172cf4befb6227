//go:build tools

// This file pins the code generator in go.mod so that `go generate ./...`
// needs nothing installed by hand. It is never compiled into the module.
package drstemplate

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
