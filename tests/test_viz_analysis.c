/* test_viz_analysis.c - warnings and a task's figures, computed from
 * traces of the pattern scenarios and from small hand-written ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "humanize.h"
#include "support.h"
#include "test_viz_fixture.h"

static size_t warnings_of(const fs_trace *tr, int64_t slow, fs_viz_warning **w)
{
    size_t n = 0;
    *w = NULL;
    assert_true(fs_viz_warnings_find(tr, 0, slow, w, &n));
    return n;
}

static const fs_viz_warning *find(const fs_viz_warning *w, size_t n, fs_viz_warn_kind k, uint32_t task)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].kind == k && w[i].task == task)
            return &w[i];
    return NULL;
}

static void test_lost_waker(void **state)
{
    (void)state;
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_BUSY};
    for (size_t k = 0; k < 2; k++) {
        fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/lost_waker.json"), kinds[k]);
        assert_non_null(tr);
        fs_viz_warning *w;
        size_t n = warnings_of(tr, 0, &w);
        /* task 0 "forgetful" returns pending without registering: under
         * wake it stalls, under busy it finishes but the bug is the same */
        assert_int_equal(n, 1);
        assert_int_equal(w[0].kind, FS_WARN_LOST_WAKER);
        assert_int_equal(w[0].task, 0);
        assert_int_equal(w[0].t, 0);
        assert_int_equal(w[0].slice, 0);
        char buf[400];
        assert_non_null(strstr(fs_viz_warning_text(tr, &w[0], buf, sizeof buf), "no waker registered"));
        free(w);
        fs_trace_free(tr);
    }
}

static void test_slow_poll(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/compute_starves.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_warning *w;
    size_t n = warnings_of(tr, 0, &w);  /* default threshold: 10 ms */
    assert_int_equal(n, 1);
    const fs_viz_warning *s = find(w, n, FS_WARN_SLOW_POLL, 1);  /* cruncher */
    assert_non_null(s);
    assert_int_equal(s->count, 1);
    assert_int_equal(s->extra, 500001000);  /* 500 ms of compute + the poll cost */
    free(w);
    /* a threshold above the poll: no warning */
    n = warnings_of(tr, 600000000, &w);
    assert_int_equal(n, 0);
    free(w);
    fs_trace_free(tr);
}

static void test_spurious_wakes(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/spurious_wakes.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_warning *w;
    size_t n = warnings_of(tr, 0, &w);
    /* three spurious wakes and the real one: self-made wakes are the majority;
     * the waker stays with the socket, so no lost waker */
    assert_int_equal(n, 1);
    assert_int_equal(w[0].kind, FS_WARN_SELF_WAKES);
    assert_int_equal(w[0].task, 0);
    assert_int_equal(w[0].count, 3);
    assert_int_equal(w[0].total, 4);
    assert_int_equal(w[0].extra, 3);
    free(w);
    /* the wakes made during a poll lead to the next poll, not the same one */
    const fs_trace_task *t = &tr->tasks[0];
    for (size_t j = 0; j < t->n_wakes; j++) {
        const fs_trace_wake *wk = &tr->wakes[t->wakes[j]];
        int32_t p = wk->caused;
        assert_true(p >= 0);
        assert_true(t->slices[p].t >= wk->t);
        if (fs_trace_wake_in_poll(tr, wk))
            assert_true(t->slices[p].t > wk->t);
    }
    /* and the socket holds the waker between the spurious polls */
    assert_int_equal(fs_trace_waker_holder(tr, 0, 50000000), 0);
    fs_viz_task_stats st;
    fs_viz_task_stats_compute(tr, 0, &st);
    assert_int_equal(st.wakes, 4);
    assert_int_equal(st.spurious_wakes, 3);
    assert_int_equal(st.device_wakes, 1);
    assert_int_equal(st.polls, 5);
    fs_trace_free(tr);
}

static void test_no_warnings_on_the_seed(void **state)
{
    (void)state;
    fs_exec_kind kinds[] = {FS_EXEC_BUSY, FS_EXEC_WAKE};
    for (size_t k = 0; k < 2; k++) {
        fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), kinds[k]);
        assert_non_null(tr);
        fs_viz_warning *w;
        assert_int_equal(warnings_of(tr, 0, &w), 0);
        free(w);
        fs_trace_free(tr);
    }
}

static const char stale_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"stale\","
    "\"executor\":\"wake\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"x\",\"value\":1}\n"
    "{\"t\":1000,\"type\":\"complete\",\"task\":0,\"value\":1}\n"
    "{\"t\":5000,\"type\":\"wake\",\"task\":0,\"source\":\"timer\",\"stale\":true}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":5000,\"tasks_total\":1,"
    "\"completed\":1,\"stalled\":false,\"time_limit_hit\":false,\"polls\":1,\"pending_polls\":0,"
    "\"ready_polls\":1,\"wasted_polls\":0,\"wakes\":1,\"busy_ns\":1000,\"idle_ns\":4000,\"cpu_busy\":0.2}\n";

static void test_stale_wake(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_load(stale_trace);
    assert_non_null(tr);
    fs_viz_warning *w;
    size_t n = warnings_of(tr, 0, &w);
    assert_int_equal(n, 1);
    assert_int_equal(w[0].kind, FS_WARN_STALE_WAKE);
    assert_int_equal(w[0].t, 5000);
    assert_int_equal(w[0].count, 1);
    free(w);
    fs_trace_free(tr);
}

static void test_task_stats_of_the_fixture(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_load(fs_fixture_trace);
    assert_non_null(tr);
    fs_viz_task_stats st;
    fs_viz_task_stats_compute(tr, 0, &st);
    assert_int_equal(st.polls, 2);
    assert_int_equal(st.pending_polls, 1);
    assert_int_equal(st.ready_polls, 1);
    assert_int_equal(st.wakes, 1);
    assert_int_equal(st.device_wakes, 1);
    assert_int_equal(st.self_wakes, 0);
    assert_int_equal(st.registers, 1);
    assert_int_equal(st.n_regs, 1);
    assert_string_equal(fs_trace_str(tr, tr->resources[st.regs[0].res].name), "a");
    assert_int_equal(st.life_ns, 1001000);
    assert_int_equal(st.busy_ns, 2000);
    assert_int_equal(st.sched_ns, 0);   /* polled at once after spawn and after the wake */
    assert_int_equal(st.idle_ns, 999000);
    assert_int_equal(st.poll_hist[1], 2); /* 1 us polls: the 1-10 us bin */
    assert_int_equal(st.lat_hist[0], 1);  /* woken and polled at the same instant */
    assert_int_equal(st.n_lat, 1);
    fs_trace_free(tr);
}

/* The seed walkthrough under blocking: the second task is polled at once
 * when woken, so no wake latency shows its wait; it waited,
 * runnable since its spawn at 0, until the first task's last poll ended at
 * 2 s + 1 us. The panel's figure is the summary's max_runnable_wait_ns. */
static void test_runnable_wait(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), FS_EXEC_BLOCKING);
    assert_non_null(tr);
    fs_viz_task_stats st;
    fs_viz_task_stats_compute(tr, 1, &st);
    assert_int_equal(st.n_lat, 1); /* the arrival's wake, polled at once */
    assert_int_equal(st.max_lat_ns, 0);
    assert_int_equal(st.first_wait_ns, 2000001000);
    assert_int_equal(st.max_wait_ns, 2000001000);
    fs_viz_task_stats_compute(tr, 0, &st);
    assert_int_equal(st.first_wait_ns, 0);
    assert_int_equal(st.max_wait_ns, 0);
    fs_trace_free(tr);
}

static void test_bins_and_percent(void **state)
{
    (void)state;
    assert_int_equal(fs_viz_hist_bin(0), 0);
    assert_int_equal(fs_viz_hist_bin(999), 0);
    assert_int_equal(fs_viz_hist_bin(1000), 1);
    assert_int_equal(fs_viz_hist_bin(10000000), 5);
    assert_int_equal(fs_viz_hist_bin(5000000000LL), FS_VIZ_HIST_BINS - 1);
    char b[32];
    assert_string_equal(fs_format_percent(4000.0 / 2e9, b, sizeof b), "0.0002%");
    assert_string_equal(fs_format_percent(1.0, b, sizeof b), "100.0%");
    assert_string_equal(fs_format_percent(0.0, b, sizeof b), "0.0%");
}

/* A JoinSet's task is registered with every member's JoinHandle; a member
 * that ends wakes it (source task:N) and hands back that handle's waker
 * only: the others still hold theirs. graceful_shutdown under steal:2:
 * main (task 0) registers with task:2, task:3 and task:4 at 0; worker#1
 * (task 3) ends first, at 22.017 ms; at 23 ms main's waker is still held,
 * by the newest registration not handed back, task:4. */
static void test_joinset_waker_held_by_the_others(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate_n(fs_test_src("scenarios/patterns/graceful_shutdown.json"), FS_EXEC_STEAL, 2);
    assert_non_null(tr);
    int32_t holder = fs_trace_waker_holder(tr, 0, 23000000);
    assert_true(holder >= 0);
    assert_string_equal(fs_trace_str(tr, tr->resources[holder].name), "task:4");
    /* after worker#2 (task 4) ends at 26.015 ms, task:2 holds it */
    holder = fs_trace_waker_holder(tr, 0, 27000000);
    assert_true(holder >= 0);
    assert_string_equal(fs_trace_str(tr, tr->resources[holder].name), "task:2");
    fs_viz_warning *w;
    size_t n = warnings_of(tr, 0, &w);
    assert_null(find(w, n, FS_WARN_LOST_WAKER, 0));
    free(w);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lost_waker),
        cmocka_unit_test(test_joinset_waker_held_by_the_others),
        cmocka_unit_test(test_slow_poll),
        cmocka_unit_test(test_spurious_wakes),
        cmocka_unit_test(test_no_warnings_on_the_seed),
        cmocka_unit_test(test_stale_wake),
        cmocka_unit_test(test_task_stats_of_the_fixture),
        cmocka_unit_test(test_runnable_wait),
        cmocka_unit_test(test_bins_and_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
