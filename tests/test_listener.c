/* test_listener.c - the listener resource (dev_listener.c): connections from
 * a process, accept, per-connection requests, writes with backpressure.
 * Times are worked out by hand for `wake` (polls cost 1 us); `steal:2` runs
 * the same workload (same polls and wakes), its events delivered by driver
 * turns on the 1 ms tick. */
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

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

/* forced yields over all workers */
static int64_t forced_yields(const sim *s)
{
    int64_t n = 0;
    for (int i = 0; i < fs_exec_worker_count(s->run->exec); i++)
        n += fs_exec_get_worker(s->run->exec, i)->budget_forced_yields;
    return n;
}

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

/* Two connections at 10 and 20 ms, each with two requests 5 ms apart; each
 * request answered with 1500 bytes into a 1000-byte buffer draining at 100
 * bytes per ms (10 us a byte).
 *   server: polls at 0 (waits), 10 ms (accepts 0, spawns handler#0),
 *     20 ms (accepts 1: the listener closed with it; the next accept fails
 *     "closed" and the loop ends, value 2): 3 polls.
 *   handler#0: 10.001 ms read waits; 15 ms request 0, write puts 1000 bytes
 *     (buffer empty at 25 ms), waits for room for the other 500: at 25 - 5
 *     = 20 ms; polled at 20.001 ms (after the server), 500 fit (empty at
 *     30 ms), request 1 is there (20 ms), its write finds no room and waits
 *     for room for 1000: at 30 ms; 30 ms puts 1000 (empty at 40), waits for
 *     500 more: 35 ms; 35 ms writes them, read fails "closed": done at
 *     35.001 ms, value 2. 5 polls.
 *   handler#1 the same 10 ms later (its first poll at 20.002 ms): done at
 *     45.001 ms. 13 polls in all. */
static const char *ACCEPT_LOOP =
    "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":10,\"count\":2},"
    "\"requests\":{\"count\":2,\"every_ms\":5},\"send_buffer\":{\"bytes\":1000,\"drain_per_ms\":100}}},"
    "\"tasks\":[{\"name\":\"server\",\"future\":{\"while\":{\"accept\":\"l\"},\"do\":{\"spawn\":"
    "{\"name\":\"handler\",\"future\":{\"while\":{\"read\":\"l\"},\"do\":{\"write\":\"l\",\"bytes\":1500}}}}}}]}";

static void test_accept_loop_wake(void **state)
{
    (void)state;
    sim s;
    simulate(&s, ACCEPT_LOOP, FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 45 * MS + US);
    assert_int_equal(st(&s)->polls, 13);
    assert_int_equal(task(&s, 0)->polls, 3);
    assert_int_equal(task(&s, 1)->polls, 5);
    assert_int_equal(task(&s, 2)->polls, 5);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_int_equal(task(&s, 1)->value, 2);
    assert_int_equal(task(&s, 2)->value, 2);
    assert_non_null(strstr(s.trace, "{\"t\":10000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"connect\",\"value\":0}"));
    assert_non_null(strstr(s.trace, "{\"t\":20000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"closed\"}"));
    assert_non_null(strstr(s.trace, "{\"t\":20000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"accepted\",\"value\":1}"));
    assert_non_null(strstr(s.trace, "{\"t\":15000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"full\",\"value\":0}"));
    assert_non_null(strstr(s.trace, "{\"t\":20001000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"written\",\"value\":1500}"));
    assert_non_null(strstr(s.trace, "{\"t\":35000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"written\",\"value\":1500}"));
    assert_non_null(strstr(s.trace, "\"name\":\"server/handler#1\",\"parent\":0"));
    fs_test_sim_free(&s);
}

/* steal:2: the same 13 polls and 10 wakes (the same workload); each event
 * is delivered by a driver turn, later than under wake by the tick phase. */
static void test_accept_loop_steal(void **state)
{
    (void)state;
    sim s;
    simulate(&s, ACCEPT_LOOP, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->polls, 13);
    assert_int_equal(st(&s)->wakes, 10);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_int_equal(task(&s, 1)->value, 2);
    assert_int_equal(task(&s, 2)->value, 2);
    assert_int_equal(st(&s)->end_ns, 48 * MS + 11 * US);
    assert_non_null(strstr(s.trace, "{\"t\":10000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"accepted\",\"value\":0}"));
    fs_test_sim_free(&s);
}

/* until_ms: every 10 ms until 25: connections at 10 and 20, the listener
 * closes at 25 ms, when the waiting accept fails: the loop ran 2 bodies
 * (yields: a second poll each at 10.001 and 20.001 ms). Polls: 0, 10, 10.001,
 * 20, 20.001, 25 ms: 6; ends at 25.001 ms. Under both executors, as the
 * close is an event on the agenda. */
static void test_until(void **state)
{
    (void)state;
    const char *json =
        "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":10,\"until_ms\":25}}},"
        "\"tasks\":[{\"name\":\"server\",\"future\":{\"while\":{\"accept\":\"l\"},\"do\":{\"yield\":true}}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, 25 * MS + US);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_non_null(strstr(s.trace, "{\"t\":25000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"closed\"}"));
    fs_test_sim_free(&s);
    simulate(&s, json, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(task(&s, 0)->value, 2);
    fs_test_sim_free(&s);
}

/* An empty at_ms list: closed from the start, accept fails at once; a read
 * or write by a task that accepted nothing fails "closed" too: one poll
 * each, the join ready at 1 us with the sum 0. */
static void test_closed_at_once(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"at_ms\":[]}}},"
                 "\"tasks\":[{\"name\":\"t\",\"future\":{\"join\":[{\"accept\":\"l\"},{\"read\":\"l\"},"
                 "{\"write\":\"l\",\"bytes\":10}]}}]}", FS_EXEC_WAKE);
    assert_int_equal(st(&s)->end_ns, US);
    assert_int_equal(st(&s)->polls, 1);
    fs_test_sim_free(&s);
}

/* at_ms with random request gaps: the same arrivals under wake and busy
 * (draws keyed by listener and event index, not by schedule): the io lines
 * "request" carry the same times' order and every handler reads 3. */
static void test_random_same_everywhere(void **state)
{
    (void)state;
    const char *json =
        "{\"seed\":3,\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"at_ms\":[5,5,7]},"
        "\"requests\":{\"count\":3,\"every_ms\":{\"uniform\":[1,20]}}}},"
        "\"tasks\":[{\"name\":\"server\",\"future\":{\"while\":{\"accept\":\"l\"},\"do\":{\"spawn\":"
        "{\"name\":\"h\",\"future\":{\"while\":{\"read\":\"l\"},\"do\":{\"compute_ms\":1}}}}}}]}";
    sim a, b;
    simulate(&a, json, FS_EXEC_WAKE);
    simulate(&b, json, FS_EXEC_BUSY);
    for (uint32_t i = 1; i <= 3; i++) {
        assert_int_equal(task(&a, i)->value, 3);
        assert_int_equal(task(&b, i)->value, 3);
    }
    /* the last request's time is the same: under wake it is the end less
     * the 1 ms compute and the 2 polls after it */
    assert_int_equal(st(&a)->end_ns, st(&b)->end_ns);
    fs_test_sim_free(&a);
    fs_test_sim_free(&b);
}

/* The coop budget: 200 requests all there (gaps 0 after the connection at
 * 1 ms) when the task accepts at 5 ms. Under wake, one poll takes them all
 * and the closed read: polls at 0 and 5 ms, done at 5.001 ms. Under steal:2
 * accept spends 1 of the 128 units and 127 reads the rest; the 128th read
 * finds the budget spent and the task yields (one forced yield); its next
 * poll, at 5.001 ms with a fresh budget, reads the other 73 and the EOF:
 * 3 polls, done at 5.002 ms. */
static void test_coop_budget(void **state)
{
    (void)state;
    const char *json =
        "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"at_ms\":[1]},"
        "\"requests\":{\"count\":200}}},\"tasks\":[{\"name\":\"t\",\"future\":{\"seq\":[{\"sleep_ms\":5},"
        "{\"accept\":\"l\"},{\"while\":{\"read\":\"l\"},\"do\":{\"compute_ms\":0}}]}}]}";
    sim s;
    simulate(&s, json, FS_EXEC_WAKE);
    assert_int_equal(st(&s)->polls, 2);
    assert_int_equal(st(&s)->end_ns, 5 * MS + US);
    assert_int_equal(forced_yields(&s), 0);
    fs_test_sim_free(&s);
    simulate(&s, json, FS_EXEC_STEAL);
    assert_int_equal(st(&s)->polls, 3);
    assert_int_equal(st(&s)->end_ns, 5 * MS + 2 * US);
    assert_int_equal(forced_yields(&s), 1);
    fs_test_sim_free(&s);
}

/* The sizes of "written" lines, in order, into out (at most n); their count. */
static int written(const char *trace, int64_t *out, int n)
{
    int k = 0;
    for (const char *p = trace; (p = strstr(p, "\"what\":\"written\",\"value\":")) && k < n; p++)
        out[k++] = strtoll(p + strlen("\"what\":\"written\",\"value\":"), NULL, 10);
    return k;
}

/* Drawn write sizes: uniform in [100, 200], each write anew, the same under
 * wake and steal:2 (keyed by the task, the place and the iteration). */
static void test_drawn_bytes(void **state)
{
    (void)state;
    const char *json =
        "{\"seed\":5,\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"at_ms\":[0]},"
        "\"requests\":{\"count\":3}}},\"tasks\":[{\"name\":\"t\",\"future\":{\"seq\":[{\"accept\":\"l\"},"
        "{\"while\":{\"read\":\"l\"},\"do\":{\"write\":\"l\",\"bytes\":{\"uniform\":[100,200]}}}]}}]}";
    sim a, b;
    int64_t wa[4], wb[4];
    simulate(&a, json, FS_EXEC_WAKE);
    simulate(&b, json, FS_EXEC_STEAL);
    assert_int_equal(written(a.trace, wa, 4), 3);
    assert_int_equal(written(b.trace, wb, 4), 3);
    for (int i = 0; i < 3; i++) {
        assert_in_range(wa[i], 100, 200);
        assert_int_equal(wa[i], wb[i]);
    }
    assert_false(wa[0] == wa[1] && wa[1] == wa[2]); /* drawn anew */
    fs_test_sim_free(&a);
    fs_test_sim_free(&b);
}

/* A bad process: every_ms without a bound. */
static void test_bad_process(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err;
    const char *json = "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":10}}},"
                       "\"tasks\":[{\"name\":\"t\",\"future\":{\"accept\":\"l\"}}]}";
    assert_int_equal(fs_scenario_load_text(json, strlen(json), "x.json", &sc, &err), FS_ERR_INPUT);
    assert_null(sc);
    assert_non_null(strstr(err.path, "resources.l.connections"));
    assert_non_null(strstr(err.msg, "when do connections stop?"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_loop_wake),
        cmocka_unit_test(test_accept_loop_steal),
        cmocka_unit_test(test_until),
        cmocka_unit_test(test_closed_at_once),
        cmocka_unit_test(test_random_same_everywhere),
        cmocka_unit_test(test_coop_budget),
        cmocka_unit_test(test_drawn_bytes),
        cmocka_unit_test(test_bad_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
