/* event_queue.c - a binary min-heap of node pointers keyed by (time, seq). */
#include "event_queue.h"

#include <stdlib.h>

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *))
{
    n->time = 0;
    n->seq = 0;
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
        q->heap[i]->slot = SIZE_MAX;
    free(q->heap);
    fs_event_queue_init(q);
}

static bool fs__before(const fs_qnode *a, const fs_qnode *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void fs__place(fs_event_queue *q, size_t i, fs_qnode *n)
{
    q->heap[i] = n;
    n->slot = i;
}

static void fs__sift_up(fs_event_queue *q, size_t i)
{
    fs_qnode *n = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!fs__before(n, q->heap[parent]))
            break;
        fs__place(q, i, q->heap[parent]);
        i = parent;
    }
    fs__place(q, i, n);
}

static void fs__sift_down(fs_event_queue *q, size_t i)
{
    fs_qnode *n = q->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= q->len)
            break;
        if (child + 1 < q->len && fs__before(q->heap[child + 1], q->heap[child]))
            child++;
        if (!fs__before(q->heap[child], n))
            break;
        fs__place(q, i, q->heap[child]);
        i = child;
    }
    fs__place(q, i, n);
}

bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        fs_qnode **heap = realloc(q->heap, cap * sizeof *heap);
        if (!heap)
            return false;
        q->heap = heap;
        q->cap = cap;
    }
    n->time = t;
    n->seq = q->next_seq++;
    q->heap[q->len] = n;
    n->slot = q->len++;
    fs__sift_up(q, n->slot);
    return true;
}

void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n)
{
    if (!fs_qnode_queued(n))
        return;
    size_t i = n->slot;
    n->slot = SIZE_MAX;
    fs_qnode *last = q->heap[--q->len];
    if (i == q->len)
        return;
    fs__place(q, i, last);
    if (i > 0 && fs__before(last, q->heap[(i - 1) / 2]))
        fs__sift_up(q, i);
    else
        fs__sift_down(q, i);
}

fs_qnode *fs_event_queue_pop(fs_event_queue *q)
{
    if (!q->len)
        return NULL;
    fs_qnode *n = q->heap[0];
    fs_event_queue_remove(q, n);
    return n;
}
