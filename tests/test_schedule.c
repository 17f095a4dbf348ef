/* test_schedule.c - --schedule random: the wake executor draws which woken
 * task runs next from the seed (a stream apart from the workload's draws).
 * A race that the fixed order never hits is found by explore over seeds,
 * its replay carries --schedule and reproduces it, and the same seed and
 * schedule give the same bytes. Runs the built binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define RACE "tests/explore/notify_race.json"


/* The fixed order polls the waiter first in every seed; random orders put
 * the notifier first in 11 of seeds 1..20 (a draw per turn), and the
 * lowest such seed replays to the same stall. */
static void test_random_schedule_finds_the_race(void **state)
{
    (void)state;
    char *out = fs_test_futurescope_out("explore " RACE " --seeds 1..20", 0);
    assert_non_null(strstr(out, "wake: 20 runs: 20 ok, 0 stalled, 0 limit hit, 0 expectation failed\n"));
    free(out);

    out = fs_test_futurescope_out("explore " RACE " --seeds 1..20 --schedule random", 3);
    assert_non_null(strstr(out, "wake: 20 runs: 9 ok, 11 stalled, 0 limit hit, 0 expectation failed\n"));
    assert_non_null(strstr(out, "    seed 1        stalled at 2.000 us, longest wait 1.000 us, 2 polls\n"
                                "      futurescope run " RACE " -e wake --seed 1 --schedule random\n"
                                "      futurescope view " RACE " -e wake --seed 1 --schedule random\n"));
    free(out);

    out = fs_test_futurescope_out("run " RACE " -e wake --seed 1 --schedule random", 3);
    assert_non_null(strstr(out, "result     STALLED: 1 of 2 tasks completed, ended at 2.000 us\n"));
    assert_non_null(strstr(out, "  task #0 waiter: pending on notified go; notify go holds no permit and "
                                "no task left will notify it\n"));
    free(out);
    /* --schedule fixed is the default order */
    out = fs_test_futurescope_out("run " RACE " -e wake --seed 1 --schedule fixed", 0);
    free(out);
}

/* Same seed and schedule: the same bytes; the header says "schedule"
 * only when it is random (fixed traces are as before). */
/* patterns/deadlock_one_interleaving: report must be polled twice (a yield,
 * then audit locked) before transfer's one poll: a random pick of report
 * twice, then of transfer (1/2 each: 1 in 8). No seed of the fixed order
 * deadlocks; 144 of 1,000 random orders do, seed 21 first, whose replay
 * stalls at 4 us (report, report, transfer, report; 1 us each) naming the
 * cycle. */
static void test_random_schedule_finds_the_deadlock(void **state)
{
    (void)state;
#define DL "scenarios/patterns/deadlock_one_interleaving.json"
    char *out = fs_test_futurescope_out("explore " DL " --seeds 1..1000", 0);
    assert_non_null(strstr(out, "wake: 1,000 runs: 1,000 ok, 0 stalled, 0 limit hit\n"));
    free(out);
    out = fs_test_futurescope_out("explore " DL " --seeds 1..1000 --schedule random", 3);
    assert_non_null(strstr(out, "wake: 1,000 runs: 856 ok, 144 stalled, 0 limit hit\n"));
    assert_non_null(strstr(out, "  failing runs: 144, the 10 lowest seeds\n"
                                "    seed 21       stalled at 4.000 us"));
    free(out);
    out = fs_test_futurescope_out("run " DL " -e wake --seed 21 --schedule random", 3);
    assert_non_null(strstr(out, "  task #0 transfer: pending on lock audit; deadlock: transfer holds accounts "
                                "and waits for audit; report holds audit and waits for accounts\n"));
    free(out);
#undef DL
}

static void test_same_seed_same_trace(void **state)
{
    (void)state;
    char *a = fs_test_futurescope_out("run " RACE " --seed 1 --schedule random -o -", 3);
    char *b = fs_test_futurescope_out("run " RACE " --seed 1 --schedule random -o -", 3);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"queue\":\"fifo\",\"schedule\":\"random\",\"workers\":1"));
    free(a);
    free(b);
    a = fs_test_futurescope_out("run " RACE " --seed 1 -o -", 0);
    assert_null(strstr(a, "\"schedule\""));
    free(a);
}

/* The workload is the same under either schedule: a reply drawn from
 * 1..10 ms ends a run at the same time whatever the order. */
static void test_workload_draws_unchanged(void **state)
{
    (void)state;
    for (int seed = 1; seed <= 5; seed++) {
        char args[256];
        snprintf(args, sizeof args, "run tests/expect/slow_reply.json --seed %d -o -", seed);
        char *a = fs_test_futurescope_out(args, seed == 3 || seed == 4 ? 0 : 3);
        snprintf(args, sizeof args, "run tests/expect/slow_reply.json --seed %d --schedule random -o -", seed);
        char *b = fs_test_futurescope_out(args, seed == 3 || seed == 4 ? 0 : 3);
        /* the same events after the header (one task: one order) */
        assert_string_equal(strchr(a, '\n'), strchr(b, '\n'));
        free(a);
        free(b);
    }
}

/* Other executors refuse it for now: exit 2, one line. */
static void test_other_executors_refuse(void **state)
{
    (void)state;
    char *out, *err;
    int st = fs_test_futurescope("run " RACE " -e steal:2 --schedule random", &out, &err);
    assert_int_equal(st, 2);
    assert_string_equal(err, RACE ": --schedule random is for the wake executor only (got steal)\n");
    free(out);
    free(err);
    st = fs_test_futurescope("run " RACE " --schedule pct", &out, &err);
    assert_int_equal(st, 2);
    assert_non_null(strstr(err, "--schedule expects fixed, random or pct:D (D from 1 to 64), got 'pct'"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_schedule_finds_the_race),
        cmocka_unit_test(test_random_schedule_finds_the_deadlock),
        cmocka_unit_test(test_same_seed_same_trace),
        cmocka_unit_test(test_workload_draws_unchanged),
        cmocka_unit_test(test_other_executors_refuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
