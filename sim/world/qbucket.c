/* qbucket.c - the agenda's buckets and its record of cancelled entries (see
 * the header). */
#include "qbucket.h"

#include <stdlib.h>
#include <string.h>

enum { FS__SPARE_MAX = 1 << 12 }; /* entries in an emptied bucket's array kept for reuse */

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

bool fs_qdead_add(fs_qdead *d, fs_qentry k)
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

bool fs_qdead_take(fs_qdead *d, fs_qentry k)
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

void fs_qdead_free(fs_qdead *d)
{
    free(d->keys);
    *d = (fs_qdead){0};
}

/* ---- buckets ------------------------------------------------------------- */

__attribute__((noinline)) bool fs_qbucket_grow(fs_qbucket *b, fs_qspares *s)
{
    if (!b->cap && s->n) {
        b->e = s->a[--s->n].e;
        b->cap = s->a[s->n].cap;
        return true;
    }
    if (b->cap >= FS__SPARE_MAX && s->big.cap > b->cap) { /* move into the big one */
        fs_qentry *small = b->e;
        size_t small_cap = b->cap;
        memcpy(s->big.e, small, b->len * sizeof *small);
        b->e = s->big.e;
        b->cap = s->big.cap;
        s->big.e = NULL;
        s->big.cap = 0;
        if (small_cap <= FS__SPARE_MAX && s->n < FS_QSPARES) {
            s->a[s->n].e = small;
            s->a[s->n++].cap = small_cap;
        } else {
            free(small);
        }
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

void fs_qbucket_empty(fs_qbucket *b, fs_qspares *s)
{
    /* The array is kept for the next bucket that grows from nothing, or if
     * it is big, for the next bucket that outgrows the small ones if it is
     * the biggest (one big array is kept: the others' memory goes back). */
    if (b->cap && b->cap <= FS__SPARE_MAX && s->n < FS_QSPARES) {
        s->a[s->n].e = b->e;
        s->a[s->n++].cap = b->cap;
    } else if (b->cap > s->big.cap) { /* the biggest is kept (one array) */
        free(s->big.e);
        s->big.e = b->e;
        s->big.cap = b->cap;
    } else {
        free(b->e);
    }
    *b = FS_QBUCKET_EMPTY;
}

void fs_qbucket_purge(fs_qbucket *b, fs_qdead *d)
{
    size_t w = 0;
    b->min = INT64_MAX;
    b->max = INT64_MIN;
    for (size_t i = 0; i < b->len; i++) {
        if (b->dead && fs_qdead_take(d, b->e[i])) {
            b->dead--;
            continue;
        }
        fs_qentry e = b->e[i];
        b->e[w++] = e;
        if (e.time < b->min)
            b->min = e.time;
        if (e.time > b->max)
            b->max = e.time;
    }
    b->len = w;
    b->min_stale = false;
}

void fs_qbucket_release(fs_qbucket *b, size_t from, fs_qdead *d)
{
    /* Read in order, like every reading of a bucket: a dead entry's node may
     * be freed, and a node dead and queued again at one time is dead first. */
    for (size_t i = from; i < b->len; i++)
        if (!fs_qdead_take(d, b->e[i]))
            b->e[i].node->queued = false;
    free(b->e);
    *b = FS_QBUCKET_EMPTY;
}

void fs_qspares_free(fs_qspares *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->a[i].e);
    s->n = 0;
    free(s->big.e);
    s->big.e = NULL;
    s->big.cap = 0;
}
