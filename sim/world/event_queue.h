/* event_queue.h - the simulated world's agenda: device events ordered by
 * time, and events at the same time in the order they were scheduled, on
 * every run.
 *
 * Two structures, one after the other in time: a hierarchical timing wheel
 * (timer_wheel.h) holds every event later than its current tick, and a
 * radix heap (radix_heap.h) the events of that tick in exact order. When
 * the heap is empty and an event is taken out, the wheel advances to its
 * earliest slot, cascading it a level down, until that slot's events are
 * due; a slot whose events are all at one time (every slot under steal:N,
 * whose timers round up to the tick, and most slots of runs with a zero
 * poll cost) becomes the heap's bucket 0 whole, without a move.
 *
 * Nodes are embedded in their owners (a sleep future, a socket's arrival)
 * and never allocated here, and the agenda never writes to a node it is only
 * moving; a cancel is recorded, not searched for (qbucket.h). Scheduling
 * before the last time taken out is a bug and aborts. */
#ifndef FS_EVENT_QUEUE_H
#define FS_EVENT_QUEUE_H

#include "qbucket.h"
#include "radix_heap.h"
#include "timer_wheel.h"

typedef struct fs_event_queue {
    fs_radix_heap now;  /* the wheel's current tick (and anything before it) */
    fs_timer_wheel wheel; /* everything later */
    size_t len;         /* live events */
    fs_qdead dead;      /* cancelled entries not yet read out */
    fs_qspares spares;  /* emptied buckets' arrays */
    bool failed;        /* out of memory while reorganising: it reads as empty */
    bool next_known;    /* next_time is cached in `next`: the executor asks */
    int64_t next;       /* after every poll, and mostly nothing has changed */
} fs_event_queue;

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *));
static inline bool fs_qnode_queued(const fs_qnode *n)
{
    return n->queued;
}

void fs_event_queue_init(fs_event_queue *q);
void fs_event_queue_destroy(fs_event_queue *q);
/* Schedules n at time t (not before the last time taken out); false when out
 * of memory. n must not be queued. */
bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t);
/* Time of the earliest event, or -1 (also after running out of memory:
 * check `failed`). */
int64_t fs_event_queue_next_time(fs_event_queue *q);
/* Takes the earliest event out, or NULL. */
fs_qnode *fs_event_queue_pop(fs_event_queue *q);
/* The event k places after the next one to pop, if it is at the same time
 * and known to be live; else NULL. For fetching ahead. */
fs_qnode *fs_event_queue_peek(const fs_event_queue *q, size_t k);
/* Removes n if queued. */
void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n);

#endif
