/* event_queue.h - the simulated world's agenda: device events ordered by
 * (time, seq). seq is a counter taken when an event is scheduled, so events
 * at the same time fire in the order they were scheduled, on every run.
 *
 * Nodes are embedded in their owners (a sleep future, a socket's arrival) and
 * never allocated here. The heap is 4-ary and keeps each entry's key beside
 * the node pointer, so ordering never touches the nodes (with a million
 * timers, chasing node pointers was most of the cost); each node knows its
 * slot, so a cancelled sleep leaves the queue in O(log n). */
#ifndef FS_EVENT_QUEUE_H
#define FS_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fs_qnode fs_qnode;
struct fs_qnode {
    size_t slot;                          /* index in the heap, SIZE_MAX if not queued */
    void (*fire)(fs_qnode *node, void *ctx);
};  /* its time and seq live in its heap entry: 16 bytes in every timer */

typedef struct fs_qentry {
    int64_t time;
    uint64_t seq;
    fs_qnode *node;
} fs_qentry;

typedef struct fs_event_queue {
    fs_qentry *heap;
    size_t len, cap;
    uint64_t next_seq;
} fs_event_queue;

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *));
static inline bool fs_qnode_queued(const fs_qnode *n)
{
    return n->slot != SIZE_MAX;
}

void fs_event_queue_init(fs_event_queue *q);
void fs_event_queue_destroy(fs_event_queue *q);
/* Schedules n at time t; false when out of memory. n must not be queued. */
bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t);
/* Earliest node without removing it, or NULL. */
static inline fs_qnode *fs_event_queue_peek(const fs_event_queue *q)
{
    return q->len ? q->heap[0].node : NULL;
}
/* Time of the earliest node, or -1. */
static inline int64_t fs_event_queue_next_time(const fs_event_queue *q)
{
    return q->len ? q->heap[0].time : -1;
}
fs_qnode *fs_event_queue_pop(fs_event_queue *q);
/* Removes n if queued. */
void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n);

#endif
