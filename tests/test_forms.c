/* test_forms.c - every future form of the scenario language, each with an
 * expectation worked out by hand (polls cost 1 us unless a scenario says
 * otherwise; "+1us" is the cost of the poll that completes). */
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
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind});
}

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

static void done(sim *s)
{
    fs_test_sim_free(s);
}

/* select(read a 3 s, sleep 1 s): poll 1 at 0 starts both; the timer wakes
 * the task at 1 s; poll 2 finds the sleep ready and cancels the read. */
static void test_select_timeout(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":3000}]}},"
                 "\"tasks\":[{\"name\":\"t\",\"future\":{\"select\":[{\"read\":\"a\"},{\"sleep_ms\":1000}]}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 1000 * MS + US);
    assert_int_equal(st(&s)->polls, 2);
    assert_int_equal(task(&s, 0)->value, 1000);
    assert_int_equal(task(&s, 0)->waker_refs, 0); /* the socket gave the waker back */
    assert_non_null(strstr(s.trace, "{\"t\":1000000000,\"type\":\"cancel\",\"task\":0,\"future\":\"read a\"}"));
    done(&s);
}

/* join of 100/200/300 ms sleeps: polled at 0, 100, 200 and 300 ms. */
static void test_join_sleeps(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"join\":[{\"sleep_ms\":100},"
                 "{\"sleep_ms\":200},{\"sleep_ms\":300}]}}]}", FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 300 * MS + US);
    assert_int_equal(st(&s)->polls, 4);
    assert_int_equal(task(&s, 0)->value, 600); /* sum of the children */
    done(&s);
}

/* A join's await point is the last branch it found pending, until that
 * branch finishes: join [sleep 5, sleep 1] awaits "sleep 1ms" after its
 * first poll (the last branch polled); at 1 ms that branch is done, so
 * the poll says the join awaits its other branches, not the sleep that
 * just ended. */
static void test_join_await_point(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"join\":[{\"sleep_ms\":5},"
                 "{\"sleep_ms\":1}]}}]}", FS_EXEC_WAKE);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,"
                                    "\"dur\":1000,\"result\":\"pending\",\"state\":\"sleep 1ms\"}"));
    assert_non_null(strstr(s.trace, "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,"
                                    "\"dur\":1000,\"result\":\"pending\","
                                    "\"state\":\"join: awaits its other branches\"}"));
    assert_int_equal(st(&s)->polls, 3);
    done(&s);
}

/* repeat 5 x sleep 100: each iteration's sleep starts when the last ends. */
static void test_repeat_sleeps(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":5,\"do\":{\"sleep_ms\":100}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 500 * MS + US);
    assert_int_equal(st(&s)->polls, 6);
    done(&s);
}

/* A repeat's result is its last iteration's, a failure too: two 5 ms
 * timeouts around 10 ms sleeps each elapse (polls at 0, 5 ms and 10 ms, the
 * second iteration built in the 5 ms poll), so the task fails with
 * "elapsed" at 10.001 ms; two around 2 ms sleeps succeed (value 2). */
static void test_repeat_fails_with_its_last_iteration(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"late\",\"future\":{\"repeat\":2,\"do\":"
                 "{\"timeout_ms\":5,\"do\":{\"sleep_ms\":10}}}},"
                 "{\"name\":\"early\",\"future\":{\"repeat\":2,\"do\":"
                 "{\"timeout_ms\":5,\"do\":{\"sleep_ms\":2}}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->completed_ns, 10 * MS + US);
    assert_int_equal(task(&s, 0)->polls, 3);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_ELAPSED);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_NONE);
    assert_int_equal(task(&s, 1)->value, 2);
    done(&s);
}

static void test_repeat_zero(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":0,\"do\":{\"sleep_ms\":100}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, US);
    assert_int_equal(st(&s)->polls, 1);
    done(&s);
}

/* A sleeper polled at 0 (timer at 100 ms) then a 500 ms compute from 1 us:
 * the sleeper is woken at 100 ms but polled only at 500.002 ms. */
static void test_compute_delays_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"sleeper\",\"future\":{\"sleep_ms\":100}},"
                 "{\"name\":\"cruncher\",\"future\":{\"compute_ms\":500}}]}", FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->max_wake_latency_ns, 400 * MS + 2 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 500 * MS + 2 * US);
    assert_int_equal(st(&s)->end_ns, 500 * MS + 3 * US);
    assert_non_null(strstr(s.trace, "{\"t\":1000,\"type\":\"poll\",\"task\":1,\"worker\":0,"
                                    "\"dur\":500001000,\"result\":\"ready\",\"state\":\"compute 500ms\""));
    done(&s);
}

/* The yield fix: 100 ms chunks with a yield between. The sleeper's timer
 * fires during the first chunk; that wake came before the cruncher's own
 * (yield) wake, so the sleeper goes first: polled 2 us after its wake. */
static void test_yield_lets_others_run(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"sleeper\",\"future\":{\"sleep_ms\":100}},"
                 "{\"name\":\"cruncher\",\"future\":{\"repeat\":5,\"do\":{\"seq\":["
                 "{\"compute_ms\":100},{\"yield\":true}]}}}]}", FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->max_wake_latency_ns, 2 * US);
    assert_int_equal(task(&s, 0)->completed_ns, 100 * MS + 3 * US);
    assert_int_equal(task(&s, 1)->self_wakes, 5);
    assert_int_equal(task(&s, 1)->polls, 6);
    done(&s);
}

/* Two concurrent parents each spawn in a loop: every child is named by its
 * spawn path, parent then iteration, so none share a name (both parents'
 * first child used to be "h#0").
 * wake: conn#0 0-1 us spawns conn#0/h#0 and h#1 (ids 2, 3; the spawns are
 * ready at once, so the repeat ends in the poll: value 3, the last id),
 * conn#1 1-2 us spawns ids 4, 5; the children poll 2-3, 3-4, 4-5, 5-6 us,
 * their timers due 10.002..10.005 ms; each is polled when its timer fires
 * and is done 1 us later: 10.003..10.006 ms. 10 polls.
 * steal:2: each worker takes a parent at 0 (done at 1 us; both spawn at 0,
 * the poll's start); each then polls the child in its LIFO slot (h#1,
 * 1-2 us) and the one in its local queue (h#0, 2-3 us). Timers round up to
 * the 1 ms tick: all four are due at 11 ms and fire on the parked worker's
 * tick at 11.003 ms; two workers poll them: done at 11.004 (conn#1's) and
 * 11.005 ms (conn#0's). 10 polls. */
static void test_spawn_names_by_path(void **state)
{
    (void)state;
    static const char *names[] = {"conn#0", "conn#1", "conn#0/h#0", "conn#0/h#1", "conn#1/h#0", "conn#1/h#1"};
    static const int64_t wake_end[] = {1 * US, 2 * US, 10 * MS + 3 * US, 10 * MS + 4 * US,
                                       10 * MS + 5 * US, 10 * MS + 6 * US};
    static const int64_t steal_end[] = {1 * US, 1 * US, 11 * MS + 5 * US, 11 * MS + 5 * US,
                                        11 * MS + 4 * US, 11 * MS + 4 * US};
    for (int workers = 0; workers <= 2; workers += 2) {
        sim s;
        fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"conn\",\"count\":2,\"future\":{\"repeat\":2,"
                             "\"do\":{\"spawn\":{\"name\":\"h\",\"future\":{\"sleep_ms\":10}}}}}]}",
                         (fs_run_desc){.kind = workers ? FS_EXEC_STEAL : FS_EXEC_WAKE, .workers = workers});
        assert_int_equal(st(&s)->tasks_total, 6);
        assert_int_equal(st(&s)->polls, 10);
        for (uint32_t id = 0; id < 6; id++) {
            assert_string_equal(task(&s, id)->name, names[id]);
            assert_int_equal(task(&s, id)->completed_ns, workers ? steal_end[id] : wake_end[id]);
        }
        assert_non_null(strstr(s.trace, "\"type\":\"spawn\",\"task\":5,\"name\":\"conn#1/h#1\",\"parent\":1}"));
        done(&s);
    }
}

/* spawn + await: the parent waits on the JoinHandle, woken by task:1. */
static void test_spawn_await(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"parent\",\"future\":{\"spawn\":{\"name\":\"child\","
                 "\"future\":{\"sleep_ms\":100}},\"await\":true}}]}", FS_EXEC_WAKE);
    /* parent 0..1us; child 1..2us (timer at 100.001 ms); child ready, done at
     * 100.002 ms, wakes the parent; parent ready, done at 100.003 ms */
    assert_int_equal(st(&s)->tasks_total, 2);
    assert_int_equal(task(&s, 1)->parent, 0);
    assert_int_equal(task(&s, 1)->completed_ns, 100 * MS + 2 * US);
    assert_int_equal(task(&s, 0)->completed_ns, 100 * MS + 3 * US);
    assert_int_equal(task(&s, 0)->value, 100);
    assert_int_equal(st(&s)->polls, 4);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"parent/child\",\"parent\":0}"));
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"task:1\"}"));
    assert_non_null(strstr(s.trace, "{\"t\":100002000,\"type\":\"wake\",\"task\":0,\"source\":\"task:1\"}"));
    done(&s);
}

static void test_spawn_detached(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"parent\",\"future\":{\"spawn\":{\"name\":\"child\","
                 "\"future\":{\"sleep_ms\":100}}}}]}", FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->completed_ns, US);
    assert_int_equal(task(&s, 0)->value, 1); /* the child's id */
    assert_int_equal(task(&s, 1)->completed_ns, 100 * MS + 2 * US);
    done(&s);
}

/* producer/consumer over a capacity-1 channel, 3 values: they alternate,
 * each send waking the consumer and each receive waking the producer. */
static void test_channel_ping_pong(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":1}},"
                 "\"tasks\":[{\"name\":\"producer\",\"future\":{\"repeat\":3,\"do\":{\"send\":\"ch\"}}},"
                 "{\"name\":\"consumer\",\"future\":{\"repeat\":3,\"do\":{\"recv\":\"ch\"}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->wasted_polls, 0);
    assert_int_equal(task(&s, 0)->completed_ns, 5 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 6 * US);
    assert_int_equal(task(&s, 1)->value, 3); /* the third value sent */
    assert_non_null(strstr(s.trace, "{\"t\":1000,\"type\":\"wake\",\"task\":0,\"source\":\"task:1\"}"));
    done(&s);
}

/* A channel no task sends to is closed from the start: recv fails at once
 * with "closed" (tokio's recv() -> None), it does not wait forever. */
static void test_channel_nobody_sends_closes(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"ch\":{\"type\":\"channel\"}},"
                 "\"tasks\":[{\"name\":\"consumer\",\"future\":{\"recv\":\"ch\"}}]}", FS_EXEC_WAKE);
    assert_false(st(&s)->stalled);
    assert_int_equal(task(&s, 0)->completed_ns, 1 * US);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_CLOSED);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"closed\"}\n"));
    assert_non_null(strstr(s.trace, "{\"t\":1000,\"type\":\"complete\",\"task\":0,\"value\":0,\"error\":\"closed\"}\n"));
    done(&s);
}

/* a and b each wait for the other's message before sending their own: both
 * hold a sender, so neither channel closes, and the run stalls. */
static void test_channel_waiting_senders_stall(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"x\":{\"type\":\"channel\"},\"y\":{\"type\":\"channel\"}},"
                 "\"tasks\":[{\"name\":\"a\",\"future\":{\"seq\":[{\"recv\":\"x\"},{\"send\":\"y\"}]}},"
                 "{\"name\":\"b\",\"future\":{\"seq\":[{\"recv\":\"y\"},{\"send\":\"x\"}]}}]}",
             FS_EXEC_WAKE);
    assert_true(st(&s)->stalled);
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on recv x (await 1/2); channel x is empty, and every task that holds a sender of it is stuck too\""));
    done(&s);
}

/* The receiver is gone (tokio's Receiver dropped) once every task that
 * receives from the channel is done: consumer holds it (its future has a
 * recv) but returns at 10 ms without receiving, its select's sleep winning.
 * wake: producer 0-1 us sends 1 (capacity 1) and yields; consumer 1-2 us
 * (timers at 10.001 and 20.001 ms); producer 2-3 us: the channel is full,
 * its send waits. consumer 10.001-10.002 ms: the sleep wins, it completes,
 * the receiver is dropped ("receiver dropped" at 10.002) and the waiting
 * sender woken (source channel:ch); producer 10.002-10.003: the send fails
 * with "closed", which ends the while after 1 turn. 5 polls.
 * steal:2: each worker takes a task at 0 (the consumer's timers round up
 * to the tick: its worker wakes at 10.001), the producer's two polls end
 * at 2 us; then as under wake, the producer polled on worker 1. */
#define RX_GONE                                                                                 \
    "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":1}},"                              \
    "\"tasks\":[{\"name\":\"producer\",\"future\":{\"while\":{\"send\":\"ch\"},\"do\":{\"yield\":true}}}," \
    "{\"name\":\"consumer\",\"future\":{\"select\":[{\"sleep_ms\":10},"                          \
    "{\"seq\":[{\"sleep_ms\":20},{\"recv\":\"ch\"}]}]}}]}"

static void test_send_fails_when_receiver_gone(void **state)
{
    (void)state;
    for (int workers = 0; workers <= 2; workers += 2) {
        sim s;
        fs_test_simulate(&s, RX_GONE, (fs_run_desc){.kind = workers ? FS_EXEC_STEAL : FS_EXEC_WAKE,
                                                    .workers = workers});
        assert_false(st(&s)->stalled);
        assert_int_equal(st(&s)->polls, 5);
        assert_int_equal(task(&s, 1)->completed_ns, 10 * MS + 2 * US);
        assert_int_equal(task(&s, 0)->completed_ns, 10 * MS + 3 * US);
        assert_int_equal(task(&s, 0)->fail, FS_FAIL_NONE);
        assert_int_equal(task(&s, 0)->value, 1); /* turns of the while */
        assert_int_equal(task(&s, 0)->polls, 3);
        assert_non_null(strstr(s.trace, "{\"t\":10002000,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"receiver dropped\"}\n"
                                        "{\"t\":10002000,\"type\":\"wake\",\"task\":0,\"source\":\"channel:ch\"}\n"));
        /* the failed send ends the while (ready, 1 turn); the producer's
         * end drops the last sender */
        assert_non_null(strstr(s.trace, "\"result\":\"ready\",\"state\":\"send ch\",\"value\":1}\n"
                                        "{\"t\":10003000,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"closed\"}\n"));
        done(&s);
    }
}

/* Two tasks receive from one channel (a shared receiver): the first to
 * finish does not drop it. a takes one value and returns at 1 us; b waits
 * 5 ms and takes the second; the producer's third send waits on the full
 * channel (capacity 1) until b is done at 5.00x ms, then fails. */
static void test_shared_receiver_kept_until_last(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":1}},"
                 "\"tasks\":[{\"name\":\"a\",\"future\":{\"recv\":\"ch\"}},"
                 "{\"name\":\"b\",\"future\":{\"seq\":[{\"sleep_ms\":5},{\"recv\":\"ch\"}]}},"
                 "{\"name\":\"p\",\"future\":{\"repeat\":3,\"do\":{\"send\":\"ch\"}}}]}",
             FS_EXEC_WAKE);
    /* a 0-1 us waits; b 1-2 us sleeps to 5.001 ms; p 2-3 us sends 1 (wakes a)
     * and 2 finds it full: waits. a 3-4 us takes 1, wakes p, done 4 us (b
     * still holds the receiver). p 4-5 us sends 2, 3 waits. b 5.001-5.002 ms
     * takes 2, wakes p, done: the receiver is dropped. p 5.002-5.003: its
     * send fails "closed", the repeat's last result. */
    assert_int_equal(task(&s, 0)->completed_ns, 4 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 5 * MS + 2 * US);
    assert_int_equal(task(&s, 1)->value, 2);
    assert_int_equal(task(&s, 2)->completed_ns, 5 * MS + 3 * US);
    assert_int_equal(task(&s, 2)->fail, FS_FAIL_CLOSED);
    assert_int_equal(st(&s)->polls, 7);
    assert_non_null(strstr(s.trace, "{\"t\":5002000,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"receiver dropped\"}"));
    assert_null(strstr(s.trace, "{\"t\":4000,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"receiver dropped\"}"));
    done(&s);
}

/* A channel no task receives from has no receiver from the start: a send
 * fails at once (it does not wait forever on the full channel). */
static void test_channel_nobody_receives(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"ch\":{\"type\":\"channel\"}},"
                 "\"tasks\":[{\"name\":\"p\",\"future\":{\"send\":\"ch\"}}]}", FS_EXEC_WAKE);
    assert_false(st(&s)->stalled);
    assert_int_equal(task(&s, 0)->completed_ns, 1 * US);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_CLOSED);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"receiver dropped\"}\n"));
    done(&s);
}

/* spurious_wakes 2: woken twice with nothing there, then the real arrival. */
static void test_spurious_wakes(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":100}]}},"
                 "\"tasks\":[{\"name\":\"t\",\"future\":{\"read\":\"a\",\"spurious_wakes\":2}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->polls, 4);
    assert_int_equal(st(&s)->wakes, 3);
    assert_int_equal(st(&s)->end_ns, 100 * MS + US);
    assert_non_null(strstr(s.trace, "{\"t\":0,\"type\":\"wake\",\"task\":0,\"source\":\"spurious\"}"));
    done(&s);
}

static void test_forget_waker_on_sleep(void **state)
{
    (void)state;
    const char *json = "{\"tasks\":[{\"name\":\"t\",\"future\":{\"sleep_ms\":10,\"forget_waker\":true}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_WAKE);
    assert_true(st(&s)->stalled);
    assert_int_equal(st(&s)->end_ns, 10 * MS); /* the timer fired into nothing */
    done(&s);
    simulate(&s, json, FS_EXEC_BUSY);
    assert_false(st(&s)->stalled);
    assert_int_equal(st(&s)->end_ns, 10 * MS + US);
    done(&s);
}

/* count: tasks name#0..name#N-1; uniform/exp durations drawn per task,
 * reproducibly from the seed, within their bounds. */
static void test_count_and_random_durations(void **state)
{
    (void)state;
    const char *json = "{\"seed\":5,\"tasks\":[{\"name\":\"w\",\"count\":50,\"future\":{\"seq\":["
                       "{\"sleep_ms\":{\"uniform\":[10,20]}},{\"sleep_ms\":{\"exp\":5}}]}}]}";
    sim a, b;
    simulate(&a, json, FS_EXEC_WAKE);
    simulate(&b, json, FS_EXEC_WAKE);
    assert_int_equal(st(&a)->tasks_total, 50);
    assert_string_equal(task(&a, 0)->name, "w#0");
    assert_string_equal(task(&a, 49)->name, "w#49");
    bool differ = false;
    for (uint32_t i = 0; i < 50; i++) {
        int64_t first = task(&a, i)->completed_ns;
        assert_true(first >= 10 * MS);
        differ |= first != task(&a, 0)->completed_ns;
    }
    assert_true(differ);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.trace, b.trace, a.len);
    done(&a);
    done(&b);
}

/* Arrival times and file latencies drawn from distributions (issue 13,
 * item 5): each arrival's time is keyed by its socket and index, each
 * operation's latency as its future's durations are, so every executor
 * sees the same (poll cost 0, whole ms: the same completion times too),
 * and every draw lies in its range. */
static void test_random_arrivals_and_latencies(void **state)
{
    (void)state;
    const char *json =
        "{\"seed\":11,\"poll_cost_ns\":0,\"resources\":{"
        "\"s\":{\"type\":\"socket\",\"arrivals\":[{\"at_ms\":{\"uniform\":[10,20]}},"
        "{\"at_ms\":{\"uniform\":[10,20]}},{\"after_ms\":{\"exp\":30}}]},"
        "\"f\":{\"type\":\"file\",\"latency_ms\":{\"open\":3,\"read\":{\"uniform\":[5,50]}}}},"
        "\"tasks\":[{\"name\":\"reader\",\"future\":{\"repeat\":3,\"do\":{\"read\":\"s\"}}},"
        "{\"name\":\"filer\",\"count\":8,\"future\":{\"seq\":[{\"open\":\"f\"},{\"read\":\"f\"}]}}]}";
    int64_t want[9];
    sim a;
    simulate(&a, json, FS_EXEC_WAKE);
    bool differ = false;
    for (uint32_t i = 0; i < 9; i++)
        want[i] = task(&a, i)->completed_ns;
    for (uint32_t i = 1; i < 9; i++) {
        assert_true(want[i] >= 8 * MS && want[i] <= 53 * MS); /* open 3 ms, then read 5..50 ms */
        assert_true(want[i] % MS == 0);
        differ |= want[i] != want[1];
    }
    assert_true(differ);
    /* both at_ms arrivals within [10, 20] ms: the third read waits for the after_ms one */
    const char *io = a.trace;
    int n = 0;
    while ((io = strstr(io, "\"what\":\"arrival\""))) {
        const char *line = io;
        while (line[-1] != '\n')
            line--;
        long long t = strtoll(line + 5, NULL, 10);
        if (n++ < 2)
            assert_true(t >= 10 * MS && t <= 20 * MS);
        io++;
    }
    assert_int_equal(n, 3);
    done(&a);
    const struct { fs_exec_kind kind; int workers; bool lifo; } other[] = {
        {FS_EXEC_WAKE, 1, true}, {FS_EXEC_STEAL, 2, false}, {FS_EXEC_STEAL, 3, false}};
    for (size_t k = 0; k < 3; k++) {
        fs_test_simulate(&a, json, (fs_run_desc){.kind = other[k].kind, .workers = other[k].workers,
                                                 .lifo = other[k].lifo});
        for (uint32_t i = 0; i < 9; i++)
            assert_int_equal(task(&a, i)->completed_ns, want[i]);
        done(&a);
    }
    /* another seed, other draws */
    fs_test_simulate(&a, json, (fs_run_desc){.kind = FS_EXEC_WAKE, .has_seed = true, .seed = 12});
    bool moved = false;
    for (uint32_t i = 0; i < 9; i++)
        moved |= task(&a, i)->completed_ns != want[i];
    assert_true(moved);
    done(&a);
}

/* timeout_ms 50 around a 60 ms sleep: polled at 0 (both timers set), the
 * 50 ms timer wins at 50 ms; the poll there (50..50.001 ms) drops the sleep
 * and fails with "elapsed". Around a 20 ms sleep (polled 1..2 us, so due at
 * 20.001 ms) the sleep wins: value 20. */
static void test_timeout(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"late\",\"future\":{\"timeout_ms\":50,\"do\":{\"sleep_ms\":60}}},"
                 "{\"name\":\"early\",\"future\":{\"timeout_ms\":50,\"do\":{\"sleep_ms\":20}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->completed_ns, 50 * MS + US);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_ELAPSED);
    assert_int_equal(task(&s, 0)->polls, 2);
    assert_int_equal(task(&s, 1)->completed_ns, 20 * MS + 2 * US); /* polled 1..2 us */
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_NONE);
    assert_int_equal(task(&s, 1)->value, 20);
    assert_non_null(strstr(s.trace, "\"type\":\"cancel\",\"task\":0,\"future\":\"sleep 60ms\"}"));
    assert_non_null(strstr(s.trace, "\"result\":\"ready\",\"state\":\"timeout 50ms\",\"value\":0,\"error\":\"elapsed\"}"));
    done(&s);
}

/* while recv: the producer sends 5 (every 10 ms) into an unbounded channel
 * and ends at 50 ms, which closes it; the consumer's loop takes the 5 (1 ms
 * of work each), then its recv fails and the loop ends: value 5, at 51 ms.
 * A producer sending 1000 at once never waits: one poll. */
static void test_while_until_closed(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"resources\":{\"jobs\":{\"type\":\"channel\",\"capacity\":\"unbounded\"}},"
                 "\"tasks\":[{\"name\":\"producer\",\"future\":{\"repeat\":5,\"do\":{\"seq\":[{\"sleep_ms\":10},"
                 "{\"send\":\"jobs\"}]}}},"
                 "{\"name\":\"consumer\",\"future\":{\"while\":{\"recv\":\"jobs\"},\"do\":{\"compute_ms\":1}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->completed_ns, 50 * MS);
    assert_int_equal(task(&s, 1)->completed_ns, 51 * MS);
    assert_int_equal(task(&s, 1)->value, 5);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_NONE);
    assert_non_null(strstr(s.trace, "{\"t\":50000000,\"type\":\"io\",\"resource\":\"jobs\",\"what\":\"closed\"}"));
    done(&s);
    simulate(&s, "{\"poll_cost_ns\":0,\"resources\":{\"jobs\":{\"type\":\"channel\",\"capacity\":\"unbounded\"}},"
                 "\"tasks\":[{\"name\":\"producer\",\"future\":{\"repeat\":1000,\"do\":{\"send\":\"jobs\"}}},"
                 "{\"name\":\"consumer\",\"future\":{\"while\":{\"recv\":\"jobs\"},\"do\":{\"yield\":true}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->polls, 1);
    assert_int_equal(task(&s, 0)->value, 1000);
    assert_int_equal(task(&s, 1)->value, 1000);
    done(&s);
}

/* {"close": ch}: the producer sends 2, closes, then lives on (it still
 * holds a sender, which no longer matters); the consumer's loop takes the
 * 2 and ends at the close, at 20 ms; the producer's send after the close
 * fails with "closed" (its repeat's result). Poll cost 0. */
static void test_explicit_close(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":4}},"
                 "\"tasks\":[{\"name\":\"producer\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"send\":\"ch\"},"
                 "{\"send\":\"ch\"},{\"sleep_ms\":10},{\"close\":\"ch\"},{\"sleep_ms\":30},{\"send\":\"ch\"}]}},"
                 "{\"name\":\"consumer\",\"future\":{\"while\":{\"recv\":\"ch\"},\"do\":{\"yield\":true}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 1)->completed_ns, 20 * MS);
    assert_int_equal(task(&s, 1)->value, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 50 * MS);
    assert_int_equal(task(&s, 0)->fail, FS_FAIL_CLOSED);
    assert_non_null(strstr(s.trace, "{\"t\":20000000,\"type\":\"io\",\"resource\":\"ch\",\"what\":\"closed\"}"));
    done(&s);
}

/* retry a 100 ms timeout around a read whose value comes at 300 ms, with
 * exponential backoff 10 ms, capped at 15: try 1 times out at 100, waits 10;
 * try 2 runs 110..210, waits 15 (20 capped); try 3 from 225 gets the value
 * at 300. Six polls (0, 100, 110, 210, 225, 300). Two tries of a read that
 * never comes, 5 ms apart, fail with the last try's "elapsed" at 25 ms. */
static void test_retry_backoff(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"poll_cost_ns\":0,\"resources\":{\"slow\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":300,"
                 "\"value\":7}]},\"never\":{\"type\":\"socket\"}},"
                 "\"tasks\":[{\"name\":\"caller\",\"future\":{\"retry\":{\"timeout_ms\":100,\"do\":{\"read\":\"slow\"}},"
                 "\"attempts\":4,\"backoff\":{\"exponential_ms\":10,\"max_ms\":15}}},"
                 "{\"name\":\"giver\",\"future\":{\"retry\":{\"timeout_ms\":10,\"do\":{\"read\":\"never\"}},"
                 "\"attempts\":2,\"backoff\":{\"fixed_ms\":5}}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(task(&s, 0)->completed_ns, 300 * MS);
    assert_int_equal(task(&s, 0)->value, 7);
    assert_int_equal(task(&s, 0)->polls, 6);
    assert_int_equal(task(&s, 1)->completed_ns, 25 * MS);
    assert_int_equal(task(&s, 1)->fail, FS_FAIL_ELAPSED);
    assert_int_equal(task(&s, 1)->polls, 4);
    done(&s);
    /* full jitter: each wait is drawn in [0, delay]; the same draws everywhere */
    const char *jit = "{\"seed\":3,\"poll_cost_ns\":0,\"resources\":{\"never\":{\"type\":\"socket\"}},"
                      "\"tasks\":[{\"name\":\"j\",\"count\":20,\"future\":{\"retry\":{\"timeout_ms\":10,"
                      "\"do\":{\"read\":\"never\"}},\"attempts\":3,\"backoff\":{\"exponential_ms\":100,"
                      "\"jitter\":true}}}]}";
    simulate(&s, jit, FS_EXEC_WAKE);
    int64_t end[20];
    bool differ = false;
    for (uint32_t i = 0; i < 20; i++) {
        end[i] = task(&s, i)->completed_ns; /* 3 tries of 10 ms, waits in [0, 100] and [0, 200] */
        assert_true(end[i] >= 30 * MS && end[i] <= 330 * MS);
        differ |= end[i] != end[0];
    }
    assert_true(differ);
    done(&s);
    fs_test_simulate(&s, jit, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2});
    for (uint32_t i = 0; i < 20; i++)
        assert_int_equal(task(&s, i)->completed_ns, end[i]);
    done(&s);
}

/* A file read inside a select loses to a timer: its completion is cancelled. */
static void test_file_cancelled(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"f\":{\"type\":\"file\",\"latency_ms\":{\"read\":50}}},"
                 "\"tasks\":[{\"name\":\"t\",\"future\":{\"select\":[{\"read\":\"f\"},{\"sleep_ms\":10}]}}]}",
             FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 10 * MS + US);
    assert_null(strstr(s.trace, "read done"));
    done(&s);
}

/* join and select of two seqs of two yields (issue 12: a child woken again
 * while its poll's batch was walked overran the ready list). Poll 1 at 0
 * polls both first yields, which wake their children; poll 2 at 1 us finds
 * them ready and polls both second yields, which wake again; poll 3 at 2 us
 * finds those ready: the join is done (both children), the select too (the
 * first child wins, the second is cancelled). Every executor alike. */
static void test_combinator_children_woken_twice(void **state)
{
    (void)state;
    static const char *forms[] = {"join", "select"};
    static const fs_run_desc runs[] = {{.kind = FS_EXEC_BLOCKING}, {.kind = FS_EXEC_BUSY},
                                       {.kind = FS_EXEC_WAKE},
                                       {.kind = FS_EXEC_STEAL, .workers = 2}};
    for (size_t f = 0; f < 2; f++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"tasks\":[{\"name\":\"t\",\"future\":{\"%s\":["
                 "{\"seq\":[{\"yield\":true},{\"yield\":true}]},"
                 "{\"seq\":[{\"yield\":true},{\"yield\":true}]}]}}]}", forms[f]);
        for (size_t e = 0; e < sizeof runs / sizeof runs[0]; e++) {
            sim s;
            fs_test_simulate(&s, json, runs[e]);
            assert_int_equal(fs_run_exit_status(s.run), 0);
            assert_int_equal(st(&s)->polls, 3);
            assert_int_equal(st(&s)->end_ns, 3 * US);
            assert_int_equal(task(&s, 0)->completed_ns, 3 * US);
            assert_int_equal(st(&s)->wakes, 4);
            done(&s);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_timeout),
        cmocka_unit_test(test_join_sleeps),
        cmocka_unit_test(test_join_await_point),
        cmocka_unit_test(test_repeat_sleeps),
        cmocka_unit_test(test_repeat_zero),
        cmocka_unit_test(test_repeat_fails_with_its_last_iteration),
        cmocka_unit_test(test_compute_delays_wake),
        cmocka_unit_test(test_yield_lets_others_run),
        cmocka_unit_test(test_spawn_names_by_path),
        cmocka_unit_test(test_spawn_await),
        cmocka_unit_test(test_spawn_detached),
        cmocka_unit_test(test_channel_ping_pong),
        cmocka_unit_test(test_channel_nobody_sends_closes),
        cmocka_unit_test(test_channel_waiting_senders_stall),
        cmocka_unit_test(test_spurious_wakes),
        cmocka_unit_test(test_forget_waker_on_sleep),
        cmocka_unit_test(test_count_and_random_durations),
        cmocka_unit_test(test_random_arrivals_and_latencies),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_while_until_closed),
        cmocka_unit_test(test_send_fails_when_receiver_gone),
        cmocka_unit_test(test_shared_receiver_kept_until_last),
        cmocka_unit_test(test_channel_nobody_receives),
        cmocka_unit_test(test_retry_backoff),
        cmocka_unit_test(test_explicit_close),
        cmocka_unit_test(test_file_cancelled),
        cmocka_unit_test(test_combinator_children_woken_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
