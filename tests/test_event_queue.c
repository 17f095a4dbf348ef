/* test_event_queue.c - the agenda orders by time, then scheduling order, and
 * drops cancelled events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "event_queue.h"
#include "prng.h" /* random times for the brute-force check */

static void no_fire(fs_qnode *n, void *ctx)
{
    (void)n;
    (void)ctx;
}

/* Equal times come out in the order they were scheduled. */
static void test_ties_break_by_seq(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode n[5];
    int64_t times[5] = {30, 10, 30, 10, 20};
    for (int i = 0; i < 5; i++) {
        fs_qnode_init(&n[i], no_fire);
        assert_true(fs_event_queue_push(&q, &n[i], times[i]));
    }
    fs_qnode *want[5] = {&n[1], &n[3], &n[4], &n[0], &n[2]};
    for (int i = 0; i < 5; i++)
        assert_ptr_equal(fs_event_queue_pop(&q), want[i]);
    assert_null(fs_event_queue_pop(&q));
    fs_event_queue_destroy(&q);
}

/* Random pushes and removals against a brute-force check. */
/* A node cancelled and scheduled again for the same time fires once, in its
 * new place: after an event scheduled between the two. */
static void test_cancel_then_same_time(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode a, b, c;
    fs_qnode_init(&a, no_fire);
    fs_qnode_init(&b, no_fire);
    fs_qnode_init(&c, no_fire);
    assert_true(fs_event_queue_push(&q, &c, 5));
    assert_ptr_equal(fs_event_queue_pop(&q), &c); /* the agenda's time is now 5 */
    for (int64_t t = 5; t <= 1000; t += 995) {    /* in bucket 0, then in a higher one */
        assert_true(fs_event_queue_push(&q, &a, t));
        fs_event_queue_remove(&q, &a);
        assert_true(fs_event_queue_push(&q, &b, t));
        fs_event_queue_remove(&q, &a); /* not queued: nothing happens */
        assert_true(fs_event_queue_push(&q, &a, t));
        assert_int_equal(q.len, 2);
        assert_int_equal(fs_event_queue_next_time(&q), t);
        assert_ptr_equal(fs_event_queue_pop(&q), &b);
        assert_ptr_equal(fs_event_queue_pop(&q), &a);
        assert_null(fs_event_queue_pop(&q));
    }
    fs_event_queue_destroy(&q);
}

/* Cancelled events are dropped whatever bucket they are in; teardown leaves
 * live nodes marked as not queued. */
static void test_destroy_releases_live_nodes(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode n[4];
    for (int i = 0; i < 4; i++) {
        fs_qnode_init(&n[i], no_fire);
        assert_true(fs_event_queue_push(&q, &n[i], 100));
    }
    fs_event_queue_remove(&q, &n[1]);
    assert_true(fs_event_queue_push(&q, &n[1], 100));
    fs_event_queue_destroy(&q);
    for (int i = 0; i < 4; i++)
        assert_false(fs_qnode_queued(&n[i]));
}

static void test_remove_keeps_heap_order(void **state)
{
    (void)state;
    enum { N = 2000 };
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode *n = calloc(N, sizeof *n);
    int64_t *time = calloc(N, sizeof *time);
    fs_prng p;
    fs_prng_seed(&p, 7);
    for (int i = 0; i < N; i++) {
        fs_qnode_init(&n[i], no_fire);
        time[i] = fs_prng_range(&p, 0, 500);
        fs_event_queue_push(&q, &n[i], time[i]);
    }
    for (int i = 0; i < N; i += 3)
        fs_event_queue_remove(&q, &n[i]);
    assert_false(fs_qnode_queued(&n[0]));
    assert_int_equal(q.len, N - (N + 2) / 3);
    /* nodes were pushed in index order, so at equal times index order is seq order */
    int64_t last_t = -1, last_i = -1;
    fs_qnode *x;
    while ((x = fs_event_queue_pop(&q))) {
        int64_t i = x - n;
        assert_true(time[i] > last_t || (time[i] == last_t && i > last_i));
        assert_true(i % 3 != 0);
        last_t = time[i];
        last_i = i;
    }
    free(time);
    free(n);
    fs_event_queue_destroy(&q);
}

/* Pushes, pops and cancels interleaved as a run makes them (times never
 * before the last one taken out), checked against a brute-force agenda. */
static void test_interleaved_against_brute_force(void **state)
{
    (void)state;
    enum { N = 3000 };
    fs_qnode *n = calloc(N, sizeof *n);
    int64_t *time = calloc(N, sizeof *time);
    uint64_t *seq = calloc(N, sizeof *seq);
    bool *queued = calloc(N, sizeof *queued);
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_prng p;
    fs_prng_seed(&p, 99);
    int64_t now = 0;
    uint64_t next_seq = 0;
    int used = 0;
    for (int step = 0; step < 20000; step++) {
        int64_t op = fs_prng_range(&p, 0, 9);
        if (op < 5 && used < N) {
            int i = used++;
            fs_qnode_init(&n[i], no_fire);
            /* many equal times, some far ahead: in the current tick, in
             * each level of the timing wheel, in whole ticks, past its top */
            int64_t scale = fs_prng_range(&p, 0, 6), ms = 1000000;
            if (scale == 5 && now > (INT64_C(1) << 60))
                scale = 4; /* far ahead, but never past the end of time */
            int64_t delay = scale == 0   ? 0
                            : scale == 1 ? fs_prng_range(&p, 0, 20)
                            : scale == 2 ? fs_prng_range(&p, 0, 1 << 30)
                            : scale == 3 ? fs_prng_range(&p, 0, 64) * ms
                            : scale == 4 ? fs_prng_range(&p, 0, 1 << 20) * ms
                            : scale == 5 ? (fs_prng_range(&p, 0, 3) << 36) * ms
                                         : fs_prng_range(&p, 0, 2 * ms);
            time[i] = now + delay;
            seq[i] = next_seq++;
            queued[i] = true;
            assert_true(fs_event_queue_push(&q, &n[i], time[i]));
        } else if (op < 8) {
            int best = -1;
            for (int i = 0; i < used; i++)
                if (queued[i] && (best < 0 || time[i] < time[best] ||
                                  (time[i] == time[best] && seq[i] < seq[best])))
                    best = i;
            /* peeking is exact even with cancelled events in the buckets */
            assert_int_equal(fs_event_queue_next_time(&q), best < 0 ? -1 : time[best]);
            fs_qnode *x = fs_event_queue_pop(&q);
            if (best < 0) {
                assert_null(x);
                continue;
            }
            assert_ptr_equal(x, &n[best]);
            queued[best] = false;
            now = time[best];
        } else if (used) {
            int i = (int)fs_prng_range(&p, 0, used - 1);
            fs_event_queue_remove(&q, &n[i]);
            queued[i] = false;
            assert_false(fs_qnode_queued(&n[i]));
            if (op == 9) { /* the same node scheduled again: its old entry stays dead */
                time[i] = now + fs_prng_range(&p, 0, 50);
                seq[i] = next_seq++;
                queued[i] = true;
                assert_true(fs_event_queue_push(&q, &n[i], time[i]));
            }
        }
    }
    assert_true(now > (INT64_C(1) << 36) * 1000000); /* the far bucket was reached */
    fs_event_queue_destroy(&q);
    free(n);
    free(time);
    free(seq);
    free(queued);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_break_by_seq),
        cmocka_unit_test(test_cancel_then_same_time),
        cmocka_unit_test(test_destroy_releases_live_nodes),
        cmocka_unit_test(test_remove_keeps_heap_order),
        cmocka_unit_test(test_interleaved_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
