#!/usr/bin/env bash
# Copy the example legacy service into a throwaway git repo and run every check of
# this collection on it through real pre-commit (try-repo all-checks, --all-files), then
# write the cleanup report of the same repo and print its path.
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
# all-checks runs every check of the collection in one process, each on the files
# its own hook would get (listing the single ids instead gives the same lines).
echo "== pre-commit try-repo $root all-checks --all-files   (in a copy of examples/legacy-service)"
status=0
"$root/.venv/bin/pre-commit" try-repo "$root" all-checks --all-files --color never || status=$?
# pre-commit exits 1 when hooks report findings: that is what the demo shows.
if [ "$status" -eq 1 ]; then
  echo "== the hooks above found the problems planted in examples/legacy-service (see its README)"
  status=0
fi
[ "$status" -eq 0 ] || exit "$status"
# The same checks in one pass, as a report to read in a browser.
out="$root/.cache/demo"
mkdir -p "$out"
echo "== legacy-config-report   (every check in one process, one HTML page)"
"$root/.venv/bin/legacy-config-report" --name legacy-service --no-history -o "$out/legacy-config-report.html"
"$root/.venv/bin/legacy-config-report" --name legacy-service --no-history -o "$out/legacy-config-report.md" 2>/dev/null
echo "== report written: $out/legacy-config-report.html  (Markdown: $out/legacy-config-report.md)"
