#!/usr/bin/env bash
# Make docs/report-screenshot.png: the HTML report of examples/legacy-service
# after three runs of a cleanup (as-is; .env files untracked; legacy keys
# renamed with rename-legacy-keys --fix), rendered by headless Chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/legacy-service"
cp -R "$root/examples/legacy-service" "$repo"
cd "$repo"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
export GIT_AUTHOR_DATE=2026-03-01T08:00:00Z GIT_COMMITTER_DATE=2026-03-01T08:00:00Z
report() { SOURCE_DATE_EPOCH=$1 "$root/.venv/bin/legacy-config-report" --name legacy-service --jobs 1 -o "$work/report.html"; }
git init -q -b main && git add -A && git commit -qm "a legacy service" --no-verify
report 1772352000    # 2026-03-01
git rm -q --cached .env.production .env.staging && printf '.env.production\n.env.staging\n' >> .gitignore
git add .gitignore && git commit -qm "untrack the env files" --no-verify
report 1772956800    # 2026-03-08
"$root/.venv/bin/rename-legacy-keys" --fix config/staging.yaml settings/base.py >/dev/null || true
git commit -qam "rename legacy keys" --no-verify
report 1773561600    # 2026-03-15
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1366,1900 --virtual-time-budget=3000 \
  --screenshot="$root/docs/report-screenshot.png" "file://$work/report.html" 2>/dev/null
echo "wrote $root/docs/report-screenshot.png"
