/* test_limits.c - the run's limits hold everywhere (issue 12): inside one
 * poll (loops and CPU work), on the simulated clock (no overflow), and on
 * the trace's size; the summary names the limit that stopped a run. Polls
 * cost 1 us unless a scenario says otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome_export.h"
#include "support.h"
#include "trace_reader.h"
#include "trace_writer.h"

#define SEC 1000000000LL
#define MS 1000000LL
#define US 1000LL

static const fs_run_desc every[] = {{.kind = FS_EXEC_BLOCKING}, {.kind = FS_EXEC_BUSY},
                                    {.kind = FS_EXEC_WAKE},
                                    {.kind = FS_EXEC_STEAL, .workers = 2}};
#define N_EVERY (sizeof every / sizeof every[0])

static const fs_exec_stats *st(const fs_test_sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

/* The trace ends with a summary line naming the limit, and reads back. */
static void assert_trace_ends(const fs_test_sim *s, const char *limit_hit)
{
    char want[64];
    snprintf(want, sizeof want, "\"limit_hit\":%s,", limit_hit);
    const char *last = s->trace + s->len - 1;
    assert_int_equal(*last, '\n');
    while (last > s->trace && last[-1] != '\n')
        last--;
    assert_memory_equal(last, "{\"type\":\"summary\"", 17);
    assert_non_null(strstr(last, want));
    fs_trace *tr = NULL;
    fs_error err = {0};
    assert_int_equal(fs_trace_read_text(s->trace, s->len, "t.jsonl", &tr, &err), FS_ERR_OK);
    fs_trace_free(tr);
}

/* One poll of compute_ms 1e9 (11.5 days) under --max-time 1s stops at 1 s:
 * the poll is cut there, its line says so, and the run ends at the limit. */
static void test_compute_stops_at_max_time(void **state)
{
    (void)state;
    for (size_t e = 0; e < N_EVERY; e++) {
        fs_test_sim s;
        fs_run_desc d = every[e];
        d.max_time_ns = SEC;
        fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"compute_ms\":1000000000}}]}", d);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TIME);
        assert_true(st(&s)->time_limit_hit);
        assert_int_equal(st(&s)->end_ns, SEC);
        assert_int_equal(st(&s)->polls, 1);
        assert_int_equal(st(&s)->completed, 0);
        assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,"
                                        "\"dur\":1000000000,\"result\":\"pending\""));
        assert_trace_ends(&s, "\"time\"");
        fs_test_sim_free(&s);
    }
}

/* repeat 1e9 x compute_ms 1e9 would take 1e24 ns, far past int64: the
 * clock stops at the default limit (1 h), in the first poll, exactly. */
static void test_no_clock_overflow(void **state)
{
    (void)state;
    for (size_t e = 0; e < N_EVERY; e++) {
        fs_test_sim s;
        fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,"
                             "\"do\":{\"compute_ms\":1000000000}}}]}", every[e]);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TIME);
        assert_int_equal(st(&s)->end_ns, FS_DEFAULT_MAX_TIME_NS);
        assert_int_equal(st(&s)->polls, 1);
        assert_int_equal(st(&s)->busy_ns, FS_DEFAULT_MAX_TIME_NS);
        fs_test_sim_free(&s);
    }
}

/* Nested repeats of compute_ms 0 never leave their first poll: under
 * --max-polls 10 the poll stops at its eleventh loop step (ten allowed). */
static void test_loops_count_toward_max_polls(void **state)
{
    (void)state;
    for (size_t e = 0; e < N_EVERY; e++) {
        fs_test_sim s;
        fs_run_desc d = every[e];
        d.max_time_ns = MS;
        d.max_polls = 10;
        fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,"
                             "\"do\":{\"repeat\":1000000000,\"do\":{\"compute_ms\":0}}}}]}", d);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->limit_hit, FS_LIMIT_POLLS);
        assert_true(st(&s)->poll_limit_hit);
        assert_int_equal(st(&s)->polls, 1);
        assert_int_equal(st(&s)->loop_steps, 10);
        /* the poll started at 0 and costs 1 us; steal:N stops at the next
         * worker action, worker 1 looking for work at 0 */
        assert_int_equal(st(&s)->end_ns, every[e].kind == FS_EXEC_STEAL ? 0 : US);
        assert_trace_ends(&s, "\"polls\"");
        fs_test_sim_free(&s);
    }
}

/* A join's children count as loop steps: join of 3 sleeps under
 * --max-polls 2 polls two children and stops. */
static void test_join_children_are_steps(void **state)
{
    (void)state;
    fs_test_sim s;
    fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"join\":[{\"sleep_ms\":1},"
                         "{\"sleep_ms\":2},{\"sleep_ms\":3}]}}]}",
                     (fs_run_desc){.kind = FS_EXEC_WAKE, .max_polls = 2});
    assert_int_equal(fs_run_exit_status(s.run), 3);
    assert_int_equal(st(&s)->limit_hit, FS_LIMIT_POLLS);
    assert_int_equal(st(&s)->loop_steps, 2);
    assert_int_equal(st(&s)->polls, 1);
    assert_null(strstr(s.trace, "\"resource\":\"timer\",\"what\":\"sleep 3ms\""));
    fs_test_sim_free(&s);
}

/* A yield loop under a 10,000-byte trace limit: the run stops once the
 * trace passes it, and the file is complete (summary last, readable). */
static void test_trace_limit(void **state)
{
    (void)state;
    for (size_t e = 0; e < N_EVERY; e++) {
        fs_test_sim s;
        fs_run_desc d = every[e];
        d.max_trace_bytes = 10000;
        fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,"
                             "\"do\":{\"yield\":true}}}]}", d);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TRACE);
        assert_false(st(&s)->time_limit_hit);
        assert_false(st(&s)->poll_limit_hit);
        assert_in_range(s.len, 10000, 12000); /* a step's lines and the summary past it */
        assert_trace_ends(&s, "\"trace\"");
        fs_test_sim_free(&s);
    }
    assert_int_equal(FS_DEFAULT_MAX_TRACE, 1073741824ULL);
}

/* Under busy, a task spinning on a long sleep holds an open run (its
 * identical pending polls fold into one line) at the head of the writer's
 * window, so twenty yielding tasks' lines wait behind it unwritten: the
 * limit sees the file pass 100,000 bytes only when the window is cut, and
 * the trace ends up to a window (FS_FOLD_WINDOW lines) past it. */
static void test_trace_limit_behind_an_open_run(void **state)
{
    (void)state;
    fs_test_sim s;
    fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"s\",\"future\":{\"sleep_ms\":100000}},"
                         "{\"name\":\"y\",\"count\":20,\"future\":{\"repeat\":1000000000,"
                         "\"do\":{\"yield\":true}}}]}",
                     (fs_run_desc){.kind = FS_EXEC_BUSY, .max_trace_bytes = 100000});
    assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TRACE);
    assert_in_range(s.len, 100000, 100000 + 512 * FS_FOLD_WINDOW + 16000);
    assert_trace_ends(&s, "\"trace\"");
    fs_test_sim_free(&s);
}

/* One poll cannot pile up events without bound: a repeat of a select
 * that cancels a sleep each iteration (register and cancel lines) stops
 * once the poll has reported FS_MAX_POLL_EVENTS, as at the trace limit. */
static void test_events_of_one_poll_bounded(void **state)
{
    (void)state;
    fs_test_sim s;
    fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,"
                         "\"do\":{\"select\":[{\"compute_ms\":0},{\"sleep_ms\":1}]}}}]}",
                     (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(fs_run_exit_status(s.run), 3);
    assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TRACE);
    assert_int_equal(st(&s)->polls, 1);
    assert_trace_ends(&s, "\"trace\"");
    fs_test_sim_free(&s);
}

/* steal:N runs a task woken into the LIFO slot as soon as the poll that
 * woke it ends, without going round the main loop: that poll must not
 * start past a limit either. A chain of spawns awaited (t -> s -> u) wakes
 * into the LIFO slot each time (found by fuzz/fuzz_gen.c: 3 polls under
 * --max-polls 2, 6 polls and "completed" under --max-polls 5, and polls
 * starting past --max-time). */
static void test_lifo_polls_keep_limits(void **state)
{
    (void)state;
    const char *chain = "{\"poll_cost_ns\":1000000,\"tasks\":[{\"name\":\"t\",\"future\":"
                        "{\"spawn\":{\"name\":\"s\",\"future\":{\"spawn\":{\"name\":\"u\","
                        "\"future\":{\"sleep_ms\":1}},\"await\":true}},\"await\":true}}]}";
    for (int64_t max = 1; max <= 5; max++) {
        fs_test_sim s;
        fs_test_simulate(&s, chain, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                                  .max_polls = max});
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->limit_hit, FS_LIMIT_POLLS);
        assert_int_equal(st(&s)->polls, max);
        assert_trace_ends(&s, "\"polls\"");
        fs_test_sim_free(&s);
    }
    /* polls of 1 ms from 0: t, s, u; none may start at or past 1.5 ms */
    fs_test_sim s;
    fs_test_simulate(&s, chain, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                              .max_time_ns = 3 * MS / 2});
    assert_int_equal(fs_run_exit_status(s.run), 3);
    assert_int_equal(st(&s)->limit_hit, FS_LIMIT_TIME);
    assert_int_equal(st(&s)->polls, 2);
    assert_int_equal(st(&s)->end_ns, 3 * MS / 2);
    assert_trace_ends(&s, "\"time\"");
    fs_test_sim_free(&s);
}

/* A run that hits no limit says so: "limit_hit":null. */
static void test_no_limit_is_null(void **state)
{
    (void)state;
    fs_test_sim s;
    fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"sleep_ms\":1}}]}",
                     (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(fs_run_exit_status(s.run), 0);
    assert_int_equal(st(&s)->limit_hit, FS_LIMIT_NONE);
    assert_trace_ends(&s, "null");
    assert_null(fs_limit_name(FS_LIMIT_NONE));
    assert_string_equal(fs_limit_name(FS_LIMIT_TRACE), "trace");
    fs_test_sim_free(&s);
}

/* Times above 2^53 are read exactly, by both decoders (the second poll
 * line's spaces send it to the careful one), and exported to microseconds
 * from the integers (issue 12: they went through a double). */
static void test_exact_times_above_2_53(void **state)
{
    (void)state;
    static const char trace[] =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,"
        "\"executor\":\"wake\",\"workers\":1,\"time_unit\":\"ns\"}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t\",\"parent\":null}\n"
        "{\"t\":1200000000000005888,\"type\":\"poll\",\"task\":0,\"worker\":0,"
        "\"dur\":1001,\"result\":\"pending\",\"state\":\"yield\"}\n"
        "{ \"t\" : 1200000000000006889, \"type\":\"poll\",\"task\":0,\"worker\":0,"
        "\"dur\" : 4611686018427387, \"result\":\"ready\",\"state\":\"yield\",\"value\":0}\n"
        "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,"
        "\"end_ns\":1204611686018427387276,\"tasks_total\":1,\"completed\":1}\n";
    fs_trace *tr = NULL;
    fs_error err = {0};
    /* end_ns past 2^62: refused, with the reason */
    assert_int_equal(fs_trace_read_text(trace, sizeof trace - 1, "t.jsonl", &tr, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "at most 2^62"));
    char *fixed = strdup(trace);
    memcpy(strstr(fixed, "1204611686018427387276"), "1204611686018427387   ", 22);
    assert_int_equal(fs_trace_read_text(fixed, strlen(fixed), "t.jsonl", &tr, &err), FS_ERR_OK);
    const fs_trace_task *t = &tr->tasks[0];
    assert_int_equal(t->slices[0].t, 1200000000000005888LL);
    assert_int_equal(t->slices[0].end, 1200000000000006889LL);
    assert_int_equal(t->slices[1].t, 1200000000000006889LL);
    assert_int_equal(t->slices[1].dur, 4611686018427387LL);
    assert_int_equal(tr->summary.end_ns, 1204611686018427387LL);
    char *json;
    size_t len;
    FILE *f = open_memstream(&json, &len);
    fs_chrome_source src = {.trace = tr, .name = "t"};
    assert_int_equal(fs_chrome_export(f, &src, 1, 0, &err), FS_ERR_OK);
    fclose(f);
    /* written FS_CHROME_TS_OFFSET_NS (1 us) late; times are at most 2^62 */
    assert_non_null(strstr(json, "\"ts\":1200000000000006.888,"));
    assert_non_null(strstr(json, "\"ts\":1200000000000007.889,"));
    assert_non_null(strstr(json, "\"dur\":4611686018427.387"));
    free(json);
    free(fixed);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_stops_at_max_time),
        cmocka_unit_test(test_no_clock_overflow),
        cmocka_unit_test(test_loops_count_toward_max_polls),
        cmocka_unit_test(test_join_children_are_steps),
        cmocka_unit_test(test_trace_limit),
        cmocka_unit_test(test_trace_limit_behind_an_open_run),
        cmocka_unit_test(test_events_of_one_poll_bounded),
        cmocka_unit_test(test_lifo_polls_keep_limits),
        cmocka_unit_test(test_no_limit_is_null),
        cmocka_unit_test(test_exact_times_above_2_53),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
