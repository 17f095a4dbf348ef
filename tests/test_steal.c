/* test_steal.c - the steal:N executor. Figures worked out by hand (polls
 * cost 1 us): N workers really run in parallel, device wakes unpark idle
 * workers, loaded local queues get stolen from, full ones overflow to the
 * injection queue, and the run is deterministic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define MS 1000000LL
#define US 1000LL

typedef fs_test_sim sim;

static void simulate(sim *s, const char *json, fs_exec_kind kind, int workers, uint64_t seed)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = workers,
                                            .has_seed = true, .seed = seed});
}

static const fs_exec_stats *st(const sim *s) { return fs_exec_get_stats(s->run->exec); }
static const fs_worker_stats *wk(const sim *s, int w) { return fs_exec_get_worker(s->run->exec, w); }

static void done(sim *s)
{
    fs_test_sim_free(s);
}

static const char *eight = "{\"tasks\":[{\"name\":\"c\",\"count\":8,\"future\":{\"compute_ms\":100}}]}";

/* One worker runs them one after another; four run two rounds of four. */
static void test_eight_computes(void **state)
{
    (void)state;
    sim s;
    simulate(&s, eight, FS_EXEC_WAKE, 1, 0);
    assert_int_equal(st(&s)->end_ns, 8 * (100 * MS + US));
    done(&s);
    simulate(&s, eight, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->end_ns, 2 * (100 * MS + US));
    for (int w = 0; w < 4; w++) {
        assert_int_equal(wk(&s, w)->polls, 2);
        assert_int_equal(wk(&s, w)->busy_ns, 2 * (100 * MS + US));
    }
    assert_int_equal(st(&s)->remote_schedules, 8); /* spawned before the run */
    done(&s);
}

/* A sleeper beside a 500 ms compute: on one worker its wake waits for the
 * compute; on two, the idle worker is unparked by the timer at once. */
static void test_wake_latency_with_a_second_worker(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"sleeper\",\"future\":{\"sleep_ms\":100}},"
                       "{\"name\":\"cruncher\",\"future\":{\"compute_ms\":500}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_WAKE, 1, 0);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->max_wake_latency_ns, 400 * MS + 2 * US);
    done(&s);
    simulate(&s, json, FS_EXEC_STEAL, 2, 0);
    assert_true(fs_exec_get_task(s.run->exec, 0)->max_wake_latency_ns < 1 * MS);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 100 * MS + US);
    assert_non_null(strstr(s.trace, "{\"t\":100000000,\"type\":\"unpark\",\"worker\":0}"));
    assert_int_equal(wk(&s, 0)->parks, 2);
    done(&s);
}

/* One task spawns 40 jobs onto its worker's queue: the others steal them
 * and the 400 ms of work finish in about 100 ms. */
static void test_idle_workers_steal(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"spawner\",\"future\":{\"repeat\":40,\"do\":"
                       "{\"spawn\":{\"name\":\"job\",\"future\":{\"compute_ms\":10}}}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->completed, 41);
    int64_t steals = 0, polls = 0;
    for (int w = 0; w < 4; w++) {
        steals += wk(&s, w)->steals;
        polls += wk(&s, w)->polls;
    }
    assert_int_equal(wk(&s, 0)->steals, 0); /* the loaded worker is the victim */
    assert_true(steals >= 20);
    assert_int_equal(polls, 41);
    assert_true(st(&s)->end_ns <= 101 * MS);
    assert_non_null(strstr(s.trace, "\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":"));
    done(&s);
}

/* 600 spawns overflow a 256-slot local queue into the injection queue. */
static void test_local_queue_overflows(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"spawner\",\"future\":{\"repeat\":600,\"do\":"
                       "{\"spawn\":{\"name\":\"job\",\"future\":{\"compute_ms\":1}}}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->completed, 601);
    assert_true(wk(&s, 0)->overflows >= 2);
    assert_true(st(&s)->remote_schedules > 256);
    done(&s);
}

/* A task woken by another task on the same worker runs next (LIFO slot). */
static void test_lifo_slot(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"ch\":{\"type\":\"channel\"}},\"tasks\":["
                       "{\"name\":\"rx\",\"future\":{\"recv\":\"ch\"}},"
                       "{\"name\":\"tx\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"send\":\"ch\"},{\"compute_ms\":1}]}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 1, 0);
    /* rx 0..1us; tx 1..2us (timer at 5.001 ms); tx again at 5.001 ms: the
     * send wakes rx into worker 0's LIFO slot, the compute runs to 6.002 ms;
     * rx is polled next and completes at 6.003 ms */
    assert_int_equal(wk(&s, 0)->lifo_polls, 1);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 6 * MS + 3 * US);
    done(&s);
}

/* A device wake that lands while the task's own poll is still running (here
 * a spurious wake due at the poll's start) is not lost: it takes effect when
 * the poll ends, as on one worker. */
static void test_device_wake_during_poll(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":100}]}},"
                       "\"tasks\":[{\"name\":\"r\",\"future\":{\"read\":\"a\",\"spurious_wakes\":3}}]}";
    sim one, four;
    simulate(&one, json, FS_EXEC_WAKE, 1, 0);
    simulate(&four, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&one)->polls, 5); /* first, three spurious, the arrival */
    assert_int_equal(st(&four)->polls, 5);
    assert_int_equal(st(&four)->wakes, 4);
    done(&one);
    done(&four);
}

/* A task woken by a task on another worker while its own poll still runs
 * (a 10 ms compute beside its pending recv) is polled again when that poll
 * ends; it used to be lost, and the run stalled. */
static void test_cross_worker_wake_during_poll(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"ch\":{\"type\":\"channel\"}},\"tasks\":["
                       "{\"name\":\"a\",\"future\":{\"join\":[{\"recv\":\"ch\"},{\"compute_ms\":10}]}},"
                       "{\"name\":\"b\",\"future\":{\"send\":\"ch\"}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 2, 0);
    assert_false(st(&s)->stalled);
    /* a: 0..10.001 ms on worker 0 (b sent at 0 on worker 1), again at 10.001 ms */
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 10 * MS + 2 * US);
    done(&s);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"w\",\"count\":30,\"future\":{\"repeat\":3,\"do\":"
                       "{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,20]}},{\"compute_ms\":{\"uniform\":[1,5]}},"
                       "{\"spawn\":{\"name\":\"j\",\"future\":{\"compute_ms\":2}}}]}}}]}";
    sim a, b;
    simulate(&a, json, FS_EXEC_STEAL, 3, 7);
    simulate(&b, json, FS_EXEC_STEAL, 3, 7);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.trace, b.trace, a.len);
    assert_int_equal(st(&a)->completed, 30 + 90);
    done(&a);
    done(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_computes),
        cmocka_unit_test(test_wake_latency_with_a_second_worker),
        cmocka_unit_test(test_idle_workers_steal),
        cmocka_unit_test(test_local_queue_overflows),
        cmocka_unit_test(test_lifo_slot),
        cmocka_unit_test(test_device_wake_during_poll),
        cmocka_unit_test(test_cross_worker_wake_during_poll),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
