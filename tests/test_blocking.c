/* test_blocking.c - spawn_blocking and tokio's blocking pool. Figures by
 * hand from tokio's runtime/blocking/pool.rs: a job runs on a pool thread,
 * off the workers, for its drawn time; with no idle thread a new one
 * starts, up to 512, past which jobs wait in FIFO order for a thread to
 * finish; an idle thread exits after 10 s; of idle threads the one idle
 * longest takes a job. The job's end completes its JoinHandle from outside
 * the runtime: at its own time (not at a driver tick), and under steal:N
 * through the injection queue. */
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

static const fs_exec_stats *st(const sim *s) { return fs_exec_get_stats(s->run->exec); }
static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

/* The trace's blocking lines, one per job, in order, joined by '\n' with
 * their "t" and everything after "blocking". */
static char *blocking_lines(const sim *s)
{
    char *out = calloc(1, s->len + 1);
    assert_non_null(out);
    const char *p = s->trace;
    while ((p = strstr(p, "\"type\":\"blocking\""))) {
        const char *line = p;
        while (line > s->trace && line[-1] != '\n')
            line--;
        const char *end = strchr(p, '\n');
        strncat(out, line, (size_t)(end - line) + 1);
        p = end;
    }
    return out;
}

static const char *starves =
    "{\"poll_cost_ns\":1000,\"tasks\":["
    "{\"name\":\"heartbeat\",\"future\":{\"repeat\":5,\"do\":{\"sleep_ms\":10}}},"
    "{\"name\":\"cruncher\",\"future\":{\"spawn_blocking\":{\"name\":\"crunch\",\"compute_ms\":500},"
    "\"await\":true}}]}";

/* compute_starves with the work moved to the pool: one worker is never
 * blocked, so the heartbeat's wakes are polled at once. The cruncher's poll
 * (1..2 us) hands the job over at 1 us; it ends at 500.001 ms and the
 * cruncher's second poll runs 500.001..500.002 ms. Two polls in all, one
 * wake, from "blocking:0". */
static void test_heartbeat_keeps_time(void **state)
{
    (void)state;
    sim s;
    simulate(&s, starves, FS_EXEC_WAKE, 1);
    assert_int_equal(task(&s, 0)->max_wake_latency_ns, 0);
    assert_int_equal(task(&s, 0)->completed_ns, 50 * MS + 1 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 500 * MS + 2 * US);
    assert_int_equal(task(&s, 1)->polls, 2);
    assert_int_equal(task(&s, 1)->value, 500);
    assert_int_equal(st(&s)->end_ns, 500 * MS + 2 * US);
    assert_int_equal(st(&s)->busy_ns, 8 * US); /* 6 heartbeat polls, 2 cruncher's */
    char *b = blocking_lines(&s);
    assert_string_equal(b, "{\"t\":1000,\"type\":\"blocking\",\"task\":1,\"thread\":0,\"job\":0,"
                           "\"name\":\"crunch\",\"dur\":500000000,\"queued\":0,\"new_thread\":true}\n");
    free(b);
    assert_non_null(strstr(s.trace, "{\"t\":500001000,\"type\":\"wake\",\"task\":1,\"source\":\"blocking:0\"}"));
    fs_test_sim_free(&s);
}

/* Under steal:2 the job's end is a remote schedule, at its own time (not a
 * driver tick): into the injection queue, and a parked worker is notified.
 * The cruncher's first poll runs on worker 1 at 0, beside the heartbeat's
 * on worker 0, so the job runs 0..500 ms. Both workers are parked by then;
 * worker 0, the last to park (54.006 ms), is notified, polls the cruncher
 * 500.000..500.001 ms and, as the last searcher to find work, notifies
 * worker 1, which finds nothing and parks again. */
static void test_remote_wake_under_steal(void **state)
{
    (void)state;
    sim s;
    simulate(&s, starves, FS_EXEC_STEAL, 2);
    assert_int_equal(task(&s, 1)->completed_ns, 500 * MS + 1 * US);
    assert_int_equal(task(&s, 1)->max_wake_latency_ns, 0);
    /* the heartbeat's and the cruncher's spawns (2), and the job's end (1) */
    assert_int_equal(st(&s)->remote_schedules, 3);
    assert_int_equal(st(&s)->end_ns, 500 * MS + 1 * US);
    assert_non_null(strstr(s.trace, "{\"t\":500000000,\"type\":\"wake\",\"task\":1,\"source\":\"blocking:0\"}\n"
                                    "{\"t\":500000000,\"type\":\"unpark\",\"worker\":0}\n"
                                    "{\"t\":500000000,\"type\":\"poll\",\"task\":1,\"worker\":0,"));
    /* its first park, at 0 before any task came, and that one */
    assert_int_equal(fs_exec_get_worker(s.run->exec, 1)->noops, 2);
    fs_test_sim_free(&s);
}

/* 514 jobs of 100 ms at t = 0 (poll cost 0): 512 threads start, the last
 * two jobs wait; at 100 ms threads 0 and 1 finish and take them (queued for
 * 100 ms, no new thread). Everything ends at 200 ms. */
static void test_pool_limit_queues(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"j\",\"count\":514,\"future\":"
                 "{\"spawn_blocking\":{\"compute_ms\":100},\"await\":true}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 200 * MS);
    assert_int_equal(task(&s, 511)->completed_ns, 100 * MS);
    assert_int_equal(task(&s, 512)->completed_ns, 200 * MS);
    assert_int_equal(task(&s, 513)->completed_ns, 200 * MS);
    char *b = blocking_lines(&s);
    assert_non_null(strstr(b, "{\"t\":0,\"type\":\"blocking\",\"task\":511,\"thread\":511,\"job\":511,"
                              "\"name\":\"spawn_blocking 100ms\",\"dur\":100000000,\"queued\":0,"
                              "\"new_thread\":true}\n"));
    assert_non_null(strstr(b, "{\"t\":100000000,\"type\":\"blocking\",\"task\":512,\"thread\":0,\"job\":512,"
                              "\"name\":\"spawn_blocking 100ms\",\"dur\":100000000,"
                              "\"queued\":100000000}\n"));
    assert_non_null(strstr(b, "{\"t\":100000000,\"type\":\"blocking\",\"task\":513,\"thread\":1,\"job\":513,"
                              "\"name\":\"spawn_blocking 100ms\",\"dur\":100000000,"
                              "\"queued\":100000000}\n"));
    assert_null(strstr(b, "\"thread\":512"));
    free(b);
    fs_test_sim_free(&s);
}

/* Threads are kept alive 10 s, and the one idle longest takes a job. a's
 * job runs on thread 0 (0..10 ms), b's on thread 1 (0..20 ms). c's first,
 * at 30 ms, gets thread 0 (idle since 10 ms, before thread 1) and ends at
 * 35 ms. Its second, at 10.030 s, finds thread 0 alive (idle 9.995 s) and
 * thread 1 gone (idle 10.010 s); its third, at 20.040 s, finds thread 0
 * gone too (idle 10.005 s) and starts a new thread, the lowest number: 0. */
static void test_keep_alive(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"tasks\":["
                 "{\"name\":\"a\",\"future\":{\"spawn_blocking\":{\"compute_ms\":10},\"await\":true}},"
                 "{\"name\":\"b\",\"future\":{\"spawn_blocking\":{\"compute_ms\":20},\"await\":true}},"
                 "{\"name\":\"c\",\"future\":{\"seq\":[{\"sleep_ms\":30},"
                 "{\"spawn_blocking\":{\"compute_ms\":5},\"await\":true},{\"sleep_ms\":9995},"
                 "{\"spawn_blocking\":{\"compute_ms\":5},\"await\":true},{\"sleep_ms\":10005},"
                 "{\"spawn_blocking\":{\"compute_ms\":5},\"await\":true}]}}]}",
             FS_EXEC_WAKE, 1);
    char *b = blocking_lines(&s);
    assert_string_equal(
        b,
        "{\"t\":0,\"type\":\"blocking\",\"task\":0,\"thread\":0,\"job\":0,\"name\":\"spawn_blocking 10ms\","
        "\"dur\":10000000,\"queued\":0,\"new_thread\":true}\n"
        "{\"t\":0,\"type\":\"blocking\",\"task\":1,\"thread\":1,\"job\":1,\"name\":\"spawn_blocking 20ms\","
        "\"dur\":20000000,\"queued\":0,\"new_thread\":true}\n"
        "{\"t\":30000000,\"type\":\"blocking\",\"task\":2,\"thread\":0,\"job\":2,\"name\":\"spawn_blocking 5ms\","
        "\"dur\":5000000,\"queued\":0}\n"
        "{\"t\":10030000000,\"type\":\"blocking\",\"task\":2,\"thread\":0,\"job\":3,\"name\":\"spawn_blocking 5ms\","
        "\"dur\":5000000,\"queued\":0}\n"
        "{\"t\":20040000000,\"type\":\"blocking\",\"task\":2,\"thread\":0,\"job\":4,\"name\":\"spawn_blocking 5ms\","
        "\"dur\":5000000,\"queued\":0,\"new_thread\":true}\n");
    free(b);
    assert_int_equal(st(&s)->end_ns, 20045 * MS);
    fs_test_sim_free(&s);
}

/* Without await the JoinHandle is dropped: ready at once with the job's
 * number, and the job runs on (it does not keep the run going: the run
 * ends with its last task, at 5 ms). */
static void test_detached(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\",\"future\":{\"seq\":["
                 "{\"spawn_blocking\":{\"compute_ms\":100}},{\"spawn_blocking\":{\"compute_ms\":100}},"
                 "{\"sleep_ms\":5}]}}]}",
             FS_EXEC_WAKE, 1);
    assert_int_equal(st(&s)->end_ns, 5 * MS);
    assert_int_equal(task(&s, 0)->polls, 2);
    assert_non_null(strstr(s.trace, "\"job\":1,"));
    assert_null(strstr(s.trace, "\"register\",\"task\":0,\"resource\":\"blocking"));
    fs_test_sim_free(&s);
}

/* A lost waker on a JoinHandle stalls its task once the job has ended. */
static void test_forget_waker_stalls(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\",\"future\":"
                 "{\"spawn_blocking\":{\"compute_ms\":7},\"await\":true,\"forget_waker\":true}}]}",
             FS_EXEC_WAKE, 1);
    assert_true(st(&s)->stalled);
    assert_int_equal(st(&s)->end_ns, 7 * MS);
    assert_non_null(strstr(s.trace, "no waker registered anywhere (lost waker)"));
    fs_test_sim_free(&s);
}

/* The job's time is a draw keyed by its spawn path: every executor sees
 * the same (poll cost 0, so completion times agree too). */
static void test_same_draws_everywhere(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":0,\"seed\":5,\"tasks\":[{\"name\":\"t\",\"count\":6,\"future\":"
                       "{\"repeat\":3,\"do\":{\"spawn_blocking\":{\"compute_ms\":{\"uniform\":[1,50]}},"
                       "\"await\":true}}}]}";
    int64_t want[6];
    sim s;
    simulate(&s, json, FS_EXEC_WAKE, 1);
    for (uint32_t i = 0; i < 6; i++)
        want[i] = task(&s, i)->completed_ns;
    fs_test_sim_free(&s);
    const struct { fs_exec_kind kind; int workers; } other[] = {
        {FS_EXEC_STEAL, 2}, {FS_EXEC_STEAL, 3}};
    for (size_t k = 0; k < 2; k++) {
        simulate(&s, json, other[k].kind, other[k].workers);
        for (uint32_t i = 0; i < 6; i++) {
            const char *name = task(&s, i)->name;
            int idx = name[2] - '0';
            assert_int_equal(task(&s, i)->completed_ns, want[idx]);
        }
        fs_test_sim_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heartbeat_keeps_time),
        cmocka_unit_test(test_remote_wake_under_steal),
        cmocka_unit_test(test_pool_limit_queues),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_detached),
        cmocka_unit_test(test_forget_waker_stalls),
        cmocka_unit_test(test_same_draws_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
