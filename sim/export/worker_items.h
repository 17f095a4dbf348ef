/* worker_items.h - what runs on each worker, for both exports' worker lanes:
 * every poll slice and parked span of a trace, sorted and grouped where they
 * overlap (the busy executor's spins of several tasks interleave). */
#ifndef FS_WORKER_ITEMS_H
#define FS_WORKER_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "trace_reader.h"

/* A task's slice, or a parked span (task < 0). */
typedef struct fs_witem {
    int64_t t, end;
    int32_t worker;
    int32_t task;       /* -1: parked */
    size_t index;       /* slice index, or park index */
} fs_witem;

/* Every item of the trace, by worker, then start (the longer first: it
 * encloses), task and index, into a new array (NULL when there are none). */
fs_errcode fs_witems_collect(const fs_trace *tr, fs_witem **items, size_t *n);

bool fs_witem_is_spin(const fs_trace *tr, const fs_witem *it);

/* The group that starts at items[a]: the run on one worker in which each
 * item starts before the run so far ends (touching is not overlapping).
 * Returns one past its last item; *end is where the run ends. */
size_t fs_witem_group(const fs_witem *items, size_t n, size_t a, int64_t *end);

/* Whether the group's first item holds all the others, none of them a spin
 * (then it nests as it is). */
bool fs_witem_encloses(const fs_trace *tr, const fs_witem *g, size_t n);

#endif
