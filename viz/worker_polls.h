/* worker_polls.h - which task each poll on a worker runs: every worker's
 * polls (a spin counts as one) in time order, so a worker lane can name
 * and colour the task of each poll wide enough to show, and its hover can
 * say "worker 1 polls handler#3 (task 7) 12.003–12.004 ms".
 *
 * Built once per trace when a worker lane of it is first drawn (a pass
 * over every task's slices and a stable radix sort per worker, which
 * loading need not wait for while the workers' group is collapsed, as it
 * is at 100,000 tasks); a frame binary-searches the window as the task
 * lanes do. A worker runs one poll at a time, but a spin (identical
 * pending polls folded by the trace writer) spans all of them, and the busy
 * executor's spins of several tasks interleave on its one worker: such
 * polls are marked shared (no one task runs there) and the search by end
 * goes by reach, the latest end so far, which only grows. */
#ifndef FS_VIZ_WORKER_POLLS_H
#define FS_VIZ_WORKER_POLLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "theme.h"
#include "trace_reader.h"

typedef struct fs_viz_wpoll {
    int64_t t, end;      /* the slice's first poll's start, its last poll's end */
    int64_t reach;       /* the latest end of this and every earlier poll of the worker */
    uint32_t task;
    uint32_t slice : 31; /* index in the task's slices */
    uint32_t shared : 1; /* overlaps another task's poll (interleaved spins) */
} fs_viz_wpoll;

typedef struct fs_viz_wpolls {
    fs_viz_wpoll *polls; /* worker w's are polls[first[w] .. first[w + 1]) */
    size_t *first;       /* workers + 1 entries */
    int workers;
} fs_viz_wpolls;

/* Fills wp from tr; false when out of memory (wp is then empty). */
bool fs_viz_wpolls_build(fs_viz_wpolls *wp, const fs_trace *tr);
/* wp, built from tr first if it is empty (zeroed); NULL when out of memory. */
const fs_viz_wpolls *fs_viz_wpolls_get(fs_viz_wpolls *wp, const fs_trace *tr);
void fs_viz_wpolls_free(fs_viz_wpolls *wp);
/* Index (within worker w's polls) of the first poll reaching past t. */
size_t fs_viz_wpolls_first_ending_after(const fs_viz_wpolls *wp, int w, int64_t t);
/* ... and of the first starting at or after t. */
size_t fs_viz_wpolls_first_starting_at(const fs_viz_wpolls *wp, int w, int64_t t);
/* A task's colour on worker lanes: a stable hash of its id into the
 * theme's FS_VIZ_TASK_TINTS light tints (dark text reads on each); its
 * index there. A poll whose block touches the block before it on the lane
 * while both tasks hash to one tint takes the tint half the palette away
 * (fs_viz_task_tint_beside), so two touching blocks never share a colour. */
int fs_viz_task_tint(uint32_t task);
int fs_viz_task_tint_beside(uint32_t task, int left);
fs_viz_color fs_viz_task_color(const fs_viz_theme *th, uint32_t task);

#endif
