/* source.h - where the viewer's traces come from: trace files read as
 * written, and scenarios (files or embedded text) simulated in-process under
 * each executor asked for, their traces written to memory and read back by
 * the same reader a .jsonl file goes through. For --watch it re-checks the
 * files' modification times and rebuilds everything when one changed.
 *
 * Generations: a reload builds a complete new set of traces. The previous
 * set stays allocated until the reload after it, so a viewer switched to
 * the new set (fs_viz_viewer_reload) never holds a freed pointer. */
#ifndef FS_VIZ_SOURCE_H
#define FS_VIZ_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "run.h"
#include "trace_reader.h"

#define FS_VIZ_MAX_TRACES 16

typedef struct fs_viz_source fs_viz_source;

/* The viewer's memory policy, for a process that loads big traces (the
 * view command and bench_viewer call it before loading): every block comes
 * from the heap (none gets a mapping of its own) and freed memory is kept
 * for the next allocation instead of given back. Fresh memory is what a big
 * read pays most for (a page fault per 4 KiB touched the first time), and
 * reading frees its logs and grown arrays as it lays the model out; kept,
 * the next ones reuse those pages. */
void fs_viz_keep_memory(void);

/* runs: one description per executor (scenario left NULL: filled per
 * scenario), copied. NULL when out of memory. */
fs_viz_source *fs_viz_source_create(const fs_run_desc *runs, size_t n_runs);
void fs_viz_source_free(fs_viz_source *s);
/* Adds a trace (.jsonl) or a scenario file, loaded now. On failure returns
 * the error code with err holding the message (as fs_error_print writes
 * it, without the newline); nothing is added. */
fs_errcode fs_viz_source_add_file(fs_viz_source *s, const char *path, char *err, size_t errn);
/* Adds n files in order, as fs_viz_source_add_file would one after
 * another, but reads the trace files (.jsonl) at once, each on a thread of
 * its own (the first on the calling thread): two big traces stacked load
 * in about the time of the bigger one on two cores. On failure the files
 * before the failing one are added and err is the failing one's. */
fs_errcode fs_viz_source_add_files(fs_viz_source *s, const char *const *paths, size_t n, char *err,
                                   size_t errn);
/* Adds a scenario given as text (never reloaded). */
fs_errcode fs_viz_source_add_text(fs_viz_source *s, const char *text, size_t len, const char *name,
                                  char *err, size_t errn);
/* The current traces, in the order added (a scenario: one per run). */
fs_trace **fs_viz_source_traces(fs_viz_source *s, size_t *n);
/* --watch: 0 when no file changed since the last check; 1 when one did and
 * everything was reloaded (fs_viz_source_traces gives the new set); -1 when
 * the reload failed: err holds the message and the last good traces stay
 * current. A failed edit is not retried until the file changes again. */
int fs_viz_source_check(fs_viz_source *s, char *err, size_t errn);

#endif
