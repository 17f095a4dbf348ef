/* parallel.h - a few independent jobs at once, each on a thread of its own:
 * the viewer's trace files read, and its bands set up, side by side. */
#ifndef FS_VIZ_PARALLEL_H
#define FS_VIZ_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

/* Calls fn on each of the n items (size bytes each, from items) and
 * returns when every call has returned. With threads, the first runs on
 * the calling thread and each other on a thread of its own (one whose
 * thread cannot start runs here, after the first); without, one after
 * another here. The calls must share nothing they write. */
void fs_viz_each_at_once(void *items, size_t n, size_t size, void (*fn)(void *item), bool threads);

#endif
