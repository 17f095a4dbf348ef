#!/bin/sh
# Regenerates the viewer screenshots the README and docs/viewer.md show, into
# docs/img/, with `futurescope view ... --screenshot` (no display needed), and
# the README's animation with `view ... --record`.
#   scripts/screenshots.sh              builds build/futurescope if missing
#   FS_BIN=path/to/futurescope scripts/screenshots.sh
set -eu
cd "$(dirname "$0")/.."
bin=${FS_BIN:-build/futurescope}
if [ ! -x "$bin" ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$(nproc)" --target futurescope
fi
out=docs/img
mkdir -p "$out"
shot() {
    name=$1
    shift
    "$bin" view "$@" --size 1600x900 --screenshot "$out/$name.png" >/dev/null
    echo "$out/$name.png"
}
# The seed article's point: a busy loop's wall of polls above the wake loop's four.
shot busy_vs_wake  scenarios/seed/03_busy_vs_wake.json -e busy,wake
# An async fn with two awaits (open, then read), busy and wake.
shot read_file     scenarios/seed/04_read_file.json -e busy,wake
# The lost-waker bug: wake stalls, busy hides it; both carry the warning.
shot lost_waker    scenarios/patterns/lost_waker.json -e busy,wake
# A tokio-style runtime with four workers (worker lanes, steals, parks).
shot steal4        scenarios/seed/05_several_workers.json -e steal:4
# A task's detail (click its lane): the heartbeat, starved by a 500 ms compute poll.
shot task_detail   scenarios/patterns/compute_starves.json -e wake --detail heartbeat
# The same scenario in the middle of the run: state at the playhead.
shot playhead      scenarios/seed/03_busy_vs_wake.json -e busy,wake --at 1s
# A thousand tasks: each band's sleepers fold into one group lane, the four
# steal:4 workers into another.
shot groups        scenarios/patterns/thousand_sleepers.json -e busy,steal:4 --at 400ms
# The README's animation: busy vs wake with the playhead moving through the
# run at twice the play speed (5 s), 10 frames a second, as wide as the
# screenshots and only as tall as the two bands and the panel need.
"$bin" view scenarios/seed/03_busy_vs_wake.json -e busy,wake --size 1600x400 --speed 2 \
    --fps 10 --record "$out/busy_vs_wake.gif" >/dev/null
echo "$out/busy_vs_wake.gif"
