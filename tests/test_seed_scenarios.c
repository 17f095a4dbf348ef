/* test_seed_scenarios.c - the seed article's claims, reproduced from the
 * shipped scenarios/seed files. Expected figures worked out by hand from the
 * files (polls cost 1 us; each socket's value arrives 2 s after first use):
 *   01 one task, read a then read b:  4 s on every executor
 *   03 two tasks, one socket each:    blocking 4 s; busy 2 s with ~2 M polls
 *                                     and the CPU 100% busy; wake 2 s, 4 polls
 *   04 read_file (open 5 ms, read 20 ms): 25 ms and 3 polls under wake
 * plus determinism (two runs, identical bytes) and the size of a busy trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "summary.h"
#include "support.h"

#define SEC 1000000000LL
#define MS 1000000LL
#define US 1000LL

typedef struct result {
    fs_scenario *sc;
    fs_run *run;
    char *trace;
    size_t trace_len;
} result;

static void simulate(result *r, const char *file, fs_exec_kind kind)
{
    memset(r, 0, sizeof *r);
    fs_error err = {0};
    if (fs_scenario_load_file(fs_test_src(file), &r->sc, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        fail();
    }
    FILE *f = open_memstream(&r->trace, &r->trace_len);
    fs_run_desc d = {.scenario = r->sc, .kind = kind, .trace = f};
    assert_int_equal(fs_run_simulate(&d, &r->run, &err), FS_ERR_OK);
    fclose(f);
}

static const fs_exec_stats *stats(const result *r)
{
    return fs_exec_get_stats(r->run->exec);
}

static void release(result *r)
{
    fs_run_free(r->run);
    fs_scenario_free(r->sc);
    free(r->trace);
}

static void test_one_after_another_takes_4s(void **state)
{
    (void)state;
    fs_exec_kind kinds[] = {FS_EXEC_BLOCKING, FS_EXEC_BUSY, FS_EXEC_WAKE};
    for (int i = 0; i < 3; i++) {
        result r;
        simulate(&r, "scenarios/seed/01_one_after_another.json", kinds[i]);
        /* a is first used at 0 and ready at 2 s; b is first used then, ready at 4 s */
        assert_true(stats(&r)->end_ns >= 4 * SEC && stats(&r)->end_ns < 4 * SEC + 10 * US);
        assert_int_equal(stats(&r)->completed, 1);
        release(&r);
    }
}

static void test_blocking_takes_4s(void **state)
{
    (void)state;
    result r;
    simulate(&r, "scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BLOCKING);
    /* get_num_a spins until 2 s; get_num_b's socket starts then: ready at 4 s */
    assert_int_equal(stats(&r)->end_ns, 4 * SEC + 2 * US);
    assert_int_equal(fs_exec_get_task(r.run->exec, 0)->completed_ns, 2 * SEC + 1 * US);
    assert_int_equal(stats(&r)->polls, 4000002);
    assert_int_equal(stats(&r)->completed, 2);
    release(&r);
}

static void test_busy_takes_2s_and_two_million_polls(void **state)
{
    (void)state;
    result r;
    simulate(&r, "scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY);
    assert_int_equal(stats(&r)->end_ns, 2 * SEC + 2 * US);
    assert_int_equal(stats(&r)->polls, 2000002);
    assert_int_equal(stats(&r)->wasted_polls, 1999998);
    assert_int_equal(stats(&r)->idle_ns, 0);
    assert_true(fs_summary_cpu_busy(stats(&r)) == 1.0);
    /* Two million polls fold into a few spin lines: kilobytes, not megabytes. */
    assert_true(r.trace_len < 8 * 1024);
    assert_non_null(strstr(r.trace, "\"type\":\"spin\",\"task\":0,\"worker\":0,\"count\":999999,"));
    release(&r);
}

static void test_wake_polls_exactly_four_times(void **state)
{
    (void)state;
    result r;
    simulate(&r, "scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE);
    assert_int_equal(stats(&r)->end_ns, 2 * SEC + 2 * US);
    assert_int_equal(stats(&r)->polls, 4);
    assert_int_equal(stats(&r)->wasted_polls, 0);
    assert_int_equal(stats(&r)->wakes, 2);
    assert_true(fs_summary_cpu_busy(stats(&r)) < 0.001);
    /* the trace tells the story: register, park, arrival, wake, ready */
    assert_non_null(strstr(r.trace, "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"a\"}\n"));
    assert_non_null(strstr(r.trace, "{\"t\":2000,\"type\":\"park\",\"worker\":0}\n"));
    assert_non_null(strstr(r.trace, "{\"t\":2000000000,\"type\":\"wake\",\"task\":0,\"source\":\"socket:a\"}\n"));
    release(&r);
}

static void test_read_file_25ms_3_polls(void **state)
{
    (void)state;
    result r;
    simulate(&r, "scenarios/seed/04_read_file.json", FS_EXEC_WAKE);
    assert_int_equal(stats(&r)->end_ns, 25 * MS + 1 * US);
    assert_int_equal(stats(&r)->polls, 3);
    assert_non_null(strstr(r.trace, "\"state\":\"await 1/2: open cfg\""));
    assert_non_null(strstr(r.trace, "\"state\":\"await 2/2: read cfg\""));
    assert_non_null(strstr(r.trace, "{\"t\":5000000,\"type\":\"io\",\"resource\":\"cfg\",\"what\":\"open done\"}"));
    release(&r);
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    const char *files[] = {"scenarios/seed/01_one_after_another.json",
                           "scenarios/seed/02_together.json",
                           "scenarios/seed/03_busy_vs_wake.json",
                           "scenarios/seed/04_read_file.json"};
    fs_exec_kind kinds[] = {FS_EXEC_BLOCKING, FS_EXEC_BUSY, FS_EXEC_WAKE};
    for (int f = 0; f < 4; f++)
        for (int k = 0; k < 3; k++) {
            result a, b;
            simulate(&a, files[f], kinds[k]);
            simulate(&b, files[f], kinds[k]);
            assert_int_equal(a.trace_len, b.trace_len);
            assert_memory_equal(a.trace, b.trace, a.trace_len);
            release(&a);
            release(&b);
        }
}

/* Skipping identical busy passes writes the same bytes as simulating them,
 * ends the same way, and counts toward --max-polls exactly (issue 12: the
 * skipped polls were not counted, and a poll whose repeat went on to its
 * next iteration was skipped as if it changed nothing). */
static const char ff_repeat[] =
    "{\"tasks\":[{\"name\":\"a\",\"future\":{\"repeat\":5,\"do\":{\"yield\":true,"
    "\"forget_waker\":true}}},{\"name\":\"b\",\"future\":{\"sleep_ms\":1}}]}";

static void test_fast_forward_same_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *file, *json;   /* a scenario file, or the text of one */
        fs_exec_kind kind;
        int64_t max_polls;         /* 0: default */
        int status;
        int64_t polls;             /* 0: not checked */
    } cases[] = {
        {"scenarios/seed/03_busy_vs_wake.json", NULL, FS_EXEC_BUSY, 0, 0, 2000002},
        {"scenarios/seed/03_busy_vs_wake.json", NULL, FS_EXEC_BUSY, 1000, 3, 1000},
        {"scenarios/seed/03_busy_vs_wake.json", NULL, FS_EXEC_BUSY, 1000001, 3, 1000001},
        {"scenarios/seed/03_busy_vs_wake.json", NULL, FS_EXEC_BLOCKING, 1000, 3, 1000},
        {"scenarios/patterns/thousand_sleepers.json", NULL, FS_EXEC_BLOCKING, 3000000, 3, 3000000},
        {"scenarios/patterns/thousand_sleepers.json", NULL, FS_EXEC_BUSY, 500001, 3, 500001},
        /* a repeat whose polls look alike but each end an iteration */
        {NULL, ff_repeat, FS_EXEC_BUSY, 0, 0, 0},
        {NULL, ff_repeat, FS_EXEC_BLOCKING, 0, 0, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *json = cases[c].file ? fs_test_read_file(fs_test_src(cases[c].file), NULL)
                                   : strdup(cases[c].json);
        assert_non_null(json);
        fs_test_sim s[2];
        for (int i = 0; i < 2; i++)
            fs_test_simulate(&s[i], json, (fs_run_desc){.kind = cases[c].kind,
                                                         .max_polls = cases[c].max_polls,
                                                         .no_fast_forward = i == 1});
        const fs_exec_stats *st = fs_exec_get_stats(s[0].run->exec);
        assert_int_equal(fs_run_exit_status(s[0].run), cases[c].status);
        assert_int_equal(fs_run_exit_status(s[1].run), cases[c].status);
        if (cases[c].polls)
            assert_int_equal(st->polls, cases[c].polls);
        if (cases[c].status)
            assert_int_equal(st->limit_hit, FS_LIMIT_POLLS);
        assert_int_equal(s[0].len, s[1].len);
        assert_memory_equal(s[0].trace, s[1].trace, s[0].len);
        fs_test_sim_free(&s[0]);
        fs_test_sim_free(&s[1]);
        free(json);
    }
}

/* A busy pass whose poll completed a repeat's iteration is not skipped:
 * a's polls 2..6 at 2, 4, ... 10 us each end an iteration (and start the
 * next, pending) until the fifth, ready at 11 us; b completes at 1 ms. */
static void test_busy_repeat_not_skipped(void **state)
{
    (void)state;
    fs_test_sim s;
    fs_test_simulate(&s, ff_repeat, (fs_run_desc){.kind = FS_EXEC_BUSY});
    assert_int_equal(fs_run_exit_status(s.run), 0);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->polls, 6);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 11 * US);
    assert_int_equal(fs_exec_get_task(s.run->exec, 1)->completed_ns, 1 * MS + 2 * US);
    fs_test_sim_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_after_another_takes_4s),
        cmocka_unit_test(test_blocking_takes_4s),
        cmocka_unit_test(test_busy_takes_2s_and_two_million_polls),
        cmocka_unit_test(test_wake_polls_exactly_four_times),
        cmocka_unit_test(test_read_file_25ms_3_polls),
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_fast_forward_same_bytes),
        cmocka_unit_test(test_busy_repeat_not_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
