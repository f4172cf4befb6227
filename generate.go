package drstemplate

// The generated code under gen/ comes only from these lines; never edit it by hand.
// Change api/openapi.yaml (or a config next to it), run `make generate`, commit both.

//go:generate go tool oapi-codegen -config api/drsapi.cfg.yaml api/openapi.yaml
//go:generate go tool oapi-codegen -config api/drsserver.cfg.yaml api/openapi.yaml
//go:generate go tool oapi-codegen -config api/iamapi.cfg.yaml api/iam.yaml
//go:generate go tool oapi-codegen -config api/iamserver.cfg.yaml api/iam.yaml
