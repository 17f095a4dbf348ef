#!/bin/sh
# Builds futurescope and runs every test (installing what is missing).
#   scripts/test.sh          release build, all tests
#   scripts/test.sh --asan   the same under AddressSanitizer + UBSan
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
dir=build
flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFS_WERROR=ON"
if [ "${1:-}" = "--asan" ]; then
    dir=build-asan
    flags="-DCMAKE_BUILD_TYPE=Debug -DFS_SANITIZE=ON -DFS_WERROR=ON"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
cmake -S . -B "$dir" $flags >/dev/null
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure --timeout 300 -j"$(nproc)"
