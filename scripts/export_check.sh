#!/bin/sh
# Loads Chrome exports of every shipped scenario, under every executor, into
# Chrome DevTools' own trace engine (npm @paulirish/trace_engine, installed
# into build/npm-cache) and checks each: threads, poll slices, instants, and
# every wake flow bound (scripts/export_check.mjs; docs/export.md has the
# figures). Installs node and npm with apt-get when they are missing; fails
# when they or the engine cannot be installed.
#   scripts/export_check.sh        (after scripts/test.sh built build/)
set -eu
cd "$(dirname "$0")/.."
bin=build/futurescope
[ -x "$bin" ] || { echo "export_check: $bin missing: run scripts/test.sh first" >&2; exit 1; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    { $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; } ||
        { echo "export_check: node and npm are missing and could not be installed" >&2; exit 1; }
fi
# The engine's version the figures in docs/export.md were measured with.
version=0.0.65
cache=build/npm-cache
engine=$cache/node_modules/@paulirish/trace_engine
have=$(node -p "require('./$engine/package.json').version" 2>/dev/null || true)
if [ "$have" != "$version" ] || [ ! -f "$engine/models/trace/trace.js" ]; then
    mkdir -p "$cache"
    [ -f "$cache/package.json" ] || echo '{"private":true}' > "$cache/package.json"
    (cd "$cache" && npm install --no-audit --no-fund --silent "@paulirish/trace_engine@$version") ||
        { echo "export_check: could not install @paulirish/trace_engine@$version" >&2; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set --
n=0
for sc in scenarios/*/*.json; do
    case $sc in */schema.json) continue ;; esac
    for ex in blocking busy wake steal:2 steal:4; do
        n=$((n + 1))
        # run exits 3 on a stall or a limit; the trace is written all the same
        "$bin" run "$sc" -e "$ex" -o "$tmp/$n.jsonl" --chrome "$tmp/$n.json" >/dev/null 2>&1 ||
            [ $? -eq 3 ] || { echo "export_check: $bin run $sc -e $ex failed" >&2; exit 1; }
        set -- "$@" "$(printf '%-45s %-9s' "$sc" "$ex")" "$tmp/$n.json" "$tmp/$n.jsonl"
    done
done
node scripts/export_check.mjs "$engine" "$@" || { echo "export_check: FAILED" >&2; exit 1; }
echo "export_check: ok ($n exports)"
