#!/usr/bin/env bash
# Regenerates gen/ into a temporary copy of the generator's inputs and fails if
# the result differs from the gen/ in this tree. It needs no git: it compares
# files, so it works in a tarball or a CI cache as well as in a checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The inputs of `go generate`: the directives, the module files that pin the
# generator, and the specs with their generator configurations.
cp "$root/go.mod" "$root/go.sum" "$root/generate.go" "$tmp/"
cp -R "$root/api" "$tmp/api"
(cd "$tmp" && go generate .)

if ! diff -r "$root/gen" "$tmp/gen" >"$tmp/diff.txt"; then
	echo "generate-check: gen/ is out of date with api/ — run 'make generate' and commit the result:" >&2
	head -n 40 "$tmp/diff.txt" >&2
	exit 1
fi
for f in go.mod go.sum; do
	if ! cmp -s "$root/$f" "$tmp/$f"; then
		echo "generate-check: go generate changed $f — run 'make generate' and commit it" >&2
		exit 1
	fi
done
echo "generate-check: gen/ is up to date"
