#!/usr/bin/env bash
# Copy the example legacy service into a throwaway git repo and run every hook of
# this collection on it through real pre-commit (try-repo, --all-files).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/legacy-service/." "$work/"
cd "$work"
git init -q
git add -A
git -c user.email=demo@example.com -c user.name=demo commit -qm "a legacy service" --no-verify
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$root/.cache/pre-commit}"
echo "== pre-commit try-repo $root --all-files   (in a copy of examples/legacy-service)"
status=0
"$root/.venv/bin/pre-commit" try-repo "$root" --all-files --color never || status=$?
# pre-commit exits 1 when hooks report findings: that is what the demo shows.
if [ "$status" -eq 1 ]; then
  echo "== the hooks above found the problems planted in examples/legacy-service (see its README)"
  exit 0
fi
exit "$status"
