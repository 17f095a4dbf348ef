#!/bin/sh
# Generated scenarios through the command line: fuzz/gen_scenarios writes
# COUNT valid scenarios from SEED (fuzz/scenario_gen.c, the generator
# fuzz_gen uses in process), and each is checked with build-fuzz's
# futurescope (ASan+UBSan) under every executor: `check` accepts it; `run`
# exits 0 or 3 (busy and blocking exit 2 on a zero poll cost), within 10 s
# of wall-clock time (killed past that: a hang); two runs write the same
# trace; a run that exits 3 says why in its summary (a stall, a limit, a
# failed expectation); the trace exports to
# a Chrome trace. Every third scenario runs under small limits.
#   scripts/fuzz_gen.sh [COUNT [SEED]]     (after scripts/fuzz.sh built build-fuzz)
set -eu
cd "$(dirname "$0")/.."
count=${1:-20}
seed=${2:-1}
fs=build-fuzz/futurescope
[ -x "$fs" ] && [ -x build-fuzz/fuzz/gen_scenarios ] || { echo "run scripts/fuzz.sh first" >&2; exit 2; }
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
ulimit -f 2000000
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
build-fuzz/fuzz/gen_scenarios "$seed" "$count" "$dir"
fail() {
    echo "fuzz_gen.sh: $1: $2" >&2
    cp "$1" build-fuzz/ 2>/dev/null && echo "  kept as build-fuzz/$(basename "$1")" >&2
    exit 1
}
start=$(date +%s)
runs=0
i=0
while [ "$i" -lt "$count" ]; do
    sc=$dir/gen-$seed-$i.json
    "$fs" check "$sc" >/dev/null || fail "$sc" "check refuses a generated scenario"
    limits="--max-polls 100000 --max-trace 8MB"
    [ $((i % 3)) -eq 2 ] && limits="--max-polls 50 --max-time 5ms --max-trace 4KB"
    zero=$(grep -c '"poll_cost_ns":0,' "$sc" || true)
    for e in blocking busy wake "wake --queue lifo" steal:2 "steal:2 --tokio 1.24" steal:3 "steal:3 --tokio 1.24"; do
        for n in 1 2; do
            st=0
            # shellcheck disable=SC2086
            timeout 10 "$fs" run "$sc" -e $e $limits -o "$dir/t$n.jsonl" >"$dir/out" 2>"$dir/err" || st=$?
            runs=$((runs + 1))
            case "$e:$zero:$st" in
            blocking:1:2 | busy:1:2) continue 2 ;;   # a zero poll cost: refused up front
            *:0 | *:3) ;;
            *:124) fail "$sc" "-e $e $limits: still running after 10 s (a hang)" ;;
            *) fail "$sc" "-e $e $limits: exit $st: $(head -c 300 "$dir/err")" ;;
            esac
        done
        cmp -s "$dir/t1.jsonl" "$dir/t2.jsonl" || fail "$sc" "-e $e: two runs, two traces"
        if [ "$st" -eq 3 ]; then
            tail -n 1 "$dir/t1.jsonl" | grep -Eq '"stalled":true|"limit_hit":"(time|polls|trace)"|"expectations":\{[^}]*"failed":[1-9]' ||
                fail "$sc" "-e $e: exit 3, and the summary names no stall, limit or failed expectation"
        fi
        "$fs" export "$dir/t1.jsonl" --chrome "$dir/c.json" >/dev/null 2>"$dir/err" ||
            fail "$sc" "-e $e: the trace does not export: $(head -c 300 "$dir/err")"
    done
    i=$((i + 1))
done
echo "fuzz_gen.sh: $count scenarios, $runs runs, $(($(date +%s) - start)) s: ok"
