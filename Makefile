# drstemplate — every task a contributor or CI needs. Tools are pinned and installed
# by these rules into .bin/ and node_modules/; nothing is assumed to be present but
# Go, node and npm.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

GOLANGCI_LINT_VERSION := v2.15.0
BIN := $(CURDIR)/.bin
GOLANGCI_LINT := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
NPM_STAMP := node_modules/.package-lock.json
COMPAT := compat/huaweisdk
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da
SPEC_APIS := drs iam # the apis of redocly.yaml
NPX := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 npx --no-install
# The Node the tools run on: the npm registry's `node` package (package.json), which
# npx puts first on PATH; the node on PATH only runs npm ci. See README, Dependencies.
NODE := $(CURDIR)/node_modules/.bin/node

.PHONY: help mutate all generate generate-check build test demo docs-cli lint lint-spec spec-reuse sdk-compat docs bench bench-compare fuzz soak soak-short ci clean

all: generate build test

## help: list these targets with what each does (from the ## comments of this file)
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); n = index($$0, ":"); printf "\n  %-15s %s", substr($$0, 1, n - 1), substr($$0, n + 2); next } \
	     /^## / { sub(/^## /, ""); printf " %s", $$0 } END { print "" }' $(MAKEFILE_LIST)
	@echo
	@echo "  The first run of any Go target downloads the modules (about 19 MB) and compiles them:"
	@echo "  1.5 to 7 minutes on two cores, silent while compiling; later runs take seconds."

## generate: regenerate gen/ from api/ (the only way gen/ is produced)
generate:
	go generate ./...

## generate-check: fail if gen/ differs from what the spec and configs produce
## (regenerates into a temporary directory and compares files: no git needed)
generate-check:
	scripts/generate-check.sh

## build: compile every package and command
build:
	go build ./...

## test: vet, then every test with the race detector; prints the coverage of each
## package and fails below the floors of scripts/coverage-floor.sh
test:
	go vet ./...
	go test -race -count=1 -cover ./... | scripts/coverage-floor.sh

## demo: the whole export against the embedded fake DRS service, into ./drstemplate-demo/
demo:
	@echo "make demo: building drstemplate (on a fresh machine the first build downloads about 19 MB of modules and compiles them: 1.5 to 7 minutes, silent while compiling)" >&2
	go run ./cmd/drstemplate demo

## docs-cli: regenerate the CLI reference in docs/cli/ (a test fails when it is stale)
docs-cli:
	go test ./cmd/drstemplate -run '^TestCLIReference$$' -update

## lint: golangci-lint (its config: .golangci.yml; staticcheck runs inside it), both modules
lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...
	cd $(COMPAT) && $(GOLANGCI_LINT) run --config $(CURDIR)/.golangci.yml ./...

$(GOLANGCI_LINT):
	@mkdir -p $(BIN)
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## lint-spec: Redocly CLI, recommended ruleset (redocly.yaml); fails on any error or warning
lint-spec: $(NPM_STAMP)
	$(NPX) redocly lint --format=stylish
	for api in $(SPEC_APIS); do $(NPX) redocly lint $$api --format=json 2>/dev/null | $(NODE) scripts/redocly-totals.mjs $$api; done

## spec-reuse: a TypeScript client of the spec (openapi-typescript types, openapi-fetch
## calls) type-checked, compiled and run against drstemplate fake-server
spec-reuse: $(NPM_STAMP)
	$(NPX) openapi-typescript
	cd spec-reuse && $(NPX) tsc -p tsconfig.json
	scripts/spec-reuse.sh $(NODE)

## sdk-compat: Huawei's official Go SDK drives drsfake (a module of its own: the SDK is big)
sdk-compat:
	cd $(COMPAT) && go vet ./... && go test -race -count=1 ./...

## docs: render a self-contained HTML API reference into docs/api/
docs: $(NPM_STAMP)
	for api in $(SPEC_APIS); do $(NPX) redocly build-docs $$api --inlineBundle -o docs/api/$$api.html; done

## bench: every benchmark, -benchmem, BENCH_COUNT (10) times, saved in BENCH_OUT
## (bench.txt) and summarised with benchstat; BENCH_BASE=old.txt compares with an
## earlier run. Figures and how to read them: docs/PERFORMANCE.md
BENCH_COUNT ?= 10
BENCH_OUT ?= bench.txt
BENCH_BASE ?=
BENCHSTAT := go run golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)
bench:
	go test -run='^$$' -bench=. -benchmem -count=$(BENCH_COUNT) -timeout=60m ./... | tee $(BENCH_OUT)
	$(BENCHSTAT) $(BENCH_BASE) $(BENCH_OUT)

## bench-compare: the naive program (Huawei's Go SDK as its docs show), the library
## and the CLI, each a process against a drstemplate fake-server of its own, for
## COMPARE_TASKS (10,100,1000) tasks and COMPARE_LATENCIES (0s,50ms), COMPARE_ROUNDS
## (3) rounds each: wall, CPU, peak RSS, calls and whole files per tool, as the markdown
## table of docs/PERFORMANCE.md. About 15 minutes with the defaults: run it on an idle machine
COMPARE_TASKS ?= 10,100,1000
COMPARE_LATENCIES ?= 0s,50ms
COMPARE_ROUNDS ?= 3
bench-compare:
	cd $(COMPAT) && go run ./benchcompare -root $(CURDIR) -tasks $(COMPARE_TASKS) -latencies $(COMPARE_LATENCIES) -rounds $(COMPARE_ROUNDS)

## fuzz: every fuzz target for FUZZTIME (5m) each; figures in docs/RELIABILITY.md
FUZZTIME ?= 5m
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## soak: the whole flow for SOAK_TASKS tasks (300) against a fake having a bad day:
## faults, latency and a rate limit (docs/RELIABILITY.md); soak-short is CI's form
SOAK_TASKS ?= 300
soak:
	go test -count=1 -race -run 'TestSoak' -v -timeout 30m ./cmd/drstemplate/internal/soak/ -soak.tasks=$(SOAK_TASKS)

soak-short:
	$(MAKE) soak SOAK_TASKS=60

## mutate: mutation testing with gremlins: each mutant of the root package, auth and
## internal/retry runs its package's tests; MUTATE_WORKERS (1) at once. Slow (about three
## hours on 2 cores), so not in CI; reports in MUTATE_OUT (mutate/); score in docs/RELIABILITY.md
GREMLINS := go run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTATE_WORKERS ?= 1
MUTATE_OUT ?= mutate
mutate:
	@mkdir -p $(MUTATE_OUT)
	$(GREMLINS) unleash --workers $(MUTATE_WORKERS) -o $(MUTATE_OUT)/retry.json ./internal/retry | tee $(MUTATE_OUT)/retry.txt
	$(GREMLINS) unleash --workers $(MUTATE_WORKERS) -o $(MUTATE_OUT)/auth.json ./auth | tee $(MUTATE_OUT)/auth.txt
	$(GREMLINS) unleash --workers $(MUTATE_WORKERS) -o $(MUTATE_OUT)/root.json \
		--exclude-files '^(api|auth|cmd|compat|drsfake|endpoint|gen|internal)/' . | tee $(MUTATE_OUT)/root.txt

## ci: what .ci/run runs
ci: test generate-check lint lint-spec spec-reuse sdk-compat

clean:
	rm -rf spec-reuse/generated docs/api/*.html drstemplate-demo
