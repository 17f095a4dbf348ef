#!/bin/sh
# Loads Chrome exports of every shipped scenario, under every executor, into
# Chrome DevTools' own trace engine (npm @paulirish/trace_engine, installed
# into build/npm-cache) and checks each: threads, poll slices, wake flows
# bound (scripts/export_check.mjs). Fails when node or npm is missing and
# cannot be installed, or when the engine cannot be installed.
#   scripts/export_check.sh        (after scripts/test.sh built build/)
set -eu
cd "$(dirname "$0")/.."
bin=build/futurescope
[ -x "$bin" ] || { echo "export_check: $bin missing: run scripts/test.sh first" >&2; exit 1; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null ||
        { echo "export_check: node and npm are missing and could not be installed" >&2; exit 1; }
fi
cache=build/npm-cache
engine=$cache/node_modules/@paulirish/trace_engine
if [ ! -f "$engine/models/trace/trace.js" ]; then
    mkdir -p "$cache"
    [ -f "$cache/package.json" ] || echo '{"private":true}' > "$cache/package.json"
    (cd "$cache" && npm install --no-audit --no-fund --silent @paulirish/trace_engine) ||
        { echo "export_check: could not install @paulirish/trace_engine" >&2; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for sc in scenarios/*/*.json; do
    case $sc in */schema.json) continue ;; esac
    for ex in blocking busy wake steal:2; do
        # run exits 3 on a stall or a limit; the trace is written all the same
        "$bin" run "$sc" -e "$ex" -o "$tmp/t.jsonl" --chrome "$tmp/t.json" >/dev/null 2>&1 || [ $? -eq 3 ]
        printf '%-45s %-9s ' "$sc" "$ex"
        node scripts/export_check.mjs "$engine" "$tmp/t.json" "$tmp/t.jsonl" || fail=1
        rm -f "$tmp/t.jsonl" "$tmp/t.json"
    done
done
[ $fail -eq 0 ] || { echo "export_check: FAILED" >&2; exit 1; }
echo "export_check: ok"
