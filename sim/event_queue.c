/* event_queue.c - a 4-ary min-heap of (time, seq, node) entries. */
#include "event_queue.h"

#include <stdlib.h>

#define FS__ARITY 4

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *))
{
    n->slot = SIZE_MAX;
    n->fire = fire;
}

void fs_event_queue_init(fs_event_queue *q)
{
    q->heap = NULL;
    q->len = q->cap = 0;
    q->next_seq = 0;
}

void fs_event_queue_destroy(fs_event_queue *q)
{
    for (size_t i = 0; i < q->len; i++)
        q->heap[i].node->slot = SIZE_MAX;
    free(q->heap);
    fs_event_queue_init(q);
}

static bool fs__before(const fs_qentry *a, const fs_qentry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void fs__place(fs_event_queue *q, size_t i, fs_qentry e)
{
    q->heap[i] = e;
    e.node->slot = i;
}

static void fs__sift_up(fs_event_queue *q, size_t i, fs_qentry e)
{
    while (i > 0) {
        size_t parent = (i - 1) / FS__ARITY;
        if (!fs__before(&e, &q->heap[parent]))
            break;
        fs__place(q, i, q->heap[parent]);
        i = parent;
    }
    fs__place(q, i, e);
}

static void fs__sift_down(fs_event_queue *q, size_t i, fs_qentry e)
{
    for (;;) {
        size_t first = FS__ARITY * i + 1;
        if (first >= q->len)
            break;
        size_t last = first + FS__ARITY < q->len ? first + FS__ARITY : q->len;
        size_t best = first;
        for (size_t c = first + 1; c < last; c++)
            if (fs__before(&q->heap[c], &q->heap[best]))
                best = c;
        if (!fs__before(&q->heap[best], &e))
            break;
        fs__place(q, i, q->heap[best]);
        i = best;
    }
    fs__place(q, i, e);
}

bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        fs_qentry *heap = realloc(q->heap, cap * sizeof *heap);
        if (!heap)
            return false;
        q->heap = heap;
        q->cap = cap;
    }
    fs_qentry e = {.time = t, .seq = q->next_seq++, .node = n};
    fs__sift_up(q, q->len++, e);
    return true;
}

void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n)
{
    if (!fs_qnode_queued(n))
        return;
    size_t i = n->slot;
    n->slot = SIZE_MAX;
    fs_qentry last = q->heap[--q->len];
    if (i == q->len)
        return;
    if (i > 0 && fs__before(&last, &q->heap[(i - 1) / FS__ARITY]))
        fs__sift_up(q, i, last);
    else
        fs__sift_down(q, i, last);
}

fs_qnode *fs_event_queue_pop(fs_event_queue *q)
{
    if (!q->len)
        return NULL;
    fs_qnode *n = q->heap[0].node;
    fs_event_queue_remove(q, n);
    return n;
}
