/* test_viz_state.c - the state at the playhead (viz/state.c) moved forward
 * in small steps, as playing does (only the tasks that change are
 * recomputed), agrees at every step with the state computed afresh for
 * every task, on shipped scenarios under every kind of executor: spins
 * (busy), a stall (lost_waker), steal:4's queues, a thousand sleepers;
 * so do the queued tasks counted under the worker of their next poll. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "test_viz_fixture.h"

static void same_state(const fs_viz_state *a, const fs_viz_state *b, size_t n_tasks, int64_t t)
{
    for (size_t i = 0; i < n_tasks; i++) {
        const fs_viz_task_state *x = &a->tasks[i], *y = &b->tasks[i];
        if (x->phase != y->phase || x->spinning != y->spinning || x->await != y->await ||
            x->waker_res != y->waker_res || x->since != y->since || x->stalled != y->stalled ||
            x->next_worker != y->next_worker)
            fail_msg("at %lld task %zu: phase %d/%d since %lld/%lld waker %d/%d next worker %d/%d", (long long)t,
                     i, x->phase, y->phase, (long long)x->since, (long long)y->since, x->waker_res, y->waker_res,
                     x->next_worker, y->next_worker);
    }
    /* the panel's "polls next" counts, kept by the steps */
    assert_int_equal(a->n_workers, b->n_workers);
    for (int w = 0; w < a->n_workers; w++)
        assert_int_equal(a->next_on[w], b->next_on[w]);
    assert_int_equal(a->n_ready, b->n_ready);
    for (size_t i = 0; i < a->n_ready; i++)
        assert_int_equal(a->ready[i], b->ready[i]);
    assert_int_equal(a->counters.polls, b->counters.polls);
    assert_int_equal(a->counters.wasted, b->counters.wasted);
    assert_int_equal(a->counters.busy_ns, b->counters.busy_ns);
    assert_int_equal(a->counters.wakes, b->counters.wakes);
    assert_true(a->counters.cpu_busy == b->counters.cpu_busy);
}

/* steps forward through the run in `steps` moves, each compared with a
 * fresh state's (a new one: it computes every task) */
static void walk(const char *path, fs_exec_kind kind, int workers, int steps)
{
    fs_trace *tr = fs_fixture_simulate_n(fs_test_src(path), kind, workers);
    assert_non_null(tr);
    fs_viz_state st, fresh;
    assert_true(fs_viz_state_init(&st, tr));
    int64_t end = tr->summary.end_ns + 1000;
    for (int k = 0; k <= steps; k++) {
        int64_t t = end * k / steps;
        fs_viz_state_at(&st, tr, t);
        assert_true(fs_viz_state_init(&fresh, tr));
        fs_viz_state_at(&fresh, tr, t);
        same_state(&st, &fresh, tr->n_tasks, t);
        assert_int_equal(fresh.stepped, 0);
        fs_viz_state_destroy(&fresh);
    }
    /* nearly every move after the first was a step (not those past a
     * stall, nor one crossing many events at once) */
    assert_true(st.stepped >= (uint64_t)steps * 9 / 10);
    fs_viz_state_destroy(&st);
    fs_trace_free(tr);
}

static void test_busy_spins(void **state)
{
    (void)state;
    walk("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY, 0, 997);
    walk("scenarios/patterns/compute_yields.json", FS_EXEC_BUSY, 0, 500);
}

static void test_wake_and_a_stall(void **state)
{
    (void)state;
    walk("scenarios/patterns/lost_waker.json", FS_EXEC_WAKE, 0, 500);
    walk("scenarios/patterns/spurious_wakes.json", FS_EXEC_WAKE, 0, 500);
    walk("scenarios/patterns/graceful_shutdown.json", FS_EXEC_WAKE, 0, 500);
}

static void test_steal(void **state)
{
    (void)state;
    walk("scenarios/patterns/producer_consumer.json", FS_EXEC_STEAL, 4, 500);
    walk("scenarios/patterns/graceful_shutdown.json", FS_EXEC_STEAL, 2, 500);
}

static void test_thousand_sleepers(void **state)
{
    (void)state;
    walk("scenarios/patterns/thousand_sleepers.json", FS_EXEC_WAKE, 0, 3000);
    walk("scenarios/patterns/thousand_sleepers.json", FS_EXEC_STEAL, 4, 1000);
}

/* The ready queue in the order tasks became runnable: by time, then by
 * line, then by task. Tasks 0..2 spawn at 0 (queued in task order), poll,
 * and are woken at 5 us in the order 2, 0, 1; task 3 spawns at 4 us and
 * task 4 at 5 us, after the wakes: it was queued after them. */
static void test_ready_order(void **state)
{
    (void)state;
    static const char text[] =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\",\"workers\":1,\"poll_cost_ns\":1000}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":2,\"name\":\"c\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"x\"}\n"
        "{\"t\":1000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"x\"}\n"
        "{\"t\":2000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"x\"}\n"
        "{\"t\":4000,\"type\":\"spawn\",\"task\":3,\"name\":\"d\",\"parent\":null}\n"
        "{\"t\":5000,\"type\":\"wake\",\"task\":2,\"source\":\"timer\"}\n"
        "{\"t\":5000,\"type\":\"wake\",\"task\":0,\"source\":\"timer\"}\n"
        "{\"t\":5000,\"type\":\"wake\",\"task\":1,\"source\":\"timer\"}\n"
        "{\"t\":5000,\"type\":\"spawn\",\"task\":4,\"name\":\"e\",\"parent\":null}\n"
        "{\"t\":6000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"x\",\"value\":0}\n"
        "{\"t\":7000,\"type\":\"complete\",\"task\":2,\"value\":0}\n"
        "{\"type\":\"summary\",\"executor\":\"wake\",\"end_ns\":7000}\n";
    fs_trace *tr = fs_fixture_load(text);
    assert_non_null(tr);
    fs_viz_state st;
    assert_true(fs_viz_state_init(&st, tr));
    fs_viz_state_at(&st, tr, 0);
    assert_int_equal(st.n_ready, 2); /* task 0 is polling */
    assert_int_equal(st.ready[0], 1);
    assert_int_equal(st.ready[1], 2);
    fs_viz_state_at(&st, tr, 5500);
    assert_int_equal(st.n_ready, 5);
    assert_int_equal(st.ready[0], 3);
    assert_int_equal(st.ready[1], 2);
    assert_int_equal(st.ready[2], 0);
    assert_int_equal(st.ready[3], 1);
    assert_int_equal(st.ready[4], 4); /* spawned after the wakes, on a later line */
    fs_viz_state_destroy(&st);
    fs_viz_state fresh;
    assert_true(fs_viz_state_init(&fresh, tr));
    fs_viz_state_at(&fresh, tr, 5500);
    assert_int_equal(fresh.ready[1], 2);
    assert_int_equal(fresh.ready[4], 4);
    fs_viz_state_destroy(&fresh);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_spins),
        cmocka_unit_test(test_wake_and_a_stall),
        cmocka_unit_test(test_steal),
        cmocka_unit_test(test_thousand_sleepers),
        cmocka_unit_test(test_ready_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
