/* child_set.h - the children of a join or select, each with a waker of its
 * own (like futures::FuturesUnordered): a child's waker records that child
 * as ready and wakes the task, so a poll of the combinator polls only the
 * children that were woken, and a join of N children costs O(N log N) over
 * the run instead of O(N^2).
 *
 * Layout (one block, built in place): the set's header lives in the
 * combinator; after it come per-child flags, the ready list and the
 * children's offsets, then the children side by side.
 *
 * A child waker is (vtable, set, index). Cloning or dropping one clones or
 * drops the task waker it stands for, so the task's count of live wakers
 * (and so stall reports) stays true. A child waker never outlives its set:
 * devices give back the wakers of futures that are dropped, and the set's
 * children are dropped before the set. */
#ifndef FS_CHILD_SET_H
#define FS_CHILD_SET_H

#include "node.h"

typedef struct fs_child_set {
    fs_waker parent;      /* the waker the combinator was last polled with (a copy) */
    uint32_t n;
    uint32_t head, n_ready; /* the ready ring: n_ready entries from ready[head] */
    uint32_t cursor, batch; /* the poll in progress takes batch children: all of
                             * them on the first poll, later the ring's first */
    bool started;         /* polled at least once (the first poll polls all) */
    uint8_t *flags;
    /* Children woken since they were last polled, oldest first, in a ring
     * of n: a child is in it at most once (FS__QUEUED), taken off when it is
     * polled, so a child woken again while the poll walks the batch fits. */
    uint32_t *ready;
    uint32_t *offset;     /* byte offset of each child from the set's block */
    unsigned char *block;
} fs_child_set;

/* Bytes needed after the combinator's header for n children of spec. */
size_t fs_child_set_size(const fs_future_spec *spec);
/* Lays out the set in mem (fs_child_set_size bytes) and builds the children. */
void fs_child_set_init(fs_child_set *s, unsigned char *mem, fs_world *w, const fs_future_spec *spec,
                       uint64_t occ);

/* A poll of the combinator: begin, then next() gives each child to poll (all
 * of them on the first poll, afterwards those woken; each is a loop step of
 * the poll, fs_context_step, and none is given past a limit), poll() polls it with
 * its own waker, done() drops a finished child; end() after the loop. */
void fs_child_set_begin(fs_child_set *s, fs_context *cx);
bool fs_child_set_next(fs_child_set *s, fs_context *cx, uint32_t *i);
fs_poll fs_child_set_poll(fs_child_set *s, uint32_t i, fs_context *cx);
void fs_child_set_done(fs_child_set *s, uint32_t i);
void fs_child_set_end(fs_child_set *s);
bool fs_child_set_is_done(const fs_child_set *s, uint32_t i);
/* Drops every child not done yet, calling cancelled(ctx, i) for each. */
void fs_child_set_drop_all(fs_child_set *s, void (*cancelled)(void *ctx, uint32_t i), void *ctx);

#endif
