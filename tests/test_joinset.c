/* test_joinset.c - join_set (tokio's JoinSet) and aborting tasks, with
 * times and poll counts worked out by hand (polls cost 1 us unless a
 * scenario says otherwise; "+1us" is the cost of the poll that completes).
 * An aborted task completes with the failure "cancelled" at the end of the
 * poll that aborted it, and an entry of it left in a ready queue (the wake
 * ring, a local queue) is dropped without a poll (aborted_skips). */
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

static void simulate(sim *s, const char *json, fs_exec_kind kind, int workers)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = workers});
}

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

static void has(const sim *s, const char *line)
{
    if (!strstr(s->trace, line)) {
        fprintf(stderr, "missing: %s\n", line);
        fail();
    }
}

/* Three fetches read socket a (arrivals at 10, 20, 30 ms), the first wins.
 * main polls at 0 (spawns 1, 2, 3 and waits on all three JoinHandles), the
 * fetches at 1, 2, 3 us queue on the socket oldest first;
 * the 10 ms arrival wakes fetch#0, polled 10 ms -> +1us, ready 7; it wakes
 * main, polled +1us -> +2us: it takes 7 and drops the set, so fetch#1 and
 * fetch#2 complete "cancelled" at 10.002 ms, and the run ends there. */
#define FIRST_WINS                                                                         \
    "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"at_ms\":10,\"value\":7},"    \
    "{\"at_ms\":20,\"value\":8},{\"at_ms\":30,\"value\":9}]}},"                               \
    "\"tasks\":[{\"name\":\"main\",\"future\":{\"join_set\":{\"name\":\"fetch\",\"count\":3," \
    "\"future\":{\"read\":\"a\"}},\"take\":1}}]}"

static void test_first_wins_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, FIRST_WINS, FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 10 * MS + 2 * US);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->completed, 4);
    assert_int_equal(st(&s)->aborted, 2);
    assert_int_equal(st(&s)->aborted_skips, 0);
    assert_int_equal(task(&s, 0)->value, 7);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_NONE);
    assert_string_equal(task(&s, 1)->name, "main/fetch#0");
    assert_int_equal(task(&s, 1)->value, 7);
    for (uint32_t id = 2; id <= 3; id++) {
        assert_int_equal(task(&s, id)->fail, FS_FAIL_CANCELLED);
        assert_int_equal(task(&s, id)->completed_ns, 10 * MS + 2 * US);
        assert_int_equal(task(&s, id)->polls, 1);
        assert_int_equal(task(&s, id)->waker_refs, 0); /* the socket gave it back */
    }
    has(&s, "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"task:3\"}");
    has(&s, "{\"t\":10002000,\"type\":\"complete\",\"task\":0,\"value\":7}\n"
            "{\"t\":10002000,\"type\":\"complete\",\"task\":2,\"value\":0,\"error\":\"cancelled\"}\n"
            "{\"t\":10002000,\"type\":\"complete\",\"task\":3,\"value\":0,\"error\":\"cancelled\"}\n");
    has(&s, "\"aborted\":2,\"aborted_skips\":0");
    fs_test_sim_free(&s);
}

/* busy: passes of 4 polls (main and the three fetches), 4 us each. The
 * pass that ends at 10 ms fires the arrival; the next polls main (nothing
 * done yet), fetch#0 ready at 10.001 -> 10.002 ms, the two others; the pass
 * after polls main at 10.004 ms: it takes 7 and aborts the rest at 10.005. */
static void test_first_wins_busy(void **state)
{
    (void)state;
    sim s;
    simulate(&s, FIRST_WINS, FS_EXEC_BUSY, 1);
    assert_int_equal(st(&s)->end_ns, 10 * MS + 5 * US);
    assert_int_equal(st(&s)->aborted, 2);
    assert_int_equal(task(&s, 0)->value, 7);
    assert_int_equal(task(&s, 1)->completed_ns, 10 * MS + 2 * US);
    assert_int_equal(task(&s, 2)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 2)->completed_ns, 10 * MS + 5 * US);
    assert_int_equal(st(&s)->polls, 4 * 2501 + 1);
    fs_test_sim_free(&s);
}

/* A fetch woken but not yet polled when it is aborted stays in the wake
 * ring and is dropped when its turn comes. Polls cost 2 ms. main 0-2 ms
 * (spawns 2, 3, 4), other 2-4 ms (its timer at 22 ms), the fetches 4-6,
 * 6-8, 8-10 ms. The 10 ms arrival wakes fetch#0: 10-12 ms, ready 7, wakes
 * main: 12-14 ms. During main's poll the 13 ms arrival wakes fetch#1 (into
 * the ring); at 14 ms main completes and aborts fetch#1 (queued) and
 * fetch#2 (idle). fetch#1's ring entry is skipped; other runs 22-24 ms. */
static void test_abort_queued_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":2000000,"
                 "\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"at_ms\":10,\"value\":7},"
                 "{\"at_ms\":13,\"value\":8}]}},"
                 "\"tasks\":[{\"name\":\"main\",\"future\":{\"join_set\":{\"name\":\"fetch\",\"count\":3,"
                 "\"future\":{\"read\":\"a\"}},\"take\":1}},"
                 "{\"name\":\"other\",\"future\":{\"sleep_ms\":20}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 24 * MS);
    assert_int_equal(st(&s)->polls, 8);
    assert_int_equal(st(&s)->aborted, 2);
    assert_int_equal(st(&s)->aborted_skips, 1);
    assert_int_equal(task(&s, 0)->completed_ns, 14 * MS);
    assert_int_equal(task(&s, 3)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 3)->wakes, 1);  /* woken at 13 ms, never polled again */
    assert_int_equal(task(&s, 3)->polls, 1);
    assert_int_equal(task(&s, 4)->completed_ns, 14 * MS);
    has(&s, "{\"t\":14000000,\"type\":\"complete\",\"task\":3,\"value\":0,\"error\":\"cancelled\"}");
    has(&s, "\"aborted\":2,\"aborted_skips\":1");
    fs_test_sim_free(&s);
}

/* steal:2, worker 1 computing 100 ms (hog) so worker 0 is alone. main
 * polls 0-1 us and spawns 2, 3, 4: LIFO slot 4, local queue [2, 3]. The
 * LIFO loop polls 4 at 1 us, the queue 2 at 2 us and 3 at 3 us (timers at
 * 5.00x ms, rounded up to the 6 ms tick); worker 0 parks on the driver at
 * 4 us and wakes at 6.004 ms (the park keeps its tick's phase). The turn
 * wakes 4, 2, 3 in timer order: local [4, 2], LIFO 3. 3 polls 6.004 ms,
 * ready; main goes to the LIFO slot and polls at 6.005 ms: it takes 5 and
 * aborts 4 and 2, which sit in worker 0's local queue; they are dropped
 * unpolled at 6.006 ms, and worker 0 parks. hog ends at 100.001 ms. */
static void test_abort_local_queue_steal(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"main\",\"future\":{\"join_set\":{\"name\":\"f\",\"count\":3,"
                 "\"future\":{\"sleep_ms\":5}},\"take\":1}},"
                 "{\"name\":\"hog\",\"future\":{\"compute_ms\":100}}]}",
             FS_EXEC_STEAL, 2);
    assert_int_equal(st(&s)->end_ns, 100 * MS + US);
    assert_int_equal(st(&s)->polls, 7);
    assert_int_equal(st(&s)->aborted, 2);
    assert_int_equal(st(&s)->aborted_skips, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 6 * MS + 6 * US);
    assert_int_equal(task(&s, 0)->value, 5);
    assert_int_equal(task(&s, 3)->completed_ns, 6 * MS + 5 * US);
    for (uint32_t id = 2; id <= 4; id += 2) {
        assert_int_equal(task(&s, id)->fail, FS_FAIL_CANCELLED);
        assert_int_equal(task(&s, id)->completed_ns, 6 * MS + 6 * US);
        assert_int_equal(task(&s, id)->polls, 1);
    }
    const fs_worker_stats *w0 = fs_exec_get_worker(s.run->exec, 0);
    assert_int_equal(w0->polls, 6);
    assert_int_equal(w0->steals, 0);
    has(&s, "{\"t\":6004000,\"type\":\"queue\",\"worker\":0,\"depth\":2}");
    has(&s, "{\"t\":6006000,\"type\":\"queue\",\"worker\":0,\"depth\":1}\n"
            "{\"t\":6006000,\"type\":\"queue\",\"worker\":0,\"depth\":0}\n"
            "{\"t\":6006000,\"type\":\"park\",\"worker\":0}\n");
    fs_test_sim_free(&s);
}

/* take defaults to count: every member joined, in the order they finish
 * (50, 20 and 30 ms from their polls at 1, 2, 3 us: fetch#1, #2, #0), the
 * value the last one's; nothing aborted, and the summary does not say so. */
static void test_take_all(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"at_ms\":20,\"value\":1},"
                 "{\"at_ms\":30,\"value\":2},{\"at_ms\":50,\"value\":3}]}},"
                 "\"tasks\":[{\"name\":\"main\",\"future\":{\"join_set\":{\"name\":\"w\",\"count\":3,"
                 "\"future\":{\"read\":\"a\"}}}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 50 * MS + 2 * US);
    assert_int_equal(st(&s)->polls, 10); /* main 4, each fetch 2 */
    assert_int_equal(st(&s)->aborted, 0);
    assert_int_equal(task(&s, 0)->value, 3);
    assert_null(strstr(s.trace, "aborted"));
    fs_test_sim_free(&s);
}

/* The set loses a select to a 10 ms sleep: dropping it aborts all three
 * members (their 50 ms timers are cancelled) at the end of main's poll. */
#define SET_LOSES                                                                              \
    "{\"tasks\":[{\"name\":\"main\",\"future\":{\"select\":[{\"join_set\":{\"name\":\"f\","      \
    "\"count\":3,\"future\":{\"sleep_ms\":50}}},{\"sleep_ms\":10}]}}]}"

static void test_dropped_set_aborts_all(void **state)
{
    (void)state;
    sim s;
    simulate(&s, SET_LOSES, FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 10 * MS + US);
    assert_int_equal(st(&s)->polls, 5);
    assert_int_equal(st(&s)->aborted, 3);
    assert_int_equal(st(&s)->stale_wakes, 0); /* the timers never fire */
    assert_int_equal(task(&s, 0)->value, 10);
    for (uint32_t id = 1; id <= 3; id++) {
        assert_int_equal(task(&s, id)->fail, FS_FAIL_CANCELLED);
        assert_int_equal(task(&s, id)->waker_refs, 0);
    }
    has(&s, "{\"t\":10000000,\"type\":\"cancel\",\"task\":0,\"future\":\"join_set f\"}");
    fs_test_sim_free(&s);
}

/* blocking: main busy-waits alone (polls at 0, 1, ... 10000 us), the 10 ms
 * sleep wins, and the members, aborted before their turn, never run. */
static void test_dropped_set_blocking(void **state)
{
    (void)state;
    sim s;
    simulate(&s, SET_LOSES, FS_EXEC_BLOCKING, 1);
    assert_int_equal(st(&s)->end_ns, 10 * MS + US);
    assert_int_equal(st(&s)->polls, 10001);
    assert_int_equal(st(&s)->aborted, 3);
    assert_false(st(&s)->stalled);
    for (uint32_t id = 1; id <= 3; id++)
        assert_int_equal(task(&s, id)->polls, 0);
    fs_test_sim_free(&s);
}

/* A task aborted while it holds a mutex gives it back: its guard is part
 * of the future that is dropped. main selects between a set of one (f#0
 * locks m and sleeps 100 ms holding it) and a 10 ms sleep; t sleeps 5 ms,
 * then waits for m. */
static void test_abort_releases_mutex(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"m\":{\"type\":\"mutex\"}},"
                 "\"tasks\":[{\"name\":\"main\",\"future\":{\"select\":[{\"join_set\":{\"name\":\"f\","
                 "\"count\":1,\"future\":{\"lock\":\"m\",\"do\":{\"sleep_ms\":100}}}},{\"sleep_ms\":10}]}},"
                 "{\"name\":\"t\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"lock\":\"m\",\"do\":{\"sleep_ms\":1}}]}}]}",
             FS_EXEC_WAKE, 1);
    /* main 0-1 us; t 1-2 us (timer 5.001 ms); f#0 2-3 us locks m (timer
     * 100.002 ms). t at 5.001 ms waits for m; main at 10 ms: the sleep
     * wins, f#0 is aborted at 10.001 ms: m unlocked, t woken, polled at
     * 10.001 ms (its 1 ms timer at 11.001), ready at 11.001 ms + 1 us. */
    assert_int_equal(task(&s, 2)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 2)->completed_ns, 10 * MS + US);
    assert_int_equal(task(&s, 1)->completed_ns, 11 * MS + 2 * US);
    assert_int_equal(st(&s)->end_ns, 11 * MS + 2 * US);
    fs_test_sim_free(&s);
}

/* handle.abort() after a delay: a timeout around a set of one. m polls
 * at 0 (timer 50 ms); job#0 sleeps 10 ms at a time, polled at 1 us, then
 * 10.001, 20.002, 30.003, 40.004 ms (its next timer, 50.005 ms, never
 * fires). At 50 ms the timeout wins: m fails "elapsed" at 50.001 ms and
 * dropping the set cancels job#0 then. */
static void test_abort_after_timeout(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"m\",\"future\":{\"timeout_ms\":50,\"do\":{\"join_set\":"
                 "{\"name\":\"job\",\"count\":1,\"future\":{\"repeat\":10,\"do\":{\"sleep_ms\":10}}}}}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 50 * MS + US);
    assert_int_equal(st(&s)->polls, 7);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_ELAPSED);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 1)->polls, 5);
    assert_int_equal(task(&s, 1)->completed_ns, 50 * MS + US);
    assert_int_equal(st(&s)->stale_wakes, 0);
    fs_test_sim_free(&s);
}

/* steal:2: an abort that finds its task running on the other worker. The
 * members compute (seed 0 draws 2 ms for f#0, 9 ms for f#1), then sleep
 * 1 ms in the same poll. main spawns at 0; worker 0 polls f#1 (its LIFO
 * slot) 1 us -> 9.002 ms; worker 1 steals f#0, polls 1 us -> 2.002 ms
 * (timer 3.001 ms, the 4 ms tick), parks on the driver and wakes at
 * 4.002 ms: f#0 ready at 4.003 ms wakes main into worker 1's LIFO slot;
 * main's poll, 4.003 -> 4.004 ms, aborts f#1, still running: it is
 * cancelled when its poll ends pending, at 9.002 ms. */
static void test_abort_running_steal(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"main\",\"future\":{\"join_set\":{\"name\":\"f\",\"count\":2,"
                 "\"future\":{\"seq\":[{\"compute_ms\":{\"uniform\":[1,20]}},{\"sleep_ms\":1}]}},\"take\":1}}]}",
             FS_EXEC_STEAL, 2);
    assert_int_equal(st(&s)->end_ns, 9 * MS + 2 * US);
    assert_int_equal(st(&s)->polls, 5);
    assert_int_equal(st(&s)->aborted, 1);
    assert_int_equal(st(&s)->aborted_skips, 0);
    assert_int_equal(task(&s, 0)->completed_ns, 4 * MS + 4 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 4 * MS + 3 * US);
    assert_int_equal(task(&s, 2)->polls, 1);
    assert_int_equal(task(&s, 2)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 2)->completed_ns, 9 * MS + 2 * US);
    assert_int_equal(task(&s, 2)->waker_refs, 0); /* its timer was cancelled */
    has(&s, "{\"t\":1000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":9001000,\"result\":\"pending\"");
    has(&s, "{\"t\":9002000,\"type\":\"complete\",\"task\":2,\"value\":0,\"error\":\"cancelled\"}");
    fs_test_sim_free(&s);
}

/* {"abort": "worker"}: main spawns worker (10 ms sleeps in a loop) and
 * sleeps 25 ms. main 0-1 us (timer 25 ms); worker polled at 1 us, 10.001,
 * 20.002 ms (next timer 30.002 ms). main at 25 ms aborts it and sleeps
 * 5 ms more: worker is cancelled at the poll's end, 25.001 ms, its timer
 * with it; main is ready at 30 ms + 1 us. */
#define ABORT_WORKER                                                                         \
    "{\"tasks\":[{\"name\":\"main\",\"future\":{\"seq\":["                                   \
    "{\"spawn\":{\"name\":\"worker\",\"future\":{\"repeat\":100,\"do\":{\"sleep_ms\":10}}}},"  \
    "{\"sleep_ms\":25},{\"abort\":\"worker\"},{\"sleep_ms\":5}]}}]}"

static void test_abort_form_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, ABORT_WORKER, FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 30 * MS + US);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->aborted, 1);
    assert_int_equal(st(&s)->stale_wakes, 0);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 1)->completed_ns, 25 * MS + US);
    assert_int_equal(task(&s, 1)->polls, 3);
    assert_int_equal(task(&s, 0)->value, 5);
    has(&s, "{\"t\":25000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,"
            "\"result\":\"pending\",\"state\":\"await 4/4: sleep 5ms\"");
    fs_test_sim_free(&s);
}

/* The same under steal:2. Worker 1 parks first and holds the driver;
 * worker's timers round up to the 1 ms tick: polls at 11 and 21.001 ms.
 * Worker 1, parked again at 21.002 ms, keeps that phase: main's 25 ms
 * timer is delivered at 25.002 ms; main's poll, 25.002 -> 25.003 ms,
 * aborts worker, cancelled at its end. main's 5 ms sleep (30.002 ms, the
 * 31 ms tick) wakes it at 31.003 ms (parked at 25.003): done 31.004 ms. */
static void test_abort_form_steal(void **state)
{
    (void)state;
    sim s;
    simulate(&s, ABORT_WORKER, FS_EXEC_STEAL, 2);
    assert_int_equal(st(&s)->aborted, 1);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(task(&s, 1)->completed_ns, 25 * MS + 3 * US);
    assert_int_equal(task(&s, 0)->completed_ns, 31 * MS + 4 * US);
    assert_int_equal(st(&s)->polls, 6);
    fs_test_sim_free(&s);
}

/* abort does nothing to a task that is done (value 0), as tokio's. */
static void test_abort_done_task(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"main\",\"future\":{\"seq\":["
                 "{\"spawn\":{\"name\":\"w\",\"future\":{\"sleep_ms\":1}}},"
                 "{\"sleep_ms\":5},{\"abort\":\"w\"}]}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->aborted, 0);
    assert_int_equal(task(&s, 0)->value, 0);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_NONE);
    assert_int_equal(task(&s, 1)->completed_ns, 1 * MS + 2 * US);
    assert_null(strstr(s.trace, "aborted"));
    fs_test_sim_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_wins_wake),
        cmocka_unit_test(test_first_wins_busy),
        cmocka_unit_test(test_abort_queued_wake),
        cmocka_unit_test(test_abort_local_queue_steal),
        cmocka_unit_test(test_take_all),
        cmocka_unit_test(test_dropped_set_aborts_all),
        cmocka_unit_test(test_dropped_set_blocking),
        cmocka_unit_test(test_abort_releases_mutex),
        cmocka_unit_test(test_abort_after_timeout),
        cmocka_unit_test(test_abort_running_steal),
        cmocka_unit_test(test_abort_form_wake),
        cmocka_unit_test(test_abort_form_steal),
        cmocka_unit_test(test_abort_done_task),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
