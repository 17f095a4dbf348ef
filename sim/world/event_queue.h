/* event_queue.h - the simulated world's agenda: device events ordered by
 * time, and events at the same time in the order they were scheduled, on
 * every run.
 *
 * Simulated time never goes back, so the agenda is a radix heap with byte
 * digits: an event goes, by appending, into the bucket named by the highest
 * byte in which its time differs from the last time taken out and by its
 * value in that byte (bucket 0: exactly that time). Taking out empties
 * bucket 0, and when it is empty, spreads the lowest non-empty bucket into
 * lower ones. An event moves about once per byte of its delay (three times
 * for a sleep of a second, counted in ns) through arrays read in order: with
 * a million timers, a binary heap's scattered compares, and then a radix
 * heap with bit digits (a move per bit), were most of the cost. Every bucket
 * stays in the order its events were scheduled (a spread moves a bucket in
 * order into empty ones, and later events come after), so bucket 0 is in
 * that order too, and no sequence number is stored.
 *
 * Nodes are embedded in their owners (a sleep future, a socket's arrival) and
 * never allocated here, and the agenda never writes to a node it is only
 * moving: at a million timers those writes, at random addresses, were most
 * of the cost. So a cancel cannot find its entry; it records the entry's
 * (node, time) as dead and the entry is dropped when its bucket is next read
 * in order. A node cancelled and scheduled again for the same time has its
 * dead entry first in that order, so the count of dead (node, time) pairs
 * is enough. A dead entry's node may already be freed: it is never read. Scheduling before the
 * last time taken out is a bug and aborts. */
#ifndef FS_EVENT_QUEUE_H
#define FS_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fs_qnode fs_qnode;
struct fs_qnode {
    int64_t time;                         /* when it fires, while queued */
    void (*fire)(fs_qnode *node, void *ctx);
    const struct fs_waker *waker;         /* the waker it wakes, if one: fetched ahead */
    bool queued;
};

typedef struct fs_qentry {
    int64_t time;
    fs_qnode *node;
} fs_qentry;

typedef struct fs_qbucket {
    fs_qentry *e;
    size_t len, cap;
    size_t dead;        /* entries in it that were cancelled */
    int64_t min;        /* earliest time in it (INT64_MAX when empty): peeking
                           never reorganises, so it cannot move `last` ahead */
    bool min_stale;     /* the entry at min was cancelled: recompute */
} fs_qbucket;

/* The cancelled entries still in a bucket, by (node, time), with
 * repeats (open addressing). */
typedef struct fs_qdead {
    fs_qentry *keys;    /* node NULL: empty slot */
    size_t cap, len;
} fs_qdead;

#define FS_QSPARES 64

/* Bucket 0, then 256 per byte of the time: 1 + 256 * byte + value. */
#define FS_QBUCKETS (1 + 8 * 256)

typedef struct fs_event_queue {
    fs_qbucket b[FS_QBUCKETS];
    size_t head0;       /* bucket 0 is consumed from here */
    size_t len;         /* live events */
    fs_qdead dead;
    int64_t last;       /* time of the last event taken out (or the start);
                           bucket 0 holds the events at exactly this time */
    bool failed;        /* out of memory while reorganising: it reads as empty */
    bool next_known;    /* next_time is cached in `next`: the executor asks */
    int64_t next;       /* after every poll, and mostly nothing has changed */
    struct {            /* emptied buckets' arrays, for the next to grow */
        fs_qentry *e;
        size_t cap;
    } spare[FS_QSPARES];
    size_t n_spare;
    uint64_t nonempty[(FS_QBUCKETS - 1) / 64]; /* bit k-1 set: bucket k holds events */
    uint32_t nonempty_words;                   /* bit w set: nonempty[w] != 0 */
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
