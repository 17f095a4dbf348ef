#!/bin/sh
# Builds futurescope (installing what is missing) and runs its demo.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target futurescope
exec build/futurescope demo "$@"
