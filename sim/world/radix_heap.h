/* radix_heap.h - the agenda's events of the wheel's current tick, in exact
 * time order and, at one time, in scheduling order.
 *
 * Simulated time never goes back, so this is a radix heap with byte digits:
 * an event goes, by appending, into the bucket named by the highest byte in
 * which its time differs from the last time taken out and by its value in
 * that byte (bucket 0: exactly that time). Taking out empties bucket 0, and
 * when it is empty, spreads the lowest non-empty bucket into lower ones.
 * Every bucket stays in the order its events were scheduled (a spread moves
 * a bucket in order into empty ones, and later events come after), so
 * bucket 0 is in that order too, and no sequence number is stored. The
 * timing wheel (timer_wheel.h) keeps everything later than its current
 * tick; this heap holds only what falls in that tick (or before it, when a
 * device schedules between the last event and the tick), so its events
 * seldom move more than once. */
#ifndef FS_RADIX_HEAP_H
#define FS_RADIX_HEAP_H

#include "qbucket.h"

/* Bucket 0, then 256 per byte of the time: 1 + 256 * byte + value. */
#define FS_QBUCKETS (1 + 8 * 256)

typedef struct fs_radix_heap {
    fs_qbucket b[FS_QBUCKETS];
    size_t head0;       /* bucket 0 is consumed from here */
    size_t len;         /* live events */
    int64_t last;       /* time of the last event taken out (or the start);
                           bucket 0 holds the events at exactly this time */
    bool failed;        /* out of memory while reorganising: it reads as empty */
    fs_qdead *dead;     /* the agenda's cancelled entries */
    fs_qspares *spares; /* the agenda's emptied arrays */
    uint64_t nonempty[(FS_QBUCKETS - 1) / 64]; /* bit k-1 set: bucket k holds events */
    uint32_t nonempty_words;                   /* bit w set: nonempty[w] != 0 */
} fs_radix_heap;

void fs_radix_heap_init(fs_radix_heap *h, fs_qdead *dead, fs_qspares *spares);
/* Tells live nodes they are out and frees the buckets. */
void fs_radix_heap_destroy(fs_radix_heap *h);
/* Appends e (e.time >= last); false (nothing changed) if out of memory. */
bool fs_radix_heap_push(fs_radix_heap *h, fs_qentry e);
/* Time of the earliest live event, or -1. Never reorganises. */
int64_t fs_radix_heap_next_time(fs_radix_heap *h);
/* Takes the earliest event out, or NULL (empty, or `failed`). */
fs_qnode *fs_radix_heap_pop(fs_radix_heap *h);
/* The event k places after the next one to pop, if it is at the same time
 * and known to be live; else NULL. */
fs_qnode *fs_radix_heap_peek(const fs_radix_heap *h, size_t k);
/* Counts e, already recorded dead in the agenda's record, in its bucket. */
void fs_radix_heap_count_dead(fs_radix_heap *h, fs_qentry e);
/* While it holds nothing: the last time taken out becomes t (>= last). */
void fs_radix_heap_restart(fs_radix_heap *h, int64_t t);
/* While it holds nothing and last == t: takes b (every entry live and at t,
 * in scheduling order) as bucket 0 by swapping arrays, so a whole slot of
 * the wheel comes due without a move. b gets the old, empty, array. */
void fs_radix_heap_adopt(fs_radix_heap *h, fs_qbucket *b);

#endif
