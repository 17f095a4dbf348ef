/* test_timer_wheel.c - the agenda's timing wheel: where an event goes
 * (levels of 64 one-millisecond slots, the far bucket past the top level),
 * advancing across level boundaries, events at one instant in scheduling
 * order whichever level they were scheduled from, cancels (of a queued
 * event, of a whole slot, of one that already fired), and teardown.
 * test_event_queue.c checks the whole agenda against a brute-force one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "event_queue.h"

#define MS INT64_C(1000000)

static void no_fire(fs_qnode *n, void *ctx)
{
    (void)n;
    (void)ctx;
}

/* Level L slot s is L * 64 + s; the far bucket is after them. */
static void test_place_by_digit(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    const fs_timer_wheel *w = &q.wheel;
    assert_int_equal(fs_timer_wheel_place(w, 0), -1);            /* the current tick */
    assert_int_equal(fs_timer_wheel_place(w, MS - 1), -1);
    assert_int_equal(fs_timer_wheel_place(w, MS), 1);            /* tick 1 */
    assert_int_equal(fs_timer_wheel_place(w, 63 * MS + 5), 63);
    assert_int_equal(fs_timer_wheel_place(w, 64 * MS), 64 + 1);  /* level 1, digit 1 */
    assert_int_equal(fs_timer_wheel_place(w, 4095 * MS), 64 + 63);
    assert_int_equal(fs_timer_wheel_place(w, 4096 * MS), 128 + 1);
    assert_int_equal(fs_timer_wheel_place(w, (INT64_C(1) << 30) * MS), 5 * 64 + 1);
    assert_int_equal(fs_timer_wheel_place(w, ((INT64_C(1) << 36) - 1) * MS), 5 * 64 + 63);
    assert_int_equal(fs_timer_wheel_place(w, (INT64_C(1) << 36) * MS), FS_WHEEL_FAR);
    assert_int_equal(fs_timer_wheel_place(w, INT64_MAX), FS_WHEEL_FAR);
    fs_event_queue_destroy(&q);
}

/* Events either side of each level's boundary, scheduled out of order, come
 * out in time order; the wheel's tick follows the events taken out, and an
 * event scheduled after a cascade lands one level lower. */
static void test_advance_across_levels(void **state)
{
    (void)state;
    enum { N = 12 };
    const int64_t ticks[N] = {4097, 63, 262144, 64, 4096, 1, 65, 262143, 4095, 127, 128, 2};
    const int want[N] = {5, 11, 1, 3, 6, 9, 10, 8, 4, 0, 7, 2}; /* indexes by tick */
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode n[N];
    for (int i = 0; i < N; i++) {
        fs_qnode_init(&n[i], no_fire);
        assert_true(fs_event_queue_push(&q, &n[i], ticks[i] * MS));
    }
    assert_int_equal(q.wheel.len, N);
    assert_int_equal(q.wheel.levels, 0x0f); /* levels 0 to 3 */
    for (int i = 0; i < N; i++) {
        assert_int_equal(fs_event_queue_next_time(&q), ticks[want[i]] * MS);
        assert_ptr_equal(fs_event_queue_pop(&q), &n[want[i]]);
        assert_int_equal(q.wheel.elapsed, ticks[want[i]]);
        if (i == 3) { /* at tick 64: 100 is now in level 0, 200 in level 1 */
            fs_qnode a, b;
            fs_qnode_init(&a, no_fire);
            fs_qnode_init(&b, no_fire);
            assert_int_equal(fs_timer_wheel_place(&q.wheel, 100 * MS), 100 - 64);
            assert_int_equal(fs_timer_wheel_place(&q.wheel, 200 * MS), 64 + 3);
            assert_true(fs_event_queue_push(&q, &a, 100 * MS));
            fs_event_queue_remove(&q, &a);
            assert_false(fs_qnode_queued(&a));
        }
    }
    assert_null(fs_event_queue_pop(&q));
    assert_int_equal(fs_event_queue_next_time(&q), -1);
    assert_int_equal(q.len, 0);
    fs_event_queue_destroy(&q);
}

/* Deadlines past the top level (2^36 ms) wait in the far bucket and come
 * back into the levels when the wheel reaches them. */
static void test_far_deadlines(void **state)
{
    (void)state;
    const int64_t top = (INT64_C(1) << 36) * MS;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode far_max, far_b, far_a, far_a2, near;
    fs_qnode *all[] = {&far_max, &far_b, &far_a, &far_a2, &near};
    for (int i = 0; i < 5; i++)
        fs_qnode_init(all[i], no_fire);
    assert_true(fs_event_queue_push(&q, &far_max, INT64_MAX));
    assert_true(fs_event_queue_push(&q, &far_b, 3 * top + 7));
    assert_true(fs_event_queue_push(&q, &far_a, top + 5 * MS + 3));
    assert_true(fs_event_queue_push(&q, &near, 5 * MS));
    assert_true(fs_event_queue_push(&q, &far_a2, top + 5 * MS + 3)); /* same instant */
    assert_int_equal(q.wheel.slot[FS_WHEEL_FAR].len, 4);
    assert_ptr_equal(fs_event_queue_pop(&q), &near);
    assert_int_equal(fs_event_queue_next_time(&q), top + 5 * MS + 3);
    assert_ptr_equal(fs_event_queue_pop(&q), &far_a);
    assert_ptr_equal(fs_event_queue_pop(&q), &far_a2);
    assert_int_equal(q.wheel.elapsed, fs_wheel_tick(top + 5 * MS + 3));
    assert_ptr_equal(fs_event_queue_pop(&q), &far_b);
    assert_ptr_equal(fs_event_queue_pop(&q), &far_max);
    assert_null(fs_event_queue_pop(&q));
    fs_event_queue_destroy(&q);
}

/* One instant reached from four places: scheduled while it was in level 2,
 * level 1, level 0 and the current tick. They fire in scheduling order; and
 * exact times inside one tick fire in time order, ties in scheduling order.
 * Cancelling an event that already fired changes nothing. */
static void test_same_instant_order(void **state)
{
    (void)state;
    const int64_t at = 5000 * MS + 500;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode n[4], step[3], late, early, tie;
    for (int i = 0; i < 4; i++)
        fs_qnode_init(&n[i], no_fire);
    for (int i = 0; i < 3; i++)
        fs_qnode_init(&step[i], no_fire);
    fs_qnode_init(&late, no_fire);
    fs_qnode_init(&early, no_fire);
    fs_qnode_init(&tie, no_fire);
    assert_true(fs_event_queue_push(&q, &late, at + 700000)); /* later in the same tick */
    /* steps that move the wheel's tick: 4097 ms (the slot cascades from
     * level 2), 4995 ms (from level 1), 5000 ms (the tick of `at`) */
    const int64_t steps[3] = {4097 * MS, 4995 * MS, 5000 * MS};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fs_timer_wheel_place(&q.wheel, at) / FS_WHEEL_SLOTS, 2 - i);
        assert_true(fs_event_queue_push(&q, &n[i], at));
        assert_true(fs_event_queue_push(&q, &step[i], steps[i]));
        assert_ptr_equal(fs_event_queue_pop(&q), &step[i]);
        assert_int_equal(q.wheel.elapsed, steps[i] / MS);
    }
    assert_int_equal(fs_timer_wheel_place(&q.wheel, at), -1);
    assert_true(fs_event_queue_push(&q, &n[3], at));
    assert_true(fs_event_queue_push(&q, &early, at - 100));
    assert_true(fs_event_queue_push(&q, &tie, at + 700000));
    assert_int_equal(q.len, 7);
    fs_event_queue_remove(&q, &step[0]); /* fired long ago */
    fs_event_queue_remove(&q, &step[2]); /* fired just now */
    assert_int_equal(q.len, 7);
    fs_qnode *want[7] = {&early, &n[0], &n[1], &n[2], &n[3], &late, &tie};
    for (int i = 0; i < 7; i++)
        assert_ptr_equal(fs_event_queue_pop(&q), want[i]);
    assert_null(fs_event_queue_pop(&q));
    fs_event_queue_destroy(&q);
}

/* Cancels in a wheel slot: the slot's earliest cancelled, the earliest time
 * stays exact; a node cancelled and scheduled again for the same time fires
 * once, after an event scheduled between; a slot whose events are all
 * cancelled is skipped. */
static void test_cancel_in_slots(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_qnode a, b, c, d, e;
    fs_qnode *all[] = {&a, &b, &c, &d, &e};
    for (int i = 0; i < 5; i++)
        fs_qnode_init(all[i], no_fire);
    assert_true(fs_event_queue_push(&q, &a, 100 * MS));
    assert_true(fs_event_queue_push(&q, &b, 100 * MS + 1));
    assert_true(fs_event_queue_push(&q, &c, 300 * MS));
    assert_true(fs_event_queue_push(&q, &d, 300 * MS));
    fs_event_queue_remove(&q, &a);
    assert_int_equal(fs_event_queue_next_time(&q), 100 * MS + 1);
    fs_event_queue_remove(&q, &b);
    assert_int_equal(fs_event_queue_next_time(&q), 300 * MS);
    fs_event_queue_remove(&q, &c);
    assert_true(fs_event_queue_push(&q, &e, 300 * MS));
    assert_true(fs_event_queue_push(&q, &c, 300 * MS));
    assert_int_equal(q.len, 3);
    assert_ptr_equal(fs_event_queue_pop(&q), &d);
    assert_ptr_equal(fs_event_queue_pop(&q), &e);
    fs_event_queue_remove(&q, &e); /* fired: nothing happens */
    assert_int_equal(q.len, 1);
    assert_ptr_equal(fs_event_queue_pop(&q), &c);
    assert_null(fs_event_queue_pop(&q));
    assert_int_equal(q.dead.len, 0); /* every dead entry was read out */
    fs_event_queue_destroy(&q);
}

/* Teardown of an empty agenda, and of one with events in the current tick,
 * the levels and the far bucket, some cancelled: every live node is told it
 * is out (ASan finds any leak). */
static void test_destroy(void **state)
{
    (void)state;
    fs_event_queue q;
    fs_event_queue_init(&q);
    fs_event_queue_destroy(&q);
    fs_qnode n[6];
    const int64_t at[6] = {10, 2 * MS, 5000 * MS, INT64_MAX, 2 * MS, 10};
    for (int i = 0; i < 6; i++) {
        fs_qnode_init(&n[i], no_fire);
        assert_true(fs_event_queue_push(&q, &n[i], at[i]));
    }
    fs_event_queue_remove(&q, &n[4]);
    fs_event_queue_remove(&q, &n[5]);
    fs_event_queue_destroy(&q);
    for (int i = 0; i < 6; i++)
        assert_false(fs_qnode_queued(&n[i]));
    assert_int_equal(q.len, 0);
    fs_event_queue_destroy(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_place_by_digit),
        cmocka_unit_test(test_advance_across_levels),
        cmocka_unit_test(test_far_deadlines),
        cmocka_unit_test(test_same_instant_order),
        cmocka_unit_test(test_cancel_in_slots),
        cmocka_unit_test(test_destroy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
