#!/usr/bin/env python3
"""Checks that calls point one way: from the symbols each object file of a
build defines and uses (nm), no two source files call each other, directly
or round a longer ring, and the folders' libraries form a chain with no
folder calling one above it.

    scripts/check_layers.py [BUILD_DIR]     (default: build)

Exit 0 when the graph has no cycle, 1 (naming each ring) when it has."""
import collections
import glob
import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
# library target (CMakeFiles/<target>.dir) -> the layer it is; lower layers
# may not call higher ones.
LAYERS = ["fs_core", "fs_base", "fs_json", "fs_scenario", "fs_world", "fs_trace",
          "fs_export", "fs_sim", "fs_viz", "futurescope"]

objs = sorted(glob.glob(os.path.join(build, "CMakeFiles", "*.dir", "**", "*.c.o"),
                        recursive=True))
defs, uses, layer_of = {}, collections.defaultdict(set), {}
for o in objs:
    target = o.split(os.sep + "CMakeFiles" + os.sep, 1)[1].split(os.sep, 1)[0][:-4]
    if target not in LAYERS:
        continue  # tests, bench, examples sit on top of everything
    src = o.split(".dir" + os.sep, 1)[1][:-2]  # path of the source file
    layer_of[src] = target
    for line in subprocess.run(["nm", o], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRC":
            defs[p[2]] = src
        elif len(p) == 2 and p[0] == "U":
            uses[src].add(p[1])

missing = [t for t in LAYERS if t not in layer_of.values()]
if missing:
    sys.exit(f"check_layers: no object files of {', '.join(missing)} under {build}: build first")

edges = collections.defaultdict(dict)  # file -> {file it calls: a symbol}
for f, syms in uses.items():
    for s in sorted(syms):
        d = defs.get(s)
        if d and d != f:
            edges[f].setdefault(d, s)

# Tarjan's strongly connected components: any of more than one file is a ring.
index, low, stack, on, rings = {}, {}, [], set(), []
def visit(v, counter=[0]):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            rings.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(layer_of):
    if v not in index:
        visit(v)

bad = 0
for ring in rings:
    bad += 1
    print("ring of calls between files:", ", ".join(ring))
    for a in ring:
        for b, s in sorted(edges[a].items()):
            if b in ring:
                print(f"    {a} -> {b} ({s})")
for a in sorted(edges):
    for b, s in sorted(edges[a].items()):
        if LAYERS.index(layer_of[a]) < LAYERS.index(layer_of[b]):
            bad += 1
            print(f"upward call: {a} ({layer_of[a]}) -> {b} ({layer_of[b]}) via {s}")

n_edges = sum(len(v) for v in edges.values())
if bad:
    print(f"check_layers: {bad} problem(s) in {len(layer_of)} files")
    sys.exit(1)
print(f"check_layers: {len(layer_of)} files, {n_edges} file-to-file calls, "
      "no rings, no upward calls (" + " <- ".join(LAYERS) + ")")
