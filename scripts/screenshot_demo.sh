#!/usr/bin/env bash
# The demo report as a reader first sees it, for docs/: runs the demo (fresh store in a temp
# folder) and has headless Chromium (Debian's chromium package) photograph the HTML report.
#   bash scripts/screenshot_demo.sh [docs/demo-report.png]
set -euo pipefail
out="${1:-docs/demo-report.png}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
corroborator demo --store "$tmp/store" --html "$tmp/demo.html" > /dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
    --screenshot="$out" "file://$tmp/demo.html" 2> /dev/null
echo "wrote $out"
