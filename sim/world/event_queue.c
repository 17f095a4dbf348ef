/* event_queue.c - the agenda: a timing wheel before a radix heap (see the
 * header). */
#include "event_queue.h"

#include <stdio.h>
#include <stdlib.h>

void fs_qnode_init(fs_qnode *n, void (*fire)(fs_qnode *, void *))
{
    n->time = 0;
    n->fire = fire;
    n->waker = NULL;
    n->queued = false;
}

/* Everything but the heap and the wheel, as a new agenda has it. */
static void fs__reset(fs_event_queue *q)
{
    q->len = 0;
    q->dead = (fs_qdead){0};
    q->spares.n = 0;
    q->spares.big.e = NULL;
    q->spares.big.cap = 0;
    q->failed = q->next_known = false;
    q->next = -1;
}

void fs_event_queue_init(fs_event_queue *q)
{
    fs__reset(q);
    fs_radix_heap_init(&q->now, &q->dead, &q->spares);
    fs_timer_wheel_init(&q->wheel, &q->dead, &q->spares);
}

void fs_event_queue_destroy(fs_event_queue *q)
{
    /* Live nodes are told they are out; dead ones may be freed already.
     * The heap and the wheel are left empty, as new (not set up again:
     * their 136 KB of buckets would be written once more per run). */
    fs_radix_heap_destroy(&q->now);
    fs_timer_wheel_destroy(&q->wheel);
    fs_qdead_free(&q->dead);
    fs_qspares_free(&q->spares);
    fs__reset(q);
}

/* Puts e where its time belongs: the current tick's heap or the wheel. */
static bool fs__place(fs_event_queue *q, fs_qentry e)
{
    int k = fs_timer_wheel_place(&q->wheel, e.time);
    return k < 0 ? fs_radix_heap_push(&q->now, e) : fs_timer_wheel_append(&q->wheel, k, e);
}

bool fs_event_queue_push(fs_event_queue *q, fs_qnode *n, int64_t t)
{
    if (t < q->now.last) {
        fprintf(stderr, "event_queue: scheduled at %lld, before %lld\n", (long long)t,
                (long long)q->now.last);
        abort();
    }
    if (!fs__place(q, (fs_qentry){.time = t, .node = n}))
        return false;
    n->time = t;
    n->queued = true;
    q->len++;
    if (q->next_known && (q->next < 0 || t < q->next))
        q->next = t;
    return true;
}

int64_t fs_event_queue_next_time(fs_event_queue *q)
{
    if (q->failed || (q->failed = q->now.failed))
        return -1;
    if (!q->next_known) {
        /* the heap's events are all before the wheel's */
        q->next = q->now.len ? fs_radix_heap_next_time(&q->now)
                             : fs_timer_wheel_next_time(&q->wheel);
        q->next_known = true;
    }
    return q->next;
}

/* The heap is empty: advances the wheel until its earliest events are in
 * the heap. Out of memory part way, the agenda is `failed` and reads as
 * empty: the entries placed so far stay where they went, for teardown; the
 * rest of the slot being moved are told they are out and its array freed. */
static bool fs__advance(fs_event_queue *q)
{
    int k = fs_timer_wheel_lowest(&q->wheel);
    if (k < 0)
        return false;
    /* the earliest time is taken out next: nothing is scheduled before it */
    fs_radix_heap_restart(&q->now, q->wheel.slot[k].min);
    while (!q->now.len) {
        fs_qbucket b;
        fs_timer_wheel_advance(&q->wheel, k, &b);
        if (k < FS_WHEEL_SLOTS && !b.dead && b.min == b.max) {
            fs_radix_heap_adopt(&q->now, &b); /* a whole slot at one time */
        } else {
            for (size_t i = 0; i < b.len; i++) {
                if (b.dead && fs_qdead_take(&q->dead, b.e[i])) {
                    b.dead--;
                    continue;
                }
                if (!fs__place(q, b.e[i])) {
                    /* the rest are nowhere else: told they are out */
                    fs_qbucket_release(&b, i, &q->dead);
                    q->failed = true;
                    return false;
                }
            }
        }
        fs_qbucket_empty(&b, &q->spares);
        if (!q->now.len && (k = fs_timer_wheel_lowest(&q->wheel)) < 0)
            return false; /* cannot happen: the wheel held a live event */
    }
    return true;
}

fs_qnode *fs_event_queue_pop(fs_event_queue *q)
{
    if (q->failed || (!q->now.len && !fs__advance(q)))
        return NULL;
    fs_qnode *n = fs_radix_heap_pop(&q->now);
    if (!n) {
        q->failed = q->now.failed;
        return NULL;
    }
    q->len--;
    n->queued = false;
    q->next_known = false;
    return n;
}

fs_qnode *fs_event_queue_peek(const fs_event_queue *q, size_t k)
{
    return fs_radix_heap_peek(&q->now, k);
}

void fs_event_queue_remove(fs_event_queue *q, fs_qnode *n)
{
    if (!fs_qnode_queued(n))
        return;
    fs_qentry e = {.time = n->time, .node = n};
    if (!fs_qdead_add(&q->dead, e)) {
        q->failed = true; /* reads as empty; the run reports out of memory */
        return;
    }
    int k = fs_timer_wheel_place(&q->wheel, e.time);
    if (k < 0)
        fs_radix_heap_count_dead(&q->now, e);
    else
        fs_timer_wheel_count_dead(&q->wheel, k, e);
    n->queued = false;
    q->len--;
    q->next_known = false;
}
