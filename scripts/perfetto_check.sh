#!/bin/sh
# Exports every shipped scenario, under blocking, busy, wake and steal:2, to
# Perfetto's protobuf format and decodes each with protoc against Perfetto's
# full schema (perfetto_trace.proto): the file must parse as a
# perfetto.protos.Trace with every field known, and carry TrackEvents. Also
# sums the sizes of both export formats and fails when the Perfetto files
# pass a quarter of the Chrome JSON.
#   scripts/perfetto_check.sh [PROTO]      (after scripts/test.sh built build/)
# PROTO (or $PERFETTO_PROTO) is the schema; by default
# ../shared/reference/perfetto/perfetto_trace.proto beside the repository.
set -eu
cd "$(dirname "$0")/.."
proto=${1:-${PERFETTO_PROTO:-../shared/reference/perfetto/perfetto_trace.proto}}
bin=build/futurescope
[ -x "$bin" ] || { echo "perfetto_check: $bin missing: run scripts/test.sh first" >&2; exit 1; }
if [ ! -f "$proto" ]; then
    # Not beside this checkout (a clone elsewhere): decode against the
    # project's own schema of the messages it writes, numbered as
    # Perfetto's, and say so loudly.
    echo "perfetto_check: WARNING: Perfetto's schema $proto not found (give its path as the argument or" \
         "in PERFETTO_PROTO); decoding against tests/perfetto_min.proto instead" >&2
    proto=tests/perfetto_min.proto
fi
command -v protoc >/dev/null || scripts/deps.sh
command -v protoc >/dev/null || { echo "perfetto_check: protoc missing (Debian: protobuf-compiler)" >&2; exit 1; }
protodir=$(dirname "$proto")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 chrome_total=0 perfetto_total=0
for sc in scenarios/*/*.json; do
    case $sc in */schema.json) continue ;; esac
    for ex in blocking busy wake steal:2; do
        # run exits 3 on a stall or a limit; the trace is written all the same
        "$bin" run "$sc" -e "$ex" -o "$tmp/t.jsonl" >/dev/null 2>&1 || [ $? -eq 3 ]
        "$bin" export "$tmp/t.jsonl" --chrome "$tmp/t.json" --perfetto "$tmp/t.pftrace"
        if ! protoc --decode=perfetto.protos.Trace -I"$protodir" "$proto" \
                <"$tmp/t.pftrace" >"$tmp/t.txt" 2>"$tmp/err.txt"; then
            echo "$sc $ex: protoc could not decode the export: $(head -3 "$tmp/err.txt")" >&2
            fail=1
        elif grep -qE '^ *[0-9]+[:{ ]' "$tmp/t.txt"; then
            echo "$sc $ex: fields Perfetto's schema does not know:" >&2
            grep -E '^ *[0-9]+[:{ ]' "$tmp/t.txt" | head -3 >&2
            fail=1
        elif ! grep -q 'track_event {' "$tmp/t.txt" || ! grep -q 'trusted_packet_sequence_id: 1' "$tmp/t.txt"; then
            echo "$sc $ex: no track events in the decoded export" >&2
            fail=1
        fi
        c=$(wc -c <"$tmp/t.json") p=$(wc -c <"$tmp/t.pftrace")
        printf '%-45s %-9s chrome %9d  perfetto %9d\n' "$sc" "$ex" "$c" "$p"
        chrome_total=$((chrome_total + c)) perfetto_total=$((perfetto_total + p)) n=$((n + 1))
        rm -f "$tmp/t.jsonl" "$tmp/t.json" "$tmp/t.pftrace" "$tmp/t.txt"
    done
done
# several traces in one file: a process and a packet sequence each
for ex in busy wake steal:2; do
    "$bin" run scenarios/seed/03_busy_vs_wake.json -e "$ex" -o "$tmp/$ex.jsonl" >/dev/null 2>&1
done
"$bin" export "$tmp/busy.jsonl" "$tmp/wake.jsonl" "$tmp/steal:2.jsonl" --perfetto "$tmp/all.pftrace"
if ! protoc --decode=perfetto.protos.Trace -I"$protodir" "$proto" <"$tmp/all.pftrace" >"$tmp/all.txt" 2>"$tmp/err.txt" ||
   [ "$(grep -c 'sequence_flags: 1' "$tmp/all.txt")" -ne 3 ] || [ "$(grep -c 'process {' "$tmp/all.txt")" -ne 3 ]; then
    echo "three traces in one export: not three processes and sequences $(head -3 "$tmp/err.txt")" >&2
    fail=1
fi
echo "perfetto_check: $n exports, chrome $chrome_total bytes, perfetto $perfetto_total bytes"
[ $((perfetto_total * 4)) -le "$chrome_total" ] ||
    { echo "perfetto_check: the Perfetto files pass a quarter of the Chrome JSON" >&2; fail=1; }
[ $fail -eq 0 ] || { echo "perfetto_check: FAILED" >&2; exit 1; }
echo "perfetto_check: ok"
