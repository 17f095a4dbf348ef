/* viewer_stacked.h - issue 14's acceptance case (viewer_stacked.c): tasks
 * W1-like tasks under wake and steal:4, opened stacked; the first frame,
 * the frame times over a script of input and the peak memory, printed
 * beside the targets. keep: a folder to keep the traces in (and reuse them
 * from), or NULL for a temporary one. first_only: stop after the first
 * frame (for a profiler). Returns 0, or 1 when something could not run. */
#ifndef FS_BENCH_VIEWER_STACKED_H
#define FS_BENCH_VIEWER_STACKED_H

#include <stdbool.h>

int bench_viewer_stacked(long tasks, const char *keep, bool first_only);

#endif
