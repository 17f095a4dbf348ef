#!/bin/sh
# Builds the libFuzzer targets with clang (ASan+UBSan), replays the seed
# corpus in fuzz/corpus/<target>/, then fuzzes each target for SECONDS
# (default 30) into a scratch corpus. Crashes are left as crash-* files in
# build-fuzz/ and make the script fail.
#   scripts/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-30}
# clang with libFuzzer (Debian: clang, libclang-rt-14-dev)
probe=$(mktemp -d)
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' > "$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi
rm -rf "$probe"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DFS_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"
cd build-fuzz
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
for f in ../fuzz/fuzz_*.c; do
    t=$(basename "$f" .c)
    corpus=../fuzz/corpus/${t#fuzz_}
    scratch=$(mktemp -d)
    echo "== $t: replaying $(ls "$corpus" | wc -l) seed inputs"
    ./fuzz/$t -runs=0 "$corpus"
    echo "== $t: fuzzing for ${secs}s"
    ./fuzz/$t -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "$scratch" "$corpus" 2>&1 | grep -E "^(stat::|#[0-9]+ *DONE|==|SUMMARY)" || true
    rm -rf "$scratch"
    if ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1; then
        echo "$t found a failing input: see build-fuzz/" >&2
        exit 1
    fi
done
