/* event_queue.c - a radix heap over (time, seq) (see the header). */
#include "event_queue.h"

#include <stdio.h>
#include <stdlib.h>

#define FS__SLOT(bucket, index) (((size_t)(bucket) << 48) | (index))
#define FS__BUCKET(slot) ((slot) >> 48)
#define FS__INDEX(slot) ((slot) & (((size_t)1 << 48) - 1))

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *))
{
    n->slot = SIZE_MAX;
    n->fire = fire;
}

void fs_event_queue_init(fs_event_queue *q)
{
    *q = (fs_event_queue){0};
    for (int k = 0; k < FS_QBUCKETS; k++)
        q->b[k].min = INT64_MAX;
}

void fs_event_queue_destroy(fs_event_queue *q)
{
    for (int k = 0; k < FS_QBUCKETS; k++) {
        for (size_t i = 0; i < q->b[k].len; i++)
            if (q->b[k].e[i].node)
                q->b[k].e[i].node->slot = SIZE_MAX;
        free(q->b[k].e);
    }
    fs_event_queue_init(q);
}

/* The bucket of time t: 0 if it is the last time taken out, else one past
 * the highest bit in which they differ. */
static int fs__bucket_of(const fs_event_queue *q, int64_t t)
{
    uint64_t x = (uint64_t)t ^ (uint64_t)q->last;
    return x ? 64 - __builtin_clzll(x) : 0;
}

/* Appends e to bucket k; false (nothing changed) if it cannot grow. */
static bool fs__append(fs_event_queue *q, int k, fs_qentry e)
{
    fs_qbucket *b = &q->b[k];
    if (b->len == b->cap) {
        size_t cap = b->cap < 16 ? 16 : b->cap + b->cap / 4; /* 1.25x: many buckets, less slack */
        fs_qentry *ne = realloc(b->e, cap * sizeof *ne);
        if (!ne)
            return false;
        b->e = ne;
        b->cap = cap;
    }
    b->e[b->len] = e;
    e.node->slot = FS__SLOT(k, b->len);
    b->len++;
    if (e.time < b->min)
        b->min = e.time;
    if (k)
        q->nonempty |= 1ull << (k - 1);
    return true;
}

bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t)
{
    if (t < q->last) {
        fprintf(stderr, "event_queue: scheduled at %lld, before %lld\n", (long long)t,
                (long long)q->last);
        abort();
    }
    fs_qentry e = {.time = t, .seq = q->next_seq++, .node = n};
    /* In bucket 0 (time == last) a new event has the highest seq: appending
     * keeps the bucket in order. */
    if (!fs__append(q, fs__bucket_of(q, t), e))
        return false;
    q->len++;
    return true;
}

static int fs__by_seq(const void *a, const void *b)
{
    uint64_t x = ((const fs_qentry *)a)->seq, y = ((const fs_qentry *)b)->seq;
    return x < y ? -1 : x > y;
}

/* Skips bucket 0's holes; true if it holds a live event. */
static bool fs__bucket0_live(fs_event_queue *q)
{
    fs_qbucket *b0 = &q->b[0];
    while (q->head0 < b0->len && !b0->e[q->head0].node)
        q->head0++;
    if (q->head0 < b0->len)
        return true;
    b0->len = q->head0 = 0;
    b0->min = INT64_MAX;
    return false;
}

/* The lowest non-empty bucket above 0, or 0 if none. */
static int fs__lowest(const fs_event_queue *q)
{
    return q->nonempty ? __builtin_ctzll(q->nonempty) + 1 : 0;
}

/* Makes bucket 0 hold the earliest events (all at one time, in seq order);
 * false if the agenda is empty (or could not grow: `failed`). */
static bool fs__settle(fs_event_queue *q)
{
    if (fs__bucket0_live(q))
        return true;
    int k = fs__lowest(q);
    if (!k || q->failed)
        return false;
    fs_qbucket *bk = &q->b[k];
    q->last = bk->min;
    /* Spread bucket k into the lower buckets. Room first (so running out of
     * memory changes nothing), then the moves, which cannot fail. */
    size_t count[FS_QBUCKETS] = {0};
    for (size_t i = 0; i < bk->len; i++)
        count[fs__bucket_of(q, bk->e[i].time)]++;
    for (int to = 0; to < k; to++) {
        fs_qbucket *b = &q->b[to];
        if (count[to] && b->len + count[to] > b->cap) {
            size_t cap = b->len + count[to]; /* exactly: a spread fills it at once */
            fs_qentry *ne = realloc(b->e, cap * sizeof *ne);
            if (!ne) {
                q->failed = true;
                return false;
            }
            b->e = ne;
            b->cap = cap;
        }
    }
    for (size_t i = 0; i < bk->len; i++)
        fs__append(q, fs__bucket_of(q, bk->e[i].time), bk->e[i]);
    /* Its memory goes back: it may have been the biggest bucket, and it
     * refills only slowly (from later schedules). */
    free(bk->e);
    bk->e = NULL;
    bk->len = bk->cap = 0;
    bk->min = INT64_MAX;
    q->nonempty &= ~(1ull << (k - 1));
    fs_qbucket *b0 = &q->b[0];
    if (b0->len > 1) {
        qsort(b0->e, b0->len, sizeof *b0->e, fs__by_seq);
        for (size_t i = 0; i < b0->len; i++)
            b0->e[i].node->slot = FS__SLOT(0, i);
    }
    return true;
}

int64_t fs_event_queue_next_time(fs_event_queue *q)
{
    if (q->failed)
        return -1;
    if (fs__bucket0_live(q))
        return q->last;
    int k = fs__lowest(q);
    return k ? q->b[k].min : -1;
}

fs_qnode *fs_event_queue_pop(fs_event_queue *q)
{
    if (!fs__settle(q))
        return NULL;
    fs_qnode *n = q->b[0].e[q->head0].node;
    q->b[0].e[q->head0].node = NULL;
    q->head0++;
    q->len--;
    n->slot = SIZE_MAX;
    return n;
}

void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n)
{
    if (!fs_qnode_queued(n))
        return;
    size_t k = FS__BUCKET(n->slot), i = FS__INDEX(n->slot);
    fs_qbucket *b = &q->b[k];
    n->slot = SIZE_MAX;
    q->len--;
    if (k == 0) {
        b->e[i].node = NULL; /* bucket 0 keeps its order: leave a hole */
        return;
    }
    int64_t t = b->e[i].time;
    b->e[i] = b->e[--b->len];
    if (i < b->len)
        b->e[i].node->slot = FS__SLOT(k, i);
    if (!b->len)
        q->nonempty &= ~(1ull << (k - 1));
    if (t == b->min) { /* the earliest left: find the next (cancels are rare) */
        b->min = INT64_MAX;
        for (size_t j = 0; j < b->len; j++)
            if (b->e[j].time < b->min)
                b->min = b->e[j].time;
    }
}
