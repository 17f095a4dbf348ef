/* event_queue.c - a radix heap over (time, scheduling order) (see the header). */
#include "event_queue.h"

#include <stdio.h>
#include <stdlib.h>

enum { FS__AHEAD = 8 }; /* events fetched ahead of the one popped */
enum { FS__SPARE_MAX = 1 << 12 }; /* entries in an emptied bucket's array kept for reuse */

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *))
{
    n->time = 0;
    n->fire = fire;
    n->waker = NULL;
    n->queued = false;
}

void fs_event_queue_init(fs_event_queue *q)
{
    *q = (fs_event_queue){0};
    for (int k = 0; k < FS_QBUCKETS; k++)
        q->b[k].min = INT64_MAX;
}

/* ---- the dead entries: linear probing, backward-shift deletion --------- */

static size_t fs__dead_home(const fs_qdead *d, fs_qentry k)
{
    uint64_t h = ((uint64_t)(uintptr_t)k.node ^ (uint64_t)k.time * 0x9E3779B97F4A7C15ull) *
                 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h >> 20) & (d->cap - 1);
}

static bool fs__same(fs_qentry a, fs_qentry b)
{
    return a.node == b.node && a.time == b.time;
}

static void fs__dead_put(fs_qdead *d, fs_qentry k)
{
    size_t i = fs__dead_home(d, k);
    while (d->keys[i].node)
        i = (i + 1) & (d->cap - 1);
    d->keys[i] = k;
}

static bool fs__dead_add(fs_qdead *d, fs_qentry k)
{
    if (2 * (d->len + 1) > d->cap) {
        size_t old_cap = d->cap, cap = d->cap ? 2 * d->cap : 64;
        fs_qentry *keys = calloc(cap, sizeof *keys), *old = d->keys;
        if (!keys)
            return false;
        d->keys = keys;
        d->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].node)
                fs__dead_put(d, old[i]);
        free(old);
    }
    fs__dead_put(d, k);
    d->len++;
    return true;
}

/* True if an entry (node, time) was dead; one fewer is now. */
static bool fs__dead_take(fs_qdead *d, fs_qentry k)
{
    if (!d->len)
        return false;
    size_t i = fs__dead_home(d, k);
    while (!fs__same(d->keys[i], k)) {
        if (!d->keys[i].node)
            return false;
        i = (i + 1) & (d->cap - 1);
    }
    for (size_t j = i;;) { /* shift the rest of the run back over the hole */
        j = (j + 1) & (d->cap - 1);
        if (!d->keys[j].node)
            break;
        size_t home = fs__dead_home(d, d->keys[j]);
        bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            d->keys[i] = d->keys[j];
            i = j;
        }
    }
    d->keys[i] = (fs_qentry){0};
    d->len--;
    return true;
}

/* ---- buckets ------------------------------------------------------------- */

void fs_event_queue_destroy(fs_event_queue *q)
{
    /* Live nodes are told they are out; dead ones may be freed already.
     * Read in order, like every reading of a bucket (see the header). */
    for (int k = 0; k < FS_QBUCKETS; k++) {
        for (size_t i = k ? 0 : q->head0; i < q->b[k].len; i++)
            if (!fs__dead_take(&q->dead, q->b[k].e[i]))
                q->b[k].e[i].node->queued = false;
        free(q->b[k].e);
    }
    free(q->dead.keys);
    for (size_t i = 0; i < q->n_spare; i++)
        free(q->spare[i].e);
    fs_event_queue_init(q);
}

/* The bucket of time t: 0 if it is the last time taken out, else named by
 * the highest byte in which they differ and t's value there. Buckets in
 * index order are in time order. An entry's bucket stays right as `last`
 * moves up: `last` only moves to the earliest time of the lowest bucket,
 * which agrees with it on every higher byte. */
static int fs__bucket_of(const fs_event_queue *q, int64_t t)
{
    uint64_t x = (uint64_t)t ^ (uint64_t)q->last;
    if (!x)
        return 0;
    int byte = (63 - __builtin_clzll(x)) >> 3;
    return 1 + (byte << 8) + (int)(((uint64_t)t >> (byte << 3)) & 255);
}

static void fs__mark(fs_event_queue *q, int k, bool nonempty)
{
    int w = (k - 1) >> 6;
    uint64_t bit = 1ull << ((k - 1) & 63);
    if (nonempty) {
        q->nonempty[w] |= bit;
        q->nonempty_words |= 1u << w;
    } else if (!(q->nonempty[w] &= ~bit)) {
        q->nonempty_words &= ~(1u << w);
    }
}

/* Room for one more entry in b; false (nothing changed) if it cannot grow. */
static __attribute__((noinline)) bool fs__grow_bucket(fs_event_queue *q, fs_qbucket *b)
{
    if (!b->cap && q->n_spare) {
        b->e = q->spare[--q->n_spare].e;
        b->cap = q->spare[q->n_spare].cap;
        return true;
    }
    /* 2x while small (buckets refill from empty all the time), then 1.25x:
     * a million timers sit in them */
    size_t cap = b->cap < 16 ? 16 : b->cap < 4096 ? 2 * b->cap : b->cap + b->cap / 4;
    fs_qentry *ne = realloc(b->e, cap * sizeof *ne);
    if (!ne)
        return false;
    b->e = ne;
    b->cap = cap;
    return true;
}

/* Appends e to bucket k; false (nothing changed) if it cannot grow. Every
 * event passes here a few times: inlined into the spread loop. */
static inline __attribute__((always_inline)) bool fs__append(fs_event_queue *q, int k,
                                                             fs_qentry e)
{
    fs_qbucket *b = &q->b[k];
    if (b->len == b->cap && !fs__grow_bucket(q, b))
        return false;
    b->e[b->len++] = e;
    if (e.time < b->min)
        b->min = e.time;
    if (k && b->len == 1)
        fs__mark(q, k, true);
    return true;
}

bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t)
{
    if (t < q->last) {
        fprintf(stderr, "event_queue: scheduled at %lld, before %lld\n", (long long)t,
                (long long)q->last);
        abort();
    }
    fs_qentry e = {.time = t, .node = n};
    /* Appending keeps every bucket in scheduling order, bucket 0 too. */
    if (!fs__append(q, fs__bucket_of(q, t), e))
        return false;
    n->time = t;
    n->queued = true;
    q->len++;
    if (q->next_known && (q->next < 0 || t < q->next))
        q->next = t;
    return true;
}

static void fs__empty_bucket(fs_event_queue *q, int k)
{
    fs_qbucket *b = &q->b[k];
    /* A spread empties a bucket and fills smaller ones from nothing: the
     * array is kept for the next bucket that grows from nothing, unless it
     * is big (the biggest bucket's memory goes back: it refills only
     * slowly, from later schedules). */
    if (b->cap <= FS__SPARE_MAX && q->n_spare < FS_QSPARES) {
        q->spare[q->n_spare].e = b->e;
        q->spare[q->n_spare++].cap = b->cap;
    } else {
        free(b->e);
    }
    *b = (fs_qbucket){.min = INT64_MAX};
    if (k)
        fs__mark(q, k, false);
}

/* Drops bucket k's dead entries (keeping the order of the rest) and makes
 * its min exact again. */
static void fs__purge(fs_event_queue *q, int k)
{
    fs_qbucket *b = &q->b[k];
    size_t w = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->dead && fs__dead_take(&q->dead, b->e[i])) {
            b->dead--;
            continue;
        }
        b->e[w++] = b->e[i];
    }
    b->len = w;
    b->min = INT64_MAX;
    b->min_stale = false;
    for (size_t i = 0; i < w; i++)
        if (b->e[i].time < b->min)
            b->min = b->e[i].time;
    if (!w && k)
        fs__empty_bucket(q, k);
}

/* Skips bucket 0's dead head entries; true if it holds a live event. */
static bool fs__bucket0_live(fs_event_queue *q)
{
    fs_qbucket *b0 = &q->b[0];
    while (q->head0 < b0->len && b0->dead && fs__dead_take(&q->dead, b0->e[q->head0])) {
        b0->dead--;
        q->head0++;
    }
    if (q->head0 < b0->len)
        return true;
    b0->len = q->head0 = 0;
    b0->min = INT64_MAX;
    b0->min_stale = false;
    return false;
}

/* The lowest bucket above 0 with a live event, its min exact; 0 if none. */
static int fs__lowest(fs_event_queue *q)
{
    while (q->nonempty_words) {
        int w = __builtin_ctz(q->nonempty_words);
        int k = 1 + (w << 6) + __builtin_ctzll(q->nonempty[w]);
        fs_qbucket *b = &q->b[k];
        if (b->dead == b->len || b->min_stale)
            fs__purge(q, k);
        if (b->len)
            return k;
    }
    return 0;
}

/* Makes bucket 0 hold the earliest events (all at one time, in order);
 * false if the agenda is empty (or could not grow: `failed`). */
static bool fs__settle(fs_event_queue *q)
{
    if (fs__bucket0_live(q))
        return true;
    int k = fs__lowest(q);
    if (!k || q->failed)
        return false;
    fs_qbucket *bk = &q->b[k];
    if (bk->dead)
        fs__purge(q, k);
    q->last = bk->min;
    /* Spread bucket k, in order, into the lower buckets (all empty). Out of
     * memory part way, the agenda is `failed` and reads as empty; the
     * entries moved so far are in two places, which only teardown sees. */
    for (size_t i = 0; i < bk->len; i++) {
        if (!fs__append(q, fs__bucket_of(q, bk->e[i].time), bk->e[i])) {
            q->failed = true;
            return false;
        }
    }
    fs__empty_bucket(q, k);
    return true;
}

static int64_t fs__next_time(fs_event_queue *q)
{
    if (!q->len)
        return -1;
    if (fs__bucket0_live(q))
        return q->last;
    int k = fs__lowest(q);
    return k ? q->b[k].min : -1;
}

int64_t fs_event_queue_next_time(fs_event_queue *q)
{
    if (q->failed)
        return -1;
    if (!q->next_known) {
        q->next = fs__next_time(q);
        q->next_known = true;
    }
    return q->next;
}

fs_qnode *fs_event_queue_pop(fs_event_queue *q)
{
    if (q->failed || !fs__settle(q))
        return NULL;
    fs_qbucket *b0 = &q->b[0];
    /* Events at one time come out together, their nodes scattered: fetch
     * ahead the ones to fire next (a dead entry's node may be freed memory,
     * which a prefetch may touch harmlessly). */
    if (q->head0 + FS__AHEAD < b0->len)
        __builtin_prefetch(b0->e[q->head0 + FS__AHEAD].node, 1);
    fs_qnode *n = b0->e[q->head0++].node;
    q->len--;
    n->queued = false;
    q->next_known = false;
    return n;
}

fs_qnode *fs_event_queue_peek(const fs_event_queue *q, size_t k)
{
    const fs_qbucket *b0 = &q->b[0];
    /* With a dead entry in bucket 0, an entry ahead may name freed memory. */
    if (b0->dead || q->head0 + k >= b0->len)
        return NULL;
    return b0->e[q->head0 + k].node;
}

void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n)
{
    if (!fs_qnode_queued(n))
        return;
    if (!fs__dead_add(&q->dead, (fs_qentry){.time = n->time, .node = n})) {
        q->failed = true; /* reads as empty; the run reports out of memory */
        return;
    }
    fs_qbucket *b = &q->b[fs__bucket_of(q, n->time)];
    b->dead++;
    if (n->time == b->min)
        b->min_stale = true;
    n->queued = false;
    q->len--;
    q->next_known = false;
}
