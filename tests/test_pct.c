/* test_pct.c - --schedule pct:D (core/exec_pct.c): random task priorities,
 * the highest-priority ready task polled each turn, D-1 change points that
 * drop the running task below all others. A depth-2 ordering bug that
 * random durations never hit in 1,000 seeds is found, and its replay
 * reproduces it; pct:1 (no change point) cannot hit it. Runs the built
 * binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define BUG "scenarios/patterns/interleaved_replies.json"
#define YIELDERS "tests/explore/three_yielders.json"


/* The task of each poll line of a trace, in order, into ids (at most n);
 * returns how many. */
static int poll_order(const char *trace, int *ids, int n)
{
    int k = 0;
    for (const char *p = trace; (p = strstr(p, "\"type\":\"poll\",\"task\":")) && k < n; p++)
        ids[k++] = atoi(p + strlen("\"type\":\"poll\",\"task\":"));
    return k;
}

static int switches(const int *ids, int n)
{
    int s = 0;
    for (int i = 1; i < n; i++)
        s += ids[i] != ids[i - 1];
    return s;
}

/* pct:1 has no change point: the task of highest priority runs all its 4
 * polls (it yields, and is still the highest), then the next: 2 switches
 * in every seed, where the fixed order takes turns (11). Which task goes
 * first depends on the seed. */
static void test_highest_priority_runs_first(void **state)
{
    (void)state;
    char *out = fs_test_futurescope_out("run " YIELDERS " --seed 1 -o -", 0);
    int ids[16];
    assert_int_equal(poll_order(out, ids, 16), 12);
    assert_int_equal(switches(ids, 12), 11);
    free(out);
    bool first[3] = {false};
    for (int seed = 1; seed <= 20; seed++) {
        char args[256];
        snprintf(args, sizeof args, "run " YIELDERS " --seed %d --schedule pct:1 -o -", seed);
        out = fs_test_futurescope_out(args, 0);
        assert_int_equal(poll_order(out, ids, 16), 12);
        assert_int_equal(switches(ids, 12), 2);
        first[ids[0]] = true;
        free(out);
    }
    assert_true(first[0] && first[1] && first[2]);
}

/* pct:2: one change point among the 12 steps. It drops the task that ran
 * the step before; if that task had polls left, the other two run to
 * their end first and it resumes last: 3 switches. Else nothing changes:
 * 2. Both happen over seeds 1..30. */
static void test_change_point_preempts(void **state)
{
    (void)state;
    int seen[4] = {0};
    for (int seed = 1; seed <= 30; seed++) {
        char args[256];
        snprintf(args, sizeof args, "run " YIELDERS " --seed %d --schedule pct:2 -o -", seed);
        char *out = fs_test_futurescope_out(args, 0);
        int ids[16];
        assert_int_equal(poll_order(out, ids, 16), 12);
        int s = switches(ids, 12);
        assert_true(s == 2 || s == 3);
        seen[s]++;
        free(out);
    }
    assert_true(seen[2] > 0 && seen[3] > 0);
}

/* The acceptance test: random durations alone (the starter's delay, drawn
 * from 1..50 ms) never reorder the clients; pct:1 cannot either (the bug
 * needs two orderings); pct:2 finds it in 68 of 1,000 seeds (about 1 in
 * 2 x 8: a must outrank b, and the change point must fall on the step
 * after a's send, one of the run's 8), the lowest seed 17, whose replay
 * shows b taking a's reply. */
static void test_pct_finds_the_depth_2_bug(void **state)
{
    (void)state;
    char *out = fs_test_futurescope_out("explore " BUG " --seeds 1..1000", 0);
    assert_non_null(strstr(out, "wake: 1,000 runs: 1,000 ok, 0 stalled, 0 limit hit, 0 expectation failed\n"));
    free(out);
    out = fs_test_futurescope_out("explore " BUG " --seeds 1..1000 --schedule pct:1", 0);
    assert_non_null(strstr(out, "wake: 1,000 runs: 1,000 ok, 0 stalled, 0 limit hit, 0 expectation failed\n"));
    free(out);

    out = fs_test_futurescope_out("explore " BUG " --seeds 1..1000 --schedule pct:2", 3);
    assert_non_null(strstr(out, "wake: 1,000 runs: 932 ok, 0 stalled, 0 limit hit, 68 expectation failed\n"));
    assert_non_null(strstr(out, "    seed 17       expectation failed (channel_max_len) at 46.006 ms, "
                                "longest wait 3.000 us, 8 polls\n"
                                "      futurescope run " BUG " -e wake --seed 17 --schedule pct:2\n"
                                "      futurescope view " BUG " -e wake --seed 17 --schedule pct:2\n"));
    free(out);

    out = fs_test_futurescope_out("run " BUG " -e wake --seed 17 --schedule pct:2", 3);
    assert_non_null(strstr(out, "  expectation failed: channel_max_len: channel \"replies\" held 2 "
                                "messages, more than 1\n"));
    free(out);
    /* b's read took a's message (value 1): a's send, b's yield, b's send
     * and read, then a's read */
    out = fs_test_futurescope_out("run " BUG " -e wake --seed 17 --schedule pct:2 -o -", 3);
    int ids[16];
    assert_int_equal(poll_order(out, ids, 16), 8);
    int want[8] = {0, 2, 1, 2, 0, 1, 1, 0};
    assert_memory_equal(ids, want, sizeof want);
    assert_non_null(strstr(out, "\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"ready\","
                                "\"state\":\"await 4/4: recv replies\",\"value\":1}"));
    free(out);
}

/* The README's exit statuses: tokio's orders hit the bug under steal:1,
 * blocking stalls (the clients wait for a starter that never runs). */
static void test_pattern_under_each_executor(void **state)
{
    (void)state;
    static const struct {
        const char *exec;
        int status;
    } cases[] = {{"wake", 0}, {"busy", 0}, {"steal:2", 0}, {"steal:1", 3}, {"steal:4", 3},
                 {"blocking", 3}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char args[256];
        snprintf(args, sizeof args, "run " BUG " -e %s", cases[i].exec);
        free(fs_test_futurescope_out(args, cases[i].status));
    }
}

/* Same seed and depth: the same bytes; the header names the schedule. */
static void test_same_seed_same_trace(void **state)
{
    (void)state;
    char *a = fs_test_futurescope_out("run " BUG " --seed 17 --schedule pct:2 -o -", 3);
    char *b = fs_test_futurescope_out("run " BUG " --seed 17 --schedule pct:2 -o -", 3);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"queue\":\"fifo\",\"schedule\":\"pct:2\",\"workers\":1"));
    free(a);
    free(b);
}

/* steal:N refuses it (its order is tokio's; its victims are drawn from
 * the seed already), and so does a depth out of range: exit 2, one line. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"run " BUG " -e steal:2 --schedule pct:2",
         BUG ": --schedule pct:2 is for the wake executor only (got steal)\n"},
        {"explore " BUG " -e wake,busy --seeds 1..2 --schedule pct:3",
         BUG ": --schedule pct:3 is for the wake executor only (got busy)\n"},
        {"run " BUG " --schedule pct:0", NULL},
        {"run " BUG " --schedule pct:65", NULL},
        {"run " BUG " --schedule pct:2x", NULL},
        {"run " BUG " --schedule pct", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out, *err;
        int st = fs_test_futurescope(cases[i].args, &out, &err);
        assert_int_equal(st, 2);
        if (cases[i].err)
            assert_string_equal(err, cases[i].err);
        else
            assert_non_null(strstr(err, "--schedule expects fixed, random or pct:D (D from 1 to 64), got '"));
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_highest_priority_runs_first),
        cmocka_unit_test(test_change_point_preempts),
        cmocka_unit_test(test_pct_finds_the_depth_2_bug),
        cmocka_unit_test(test_pattern_under_each_executor),
        cmocka_unit_test(test_same_seed_same_trace),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
