#!/usr/bin/env bash
# Reads `go test -cover` output on stdin, passes it through, and fails if a
# package named below covers less than its floor (percent of statements).
# Usage: go test -cover ./... | scripts/coverage-floor.sh
set -euo pipefail
module=github.com/drs-tools/drstemplate
declare -A floor=(
	["$module"]=85
	["$module/auth"]=85
	["$module/drsfake"]=85
	["$module/internal/retry"]=90
	["$module/cmd/drstemplate"]=85
	["$module/cmd/drstemplate/internal/manifest"]=90
	["$module/internal/sdksign"]=95
	["$module/internal/huaweierr"]=95
	["$module/internal/localfile"]=85
	["$module/internal/taskid"]=95
)
declare -A seen=()
failed=0
while IFS= read -r line; do
	printf '%s\n' "$line"
	if [[ $line =~ ^(ok|FAIL)[[:space:]]+([^[:space:]]+).*coverage:\ ([0-9.]+)%\ of\ statements ]]; then
		pkg=${BASH_REMATCH[2]} pct=${BASH_REMATCH[3]}
		seen[$pkg]=$pct
	fi
done
echo
echo "coverage floors:"
for pkg in "${!floor[@]}"; do
	pct=${seen[$pkg]:-}
	if [[ -z $pct ]]; then
		echo "  $pkg: no coverage figure (did its tests run?)"
		failed=1
	elif awk -v p="$pct" -v f="${floor[$pkg]}" 'BEGIN { exit !(p < f) }'; then
		echo "  $pkg: $pct% < ${floor[$pkg]}%"
		failed=1
	else
		echo "  $pkg: $pct% (floor ${floor[$pkg]}%)"
	fi
done
exit $failed
