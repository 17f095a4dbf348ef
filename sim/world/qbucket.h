/* qbucket.h - what the agenda's two structures (the timing wheel and the
 * radix heap of the current tick) are made of: buckets of (time, node)
 * entries kept in scheduling order, and the record of cancelled entries.
 *
 * The agenda never writes to a node it is only moving: at a million timers
 * those writes, at random addresses, were most of the cost. So a cancel
 * cannot find its entry; it records the entry's (node, time) as dead and the
 * entry is dropped when its bucket is next read in order. A node cancelled
 * and scheduled again for the same time has its dead entry first in that
 * order, so the count of dead (node, time) pairs is enough. A dead entry's
 * node may already be freed: it is never read. */
#ifndef FS_QBUCKET_H
#define FS_QBUCKET_H

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
                           never reorganises */
    int64_t max;        /* latest time appended (INT64_MIN when empty) */
    bool min_stale;     /* the entry at min was cancelled: recompute */
} fs_qbucket;

#define FS_QBUCKET_EMPTY ((fs_qbucket){.min = INT64_MAX, .max = INT64_MIN})

/* The cancelled entries still in a bucket, by (node, time), with
 * repeats (open addressing). */
typedef struct fs_qdead {
    fs_qentry *keys;    /* node NULL: empty slot */
    size_t cap, len;
} fs_qdead;

#define FS_QSPARES 64

/* Emptied buckets' arrays, for the next bucket that grows from nothing: the
 * buckets refill from empty all the time. And the biggest emptied array, for
 * a bucket that outgrows the small ones: at a million timers each wheel slot
 * of the level above the lowest fills to megabytes, and an array allocated
 * anew is memory the kernel must fault in and zero again. */
typedef struct fs_qspares {
    struct {
        fs_qentry *e;
        size_t cap;
    } a[FS_QSPARES], big;
    size_t n;
} fs_qspares;

/* Records (node, time) as dead once more; false when out of memory. */
bool fs_qdead_add(fs_qdead *d, fs_qentry k);
/* True if an entry (node, time) was dead; one fewer is now. */
bool fs_qdead_take(fs_qdead *d, fs_qentry k);
void fs_qdead_free(fs_qdead *d);

/* Room for one more entry in b; false (nothing changed) if it cannot grow. */
bool fs_qbucket_grow(fs_qbucket *b, fs_qspares *s);
/* Empties b, keeping its array in s unless it is big. */
void fs_qbucket_empty(fs_qbucket *b, fs_qspares *s);
/* Drops b's dead entries (keeping the order of the rest) and makes its min
 * exact again. */
void fs_qbucket_purge(fs_qbucket *b, fs_qdead *d);
/* Tells b's live nodes they are out, and frees its array. */
void fs_qbucket_release(fs_qbucket *b, size_t from, fs_qdead *d);
void fs_qspares_free(fs_qspares *s);

/* Appends e to b (true if b was empty); *ok false (nothing changed) if it
 * cannot grow. Every event passes here a few times: inlined. */
static inline __attribute__((always_inline)) bool fs_qbucket_append(fs_qbucket *b,
                                                                    fs_qspares *s,
                                                                    fs_qentry e, bool *ok)
{
    if (b->len == b->cap && !fs_qbucket_grow(b, s)) {
        *ok = false;
        return false;
    }
    b->e[b->len++] = e;
    if (e.time < b->min)
        b->min = e.time;
    if (e.time > b->max)
        b->max = e.time;
    return b->len == 1;
}

#endif
