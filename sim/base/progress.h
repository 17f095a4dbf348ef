/* progress.h - "still working" on stderr during long runs, when stderr is a
 * terminal: a line rewritten in place, cleared when the work is done. Quick
 * runs (under half a second) print nothing. */
#ifndef FS_PROGRESS_H
#define FS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec.h"

typedef struct fs_progress {
    char label[64];
    double start;
    bool tty, shown;
} fs_progress;

void fs_progress_init(fs_progress *p, const char *label);
/* For fs_run_desc.progress (ctx: the fs_progress). */
void fs_progress_run(void *ctx, const fs_exec_stats *stats, int64_t now);
/* For fs_explore_desc.progress (ctx: the fs_progress): "LABEL: N of M runs
 * done, K not ok...". */
void fs_progress_runs(void *ctx, uint64_t done, uint64_t total, uint64_t not_ok);
/* Clears the line if one was shown. */
void fs_progress_done(fs_progress *p);
/* Reports trace reading (fs_trace_set_progress) while the program runs:
 * "reading NAME: N lines", cleared by fs_progress_done on the same object. */
void fs_progress_trace_lines(void *ctx, const char *name, size_t lines);

#endif
