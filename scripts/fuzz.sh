#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 5m), one
# after the other, and prints a line per target: executions, new inputs and
# whether it failed. A failing input is kept under the package's
# testdata/fuzz/, where `go test` replays it from then on.
# Usage: scripts/fuzz.sh [package-pattern]   (FUZZTIME=30s scripts/fuzz.sh ./internal/...)
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5m}
pattern=${1:-./...}
failed=0
summary=()
for pkg in $(go list "$pattern"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | cut -d' ' -f2 | sort -u); do
		echo "==> $pkg $target ($fuzztime)"
		# Workbook inputs are slow to minimise: bound the minimisation, or
		# the fuzzer spends its time there.
		out=$(go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=200x "$pkg" 2>&1)
		rc=$?
		last=$(grep -E '^fuzz: elapsed' <<<"$out" | tail -n 1)
		if [ $rc -ne 0 ]; then
			failed=1
			echo "$out" | tail -n 30
			summary+=("FAIL  $pkg $target  $last")
		else
			summary+=("ok    $pkg $target  $last")
		fi
		echo "${summary[-1]}"
	done
done
echo
printf '%s\n' "${summary[@]}"
exit $failed
