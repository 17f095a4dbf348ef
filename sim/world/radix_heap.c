/* radix_heap.c - the current tick's events: a radix heap over (time,
 * scheduling order) (see the header). */
#include "radix_heap.h"

#include <string.h>

enum { FS__AHEAD = 8 }; /* events fetched ahead of the one popped */

/* Everything but the buckets, as a new heap has it. The buckets (110 KB)
 * are written once each, never zeroed first: a short run (explore's) makes
 * and frees a heap per run, and those writes were most of its time. */
static void fs__reset(fs_radix_heap *h, fs_qdead *dead, fs_qspares *spares)
{
    h->head0 = h->len = 0;
    h->last = 0;
    h->failed = false;
    h->dead = dead;
    h->spares = spares;
    memset(h->nonempty, 0, sizeof h->nonempty);
    h->nonempty_words = 0;
}

void fs_radix_heap_init(fs_radix_heap *h, fs_qdead *dead, fs_qspares *spares)
{
    fs__reset(h, dead, spares);
    for (int k = 0; k < FS_QBUCKETS; k++)
        h->b[k] = FS_QBUCKET_EMPTY;
}

void fs_radix_heap_destroy(fs_radix_heap *h)
{
    /* Live nodes are told they are out; dead ones may be freed already.
     * Each bucket is left empty. */
    for (int k = 0; k < FS_QBUCKETS; k++)
        fs_qbucket_release(&h->b[k], k ? 0 : h->head0, h->dead);
    fs__reset(h, h->dead, h->spares);
}

/* The bucket of time t: 0 if it is the last time taken out, else named by
 * the highest byte in which they differ and t's value there. Buckets in
 * index order are in time order. An entry's bucket stays right as `last`
 * moves up: `last` only moves to the earliest time of the lowest bucket,
 * which agrees with it on every higher byte. */
static int fs__bucket_of(const fs_radix_heap *h, int64_t t)
{
    uint64_t x = (uint64_t)t ^ (uint64_t)h->last;
    if (!x)
        return 0;
    int byte = (63 - __builtin_clzll(x)) >> 3;
    return 1 + (byte << 8) + (int)(((uint64_t)t >> (byte << 3)) & 255);
}

static void fs__mark(fs_radix_heap *h, int k, bool nonempty)
{
    int w = (k - 1) >> 6;
    uint64_t bit = 1ull << ((k - 1) & 63);
    if (nonempty) {
        h->nonempty[w] |= bit;
        h->nonempty_words |= 1u << w;
    } else if (!(h->nonempty[w] &= ~bit)) {
        h->nonempty_words &= ~(1u << w);
    }
}

/* Appends e to bucket k; false (nothing changed) if it cannot grow. */
static inline __attribute__((always_inline)) bool fs__append(fs_radix_heap *h, int k,
                                                             fs_qentry e)
{
    bool ok = true;
    if (fs_qbucket_append(&h->b[k], h->spares, e, &ok) && k)
        fs__mark(h, k, true);
    return ok;
}

bool fs_radix_heap_push(fs_radix_heap *h, fs_qentry e)
{
    /* Appending keeps every bucket in scheduling order, bucket 0 too. */
    if (!fs__append(h, fs__bucket_of(h, e.time), e))
        return false;
    h->len++;
    return true;
}

static void fs__empty_bucket(fs_radix_heap *h, int k)
{
    fs_qbucket_empty(&h->b[k], h->spares);
    fs__mark(h, k, false);
}

/* Skips bucket 0's dead head entries; true if it holds a live event. */
static bool fs__bucket0_live(fs_radix_heap *h)
{
    fs_qbucket *b0 = &h->b[0];
    while (h->head0 < b0->len && b0->dead && fs_qdead_take(h->dead, b0->e[h->head0])) {
        b0->dead--;
        h->head0++;
    }
    if (h->head0 < b0->len)
        return true;
    b0->len = h->head0 = 0;
    b0->min = INT64_MAX;
    b0->max = INT64_MIN;
    b0->min_stale = false;
    return false;
}

/* The lowest bucket above 0 with a live event, its min exact; 0 if none. */
static int fs__lowest(fs_radix_heap *h)
{
    while (h->nonempty_words) {
        int w = __builtin_ctz(h->nonempty_words);
        int k = 1 + (w << 6) + __builtin_ctzll(h->nonempty[w]);
        fs_qbucket *b = &h->b[k];
        if (b->dead == b->len || b->min_stale) {
            fs_qbucket_purge(b, h->dead);
            if (!b->len)
                fs__empty_bucket(h, k);
        }
        if (b->len)
            return k;
    }
    return 0;
}

/* Makes bucket 0 hold the earliest events (all at one time, in order);
 * false if the heap is empty (or could not grow: `failed`). */
static bool fs__settle(fs_radix_heap *h)
{
    if (fs__bucket0_live(h))
        return true;
    int k = fs__lowest(h);
    if (!k || h->failed)
        return false;
    fs_qbucket *bk = &h->b[k];
    if (bk->dead)
        fs_qbucket_purge(bk, h->dead);
    h->last = bk->min;
    /* Spread bucket k, in order, into the lower buckets (all empty). Out of
     * memory part way, the heap is `failed` and reads as empty; the entries
     * moved so far are in two places, which only teardown sees. */
    for (size_t i = 0; i < bk->len; i++) {
        if (!fs__append(h, fs__bucket_of(h, bk->e[i].time), bk->e[i])) {
            h->failed = true;
            return false;
        }
    }
    fs__empty_bucket(h, k);
    return true;
}

int64_t fs_radix_heap_next_time(fs_radix_heap *h)
{
    if (!h->len || h->failed)
        return -1;
    if (fs__bucket0_live(h))
        return h->last;
    int k = fs__lowest(h);
    return k ? h->b[k].min : -1;
}

fs_qnode *fs_radix_heap_pop(fs_radix_heap *h)
{
    if (!h->len || h->failed || !fs__settle(h))
        return NULL;
    fs_qbucket *b0 = &h->b[0];
    /* Events at one time come out together, their nodes scattered: fetch
     * ahead the ones to fire next (a dead entry's node may be freed memory,
     * which a prefetch may touch harmlessly). */
    if (h->head0 + FS__AHEAD < b0->len)
        __builtin_prefetch(b0->e[h->head0 + FS__AHEAD].node, 1);
    fs_qnode *n = b0->e[h->head0++].node;
    h->len--;
    return n;
}

fs_qnode *fs_radix_heap_peek(const fs_radix_heap *h, size_t k)
{
    const fs_qbucket *b0 = &h->b[0];
    /* With a dead entry in bucket 0, an entry ahead may name freed memory. */
    if (b0->dead || h->head0 + k >= b0->len)
        return NULL;
    return b0->e[h->head0 + k].node;
}

void fs_radix_heap_count_dead(fs_radix_heap *h, fs_qentry e)
{
    fs_qbucket *b = &h->b[fs__bucket_of(h, e.time)];
    b->dead++;
    if (e.time == b->min)
        b->min_stale = true;
    h->len--;
}

void fs_radix_heap_restart(fs_radix_heap *h, int64_t t)
{
    /* Only dead entries are left; they sit in buckets named relative to the
     * old `last`, so they go before it moves. */
    fs__bucket0_live(h);
    fs__lowest(h);
    h->last = t;
}

void fs_radix_heap_adopt(fs_radix_heap *h, fs_qbucket *b)
{
    fs_qbucket old = h->b[0];
    h->b[0] = *b;
    *b = old;
    h->head0 = 0;
    h->len += h->b[0].len;
}
