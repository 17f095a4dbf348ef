#!/bin/sh
# Builds the libFuzzer targets with clang (ASan+UBSan), replays the seed
# corpus in fuzz/corpus/<target>/, then fuzzes each target for SECONDS
# (default 30) into a scratch corpus: fuzz_gen (valid scenarios under every
# executor, about 25 runs an input) at most 40 s, after a fixed-seed sweep
# of 300 inputs, and fuzz_decoders at most 20 s. Then scripts/fuzz_gen.sh
# runs 3 generated scenarios through the command line. Crashes are left as
# crash-* files in build-fuzz/ and make the script fail.
#   scripts/fuzz.sh [SECONDS]      (FUZZ_SEED=N for a fixed seed; CI=true uses 1)
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
    t_secs=$secs
    case $t in
    fuzz_gen)
        [ "$t_secs" -le 40 ] || t_secs=40
        echo "== $t: fixed-seed sweep of 300 inputs"
        timeout 120 ./fuzz/$t -seed=1 -runs=300 -len_control=0 -max_len=512 -timeout=10 \
            "$scratch" "$corpus" 2>&1 | grep -E "^(Done|==|SUMMARY|fuzz_gen:)" || true
        rm -rf "$scratch"; scratch=$(mktemp -d)
        set -- -len_control=0 -max_len=512 ;;
    fuzz_decoders) [ "$t_secs" -le 20 ] || t_secs=20; set -- ;;
    *) set -- ;;
    esac
    # Under CI a fixed seed: a submission's verdict should not depend on the
    # dice; a developer's run (FUZZ_SEED unset, not CI) explores afresh.
    seed=${FUZZ_SEED:-}
    [ -z "$seed" ] && [ "${CI:-}" = "true" ] && seed=1
    [ -n "$seed" ] && set -- "$@" -seed="$seed"
    echo "== $t: fuzzing for ${t_secs}s${seed:+ (seed $seed)}"
    timeout $((t_secs + 60)) ./fuzz/$t -max_total_time="$t_secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$@" "$scratch" "$corpus" 2>&1 |
        grep -E "^(stat::|#[0-9]+ *DONE|==|SUMMARY|fuzz_gen:|fuzz_decoders:)" || true
    rm -rf "$scratch"
    if ls -d crash-* leak-* timeout-* oom-* 2>/dev/null | grep -q .; then
        echo "$t found a failing input: see build-fuzz/" >&2
        exit 1
    fi
done
cd ..
timeout 120 scripts/fuzz_gen.sh 3
