/* test_sync.c - the tokio::sync forms (mutex, semaphore, notify, oneshot, listener)
 * and the patterns built on them (graceful shutdown, an RwLock's readers and writer),
 * each with times and poll counts worked out by hand, under wake and
 * steal:2. The scenarios use whole-millisecond sleeps and, where steal:2
 * runs them too, a poll cost of 0: its timers round up to the 1 ms tick,
 * which then changes nothing, so both executors give the same times. */
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

static void simulate(sim *s, const char *json, fs_exec_kind kind)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = kind == FS_EXEC_STEAL ? 2 : 0});
}

static const fs_exec_stats *st(const sim *s) { return fs_exec_get_stats(s->run->exec); }
static const fs_task_info *task(const sim *s, uint32_t id) { return fs_exec_get_task(s->run->exec, id); }

/* CLOSED as a value: the task's future failed with "closed" (value 0). */
#define CLOSED INT64_MIN

static void expect_task(const sim *s, uint32_t id, int64_t completed_ns, int64_t polls, int64_t value)
{
    assert_int_equal(task(s, id)->completed_ns, completed_ns);
    assert_int_equal(task(s, id)->polls, polls);
    assert_int_equal(task(s, id)->fail, value == CLOSED ? FS_FAIL_CLOSED : FS_FAIL_NONE);
    assert_int_equal(task(s, id)->value, value == CLOSED ? 0 : value);
}

/* ---- mutex ---------------------------------------------------------------- */

static const char *contention =
    "{\"resources\":{\"m\":{\"type\":\"mutex\"}},"
    "\"tasks\":[{\"name\":\"w\",\"count\":3,\"future\":{\"lock\":\"m\",\"do\":{\"sleep_ms\":10}}}]}";

/* Three tasks lock m around a 10 ms sleep, polls 1 us. w#0 locks at 0 and
 * starts its sleep; w#1 (at 1 us) and w#2 (2 us) queue, in that order.
 * At 10 ms w#0's sleep is ready: the guard drops and the lock passes to
 * w#1, the oldest waiter, which is woken; w#0 ends at 10.001 ms. w#1 polls
 * at 10.001 ms, now holding m, and sleeps to 20.001; ends at 20.002 ms; w#2
 * likewise ends at 30.003 ms. Polls: 2 + 3 + 3. */
static void test_mutex_fifo_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, contention, FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 30 * MS + 3 * US);
    assert_int_equal(st(&s)->polls, 8);
    expect_task(&s, 0, 10 * MS + 1 * US, 2, 10);
    expect_task(&s, 1, 20 * MS + 2 * US, 3, 10);
    expect_task(&s, 2, 30 * MS + 3 * US, 3, 10);
    /* traced: who locked and unlocked, on the device's lane */
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"io\",\"resource\":\"m\",\"what\":\"locked\",\"value\":0}"));
    assert_non_null(strstr(s.trace, "{\"t\":10000000,\"type\":\"io\",\"resource\":\"m\",\"what\":\"unlocked\",\"value\":0}\n"
                                    "{\"t\":10000000,\"type\":\"wake\",\"task\":1,\"source\":\"task:0\"}"));
    assert_non_null(strstr(s.trace, "{\"t\":10001000,\"type\":\"io\",\"resource\":\"m\",\"what\":\"locked\",\"value\":1}"));
    assert_non_null(strstr(s.trace, "\"resources\":[{\"name\":\"m\",\"type\":\"mutex\"}]"));
    fs_test_sim_free(&s);
}

/* The same with free polls under steal:2: worker 0 takes the three from
 * the injection queue in order (w#0 locks, w#1 and w#2 queue), each unlock
 * wakes the next into the unlocking worker's LIFO slot, polled at once:
 * 10, 20, 30 ms. */
static void test_mutex_fifo_steal(void **state)
{
    (void)state;
    sim s;
    char json[512];
    snprintf(json, sizeof json, "{\"poll_cost_ns\":0,%s", contention + 1);
    simulate(&s, json, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->end_ns, 30 * MS);
    assert_int_equal(st(&s)->polls, 8);
    expect_task(&s, 0, 10 * MS, 2, 10);
    expect_task(&s, 1, 20 * MS, 3, 10);
    expect_task(&s, 2, 30 * MS, 3, 10);
    fs_test_sim_free(&s);
    simulate(&s, json, FS_EXEC_WAKE);
    expect_task(&s, 2, 30 * MS, 3, 10);
    fs_test_sim_free(&s);
}

/* ---- deadlock --------------------------------------------------------------- */

static const char *deadlock =
    "{\"poll_cost_ns\":0,\"resources\":{\"m1\":{\"type\":\"mutex\"},\"m2\":{\"type\":\"mutex\"}},\"tasks\":["
    "{\"name\":\"a\",\"future\":{\"lock\":\"m1\",\"do\":{\"seq\":[{\"sleep_ms\":10},{\"lock\":\"m2\",\"do\":{\"sleep_ms\":1}}]}}},"
    "{\"name\":\"b\",\"future\":{\"lock\":\"m2\",\"do\":{\"seq\":[{\"sleep_ms\":10},{\"lock\":\"m1\",\"do\":{\"sleep_ms\":1}}]}}}]}";

/* a holds m1 and b m2; at 10 ms each asks for the other's: a stall at
 * 10 ms (exit 3) whose reasons name the cycle, from each task's side. */
static void test_deadlock_names_cycle(void **state)
{
    (void)state;
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, deadlock, kinds[k]);
        assert_true(st(&s)->stalled);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->end_ns, 10 * MS);
        assert_int_equal(task(&s, 0)->polls, 2);
        assert_int_equal(task(&s, 1)->polls, 2);
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on lock m2 (await 2/2); deadlock: a holds m1 "
                                        "and waits for m2; b holds m2 and waits for m1\""));
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on lock m1 (await 2/2); deadlock: b holds m2 "
                                        "and waits for m1; a holds m1 and waits for m2\""));
        fs_test_sim_free(&s);
    }
}

/* The same through the command line: exit 3, the cycle on stdout. */
static void test_deadlock_cli(void **state)
{
    (void)state;
    char *out = NULL;
    int rc = fs_test_futurescope("run scenarios/patterns/mutex_deadlock.json -e wake", &out, NULL);
    assert_int_equal(rc, 3);
    assert_non_null(strstr(out, "deadlock: "));
    assert_non_null(strstr(out, " holds "));
    free(out);
}

/* Stuck behind a holder that is stuck elsewhere: the reason names the
 * holder; a semaphore's says how many permits are free and how many the
 * acquire still needs (g took the 1 free of 3, h holds 2). */
static void test_stuck_behind_holder(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"m\":{\"type\":\"mutex\"},\"c\":{\"type\":\"notify\"},"
                 "\"s\":{\"type\":\"semaphore\",\"permits\":3}},\"tasks\":["
                 "{\"name\":\"a\",\"future\":{\"lock\":\"m\",\"do\":{\"notified\":\"c\"}}},"
                 "{\"name\":\"b\",\"future\":{\"lock\":\"m\",\"do\":{\"yield\":true}}},"
                 "{\"name\":\"h\",\"future\":{\"acquire\":\"s\",\"permits\":2,\"do\":{\"notified\":\"c\"}}},"
                 "{\"name\":\"g\",\"future\":{\"acquire\":\"s\",\"permits\":2,\"do\":{\"yield\":true}}}]}",
             FS_EXEC_WAKE);
    assert_true(st(&s)->stalled);
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on lock m; mutex m is held by a, which cannot "
                                    "finish either\""));
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on acquire s (2 permits); semaphore s has 0 of 3 "
                                    "permits free, this acquire needs 1 more, and no task left will release "
                                    "any (1 holding)\""));
    fs_test_sim_free(&s);
}

/* ---- semaphore -------------------------------------------------------------- */

/* 3 permits. h takes 2 at 0 for 20 ms. big asks for 3 at 1 ms: it takes
 * the 1 free and queues for 2 more. small asks for 1 at 2 ms: nothing is
 * free (big holds back its share), it queues behind big, FIFO. At 20 ms h
 * gives back 2, all to big (woken): big sleeps 10 and gives back 3 at 30;
 * small gets 1 and ends at 35. Polls: h 2 (0, 20), big 4 (0, 1, 20, 30),
 * small 4 (0, 2, 30, 35). */
static const char *fifo_sem =
    "{\"poll_cost_ns\":0,\"resources\":{\"s\":{\"type\":\"semaphore\",\"permits\":3}},\"tasks\":["
    "{\"name\":\"h\",\"future\":{\"acquire\":\"s\",\"permits\":2,\"do\":{\"sleep_ms\":20}}},"
    "{\"name\":\"big\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"acquire\":\"s\",\"permits\":3,\"do\":{\"sleep_ms\":10}}]}},"
    "{\"name\":\"small\",\"future\":{\"seq\":[{\"sleep_ms\":2},{\"acquire\":\"s\",\"do\":{\"sleep_ms\":5}}]}}]}";

static void test_semaphore_fifo(void **state)
{
    (void)state;
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, fifo_sem, kinds[k]);
        assert_false(st(&s)->stalled);
        assert_int_equal(st(&s)->polls, 10);
        expect_task(&s, 0, 20 * MS, 2, 20);
        expect_task(&s, 1, 30 * MS, 4, 10);
        expect_task(&s, 2, 35 * MS, 4, 5);
        assert_non_null(strstr(s.trace, "\"state\":\"await 2/2: acquire s (3 permits)\""));
        fs_test_sim_free(&s);
    }
}

/* close: a holds the one permit (0..10 ms); b waits; c closes s at 5 ms:
 * b is woken and fails with "closed" (its body never runs) at 5 ms; d asks at 6 ms
 * and fails at once; a keeps its permit and ends at 10 with its body's
 * value. Two polls each. */
static void test_semaphore_close(void **state)
{
    (void)state;
    const char *json =
        "{\"poll_cost_ns\":0,\"resources\":{\"s\":{\"type\":\"semaphore\",\"permits\":1}},\"tasks\":["
        "{\"name\":\"a\",\"future\":{\"acquire\":\"s\",\"do\":{\"sleep_ms\":10}}},"
        "{\"name\":\"b\",\"future\":{\"acquire\":\"s\",\"do\":{\"sleep_ms\":10}}},"
        "{\"name\":\"c\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"close\":\"s\"}]}},"
        "{\"name\":\"d\",\"future\":{\"seq\":[{\"sleep_ms\":6},{\"acquire\":\"s\",\"do\":{\"sleep_ms\":1}}]}}]}";
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, json, kinds[k]);
        assert_int_equal(st(&s)->end_ns, 10 * MS);
        assert_int_equal(st(&s)->polls, 8);
        expect_task(&s, 0, 10 * MS, 2, 10);
        expect_task(&s, 1, 5 * MS, 2, CLOSED);
        expect_task(&s, 2, 5 * MS, 2, 0);
        expect_task(&s, 3, 6 * MS, 2, CLOSED);
        assert_non_null(strstr(s.trace, "{\"t\":5000000,\"type\":\"io\",\"resource\":\"s\",\"what\":\"closed\"}"));
        fs_test_sim_free(&s);
    }
}

/* The coop budget under steal:2: each acquire that gets its permits spends
 * one of the task's 128 units. 130 locks in a row: the 129th finds the
 * budget spent, yields (woken by itself) and the next poll does the last
 * two. Under wake nothing is budgeted: one poll. */
static void test_lock_spends_budget(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":0,\"resources\":{\"m\":{\"type\":\"mutex\"}},\"tasks\":["
                       "{\"name\":\"t\",\"future\":{\"repeat\":130,\"do\":{\"lock\":\"m\",\"do\":{\"compute_ms\":0}}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->polls, 2);
    const fs_exec *ex = s.run->exec;
    assert_int_equal(fs_exec_get_worker(ex, 0)->budget_forced_yields +
                         fs_exec_get_worker(ex, 1)->budget_forced_yields, 1);
    assert_non_null(strstr(s.trace, "\"type\":\"budget\",\"task\":0"));
    fs_test_sim_free(&s);
    simulate(&s, json, FS_EXEC_WAKE);
    assert_int_equal(st(&s)->polls, 1);
    assert_null(strstr(s.trace, "\"type\":\"budget\""));
    fs_test_sim_free(&s);
}

/* A oneshot recv spends a unit too, ready or failing (tokio's
 * Receiver::poll): 130 recvs of a dropped sender yield once under steal:2,
 * after the 128th. */
static void test_recv_spends_budget(void **state)
{
    (void)state;
    const char *json = "{\"poll_cost_ns\":0,\"resources\":{\"tx\":{\"type\":\"oneshot\"}},\"tasks\":["
                       "{\"name\":\"t\",\"future\":{\"seq\":[{\"drop\":\"tx\"},"
                       "{\"repeat\":130,\"do\":{\"recv\":\"tx\"}}]}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->polls, 2);
    const fs_exec *ex = s.run->exec;
    assert_int_equal(fs_exec_get_worker(ex, 0)->budget_forced_yields +
                         fs_exec_get_worker(ex, 1)->budget_forced_yields, 1);
    fs_test_sim_free(&s);
}

/* ---- notify ------------------------------------------------------------------- */

/* a's notify_one at 0 finds nobody waiting: it stores the permit (value 0,
 * nobody woken) that b's notified takes at 5 ms. c (10 ms) and c2 (11 ms)
 * wait; o's notify_one at 15 wakes c, the oldest (value 1); d's
 * notify_waiters at 20 wakes c2 (value 1) and stores nothing, so e, who
 * waits from 30 ms, stalls there. */
static void test_notify(void **state)
{
    (void)state;
    const char *json =
        "{\"poll_cost_ns\":0,\"resources\":{\"n\":{\"type\":\"notify\"}},\"tasks\":["
        "{\"name\":\"a\",\"future\":{\"notify_one\":\"n\"}},"
        "{\"name\":\"b\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"notified\":\"n\"}]}},"
        "{\"name\":\"c\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"notified\":\"n\"}]}},"
        "{\"name\":\"c2\",\"future\":{\"seq\":[{\"sleep_ms\":11},{\"notified\":\"n\"}]}},"
        "{\"name\":\"o\",\"future\":{\"seq\":[{\"sleep_ms\":15},{\"notify_one\":\"n\"}]}},"
        "{\"name\":\"d\",\"future\":{\"seq\":[{\"sleep_ms\":20},{\"notify_waiters\":\"n\"}]}},"
        "{\"name\":\"e\",\"future\":{\"seq\":[{\"sleep_ms\":30},{\"notified\":\"n\"}]}}]}";
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, json, kinds[k]);
        assert_true(st(&s)->stalled);
        assert_int_equal(st(&s)->end_ns, 30 * MS);
        expect_task(&s, 0, 0, 1, 0);
        expect_task(&s, 1, 5 * MS, 2, 0);
        expect_task(&s, 2, 15 * MS, 3, 0);
        expect_task(&s, 3, 20 * MS, 3, 0);
        expect_task(&s, 4, 15 * MS, 2, 1);
        expect_task(&s, 5, 20 * MS, 2, 1);
        assert_int_equal(task(&s, 6)->completed_ns, -1);
        assert_int_equal(task(&s, 6)->polls, 2);
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on notified n (await 2/2); notify n holds no "
                                        "permit and no task left will notify it\""));
        fs_test_sim_free(&s);
    }
}

/* ---- oneshot ------------------------------------------------------------------ */

/* b waits on tx from 0; a sends 7 at 10 ms: b is woken and gets 7. c drops
 * r2's sender at 5 ms: d, waiting on it, gets the error ("closed"). e receives on
 * tx at 20 ms, after b took the value: "closed" too. */
static void test_oneshot(void **state)
{
    (void)state;
    const char *json =
        "{\"poll_cost_ns\":0,\"resources\":{\"tx\":{\"type\":\"oneshot\"},\"r2\":{\"type\":\"oneshot\"}},\"tasks\":["
        "{\"name\":\"a\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"send\":\"tx\",\"value\":7}]}},"
        "{\"name\":\"b\",\"future\":{\"recv\":\"tx\"}},"
        "{\"name\":\"c\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"drop\":\"r2\"}]}},"
        "{\"name\":\"d\",\"future\":{\"recv\":\"r2\"}},"
        "{\"name\":\"e\",\"future\":{\"seq\":[{\"sleep_ms\":20},{\"recv\":\"tx\"}]}}]}";
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, json, kinds[k]);
        assert_false(st(&s)->stalled);
        assert_int_equal(st(&s)->end_ns, 20 * MS);
        assert_int_equal(st(&s)->polls, 10);
        expect_task(&s, 0, 10 * MS, 2, 7);
        expect_task(&s, 1, 10 * MS, 2, 7);
        expect_task(&s, 2, 5 * MS, 2, 0);
        expect_task(&s, 3, 5 * MS, 2, CLOSED);
        expect_task(&s, 4, 20 * MS, 2, CLOSED);
        assert_non_null(strstr(s.trace, "\"what\":\"sender dropped\""));
        fs_test_sim_free(&s);
    }
}

/* The sender is dropped with the last task that holds it (a task holds it
 * while its future, spawns included, has a send or drop on it). a's send
 * loses its select to a 5 ms sleep: a ends at 5 ms unsent, so b's recv
 * fails "closed" at 5. c spawns child (which would send on t2 at 20 ms)
 * and aborts it at 3 ms: both holders are done at 3, so d fails at 3. No
 * task sends on or drops t3: its sender is gone from the start and e's
 * first poll fails. Polls: a 2 (0, 5), b 2, c 2 (0, 3), d 2, e 1, child 1
 * (0; aborted at 3). */
static void test_oneshot_sender_dropped_with_task(void **state)
{
    (void)state;
    const char *json =
        "{\"poll_cost_ns\":0,\"resources\":{\"tx\":{\"type\":\"oneshot\"},\"t2\":{\"type\":\"oneshot\"},"
        "\"t3\":{\"type\":\"oneshot\"}},\"tasks\":["
        "{\"name\":\"a\",\"future\":{\"select\":[{\"seq\":[{\"sleep_ms\":10},{\"send\":\"tx\",\"value\":7}]},"
        "{\"sleep_ms\":5}]}},"
        "{\"name\":\"b\",\"future\":{\"recv\":\"tx\"}},"
        "{\"name\":\"c\",\"future\":{\"seq\":[{\"spawn\":{\"name\":\"child\",\"future\":{\"seq\":["
        "{\"sleep_ms\":20},{\"send\":\"t2\"}]}}},{\"sleep_ms\":3},{\"abort\":\"child\"}]}},"
        "{\"name\":\"d\",\"future\":{\"recv\":\"t2\"}},"
        "{\"name\":\"e\",\"future\":{\"recv\":\"t3\"}}]}";
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, json, kinds[k]);
        assert_int_equal(fs_run_exit_status(s.run), 0);
        assert_int_equal(st(&s)->end_ns, 5 * MS);
        assert_int_equal(st(&s)->polls, 10);
        expect_task(&s, 0, 5 * MS, 2, 5);
        expect_task(&s, 1, 5 * MS, 2, CLOSED);
        expect_task(&s, 2, 3 * MS, 2, 1);
        expect_task(&s, 3, 3 * MS, 2, CLOSED);
        expect_task(&s, 4, 0, 1, CLOSED);
        assert_int_equal(task(&s, 5)->completed_ns, 3 * MS);
        assert_int_equal(task(&s, 5)->polls, 1);
        assert_int_equal(task(&s, 5)->fail, FS_FAIL_CANCELLED);
        assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"io\",\"resource\":\"t3\",\"what\":\"sender dropped\"}"));
        assert_non_null(strstr(s.trace, "{\"t\":3000000,\"type\":\"io\",\"resource\":\"t2\",\"what\":\"sender dropped\"}\n"
                                        "{\"t\":3000000,\"type\":\"wake\",\"task\":3,\"source\":\"oneshot:t2\"}"));
        assert_non_null(strstr(s.trace, "{\"t\":5000000,\"type\":\"io\",\"resource\":\"tx\",\"what\":\"sender dropped\"}\n"
                                        "{\"t\":5000000,\"type\":\"wake\",\"task\":1,\"source\":\"oneshot:tx\"}"));
        fs_test_sim_free(&s);
    }
}

/* A send after the receiver is gone fails, as tokio's oneshot
 * Sender::send returns Err: the client holds both receivers (its future
 * has a recv on each) and returns at 5 ms without receiving, its select's
 * sleep winning; both receivers drop ("receiver dropped"). server_a's send
 * fails with "closed" (its task's result); server_b's failing send ends its
 * while after 0 turns (ready, value 0).
 * wake: server_a 0-1 us (timer due 10 ms), server_b 1-2 us (10.001),
 * client 2-3 us (5.002); the client is done at 5.003 ms, server_a polled at
 * 10 ms done at 10.001, server_b at 10.001 done at 10.002. 6 polls.
 * steal:2: worker 0 polls server_a (0-1 us) then server_b (1-2 us), worker
 * 1 the client (0-1 us). Timers round up to the 1 ms tick, fired on the
 * parked worker's tick: the client's (due 5 ms) at 5.001 (done 5.002);
 * server_a's (due 10 ms) at 10.002 (done 10.003); server_b's, due 10.001
 * ms, rounds up to 11 ms and fires at 11.003 (done 11.004). 6 polls. */
static void test_oneshot_send_after_receiver_gone(void **state)
{
    (void)state;
    const char *json =
        "{\"resources\":{\"a\":{\"type\":\"oneshot\"},\"b\":{\"type\":\"oneshot\"}},\"tasks\":["
        "{\"name\":\"server_a\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"send\":\"a\",\"value\":42}]}},"
        "{\"name\":\"server_b\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"while\":{\"send\":\"b\"},"
        "\"do\":{\"compute_ms\":1}}]}},"
        "{\"name\":\"client\",\"future\":{\"select\":[{\"join\":[{\"recv\":\"a\"},{\"recv\":\"b\"}]},"
        "{\"sleep_ms\":5}]}}]}";
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        sim s;
        bool steal = kinds[k] == FS_EXEC_STEAL;
        simulate(&s, json, kinds[k]);
        assert_int_equal(fs_run_exit_status(s.run), 0);
        assert_int_equal(st(&s)->polls, 6);
        expect_task(&s, 0, steal ? 10 * MS + 3 * US : 10 * MS + 1 * US, 2, CLOSED);
        expect_task(&s, 1, steal ? 11 * MS + 4 * US : 10 * MS + 2 * US, 2, 0);
        expect_task(&s, 2, steal ? 5 * MS + 2 * US : 5 * MS + 3 * US, 2, 5);
        char want[256];
        snprintf(want, sizeof want,
                 "{\"t\":%lld,\"type\":\"io\",\"resource\":\"a\",\"what\":\"receiver dropped\"}\n"
                 "{\"t\":%lld,\"type\":\"io\",\"resource\":\"b\",\"what\":\"receiver dropped\"}\n",
                 (long long)task(&s, 2)->completed_ns, (long long)task(&s, 2)->completed_ns);
        assert_non_null(strstr(s.trace, want));
        assert_non_null(strstr(s.trace, "\"result\":\"ready\",\"state\":\"await 2/2: send a\",\"value\":0,"
                                        "\"error\":\"closed\"}"));
        assert_null(strstr(s.trace, "sender dropped")); /* each send used its sender up */
        fs_test_sim_free(&s);
    }
}

/* A recv whose sender is held by a task stuck elsewhere stalls, and the
 * reason says so. */
static void test_oneshot_holder_stuck_stalls(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"tx\":{\"type\":\"oneshot\"},\"n\":{\"type\":\"notify\"}},"
                 "\"tasks\":[{\"name\":\"s\",\"future\":{\"seq\":[{\"notified\":\"n\"},{\"send\":\"tx\"}]}},"
                 "{\"name\":\"r\",\"future\":{\"recv\":\"tx\"}}]}", FS_EXEC_WAKE);
    assert_true(st(&s)->stalled);
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on recv tx; oneshot tx has no value, and every "
                                    "task that holds its sender is stuck too\""));
    assert_null(strstr(s.trace, "sender dropped"));
    fs_test_sim_free(&s);
}

/* ---- the patterns ------------------------------------------------------------- */

/* What the shipped patterns' descriptions and the README claim, under wake. */
static void test_patterns_as_documented(void **state)
{
    (void)state;
    sim s;
    char *json = fs_test_read_file(fs_test_src("scenarios/patterns/mutex_contention.json"), NULL);
    assert_non_null(json);
    simulate(&s, json, FS_EXEC_WAKE);
    assert_int_equal(fs_run_exit_status(s.run), 0);
    assert_int_equal(st(&s)->end_ns, 74 * MS + 12 * US);
    fs_test_sim_free(&s);
    free(json);

    json = fs_test_read_file(fs_test_src("scenarios/patterns/semaphore_fanout.json"), NULL);
    assert_non_null(json);
    simulate(&s, json, FS_EXEC_WAKE);
    assert_int_equal(fs_run_exit_status(s.run), 0);
    /* reindex (task 8) gets its third permit at 114.003 ms; the late
     * fetches waited behind it from 97 ms on, and end at 129 ms */
    assert_non_null(strstr(s.trace, "{\"t\":114003000,\"type\":\"io\",\"resource\":\"conns\","
                                    "\"what\":\"acquired\",\"value\":8}"));
    assert_int_equal(task(&s, 9)->completed_ns, 129 * MS + 5 * US);
    assert_int_equal(st(&s)->end_ns, 129 * MS + 7 * US);
    fs_test_sim_free(&s);
    free(json);

    json = fs_test_read_file(fs_test_src("scenarios/patterns/mutex_deadlock.json"), NULL);
    assert_non_null(json);
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_BUSY, FS_EXEC_STEAL, FS_EXEC_BLOCKING};
    for (int k = 0; k < 4; k++) {
        simulate(&s, json, kinds[k]);
        assert_int_equal(fs_run_exit_status(s.run), kinds[k] == FS_EXEC_BLOCKING ? 0 : 3);
        if (kinds[k] != FS_EXEC_BLOCKING)
            assert_non_null(strstr(s.trace, "deadlock: transfer holds accounts and waits for audit; "
                                            "report holds audit and waits for accounts"));
        fs_test_sim_free(&s);
    }
    free(json);
}

/* The pattern file under kind, with free polls when free (as the tests
 * above: steal:2's 1 ms timer tick then changes nothing). */
static void simulate_pattern(sim *s, const char *json, fs_exec_kind kind, bool free)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = kind == FS_EXEC_STEAL ? 2 : 0,
                                            .has_poll_cost = free, .poll_cost_ns = 0});
}

/* graceful_shutdown.json under wake, polls 1 us. main (task 0) spawns
 * worker#0..2 (tasks 2..4) into its JoinSet and starts its 22 ms sleep at
 * 0; the producer (1) starts a 3 ms sleep at 1 us and waits on shutdown
 * too; the workers wait in recv at 2, 3, 4 us, in that order. The producer
 * sends job k at 3k ms + 1 us (its sleep restarts at each poll), k = 1..7,
 * and each job goes to the oldest waiting worker, whose poll (1 us after)
 * takes it, computes 1 ms and starts a 9 ms write: jobs 1, 2, 3 go to
 * worker#0, #1, #2 at 3, 6, 9 ms (+2 us), writing until 13.002, 16.002,
 * 19.002 ms; jobs 4, 5, 6 (12, 15, 18 ms) wait in the channel until those
 * writes end, then writes until 23.002, 26.002, 29.002; job 7 (21 ms) waits
 * for worker#0. At 22 ms main's poll calls notify_waiters, which wakes the
 * producer only (value 1): its poll at 22.001 cancels its loop and completes
 * at 22.002, its sender dropped, so the channel closes with job 7 queued.
 * worker#0 takes job 7 at 23.002 and writes until 33.002. worker#1 and #2
 * find the channel closed at 26.002 and 29.002: their while ends (2 turns),
 * complete 1 us later, and main joins each 1 us after that; worker#0 ends at
 * 33.003 with 3 turns and main at 33.004 (join: the last joined 3 + the
 * notify's 1). Polls: main 5 (0, 22, and each join), producer 9 (0, seven
 * sends, the notification), worker#0 5, worker#1 and #2 4 each: 27. */
static void test_graceful_shutdown_pattern(void **state)
{
    (void)state;
    char *json = fs_test_read_file(fs_test_src("scenarios/patterns/graceful_shutdown.json"), NULL);
    assert_non_null(json);
    sim s;
    simulate_pattern(&s, json, FS_EXEC_WAKE, false);
    assert_int_equal(fs_run_exit_status(s.run), 0);
    assert_int_equal(st(&s)->end_ns, 33 * MS + 4 * US);
    assert_int_equal(st(&s)->polls, 27);
    expect_task(&s, 0, 33 * MS + 4 * US, 5, 4);
    expect_task(&s, 1, 22 * MS + 2 * US, 9, 0);
    expect_task(&s, 2, 33 * MS + 3 * US, 5, 3);
    expect_task(&s, 3, 26 * MS + 3 * US, 4, 2);
    expect_task(&s, 4, 29 * MS + 3 * US, 4, 2);
    assert_non_null(strstr(s.trace, "{\"t\":22000000,\"type\":\"io\",\"resource\":\"shutdown\","
                                    "\"what\":\"notify_waiters\",\"value\":1}"));
    assert_non_null(strstr(s.trace, "{\"t\":22001000,\"type\":\"cancel\",\"task\":1,\"future\":\"repeat 1000000\"}\n"
                                    "{\"t\":22002000,\"type\":\"io\",\"resource\":\"jobs\",\"what\":\"closed\"}"));
    /* job 7, sent before the close, is still done after it */
    assert_non_null(strstr(s.trace, "{\"t\":23002000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":1001000,"
                                    "\"result\":\"pending\",\"state\":\"await 2/2: sleep 9ms\"}"));
    fs_test_sim_free(&s);

    /* Free polls: the same story on whole milliseconds, under wake and
     * steal:2 alike: the sends at 3..21 ms, the close at 22, the workers'
     * ends at 26, 29 and 33 ms, 27 polls. Under steal:2 the worker main
     * spawned last sits in worker 0's LIFO slot and is polled first, so it
     * waits longest in recv and takes jobs 1, 4 and 7 (worker#2, task 4);
     * under wake that is worker#0. */
    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        simulate_pattern(&s, json, kinds[k], true);
        assert_int_equal(fs_run_exit_status(s.run), 0);
        assert_int_equal(st(&s)->end_ns, 33 * MS);
        assert_int_equal(st(&s)->polls, 27);
        expect_task(&s, 0, 33 * MS, 5, 4);
        expect_task(&s, 1, 22 * MS, 9, 0);
        uint32_t first = kinds[k] == FS_EXEC_WAKE ? 2 : 4;
        uint32_t second = kinds[k] == FS_EXEC_WAKE ? 3 : 2;
        uint32_t third = kinds[k] == FS_EXEC_WAKE ? 4 : 3;
        expect_task(&s, first, 33 * MS, 5, 3);
        expect_task(&s, second, 26 * MS, 4, 2);
        expect_task(&s, third, 29 * MS, 4, 2);
        fs_test_sim_free(&s);
    }
    /* blocking runs main first, which busy-waits on workers that would
     * only run after it: the stall the README states */
    simulate_pattern(&s, json, FS_EXEC_BLOCKING, false);
    assert_int_equal(fs_run_exit_status(s.run), 3);
    fs_test_sim_free(&s);
    free(json);
}

/* rwlock_readers_writer.json under wake, polls 1 us. renderer#0 and #1
 * (tasks 0, 1) read-lock at 0 and 1 us and sleep 10 ms (to 10.000 and
 * 10.001). reload (2) sleeps 3 ms from 2 us and asks to write at 3.002:
 * it waits for both read permits. request#0..2 (3..5) sleep 5 ms from 3, 4,
 * 5 us and ask to read at 5.003..5.005: behind the queued writer, though the
 * lock is only read-held. renderer#0 unlocks at 10.000 (done 10.001),
 * renderer#1 at 10.001 (done 10.002), which completes reload's permits and
 * wakes it: it write-locks in its poll at 10.002 and writes until 12.002;
 * its unlock hands the three requests their read permits at once and wakes
 * them, polled at 12.003, 12.004, 12.005: they read together for 1 ms and
 * end at 13.004, 13.005, 13.006. Polls: renderers 2 each, reload 4 (0, the
 * ask, the lock, the end), requests 4 each: 20. With free polls, under wake
 * and steal:2: 10, 12 and 13 ms, 20 polls. */
static void test_rwlock_pattern(void **state)
{
    (void)state;
    char *json = fs_test_read_file(fs_test_src("scenarios/patterns/rwlock_readers_writer.json"), NULL);
    assert_non_null(json);
    sim s;
    simulate_pattern(&s, json, FS_EXEC_WAKE, false);
    assert_int_equal(fs_run_exit_status(s.run), 0);
    assert_int_equal(st(&s)->end_ns, 13 * MS + 6 * US);
    assert_int_equal(st(&s)->polls, 20);
    expect_task(&s, 0, 10 * MS + 1 * US, 2, 10);
    expect_task(&s, 1, 10 * MS + 2 * US, 2, 10);
    expect_task(&s, 2, 12 * MS + 3 * US, 4, 2);
    for (uint32_t i = 0; i < 3; i++)
        expect_task(&s, 3 + i, 13 * MS + (4 + i) * US, 4, 1);
    assert_non_null(strstr(s.trace, "{\"t\":10002000,\"type\":\"io\",\"resource\":\"config\","
                                    "\"what\":\"write locked\",\"value\":2}"));
    assert_non_null(strstr(s.trace, "{\"t\":12002000,\"type\":\"io\",\"resource\":\"config\","
                                    "\"what\":\"write unlocked\",\"value\":2}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":12003000,\"type\":\"io\",\"resource\":\"config\","
                                    "\"what\":\"read locked\",\"value\":3}"));
    fs_test_sim_free(&s);

    fs_exec_kind kinds[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (int k = 0; k < 2; k++) {
        simulate_pattern(&s, json, kinds[k], true);
        assert_int_equal(fs_run_exit_status(s.run), 0);
        assert_int_equal(st(&s)->end_ns, 13 * MS);
        assert_int_equal(st(&s)->polls, 20);
        expect_task(&s, 0, 10 * MS, 2, 10);
        expect_task(&s, 1, 10 * MS, 2, 10);
        expect_task(&s, 2, 12 * MS, 4, 2);
        for (uint32_t i = 0; i < 3; i++)
            expect_task(&s, 3 + i, 13 * MS, 4, 1);
        fs_test_sim_free(&s);
    }
    free(json);
}

/* ---- the loader ----------------------------------------------------------------- */

static void expect_error(const char *json, const char *message)
{
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_not_equal(fs_scenario_load_text(json, strlen(json), "x.json", &sc, &err), FS_ERR_OK);
    assert_null(sc);
    if (!strstr(err.msg, message))
        fail_msg("got \"%s\", expected \"%s\"", err.msg, message);
}

static void test_bad_sync_forms(void **state)
{
    (void)state;
    expect_error("{\"resources\":{\"m\":{\"type\":\"mutex\"}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"acquire\":\"m\",\"do\":{\"yield\":true}}}]}",
                 "\"m\" is a mutex; acquire needs a semaphore");
    expect_error("{\"resources\":{\"s\":{\"type\":\"semaphore\"}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"yield\":true}}]}", "permits");
    expect_error("{\"resources\":{\"m\":{\"type\":\"mutex\"}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"lock\":\"m\"}}]}", "do");
    expect_error("{\"resources\":{\"s\":{\"type\":\"semaphore\",\"permits\":1}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"acquire\":\"s\",\"permits\":0,\"do\":{\"yield\":true}}}]}", "permits");
    expect_error("{\"resources\":{\"m\":{\"type\":\"mutex\",\"permits\":2}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"yield\":true}}]}", "permits");
    expect_error("{\"resources\":{\"c\":{\"type\":\"channel\"}},\"tasks\":[{\"name\":\"t\","
                 "\"future\":{\"drop\":\"c\"}}]}", "drop needs a oneshot");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutex_fifo_wake),
        cmocka_unit_test(test_mutex_fifo_steal),
        cmocka_unit_test(test_deadlock_names_cycle),
        cmocka_unit_test(test_deadlock_cli),
        cmocka_unit_test(test_stuck_behind_holder),
        cmocka_unit_test(test_semaphore_fifo),
        cmocka_unit_test(test_semaphore_close),
        cmocka_unit_test(test_lock_spends_budget),
        cmocka_unit_test(test_recv_spends_budget),
        cmocka_unit_test(test_notify),
        cmocka_unit_test(test_oneshot),
        cmocka_unit_test(test_oneshot_sender_dropped_with_task),
        cmocka_unit_test(test_oneshot_send_after_receiver_gone),
        cmocka_unit_test(test_oneshot_holder_stuck_stalls),
        cmocka_unit_test(test_patterns_as_documented),
        cmocka_unit_test(test_graceful_shutdown_pattern),
        cmocka_unit_test(test_rwlock_pattern),
        cmocka_unit_test(test_bad_sync_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
