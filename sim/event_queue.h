/* event_queue.h - the simulated world's agenda: device events ordered by
 * (time, seq). seq is a counter taken when an event is scheduled, so events
 * at the same time fire in the order they were scheduled, on every run.
 *
 * Simulated time never goes back, so the agenda is a radix heap: an event
 * goes into the bucket of the highest bit in which its time differs from the
 * last time taken out, by appending. Taking out empties bucket 0 (events at
 * exactly that time, kept in seq order), and when it is empty, spreads the
 * lowest non-empty bucket into lower ones. Each event moves a few times in
 * its life instead of on every pop, through arrays read in order: with a
 * million timers, a binary heap's scattered compares were most of the cost.
 *
 * Nodes are embedded in their owners (a sleep future, a socket's arrival) and
 * never allocated here. Each node knows where it sits, so a cancelled sleep
 * leaves the agenda at once. Scheduling before the last time taken out is a
 * bug and aborts. */
#ifndef FS_EVENT_QUEUE_H
#define FS_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fs_qnode fs_qnode;
struct fs_qnode {
    size_t slot;                          /* bucket << 48 | index; SIZE_MAX if not queued */
    void (*fire)(fs_qnode *node, void *ctx);
};

typedef struct fs_qentry {
    int64_t time;
    uint64_t seq;
    fs_qnode *node;                       /* NULL: cancelled while in bucket 0 */
} fs_qentry;

typedef struct fs_qbucket {
    fs_qentry *e;
    size_t len, cap;
    int64_t min;        /* earliest time in it (INT64_MAX when empty): peeking
                           never reorganises, so it cannot move `last` ahead */
} fs_qbucket;

#define FS_QBUCKETS 65

typedef struct fs_event_queue {
    fs_qbucket b[FS_QBUCKETS];
    size_t head0;       /* bucket 0 is consumed from here */
    size_t len;         /* live events */
    int64_t last;       /* time of the last event taken out (or the start);
                           bucket 0 holds the events at exactly this time */
    uint64_t next_seq;
    bool failed;        /* out of memory while reorganising: it reads as empty */
    uint64_t nonempty;  /* bit k-1 set: bucket k (1..64) holds events */
} fs_event_queue;

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *));
static inline bool fs_qnode_queued(const fs_qnode *n)
{
    return n->slot != SIZE_MAX;
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
/* Removes n if queued. */
void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n);

#endif
