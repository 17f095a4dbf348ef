/* test_expect.c - a scenario's "expect": `run` checks it after the run
 * (the failed expectations named, exit 3, "expectations" in the JSON
 * summary and the trace's summary line), and `explore` counts the runs
 * that miss one as their own outcome, with replays that reproduce. Runs
 * the built binary on the scenarios of tests/expect/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static cJSON *json_of(const char *args, int *status)
{
    char *out, *err;
    *status = fs_test_futurescope(args, &out, &err);
    cJSON *j = cJSON_Parse(out);
    if (!j)
        fprintf(stderr, "not JSON from %s:\n%s\n%s\n", args, out, err);
    assert_non_null(j);
    free(out);
    free(err);
    return j;
}

static const cJSON *item(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_non_null(v);
    return v;
}

static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *v = item(o, key);
    assert_true(cJSON_IsNumber(v));
    return (int64_t)v->valuedouble;
}

/* The text report names each failed expectation and what the run did. */
static void test_run_names_failures(void **state)
{
    (void)state;
    char *out, *err;
    int st = fs_test_futurescope("run tests/expect/bounds.json", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, "result     EXPECTATION FAILED: 3 of 3 tasks completed, ended at 3.003 ms\n"));
    assert_non_null(strstr(out,
        "expect     4 of 7 met\n"
        "  expectation failed: end_ms_at_most: the run ended at 3.003 ms, after 2.000 ms\n"
        "  expectation failed: task_end_ms_at_most: task \"c#0\" completed at 3.002 ms, after 2.000 ms\n"
        "  expectation failed: channel_max_len: channel \"ch\" held 3 messages, more than 2\n"));
    assert_string_equal(err, "");
    free(out);
    free(err);

    st = fs_test_futurescope("run tests/expect/met.json", &out, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "result     ok: 3 of 3 tasks completed, ended at 3.003 ms\n"));
    assert_non_null(strstr(out, "expect     6 of 6 met\n"));
    free(out);
    free(err);
}

/* A name in task_end_ms_at_most stands for spawned tasks by their spawn's
 * name wherever they were spawned ("h": every conn#k/h#i), or by a path
 * ("conn#1/h": both of conn#1's). wake: the four children end at
 * 10.003..10.006 ms (conn#0/h#0, #1, conn#1/h#0, #1: test_forms'
 * test_spawn_names_by_path), so "h" (11 ms) is met and the others fail on
 * their first late task; steal:2: they end at 11.004 (conn#1's) and
 * 11.005 ms (conn#0's): all three fail. */
static void test_spawned_task_names(void **state)
{
    (void)state;
    char *out, *err;
    int st = fs_test_futurescope("run tests/expect/spawn_paths.json", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out,
        "expect     1 of 3 met\n"
        "  expectation failed: task_end_ms_at_most: task \"conn#1/h#0\" completed at 10.005 ms, after 10.000 ms\n"
        "  expectation failed: task_end_ms_at_most: task \"conn#0/h#1\" completed at 10.004 ms, after 10.000 ms\n"));
    free(out);
    free(err);
    st = fs_test_futurescope("run tests/expect/spawn_paths.json -e steal:2", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out,
        "expect     0 of 3 met\n"
        "  expectation failed: task_end_ms_at_most: task \"conn#0/h#0\" completed at 11.005 ms, after 11.000 ms\n"
        "  expectation failed: task_end_ms_at_most: task \"conn#1/h#0\" completed at 11.004 ms, after 10.000 ms\n"
        "  expectation failed: task_end_ms_at_most: task \"conn#0/h#1\" completed at 11.005 ms, after 10.000 ms\n"));
    free(out);
    free(err);
}

/* --json and the trace's last line carry the same "expectations". */
static void test_summary_expectations(void **state)
{
    (void)state;
    static const char want[] =
        "{\"met\":false,\"checked\":7,\"failed\":3,\"failures\":["
        "{\"expect\":\"end_ms_at_most\",\"why\":\"the run ended at 3.003 ms, after 2.000 ms\"},"
        "{\"expect\":\"task_end_ms_at_most\",\"why\":\"task \\\"c#0\\\" completed at 3.002 ms, after 2.000 ms\"},"
        "{\"expect\":\"channel_max_len\",\"why\":\"channel \\\"ch\\\" held 3 messages, more than 2\"}]}";
    char *out, *err;
    int st = fs_test_futurescope("run tests/expect/bounds.json --json", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, want));
    free(out);
    free(err);
    st = fs_test_futurescope("run tests/expect/bounds.json -o -", &out, &err);
    assert_int_equal(st, 3);
    char *last = strstr(out, "{\"type\":\"summary\"");
    assert_non_null(last);
    assert_non_null(strstr(last, want));
    free(out);
    free(err);

    /* Met: an empty list. Without "expect": no key at all. */
    cJSON *j = json_of("run tests/expect/met.json --json", &st);
    assert_int_equal(st, 0);
    const cJSON *e = item(j, "expectations");
    assert_true(cJSON_IsTrue(item(e, "met")));
    assert_int_equal(num(e, "checked"), 6);
    assert_int_equal(num(e, "failed"), 0);
    assert_int_equal(cJSON_GetArraySize(item(e, "failures")), 0);
    cJSON_Delete(j);
    j = json_of("run scenarios/seed/05_several_workers.json --json", &st);
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "expectations"));
    cJSON_Delete(j);
}

/* Per seed of slow_reply (a reply of 1..10 ms, a 6 ms timeout, 4 ms
 * promised): explore's outcome counts and failing seeds are what `run`
 * gives seed by seed, and each replay exits 3 with the same failure. */
static void test_explore_counts_expectations(void **state)
{
    (void)state;
    int st;
    cJSON *j = json_of("explore tests/expect/slow_reply.json --seeds 1..10 --json", &st);
    assert_int_equal(st, 3);
    const cJSON *ex = cJSON_GetArrayItem(item(j, "executors"), 0);
    const cJSON *oc = item(ex, "outcomes");
    assert_int_equal(num(oc, "ok"), 3);
    assert_int_equal(num(oc, "stalled"), 0);
    assert_int_equal(num(oc, "limit_hit"), 0);
    assert_int_equal(num(oc, "expectation_failed"), 7);
    const cJSON *f = item(ex, "failing");
    static const int seeds[7] = {1, 2, 5, 7, 8, 9, 10};
    static const char *const keys[7] = {"no_errors", "no_errors", "task_end_ms_at_most", "no_errors",
                                        "no_errors", "task_end_ms_at_most", "no_errors"};
    assert_int_equal(cJSON_GetArraySize(f), 7);
    for (int i = 0; i < 7; i++) {
        const cJSON *r = cJSON_GetArrayItem(f, i);
        assert_int_equal(num(r, "seed"), seeds[i]);
        assert_string_equal(item(r, "outcome")->valuestring, "expectation_failed");
        assert_string_equal(item(r, "expectation")->valuestring, keys[i]);
        /* the replay, run: exit 3 and the same expectation failed */
        const char *replay = item(r, "replay")->valuestring;
        char args[512];
        snprintf(args, sizeof args, "%s --json", replay + strlen("futurescope "));
        cJSON *one = json_of(args, &st);
        assert_int_equal(st, 3);
        const cJSON *fl = cJSON_GetArrayItem(item(item(one, "expectations"), "failures"), 0);
        assert_string_equal(item(fl, "expect")->valuestring, keys[i]);
        assert_int_equal(num(one, "end_ns"), num(r, "end_ns"));
        cJSON_Delete(one);
    }
    cJSON_Delete(j);

    char *out, *err;
    st = fs_test_futurescope("explore tests/expect/slow_reply.json --seeds 1..10", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, "wake: 10 runs: 3 ok, 0 stalled, 0 limit hit, 7 expectation failed\n"));
    assert_non_null(strstr(out, "    seed 5        expectation failed (task_end_ms_at_most) at 5.001 ms, "
                                "longest wait 0 ns, 2 polls\n"
                                "      futurescope run tests/expect/slow_reply.json -e wake --seed 5\n"));
    free(out);
    free(err);
    /* A scenario without expectations prints no such count. */
    st = fs_test_futurescope("explore scenarios/seed/05_several_workers.json --seeds 1..2", &out, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "wake: 2 runs: 2 ok, 0 stalled, 0 limit hit\n"));
    free(out);
    free(err);
}

/* A stall is counted as a stall, in run and explore, even when
 * "completes" fails with it (named in run's report). */
static void test_stall_outranks_expectation(void **state)
{
    (void)state;
    char *out, *err;
    int st = fs_test_futurescope("run tests/expect/stuck.json", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, "result     STALLED: 0 of 2 tasks completed, ended at 2.000 us\n"));
    assert_non_null(strstr(out, "expect     0 of 1 met\n"
                                "  expectation failed: completes: the run stalled at 2.000 us with 0 of 2 "
                                "tasks done\n"));
    free(out);
    free(err);
    st = fs_test_futurescope("explore tests/expect/stuck.json --seeds 1..2", &out, &err);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, "wake: 2 runs: 0 ok, 2 stalled, 0 limit hit, 0 expectation failed\n"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_names_failures),
        cmocka_unit_test(test_spawned_task_names),
        cmocka_unit_test(test_summary_expectations),
        cmocka_unit_test(test_explore_counts_expectations),
        cmocka_unit_test(test_stall_outranks_expectation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
