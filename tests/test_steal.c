/* test_steal.c - the steal:N executor, tokio's multi-thread scheduler.
 * Figures worked out by hand from tokio's worker loop (polls cost 1 us unless
 * said): N workers really run in parallel, the timer driver is turned by a
 * parked worker (deadlines round up to the 1 ms tick, a park keeps the phase
 * of its tick) or every 61 ticks by a busy one, loaded local queues get
 * stolen from, full ones overflow to the injection queue, the coop budget
 * makes a task yield, the differences between tokio 1.24.2 and the current
 * release hold, and the run is deterministic. */
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

static void simulate(sim *s, const char *json, fs_exec_kind kind, int workers, uint64_t seed)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = workers,
                                            .has_seed = true, .seed = seed});
}

static void simulate_tokio(sim *s, const char *json, int workers, fs_tokio_version v)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = workers,
                                            .tokio = v});
}

static const fs_exec_stats *st(const sim *s) { return fs_exec_get_stats(s->run->exec); }
static const fs_worker_stats *wk(const sim *s, int w) { return fs_exec_get_worker(s->run->exec, w); }

static void done(sim *s)
{
    fs_test_sim_free(s);
}

static const char *eight = "{\"tasks\":[{\"name\":\"c\",\"count\":8,\"future\":{\"compute_ms\":100}}]}";

/* One worker runs them one after another; four run two rounds of four. */
static void test_eight_computes(void **state)
{
    (void)state;
    sim s;
    simulate(&s, eight, FS_EXEC_WAKE, 1, 0);
    assert_int_equal(st(&s)->end_ns, 8 * (100 * MS + US));
    done(&s);
    simulate(&s, eight, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->end_ns, 2 * (100 * MS + US));
    for (int w = 0; w < 4; w++) {
        assert_int_equal(wk(&s, w)->polls, 2);
        assert_int_equal(wk(&s, w)->busy_ns, 2 * (100 * MS + US));
    }
    assert_int_equal(st(&s)->remote_schedules, 8); /* spawned before the run */
    done(&s);
}

/* A sleeper beside a 500 ms compute: on one worker its wake waits for the
 * compute; on two, the idle worker holds the driver and wakes for the timer.
 * It parked at 1 us, after polling the sleeper (timer due at 100 ms): the
 * park lasts the 100 whole ticks from its own tick, so it wakes at
 * 100.001 ms, and the sleeper completes at 100.002 ms. */
static void test_wake_latency_with_a_second_worker(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"sleeper\",\"future\":{\"sleep_ms\":100}},"
                       "{\"name\":\"cruncher\",\"future\":{\"compute_ms\":500}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_WAKE, 1, 0);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->max_wake_latency_ns, 400 * MS + 2 * US);
    done(&s);
    simulate(&s, json, FS_EXEC_STEAL, 2, 0);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->max_wake_latency_ns, 0);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 100 * MS + 2 * US);
    assert_non_null(strstr(s.trace, "{\"t\":100001000,\"type\":\"unpark\",\"worker\":0}"));
    /* at 0 before the tasks came, at 1 us on the driver, at 100.002 ms */
    assert_int_equal(wk(&s, 0)->parks, 3);
    assert_int_equal(wk(&s, 0)->driver_turns, 1);
    done(&s);
}

/* One task spawns 40 jobs onto its worker's queue: the others steal them
 * and the 400 ms of work finish in about 100 ms. The workers start parked
 * (3, 2, 1, 0: worker 0 on top of the sleepers). The spawner's injection
 * wakes worker 0, which polls it at 0 and, as the last searcher to find
 * work, wakes worker 1; worker 1 finds nothing (the jobs are not spawned
 * before the poll ends) and parks again, on top. At 1 us the spawner's poll
 * ends: job 39 in worker 0's LIFO slot, 39 in its queue, and the second
 * schedule notifies worker 1. Worker 1 steals 20 (the larger half), and as
 * it stops searching it notifies worker 2, which steals 10 of worker 1's
 * 19; worker 2 notifies worker 3, whose random start picks worker 0 (10 of
 * its 19). */
static void test_idle_workers_steal(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"spawner\",\"future\":{\"repeat\":40,\"do\":"
                       "{\"spawn\":{\"name\":\"job\",\"future\":{\"compute_ms\":10}}}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->completed, 41);
    int64_t steals = 0, polls = 0;
    for (int w = 0; w < 4; w++) {
        steals += wk(&s, w)->steals;
        polls += wk(&s, w)->polls;
    }
    assert_int_equal(wk(&s, 0)->steals, 0); /* the loaded worker is the victim */
    assert_true(steals >= 35);
    assert_int_equal(polls, 41);
    assert_true(st(&s)->end_ns <= 101 * MS);
    const char *w1 = strstr(s.trace, "{\"t\":1000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":20}");
    const char *w2 = strstr(s.trace, "{\"t\":1000,\"type\":\"steal\",\"worker\":2,\"victim\":1,\"count\":10}");
    const char *w3 = strstr(s.trace, "{\"t\":1000,\"type\":\"steal\",\"worker\":3,\"victim\":0,\"count\":10}");
    assert_true(w1 && w2 && w3 && w1 < w2 && w2 < w3);
    /* every worker's first park, at 0 before any poll, is a noop park, as
     * tokio counts it; worker 1 has a second, woken at 0 for nothing */
    assert_int_equal(wk(&s, 0)->noops, 1);
    assert_int_equal(wk(&s, 1)->noops, 2);
    assert_int_equal(wk(&s, 2)->noops, 1);
    assert_int_equal(wk(&s, 3)->noops, 1);
    done(&s);
}

/* 600 spawns in one poll overflow a 256-slot local queue. The first goes to
 * the LIFO slot and each later one pushes the one before into the queue:
 * pushes 257, 386 and 515 find it full and move 128 tasks and themselves to
 * the injection queue. Overflows are not remote schedules (tokio counts
 * only schedules from outside a worker). */
static void test_local_queue_overflows(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"spawner\",\"future\":{\"repeat\":600,\"do\":"
                       "{\"spawn\":{\"name\":\"job\",\"future\":{\"compute_ms\":1}}}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&s)->completed, 601);
    assert_int_equal(wk(&s, 0)->overflows, 3);
    assert_int_equal(wk(&s, 0)->max_local_queue, 256);
    assert_int_equal(st(&s)->remote_schedules, 1); /* the spawner */
    done(&s);
}

/* A task woken by another task on the same worker runs next (LIFO slot). */
static void test_lifo_slot(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"ch\":{\"type\":\"channel\"}},\"tasks\":["
                       "{\"name\":\"rx\",\"future\":{\"recv\":\"ch\"}},"
                       "{\"name\":\"tx\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"send\":\"ch\"},{\"compute_ms\":1}]}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 1, 0);
    /* rx 0..1us; tx 1..2us: its timer, due at 5.001 ms, rounds up to the
     * 6 ms tick. The worker parks at 2 us for the 6 ticks from its own: it
     * wakes at 6.002 ms, the timer puts tx in its LIFO slot (a LIFO poll),
     * the send wakes rx into the slot, the compute runs to 7.003 ms; rx
     * follows in run_task's LIFO loop and completes at 7.004 ms */
    assert_int_equal(wk(&s, 0)->lifo_polls, 2);
    assert_int_equal(fs_exec_get_task(s.run->exec, 1)->completed_ns, 7 * MS + 3 * US);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 7 * MS + 4 * US);
    done(&s);
}

/* A device wake that lands while the task's own poll is still running (here
 * a spurious wake due at the poll's start) is not lost: it takes effect when
 * the poll ends, as on one worker. */
static void test_device_wake_during_poll(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":100}]}},"
                       "\"tasks\":[{\"name\":\"r\",\"future\":{\"read\":\"a\",\"spurious_wakes\":3}}]}";
    sim one, four;
    simulate(&one, json, FS_EXEC_WAKE, 1, 0);
    simulate(&four, json, FS_EXEC_STEAL, 4, 0);
    assert_int_equal(st(&one)->polls, 5); /* first, three spurious, the arrival */
    assert_int_equal(st(&four)->polls, 5);
    assert_int_equal(st(&four)->wakes, 4);
    done(&one);
    done(&four);
}

/* A task woken by a task on another worker while its own poll still runs
 * (a 10 ms compute beside its pending recv) is polled again when that poll
 * ends; it used to be lost, and the run stalled. */
static void test_cross_worker_wake_during_poll(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"ch\":{\"type\":\"channel\"}},\"tasks\":["
                       "{\"name\":\"a\",\"future\":{\"join\":[{\"recv\":\"ch\"},{\"compute_ms\":10}]}},"
                       "{\"name\":\"b\",\"future\":{\"send\":\"ch\"}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL, 2, 0);
    assert_false(st(&s)->stalled);
    /* a: 0..10.001 ms on worker 0 (b sent at 0 on worker 1), again at 10.001 ms */
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 10 * MS + 2 * US);
    done(&s);
}

/* The coop budget: tx sends 200 messages into a roomy channel, rx receives
 * them (tokio 1.24: one task from the injection queue at a time). tx's first
 * poll spends the 128 units on 128 sends; the 129th finds the budget spent,
 * wakes tx and returns pending (a yield, to the back of the queue). tx's
 * second poll sends the other 72 and completes; rx does the same. Four polls,
 * two forced yields; the wake executor is not budgeted: two polls. */
static void test_coop_budget(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":1000}},\"tasks\":["
                       "{\"name\":\"tx\",\"future\":{\"repeat\":200,\"do\":{\"send\":\"ch\"}}},"
                       "{\"name\":\"rx\",\"future\":{\"repeat\":200,\"do\":{\"recv\":\"ch\"}}}]}";
    sim s;
    simulate_tokio(&s, json, 1, FS_TOKIO_1_24);
    assert_int_equal(st(&s)->polls, 4);
    assert_int_equal(wk(&s, 0)->budget_forced_yields, 2);
    assert_int_equal(st(&s)->end_ns, 4 * US);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->polls, 2);
    done(&s);
    simulate(&s, json, FS_EXEC_WAKE, 1, 0);
    assert_int_equal(st(&s)->polls, 2);
    done(&s);
}

/* Two sleepers due at the same tick and a third 5 ms later, poll cost 0, on
 * one worker. At 5 ms the driver turn puts b in the LIFO slot and a in the
 * queue; the queue can be stolen from, so the worker notifies the last
 * parked worker: itself. It runs b and a, then parks: the notification
 * makes that park return at once, and it parks again with no poll since
 * (a noop park), until c's timer. With its first park, at 0 before the
 * tasks came (a noop too): parks 4, two noops. */
static void test_worker_notifies_itself(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":0,\"tasks\":["
                       "{\"name\":\"a\",\"future\":{\"sleep_ms\":5}},"
                       "{\"name\":\"b\",\"future\":{\"sleep_ms\":5}},"
                       "{\"name\":\"c\",\"future\":{\"sleep_ms\":10}}]}";
    sim s;
    simulate_tokio(&s, json, 1, FS_TOKIO_1_24);
    assert_int_equal(wk(&s, 0)->parks, 4);
    assert_int_equal(wk(&s, 0)->noops, 2);
    assert_int_equal(wk(&s, 0)->lifo_polls, 2); /* b at 5 ms, c at 10 ms */
    assert_int_equal(wk(&s, 0)->local_schedules, 3);
    assert_int_equal(st(&s)->end_ns, 10 * MS);
    done(&s);
}

/* --cpus: two 100 ms computes on steal:2 sharing one CPU. The workers start
 * parked; the first injection wakes worker 0, which polls c#0 at 0 and, as
 * the last searcher to find work, notifies worker 1 - which must wait for a
 * CPU. Worker 0's poll ends at 100.001 ms; back in its loop after more than
 * a slice (3 ms) on the CPU while worker 1 waits, it is preempted there, so
 * worker 1 unparks at 100.001 ms and runs c#1 from the injection queue
 * until 200.002 ms. With a CPU each, both run at 0. */
/* --cpus 1, steal:2: a preempted worker's local queue is open to thieves,
 * its LIFO slot is not. p's poll (0..10.001 ms) spawns k0, k1, k2: k2 ends
 * in the LIFO slot, k0 and k1 in the queue, and the first wake went to
 * worker 1, which waits for the CPU since 0. When p's poll ends worker 0
 * has held the CPU for over a slice (3 ms): it is preempted there, between
 * two polls of run_task, k2 still in its LIFO slot. Worker 1 takes the CPU,
 * steals half of [k0, k1] (k0, 10.001..11.002 ms), then k1 (11.002..12.003
 * ms), and parks: worker 0 has the CPU again and its run_task goes on with
 * k2 (12.003..13.004 ms). */
static void test_preempted_worker_is_stolen_from(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"p\",\"future\":{\"seq\":["
                       "{\"spawn\":{\"name\":\"k0\",\"future\":{\"compute_ms\":1}}},"
                       "{\"spawn\":{\"name\":\"k1\",\"future\":{\"compute_ms\":1}}},"
                       "{\"spawn\":{\"name\":\"k2\",\"future\":{\"compute_ms\":1}}},"
                       "{\"compute_ms\":10}]}}]}";
    sim s;
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2, .cpus = 1});
    assert_int_equal(st(&s)->end_ns, 13 * MS + 4 * US);
    assert_int_equal(wk(&s, 0)->polls, 2); /* p, k2 */
    assert_int_equal(wk(&s, 0)->lifo_polls, 1);
    assert_int_equal(wk(&s, 1)->polls, 2); /* k0, k1 */
    assert_int_equal(wk(&s, 1)->steals, 2);
    assert_int_equal(wk(&s, 1)->steal_operations, 2);
    assert_non_null(strstr(s.trace, "{\"t\":10001000,\"type\":\"preempt\",\"worker\":0}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":10001000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":1}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":11002000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":1}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":12003000,\"type\":\"park\",\"worker\":1}\n"
                                    "{\"t\":12003000,\"type\":\"resume\",\"worker\":0}\n"
                                    "{\"t\":12003000,\"type\":\"poll\",\"task\":3,\"worker\":0,"));
    assert_int_equal(fs_exec_get_task(s.run->exec, 1)->completed_ns, 11 * MS + 2 * US); /* k0 */
    assert_int_equal(fs_exec_get_task(s.run->exec, 2)->completed_ns, 12 * MS + 3 * US); /* k1 */
    assert_int_equal(fs_exec_get_task(s.run->exec, 3)->completed_ns, 13 * MS + 4 * US); /* k2 */
    done(&s);
}

static void test_workers_wait_for_a_cpu(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"c\",\"count\":2,\"future\":{\"compute_ms\":100}}]}";
    sim s;
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2, .cpus = 1});
    assert_int_equal(st(&s)->end_ns, 200 * MS + 2 * US);
    assert_int_equal(wk(&s, 0)->polls, 1);
    assert_int_equal(wk(&s, 1)->polls, 1);
    assert_int_equal(fs_exec_get_task(s.run->exec, 1)->completed_ns, 200 * MS + 2 * US);
    assert_non_null(strstr(s.trace, "{\"t\":100001000,\"type\":\"preempt\",\"worker\":0}\n"
                                    "{\"t\":100001000,\"type\":\"unpark\",\"worker\":1}\n"
                                    "{\"t\":100001000,\"type\":\"poll\",\"task\":1,\"worker\":1,"));
    assert_null(strstr(s.trace, "\"type\":\"resume\"")); /* the run ends first */
    /* worker 0 waited, preempted, from 100.001 ms to the end: idle time */
    assert_int_equal(wk(&s, 0)->idle_ns, 100 * MS + 1 * US);
    assert_non_null(strstr(s.trace, "\"cpus\":1,")); /* the header records it */
    done(&s);
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2, .cpus = 2});
    assert_int_equal(st(&s)->end_ns, 100 * MS + 1 * US);
    assert_int_equal(wk(&s, 1)->polls, 1);
    done(&s);
}

/* --turn-delay: three 5 ms sleepers on steal:2. s#0 and s#2 are polled at 0
 * (one per worker), s#1 at 1 us on worker 0; worker 1 parks first, on the
 * driver, and wakes at 5.001 ms (the tick after its park's) to fire s#0 and
 * s#2: s#2 to its LIFO slot, s#0 to its queue. Its offer of work goes out at
 * once: worker 0 wakes and steals s#0 at 5.001 ms. Worker 1 itself goes on
 * only after its turn's delay, drawn from the executor's stream, and polls
 * s#2 then; worker 0, the last searcher, notified it meanwhile, so worker 1
 * is searching when it goes on and its next park returns at once (the
 * token) before it parks for good: parks 4, noops 2 (its first park, at 0,
 * and the one after the token). Without the delay it polls s#2 at 5.001 ms
 * and parks 3 times. */
static void test_turn_delay_lets_the_other_worker_steal(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"s\",\"count\":3,\"future\":{\"sleep_ms\":5}}]}";
    sim s;
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2});
    assert_non_null(strstr(s.trace, "{\"t\":5001000,\"type\":\"poll\",\"task\":2,\"worker\":1,"));
    assert_int_equal(wk(&s, 1)->parks, 3);
    done(&s);
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                              .turn_delay_ns = 50 * US});
    assert_non_null(strstr(s.trace, "{\"t\":5001000,\"type\":\"driver\",\"worker\":1,\"fired\":2}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":5001000,\"type\":\"steal\",\"worker\":0,\"victim\":1,\"count\":1}\n"
                                    "{\"t\":5001000,\"type\":\"poll\",\"task\":0,\"worker\":0,"));
    int64_t done2 = fs_exec_get_task(s.run->exec, 2)->completed_ns;
    assert_true(done2 > 5002 * US); /* polled after the delay, for 1 us */
    char line[96];
    snprintf(line, sizeof line, "{\"t\":%lld,\"type\":\"poll\",\"task\":2,\"worker\":1,",
             (long long)(done2 - US));
    assert_non_null(strstr(s.trace, line));
    assert_int_equal(wk(&s, 1)->parks, 4);
    assert_int_equal(wk(&s, 1)->noops, 2);
    assert_non_null(strstr(s.trace, "\"turn_delay_ns\":50000,"));
    /* the delay is drawn from the executor's stream: the same run again is
     * the same trace */
    char *first = strdup(s.trace);
    done(&s);
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                              .turn_delay_ns = 50 * US});
    assert_string_equal(first, s.trace);
    free(first);
    done(&s);
}

/* --hand-over, on the three sleepers above: worker 1's turn at 5.001 ms
 * fires s#0 (to its queue) and s#2 (its LIFO slot) and its offer of work
 * wakes worker 0, which ran last on worker 1's CPU (P = 1 after a turn):
 * worker 0 runs at once, steals s#0 and polls it (5.001-5.002 ms), finds
 * nothing more and parks; worker 1 waited for its CPU until then and goes
 * on 6 us later (5.008 ms) to poll s#2, done at 5.009 ms. Worker 0's
 * run_task notification (the last searcher) found worker 1 still on the
 * sleepers list: a token, not a hand-over. */
static void test_hand_over(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"s\",\"count\":3,\"future\":{\"sleep_ms\":5}}]}";
    sim s;
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                              .hand_over_pm = {1000, 0}});
    assert_non_null(strstr(s.trace, "{\"t\":5001000,\"type\":\"driver\",\"worker\":1,\"fired\":2}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":5001000,\"type\":\"steal\",\"worker\":0,\"victim\":1,\"count\":1}\n"
                                    "{\"t\":5001000,\"type\":\"poll\",\"task\":0,\"worker\":0,"));
    assert_non_null(strstr(s.trace, "{\"t\":5008000,\"type\":\"poll\",\"task\":2,\"worker\":1,"));
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 5002 * US);
    assert_int_equal(fs_exec_get_task(s.run->exec, 2)->completed_ns, 5009 * US);
    assert_null(strstr(s.trace, "\"type\":\"preempt\""));
    assert_non_null(strstr(s.trace, "\"hand_over_turn_pm\":1000,\"hand_over_other_pm\":0,"
                                    "\"idle_wake_ns\":0,"));
    done(&s);

    /* Eight sleepers on steal:3 with P = 1 everywhere: worker 2's turn at
     * 6.021 ms fires seven and picks itself for its offer (the turner is
     * on the sleepers list); its run_task notification hands its CPU to
     * worker 0, which steals its queue in halves (3, 2, 1) and polls them
     * while worker 2 waits; worker 0's own notification, as the last
     * searcher, wakes worker 1 behind worker 2 on that CPU: worker 1 would
     * come up only once worker 2 parks. Worker 2 goes on 6 us after
     * worker 0 parks (6.033 ms), polls its last task, and the run ends at
     * 6.034 ms without worker 1. */
    const char *eight_sleepers = "{\"tasks\":[{\"name\":\"s\",\"count\":8,\"future\":{\"sleep_ms\":5}}]}";
    fs_test_simulate(&s, eight_sleepers, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 3,
                                                        .hand_over_pm = {1000, 1000}});
    assert_non_null(strstr(s.trace, "{\"t\":6021000,\"type\":\"driver\",\"worker\":2,\"fired\":7}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":6021000,\"type\":\"preempt\",\"worker\":2}\n"
                                    "{\"t\":6021000,\"type\":\"unpark\",\"worker\":0}\n"
                                    "{\"t\":6021000,\"type\":\"steal\",\"worker\":0,\"victim\":2,\"count\":3}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":6024000,\"type\":\"steal\",\"worker\":0,\"victim\":2,\"count\":2}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":6026000,\"type\":\"steal\",\"worker\":0,\"victim\":2,\"count\":1}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":6027000,\"type\":\"park\",\"worker\":0}\n"
                                    "{\"t\":6033000,\"type\":\"resume\",\"worker\":2}\n"));
    const char *after = strstr(s.trace, "{\"t\":6021000,\"type\":\"driver\"");
    assert_null(strstr(after, "\"type\":\"unpark\",\"worker\":1}"));
    assert_int_equal(st(&s)->end_ns, 6034 * US);
    done(&s);

    /* Never handed over: worker 0, woken at 0 by the scenario's tasks,
     * polls all three (0-3 us; current tokio's injection batch), and its
     * run_task notification wakes worker 1, whose own CPU is idle: it
     * comes up after --idle-wake (drawn from the executor's stream), finds
     * nothing and parks again (a noop park). */
    fs_test_simulate(&s, json, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2,
                                              .hand_over_pm = {0, 1}, .idle_wake_ns = 50 * US});
    assert_non_null(strstr(s.trace, "{\"t\":2000,\"type\":\"poll\",\"task\":2,\"worker\":0,"));
    const char *up = strstr(s.trace, "\"type\":\"unpark\",\"worker\":1}\n");
    assert_non_null(up);
    while (up > s.trace && up[-1] != '\n')
        up--;
    long long t = 0;
    assert_int_equal(sscanf(up, "{\"t\":%lld,", &t), 1);
    assert_true(t > 3 * US);
    char line[96];
    snprintf(line, sizeof line, "{\"t\":%lld,\"type\":\"park\",\"worker\":1}\n", t);
    assert_ptr_equal(strstr(up, "\n") + 1, strstr(up, line));
    assert_int_equal(wk(&s, 1)->noops, 2);
    assert_int_equal(wk(&s, 1)->polls, 3); /* it polls the three when they wake */
    done(&s);
}

/* A busy worker turns the driver only every 61 ticks (event_interval): a
 * 1 ms sleeper beside a task that yields 200 times (poll cost 10 us, a tick
 * each) is woken at tick 122, 1.21 ms, and completes at 1.22 ms. */
static void test_busy_worker_turns_the_driver_every_61_ticks(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":10000,\"tasks\":["
                       "{\"name\":\"s\",\"future\":{\"sleep_ms\":1}},"
                       "{\"name\":\"y\",\"future\":{\"repeat\":200,\"do\":{\"yield\":true}}}]}";
    sim s;
    simulate_tokio(&s, json, 1, FS_TOKIO_1_24);
    assert_int_equal(fs_exec_get_task(s.run->exec, 0)->completed_ns, 1220 * US);
    /* as it wakes from its first park at 0 (it holds the driver), then
     * ticks 61 (nothing due yet), 122 and 183 (203 polls in all) */
    assert_int_equal(wk(&s, 0)->driver_turns, 4);
    assert_int_equal(st(&s)->polls, 203);
    done(&s);
}

/* A chain of wakes in one run_task: the starter's send wakes r1, whose send
 * wakes r2, then r3, r4. tokio 1.24.2 polls the whole chain from the LIFO
 * slot while the budget lasts; current tokio stops after 3 LIFO polls in a
 * row and sends r4 to the back of the queue. */
static void test_lifo_chain_by_version(void **state)
{
    (void)state;
    const char *json = "{\"resources\":{\"c1\":{\"type\":\"channel\"},\"c2\":{\"type\":\"channel\"},"
                       "\"c3\":{\"type\":\"channel\"},\"c4\":{\"type\":\"channel\"}},\"tasks\":["
                       "{\"name\":\"r1\",\"future\":{\"seq\":[{\"recv\":\"c1\"},{\"send\":\"c2\"}]}},"
                       "{\"name\":\"r2\",\"future\":{\"seq\":[{\"recv\":\"c2\"},{\"send\":\"c3\"}]}},"
                       "{\"name\":\"r3\",\"future\":{\"seq\":[{\"recv\":\"c3\"},{\"send\":\"c4\"}]}},"
                       "{\"name\":\"r4\",\"future\":{\"recv\":\"c4\"}},"
                       "{\"name\":\"go\",\"future\":{\"send\":\"c1\"}}]}";
    sim s;
    simulate_tokio(&s, json, 1, FS_TOKIO_1_24);
    assert_int_equal(wk(&s, 0)->lifo_polls, 4);
    assert_int_equal(st(&s)->polls, 9);
    done(&s);
    simulate_tokio(&s, json, 1, FS_TOKIO_CURRENT);
    assert_int_equal(wk(&s, 0)->lifo_polls, 3);
    assert_int_equal(st(&s)->polls, 9);
    done(&s);
}

/* The injection queue: tokio 1.24.2 pops one task at a time, current tokio
 * pulls a batch into the local queue. Four 10 ms computes on two workers:
 * with 1.24 worker 0 takes c0, worker 1 c1, then c2 and c3; current, worker
 * 0 takes c0 and moves c1 (3 left / 2 workers) into its queue, worker 1
 * takes c2, and c1 stays with worker 0. */
static void test_injection_batch_by_version(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"c\",\"count\":4,\"future\":{\"compute_ms\":10}}]}";
    sim s;
    simulate_tokio(&s, json, 2, FS_TOKIO_1_24);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"poll\",\"task\":1,\"worker\":1,"));
    assert_int_equal(st(&s)->end_ns, 2 * (10 * MS + US));
    done(&s);
    simulate_tokio(&s, json, 2, FS_TOKIO_CURRENT);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"poll\",\"task\":2,\"worker\":1,"));
    assert_non_null(strstr(s.trace, "{\"t\":10001000,\"type\":\"poll\",\"task\":1,\"worker\":0,"));
    assert_int_equal(st(&s)->end_ns, 2 * (10 * MS + US));
    done(&s);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"w\",\"count\":30,\"future\":{\"repeat\":3,\"do\":"
                       "{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,20]}},{\"compute_ms\":{\"uniform\":[1,5]}},"
                       "{\"spawn\":{\"name\":\"j\",\"future\":{\"compute_ms\":2}}}]}}}]}";
    sim a, b;
    simulate(&a, json, FS_EXEC_STEAL, 3, 7);
    simulate(&b, json, FS_EXEC_STEAL, 3, 7);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.trace, b.trace, a.len);
    assert_int_equal(st(&a)->completed, 30 + 90);
    done(&a);
    done(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_computes),
        cmocka_unit_test(test_wake_latency_with_a_second_worker),
        cmocka_unit_test(test_idle_workers_steal),
        cmocka_unit_test(test_local_queue_overflows),
        cmocka_unit_test(test_lifo_slot),
        cmocka_unit_test(test_device_wake_during_poll),
        cmocka_unit_test(test_cross_worker_wake_during_poll),
        cmocka_unit_test(test_coop_budget),
        cmocka_unit_test(test_worker_notifies_itself),
        cmocka_unit_test(test_busy_worker_turns_the_driver_every_61_ticks),
        cmocka_unit_test(test_workers_wait_for_a_cpu),
        cmocka_unit_test(test_preempted_worker_is_stolen_from),
        cmocka_unit_test(test_turn_delay_lets_the_other_worker_steal),
        cmocka_unit_test(test_hand_over),
        cmocka_unit_test(test_lifo_chain_by_version),
        cmocka_unit_test(test_injection_batch_by_version),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
