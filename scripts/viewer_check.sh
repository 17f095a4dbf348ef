#!/bin/sh
# Opens futurescope's Chrome export in a real trace viewer: speedscope (from
# npm) in headless Chromium (Debian's), driven by puppeteer-core. Not part of
# ctest: it needs npm and a browser. Installs them when missing (root: apt).
#   scripts/viewer_check.sh [BUILD_DIR]   (default build; futurescope built)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
fs="$build/futurescope"
[ -x "$fs" ] || { echo "viewer_check: build futurescope first ($fs)" >&2; exit 2; }
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium nodejs npm
fi
tools=build-viewer
if [ ! -d "$tools/node_modules/speedscope" ] || [ ! -d "$tools/node_modules/puppeteer-core" ]; then
    mkdir -p "$tools"
    (cd "$tools" && [ -f package.json ] || echo '{"private":true}' > package.json)
    npm install --prefix "$tools" --no-audit --no-fund --silent speedscope@1 puppeteer-core
fi
cp scripts/viewer_check.mjs "$tools/"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$fs" run scenarios/seed/03_busy_vs_wake.json -e busy -o "$out/busy.jsonl" >/dev/null
"$fs" run scenarios/seed/03_busy_vs_wake.json -e wake -o "$out/wake.jsonl" >/dev/null
"$fs" run scenarios/seed/05_several_workers.json -e steal:4 -o "$out/steal.jsonl" >/dev/null
"$fs" run scenarios/patterns/lost_waker.json -e wake -o "$out/stall.jsonl" >/dev/null || true
"$fs" run scenarios/patterns/producer_consumer.json -e busy -o "$out/pc.jsonl" >/dev/null
"$fs" export "$out/wake.jsonl" "$out/busy.jsonl" "$out/steal.jsonl" "$out/stall.jsonl" "$out/pc.jsonl" \
    --chrome "$out/all.json"
shot=${SCREENSHOT:-$build/viewer_check.png}
CHROMIUM=$(command -v chromium) node "$tools/viewer_check.mjs" \
    "$tools/node_modules/speedscope/dist/release/index.html" "$out/all.json" "$shot"
echo "viewer_check: ok (screenshot: $shot)"
