#!/bin/sh
# Installs futurescope into a temporary prefix and uses it as another
# project would: builds examples/ out of tree against the installed copy
# with pkg-config and with CMake's find_package, runs what it built and
# checks the output, and checks the installed program finds its assets.
#   scripts/install_check.sh [BUILD_DIR]    (default: build, built if needed)
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-build}
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target futurescope fs_sim >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
# the examples are copied out of the source tree: nothing but the prefix helps
cp -r examples "$tmp/examples"
fail() { echo "install_check: $*" >&2; exit 1; }

# What each example must print (the seed article: both values after 2 s, four polls).
printf 'done at 2000002000 ns after 4 polls (0 wasted)\n  get_num_a = 40\n  get_num_b = 41\n' >"$tmp/want_socket"
printf 'sockets.jsonl: done at 2000002000 ns after 4 polls\n' >"$tmp/want_trace"

check() {  # check HOW DIR: runs DIR/fut_socket and DIR/fut_socket_trace
    "$2/fut_socket" >"$tmp/got" || fail "$1: fut_socket exited $?"
    cmp -s "$tmp/got" "$tmp/want_socket" || { diff "$tmp/want_socket" "$tmp/got" >&2; fail "$1: fut_socket printed the above"; }
    (cd "$2" && ./fut_socket_trace sockets.jsonl) >"$tmp/got" || fail "$1: fut_socket_trace exited $?"
    cmp -s "$tmp/got" "$tmp/want_trace" || { diff "$tmp/want_trace" "$tmp/got" >&2; fail "$1: fut_socket_trace printed the above"; }
    # the trace is one the installed program reads
    "$prefix/bin/futurescope" export "$2/sockets.jsonl" --chrome "$2/sockets.json" >/dev/null ||
        fail "$1: the trace does not load"
    grep -q '"get_num_b"' "$2/sockets.json" || fail "$1: the export lacks the tasks"
    echo "install_check: $1: built and ran both examples"
}

# 1. pkg-config (a plain --libs: the libraries are static, their needs are in Libs)
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists futurescope || fail "pkg-config does not find futurescope.pc"
[ "$(pkg-config --modversion futurescope)" = "$(sed -n 's/^project(futurescope VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ] ||
    fail "futurescope.pc's version is not the project's"
mkdir "$tmp/pc"
cc=${CC:-cc}
for ex in fut_socket fut_socket_trace; do
    # shellcheck disable=SC2046
    $cc -std=c17 -Wall -Wextra -Wpedantic -Werror "$tmp/examples/$ex.c" -o "$tmp/pc/$ex" \
        $(pkg-config --cflags --libs futurescope) || fail "pkg-config: $ex does not build"
done
check pkg-config "$tmp/pc"
# --static adds nothing the libraries need that --libs lacked, and links too
mkdir "$tmp/pcs"
cp "$tmp/pc/fut_socket" "$tmp/pcs/"
# shellcheck disable=SC2046
$cc -std=c17 "$tmp/examples/fut_socket_trace.c" -o "$tmp/pcs/fut_socket_trace" \
    $(pkg-config --static --cflags --libs futurescope) || fail "pkg-config --static: does not build"
check "pkg-config --static" "$tmp/pcs"

# 2. CMake: find_package(futurescope) and its imported targets
unset PKG_CONFIG_PATH
cmake -S "$tmp/examples" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" \
    >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; fail "find_package: configure failed"; }
cmake --build "$tmp/cm" -j2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "find_package: build failed"; }
check find_package "$tmp/cm"

# 3. the installed program finds its assets under ../share/futurescope (no
#    warning), and without them warns once and draws the same pixels
view="$src/scenarios/seed/03_busy_vs_wake.json"
"$prefix/bin/futurescope" view "$view" -e busy,wake --size 800x500 --screenshot "$tmp/a.png" >/dev/null 2>"$tmp/a.err" ||
    fail "view --screenshot failed: $(cat "$tmp/a.err")"
[ ! -s "$tmp/a.err" ] || fail "the installed program warned: $(cat "$tmp/a.err")"
mv "$prefix/share/futurescope" "$tmp/moved"
"$prefix/bin/futurescope" view "$view" -e busy,wake --size 800x500 --screenshot "$tmp/b.png" >/dev/null 2>"$tmp/b.err" ||
    fail "view --screenshot without assets failed"
[ "$(grep -c 'warning: no assets folder' "$tmp/b.err")" = 1 ] && [ "$(wc -l <"$tmp/b.err")" = 1 ] ||
    fail "without assets, expected one warning, got: $(cat "$tmp/b.err")"
cmp -s "$tmp/a.png" "$tmp/b.png" || fail "the shipped theme draws other pixels than the built-in one"
echo "install_check: the installed program finds its assets; without them, one warning and the same frame"
