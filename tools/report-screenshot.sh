#!/usr/bin/env bash
# A PNG of the HTML report, as headless Chromium draws it:
#   tools/report-screenshot.sh [data/local/report.html] [docs/report.png]
# Chromium runs as root here, so without its sandbox, with a fresh profile and no background
# traffic (component updates, sync, first-run pages).
set -euo pipefail
report=$(realpath "${1:-data/local/report.html}")
png=${2:-docs/report.png}
chromium=${CHROMIUM:-$(command -v chromium)}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$png")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1400,1640 --virtual-time-budget=10000 \
  --screenshot="$(realpath -m "$png")" "file://$report" 2>/dev/null
echo "$png"
