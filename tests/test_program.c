/* test_program.c - compiled futures (sim/world/program.h): tasks equal but
 * for their channels share one program, the forms the compiler does not
 * take are interpreted, and a compiled run's trace is the interpreted
 * run's, byte for byte, on every shipped scenario under every executor and
 * on forms, failures and limits the shipped ones do not reach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "support.h"
#include "world.h"

/* Simulates json compiled and interpreted under d; the traces must be the
 * same bytes. Returns the compiled run's programs and compiled tasks. */
static size_t same_both_ways(const char *json, fs_run_desc d, int64_t *tasks, const char *what)
{
    fs_test_sim c, i;
    d.interpret = false;
    fs_test_simulate(&c, json, d);
    d.interpret = true;
    fs_test_simulate(&i, json, d);
    int64_t none;
    assert_int_equal(fs_world_programs(i.run->world, &none), 0);
    assert_int_equal(none, 0);
    if (c.len != i.len || memcmp(c.trace, i.trace, c.len) != 0) {
        size_t k = 0;
        while (k < c.len && k < i.len && c.trace[k] == i.trace[k])
            k++;
        size_t from = k > 200 ? k - 200 : 0;
        fail_msg("%s: compiled and interpreted traces differ at byte %zu:\ncompiled:    %.300s\n"
                 "interpreted: %.300s", what, k, c.trace + from, i.trace + from);
    }
    size_t n = fs_world_programs(c.run->world, tasks);
    fs_test_sim_free(&c);
    fs_test_sim_free(&i);
    return n;
}

static void test_shipped_scenarios_same_trace(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob(fs_test_src("scenarios/*/*.json"), 0, NULL, &g), 0);
    size_t compiled_scenarios = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *json = fs_test_read_file(g.gl_pathv[i], NULL);
        assert_non_null(json);
        int64_t tasks = 0;
        for (size_t e = 0; e < fs_test_n_execs; e++) {
            char what[4200];
            snprintf(what, sizeof what, "%s under %s", g.gl_pathv[i], fs_test_execs[e].label);
            same_both_ways(json, fs_test_execs[e].desc, &tasks, what);
        }
        compiled_scenarios += tasks > 0;
        free(json);
    }
    /* the compiled path is taken by shipped scenarios, not only by W1 and W3 */
    printf("shipped scenarios with compiled tasks: %zu of %zu\n", compiled_scenarios, g.gl_pathc);
    assert_true(compiled_scenarios >= 5);
    globfree(&g);
}

/* bench's W3: pairs over two capacity-1 channels each, 100 round trips. */
static char *ping_pong(int pairs)
{
    size_t cap = 400 + (size_t)pairs * 400, len = 0;
    char *b = malloc(cap);
    len += (size_t)snprintf(b + len, cap - len, "{\"name\":\"w3\",\"poll_cost_ns\":0,\"resources\":{");
    for (int i = 0; i < pairs; i++)
        len += (size_t)snprintf(b + len, cap - len, "%s\"a%d\":{\"type\":\"channel\"},\"b%d\":"
                                "{\"type\":\"channel\"}", i ? "," : "", i, i);
    len += (size_t)snprintf(b + len, cap - len, "},\"tasks\":[");
    for (int i = 0; i < pairs; i++)
        len += (size_t)snprintf(b + len, cap - len,
                                "%s{\"name\":\"ping%d\",\"future\":{\"repeat\":100,\"do\":{\"seq\":"
                                "[{\"send\":\"a%d\"},{\"recv\":\"b%d\"}]}}},{\"name\":\"pong%d\","
                                "\"future\":{\"repeat\":100,\"do\":{\"seq\":[{\"recv\":\"a%d\"},"
                                "{\"send\":\"b%d\"}]}}}",
                                i ? "," : "", i, i, i, i, i, i);
    snprintf(b + len, cap - len, "]}");
    return b;
}

static void test_ping_pong_shares_two_programs(void **state)
{
    (void)state;
    char *json = ping_pong(50);
    for (size_t e = 0; e < fs_test_n_execs; e++) {
        fs_exec_kind k = fs_test_execs[e].desc.kind;
        if (k == FS_EXEC_BUSY || k == FS_EXEC_BLOCKING)
            continue; /* they refuse a zero poll cost */
        int64_t tasks;
        assert_int_equal(same_both_ways(json, fs_test_execs[e].desc, &tasks, fs_test_execs[e].label), 2);
        assert_int_equal(tasks, 100);
    }
    free(json);
}

/* Task entries equal but for their resources share one tree at load (the
 * first entry's; scenario.h): each keeps its own resources and labels as
 * uses, which a compiled program reads and from which the world builds
 * the whole tree when it interprets the entry. */
static void test_entries_share_a_shape_at_load(void **state)
{
    (void)state;
    char *json = ping_pong(3);
    fs_scenario *sc;
    fs_error err = {0};
    assert_int_equal(fs_scenario_load_text(json, strlen(json), "w3.json", &sc, &err), FS_ERR_OK);
    assert_int_equal(sc->n_tasks, 6);
    for (size_t i = 0; i < 6; i++) {
        const fs_task_spec *t = &sc->tasks[i];
        assert_int_equal(t->shape, i < 2 ? -1 : (int32_t)(i % 2)); /* ping0's, pong0's */
        assert_ptr_equal(t->future.children, sc->tasks[i % 2].future.children);
        assert_int_equal(t->n_uses, 2);
        char a[8], b[8], label[16];
        snprintf(a, sizeof a, "a%zu", i / 2);
        snprintf(b, sizeof b, "b%zu", i / 2);
        /* ping: send a, recv b; pong: recv a, send b */
        assert_int_equal(t->uses[0].resource, fs_scenario_find_resource(sc, a));
        assert_int_equal(t->uses[1].resource, fs_scenario_find_resource(sc, b));
        snprintf(label, sizeof label, "%s %s", i % 2 ? "recv" : "send", a);
        assert_string_equal(t->uses[0].label, label);
        snprintf(label, sizeof label, "%s %s", i % 2 ? "send" : "recv", b);
        assert_string_equal(t->uses[1].label, label);
        assert_int_equal(t->future.n_sends, 2); /* its own channels' sender and receiver */
        for (uint32_t k = 0; k < 2; k++)
            assert_int_equal(t->future.sends[k] & ~FS_HOLD_RECV, t->uses[k].resource);
    }
    fs_scenario_free(sc);
    free(json);

    /* interpreted (a select is not compiled): rb waits on b, which s sends
     * to at 10 ms; ra's channel a has no sender, so its recv fails at once.
     * Had rb run ra's tree, it would fail at 0 too. */
    const char *sel = "{\"poll_cost_ns\":0,\"resources\":{\"a\":{\"type\":\"channel\"},"
                      "\"b\":{\"type\":\"channel\"}},\"tasks\":["
                      "{\"name\":\"ra\",\"future\":{\"select\":[{\"recv\":\"a\"},{\"sleep_ms\":100}]}},"
                      "{\"name\":\"rb\",\"future\":{\"select\":[{\"recv\":\"b\"},{\"sleep_ms\":100}]}},"
                      "{\"name\":\"s\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"send\":\"b\",\"value\":5}]}}]}";
    fs_test_sim r;
    fs_test_simulate(&r, sel, (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(r.sc->tasks[1].shape, 0);
    fs_poll p;
    assert_true(fs_exec_task_done(r.run->exec, 0, &p));
    assert_int_equal(p.fail, FS_FAIL_CLOSED);
    assert_true(fs_exec_task_done(r.run->exec, 1, &p));
    assert_int_equal(p.fail, FS_FAIL_NONE);
    assert_int_equal(p.value, 5);
    assert_int_equal(fs_exec_get_stats(r.run->exec)->end_ns, 10000000);
    fs_test_sim_free(&r);
}

static void test_timers_share_one_program(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\",\"count\":300,\"future\":"
                       "{\"repeat\":10,\"do\":{\"sleep_ms\":{\"uniform\":[1,1000]}}}}]}";
    int64_t tasks;
    assert_int_equal(same_both_ways(json, (fs_run_desc){.kind = FS_EXEC_WAKE}, &tasks, "W1"), 1);
    assert_int_equal(tasks, 300);
    fs_test_sim s;
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_WAKE});
    const fs_exec_stats *st = fs_exec_get_stats(s.run->exec);
    assert_int_equal(st->completed, 300);
    assert_int_equal(st->polls, 300 * 11); /* the first poll, then one per timer */
    fs_test_sim_free(&s);
    /* each task's future holds only its own state (the loop's, the sleep's
     * timer and waker): what its entry's tasks share is kept once */
    fs_program g = {.repeat = 10, .n_ops = 1};
    assert_true(fs_prog_future_size(&g) <= 80);
}

/* Every leaf the compiler takes, in and out of a repeat and a seq; values,
 * failures (a channel nobody sends to is closed: its recv fails, the
 * repeat goes on and ends failed); and beside them forms it does not take
 * (fault options, a oneshot, a nested repeat, a select), interpreted. */
static const char *FORMS =
    "{\"poll_cost_ns\":1000,\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":2},"
    "\"back\":{\"type\":\"channel\"},\"none\":{\"type\":\"channel\"},\"once\":{\"type\":\"oneshot\"}},"
    "\"tasks\":["
    "{\"name\":\"a\",\"future\":{\"repeat\":3,\"do\":{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,9]}},"
    "{\"compute_ms\":{\"exp\":2}},{\"yield\":true},{\"send\":\"ch\",\"value\":7},{\"recv\":\"back\"}]}}},"
    "{\"name\":\"b\",\"future\":{\"repeat\":3,\"do\":{\"seq\":[{\"recv\":\"ch\"},{\"send\":\"back\"}]}}},"
    "{\"name\":\"c\",\"count\":2,\"future\":{\"sleep_ms\":5}},"
    "{\"name\":\"d\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"compute_ms\":{\"uniform\":[1,3]}}]}},"
    "{\"name\":\"h\",\"future\":{\"repeat\":2,\"do\":{\"recv\":\"none\"}}},"
    "{\"name\":\"e\",\"future\":{\"repeat\":2,\"do\":{\"sleep_ms\":3,\"spurious_wakes\":1}}},"
    "{\"name\":\"f\",\"future\":{\"repeat\":2,\"do\":{\"repeat\":2,\"do\":{\"sleep_ms\":2}}}},"
    "{\"name\":\"g\",\"future\":{\"select\":[{\"sleep_ms\":4},{\"sleep_ms\":6}]}},"
    "{\"name\":\"o\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"send\":\"once\"}]}},"
    "{\"name\":\"p\",\"future\":{\"recv\":\"once\"}},"
    "{\"name\":\"q\",\"future\":{\"repeat\":{\"uniform\":[1,3]},\"do\":{\"sleep_ms\":2}}},"
    "{\"name\":\"r\",\"count\":{\"uniform\":[2,4]},\"future\":{\"repeat\":2,\"do\":{\"sleep_ms\":1}}}]}";

static void test_forms_and_fallbacks(void **state)
{
    (void)state;
    for (size_t e = 0; e < fs_test_n_execs; e++) {
        if (fs_test_execs[e].desc.kind == FS_EXEC_BUSY || fs_test_execs[e].desc.kind == FS_EXEC_BLOCKING)
            continue; /* a channel nobody receives from keeps b's busy loop going */
        int64_t tasks;
        /* a, b, c, d, h, r: six shapes; e, f, g, o, p, q (a random repeat
         * count) interpreted */
        assert_int_equal(same_both_ways(FORMS, fs_test_execs[e].desc, &tasks, fs_test_execs[e].label), 6);
        assert_int_equal(tasks, 6 + 2); /* c twice; r: its random count is 2 with this seed */
    }
    fs_test_sim s;
    fs_test_simulate(&s, FORMS, (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(fs_exec_get_stats(s.run->exec)->tasks_total, 12 + 2);
    fs_poll r;
    assert_true(fs_exec_task_done(s.run->exec, 0, &r)); /* a: its last recv's value */
    assert_int_equal(r.fail, FS_FAIL_NONE);
    assert_int_equal(r.value, 3);
    assert_true(fs_exec_task_done(s.run->exec, 5, &r)); /* h: recv on a closed channel */
    assert_int_equal(r.fail, FS_FAIL_CLOSED);
    fs_test_sim_free(&s);
}

/* A limit reached inside a compiled loop (a repeat of zero-time computes
 * runs in one poll) stops the run at the same step, and futures left
 * pending at the end (timers queued, channel waiters) are dropped alike. */
static void test_limits_inside_a_program(void **state)
{
    (void)state;
    const char *busy = "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"spin\",\"future\":{\"repeat\":"
                       "100000,\"do\":{\"compute_ms\":0}}},{\"name\":\"t\",\"count\":3,\"future\":"
                       "{\"repeat\":1000,\"do\":{\"sleep_ms\":{\"uniform\":[1,5]}}}}]}";
    int64_t tasks;
    assert_int_equal(same_both_ways(busy, (fs_run_desc){.kind = FS_EXEC_WAKE, .max_polls = 500},
                                    &tasks, "max polls"), 2);
    assert_int_equal(same_both_ways(busy, (fs_run_desc){.kind = FS_EXEC_WAKE, .max_time_ns = 20000000},
                                    &tasks, "max time"), 2);
    assert_int_equal(same_both_ways(busy, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                                       .max_time_ns = 20000000},
                                    &tasks, "max time, steal:2"), 2);
    char *json = ping_pong(3);
    assert_int_equal(same_both_ways(json, (fs_run_desc){.kind = FS_EXEC_WAKE, .max_polls = 40},
                                    &tasks, "ping-pong, max polls"), 2);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_scenarios_same_trace),
        cmocka_unit_test(test_ping_pong_shares_two_programs),
        cmocka_unit_test(test_entries_share_a_shape_at_load),
        cmocka_unit_test(test_timers_share_one_program),
        cmocka_unit_test(test_forms_and_fallbacks),
        cmocka_unit_test(test_limits_inside_a_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
