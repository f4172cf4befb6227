// Package api holds the project's OpenAPI contracts and their tests: openapi.yaml
// (the four DRS v5 template calls) is the single source of truth from which
// gen/drsapi and gen/drsserver are generated. This package has no code of its
// own; its tests guard the documents against accidental edits.
package api
