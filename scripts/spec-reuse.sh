#!/usr/bin/env bash
# Runs the TypeScript client of spec-reuse/ (compiled to spec-reuse/generated/js/)
# against `drstemplate fake-server` on a free loopback port, and fails if the
# client fails or the fake writes anything to its standard error. The client
# learns the URL, region, project and task ids from the fake's banner; the IAM
# user it logs in with is given to the fake here, with a random password.
# Usage: scripts/spec-reuse.sh [NODE]   (NODE: the node command to run it with)
set -euo pipefail
cd "$(dirname "$0")/.."
node=${1:-node}

tmp=$(mktemp -d)
fake=
stop() {
	if [[ -n $fake ]]; then
		kill -TERM "$fake" 2>/dev/null || true
		wait "$fake" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap stop EXIT

go build -o "$tmp/drstemplate" ./cmd/drstemplate
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
# Exports take 1 s (pending, then running); pages hold one file, so listing two
# files takes two pages however large a limit the client asks for.
"$tmp/drstemplate" fake-server --addr 127.0.0.1:0 --export-duration 1s --page-size-limit 1 \
	--iam-account spec-reuse --iam-user ts-client --iam-password "$password" \
	>"$tmp/banner" 2>"$tmp/stderr" &
fake=$!

for ((i = 0; i < 100; i++)); do
	grep -q '^Press Ctrl-C to stop\.$' "$tmp/banner" && break
	if ! kill -0 "$fake" 2>/dev/null; then
		echo "spec-reuse: fake-server exited:" >&2
		cat "$tmp/banner" "$tmp/stderr" >&2
		exit 1
	fi
	sleep 0.1
done
if ! grep -q '^Press Ctrl-C to stop\.$' "$tmp/banner"; then
	echo "spec-reuse: fake-server printed no banner within 10 s" >&2
	exit 1
fi

field() { sed -n "s/^$1: *\\([^ ]*\\)\$/\\1/p" "$tmp/banner" | head -n 1; }
base=$(field 'Base URL')
region=$(field 'Region')
project=$(field 'Project ID')
# The task lines: "  {id}  {engine}  {name}" between "Tasks:" and "Credentials:".
mapfile -t tasks < <(sed -n '/^Tasks:$/,/^Credentials:$/s/^  \([0-9a-z-]*\)  .*/\1/p' "$tmp/banner")
if [[ -z $base || -z $region || -z $project || ${#tasks[@]} -lt 2 ]]; then
	echo "spec-reuse: cannot read the fake's banner:" >&2
	cat "$tmp/banner" >&2
	exit 1
fi

status=0
DRSTEMPLATE_ENDPOINT=$base DRSTEMPLATE_IAM_ENDPOINT=$base DRSTEMPLATE_REGION=$region \
	HUAWEICLOUD_SDK_PROJECT_ID=$project DRSTEMPLATE_IAM_ACCOUNT=spec-reuse \
	DRSTEMPLATE_IAM_USER=ts-client DRSTEMPLATE_IAM_PASSWORD=$password \
	"$node" spec-reuse/generated/js/client.mjs "${tasks[@]:0:2}" || status=$?

if [[ -s $tmp/stderr ]]; then
	echo "spec-reuse: fake-server wrote to stderr:" >&2
	cat "$tmp/stderr" >&2
	status=1
fi
exit "$status"
