/* test_interval.c - interval, tick and break: tokio's MissedTickBehavior
 * worked out by hand from tokio's Interval::poll_tick, under wake and
 * steal:2, and break ending each kind of loop.
 *
 * The missed-tick scenario: period 10 ms; the body awaits two ticks (due 0
 * and 10), yields once (so the slow work starts off a ms boundary, at
 * 10.001 ms), computes 27 ms (to 37.001), then awaits four ticks and
 * breaks. The tick due 20 is then 17.001 ms late (more than tokio's 5 ms),
 * so the behaviour picks the next deadline:
 *   burst: 20 + 10 = 30, itself past: ready at once, then 40, 50
 *   delay: 37.001 + 10 = 47.001, then 57.001, 67.001
 *   skip:  the next multiple of the period after 37.001: 40, then 50, 60
 * Polls cost 1 us; a tick's io line carries its poll's start time and the
 * deadline it was due at, in ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "support.h"

#define MS 1000000LL
#define US 1000LL

typedef fs_test_sim sim;

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

static void missed(sim *s, const char *behaviour, fs_exec_kind kind, int workers)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"tasks\":[{\"name\":\"ticker\",\"future\":{\"interval\":{\"period_ms\":10,\"missed\":\"%s\"},"
             "\"do\":{\"seq\":[{\"tick\":true},{\"tick\":true},{\"yield\":true},{\"compute_ms\":27},"
             "{\"repeat\":4,\"do\":{\"tick\":true}},{\"break\":true}]}}}]}",
             behaviour);
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = workers});
}

/* Each tick's io line, in order: poll start (ns) and the deadline (ms). */
static void assert_ticks(const sim *s, const int64_t (*ticks)[2], size_t n)
{
    const char *at = s->trace;
    for (size_t i = 0; i < n; i++) {
        char want[128];
        snprintf(want, sizeof want, "{\"t\":%lld,\"type\":\"io\",\"resource\":\"timer\",\"what\":\"tick due\","
                 "\"value\":%lld}", (long long)ticks[i][0], (long long)ticks[i][1]);
        const char *hit = strstr(at, want);
        if (!hit)
            fail_msg("tick %zu: no line %s after the ticks before it", i, want);
        at = hit + strlen(want);
    }
    assert_null(strstr(at, "\"tick due\""));
}

/* wake: polls at 0 (tick 0; tick 10 waits), 10 ms (tick 10; yield), 10.001
 * ms (27 ms of work, then the late ticks; the next waits), then one poll
 * per remaining tick, each at its deadline. The loop breaks in its first
 * body: the interval's value is 0 bodies completed. */
static void test_burst_wake(void **state)
{
    (void)state;
    sim s;
    missed(&s, "burst", FS_EXEC_WAKE, 0);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20}, {10 * MS + US, 30},
                                       {40 * MS, 40}, {50 * MS, 50}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 5);
    assert_int_equal(st(&s)->end_ns, 50 * MS + US);
    assert_int_equal(task(&s, 0)->value, 0);
    assert_non_null(strstr(s.trace, "{\"t\":10001000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":27001000,"
                                    "\"result\":\"pending\",\"state\":\"await 5/6: tick 10ms\"}"));
    fs_test_sim_free(&s);
}

static void test_delay_wake(void **state)
{
    (void)state;
    sim s;
    missed(&s, "delay", FS_EXEC_WAKE, 0);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20},
                                       {47 * MS + US, 47}, {57 * MS + US, 57}, {67 * MS + US, 67}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->end_ns, 67 * MS + 2 * US);
    fs_test_sim_free(&s);
}

static void test_skip_wake(void **state)
{
    (void)state;
    sim s;
    missed(&s, "skip", FS_EXEC_WAKE, 0);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20},
                                       {40 * MS, 40}, {50 * MS, 50}, {60 * MS, 60}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->end_ns, 60 * MS + US);
    fs_test_sim_free(&s);
}

/* steal:2 (1 ms driver ticks). Worker 1 parks at 0 and its driver fires
 * the 10 ms timer at 10 ms; it polls, the yield's wake goes to its queue
 * and worker 0 steals the task at 10.001 ms for the 27 ms poll. Worker 1
 * parked at 10.001 ms: a park lasts whole ms (tokio rounds the park
 * timeout up), so a deadline D is seen at 10.001 + ceil(D - 10.001), and
 * each later park starts 1 us after the poll before it.
 *   burst: 40 -> 40.001; park 40.002, 50 -> 50.002; done 50.003
 *   delay: 47.001 rounds up to the 48 ms tick -> 48.001, 1 ms late (within
 *          tokio's 5 ms), so next is 57.001 -> 58 -> 58.002; 67.001 -> 68.003
 *   skip:  40 -> 40.001, 50 -> 50.002, 60 -> 60.003 */
static void test_burst_steal(void **state)
{
    (void)state;
    sim s;
    missed(&s, "burst", FS_EXEC_STEAL, 2);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20}, {10 * MS + US, 30},
                                       {40 * MS + US, 40}, {50 * MS + 2 * US, 50}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 5);
    assert_int_equal(st(&s)->end_ns, 50 * MS + 3 * US);
    fs_test_sim_free(&s);
}

static void test_delay_steal(void **state)
{
    (void)state;
    sim s;
    missed(&s, "delay", FS_EXEC_STEAL, 2);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20},
                                       {48 * MS + US, 47}, {58 * MS + 2 * US, 57}, {68 * MS + 3 * US, 67}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->end_ns, 68 * MS + 4 * US);
    fs_test_sim_free(&s);
}

static void test_skip_steal(void **state)
{
    (void)state;
    sim s;
    missed(&s, "skip", FS_EXEC_STEAL, 2);
    static const int64_t ticks[][2] = {{0, 0}, {10 * MS, 10}, {10 * MS + US, 20},
                                       {40 * MS + US, 40}, {50 * MS + 2 * US, 50}, {60 * MS + 3 * US, 60}};
    assert_ticks(&s, ticks, 6);
    assert_int_equal(st(&s)->polls, 6);
    assert_int_equal(st(&s)->end_ns, 60 * MS + 4 * US);
    fs_test_sim_free(&s);
}

/* loop { select! { _ = iv.tick() => work(1 ms), _ = stop.notified() =>
 * break } }, stopped by notify_one at 36.001 ms (main's sleep of 35 ms
 * starts after the worker's first poll, at 1.001 ms). The worker works at
 * 0, 10, 20 and 30 ms; at 36.002 ms its select finds the notification and
 * breaks: 4 bodies completed, done at 36.003 ms. */
static const char *STOP_JSON =
    "{\"resources\":{\"stop\":{\"type\":\"notify\"}},\"tasks\":["
    "{\"name\":\"worker\",\"future\":{\"interval\":{\"period_ms\":10},\"do\":{\"select\":["
    "{\"seq\":[{\"tick\":true},{\"compute_ms\":1}]},{\"seq\":[{\"notified\":\"stop\"},{\"break\":true}]}]}}},"
    "{\"name\":\"main\",\"future\":{\"seq\":[{\"sleep_ms\":35},{\"notify_one\":\"stop\"}]}}]}";

static void test_select_break_wake(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, STOP_JSON, (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(task(&s, 0)->value, 4);
    assert_int_equal(task(&s, 0)->polls, 5);
    assert_int_equal(task(&s, 0)->completed_ns, 36 * MS + 3 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 36 * MS + 2 * US);
    assert_int_equal(task(&s, 0)->waker_refs, 0); /* the dropped tick gave its waker back */
    fs_test_sim_free(&s);
}

/* Under steal:2 the same four bodies, then the break. */
static void test_select_break_steal(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, STOP_JSON, (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2});
    assert_int_equal(task(&s, 0)->value, 4);
    assert_int_equal(task(&s, 0)->polls, 5);
    assert_int_equal(st(&s)->completed, 2);
    fs_test_sim_free(&s);
}

/* break ends repeat and while too, with the bodies completed before it
 * (0 here: each first body breaks), and skips the rest of its seq. r polls
 * at 0 (timer at 10 ms); w at 1 us (timer at 5.001 ms), at 5.001 ms its
 * body computes to 6.001 ms and breaks: done 6.002 ms; r at 10 ms breaks
 * (its sleep 100 never starts): done 10.001 ms. */
static void test_break_repeat_while(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, "{\"tasks\":[{\"name\":\"r\",\"future\":{\"repeat\":5,\"do\":{\"seq\":["
                         "{\"sleep_ms\":10},{\"break\":true},{\"sleep_ms\":100}]}}},"
                         "{\"name\":\"w\",\"future\":{\"while\":{\"sleep_ms\":5},\"do\":{\"seq\":["
                         "{\"compute_ms\":1},{\"break\":true}]}}}]}",
                     (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(task(&s, 0)->value, 0);
    assert_int_equal(task(&s, 0)->polls, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 10 * MS + US);
    assert_int_equal(task(&s, 1)->value, 0);
    assert_int_equal(task(&s, 1)->polls, 2);
    assert_int_equal(task(&s, 1)->completed_ns, 6 * MS + 2 * US);
    fs_test_sim_free(&s);
}

/* Where break and tick may stand, and the interval's keys. */
static void test_loader_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *msg;
    } bad[] = {
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"break\":true}}]}", "tasks[0].future.break: break outside a loop"},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"seq\":[{\"tick\":true}]}}]}",
         "tasks[0].future.seq[0].tick: tick outside an interval"},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":2,\"do\":{\"join\":[{\"break\":true}]}}}]}",
         "join[0].break: break outside a loop"},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"interval\":{\"period_ms\":10},\"do\":{\"spawn\":{\"name\":\"c\","
         "\"future\":{\"tick\":true}}}}}]}", "tick outside an interval"},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"interval\":{\"period_ms\":0},\"do\":{\"tick\":true}}}]}",
         "interval.period_ms: "},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"interval\":{\"period_ms\":5,\"missed\":\"skipp\"},"
         "\"do\":{\"tick\":true}}}]}", "interval.missed: expected \"burst\", \"delay\" or \"skip\", got \"skipp\""},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"interval\":{\"period\":5},\"do\":{\"tick\":true}}}]}",
         "unknown key"},
        {"{\"tasks\":[{\"name\":\"t\",\"future\":{\"interval\":{\"period_ms\":5}}}]}", "\"do\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fs_scenario *sc = NULL;
        fs_error err;
        assert_int_not_equal(fs_scenario_load_text(bad[i].json, strlen(bad[i].json), "bad.json", &sc, &err),
                             FS_ERR_OK);
        assert_null(sc);
        char msg[1100];
        snprintf(msg, sizeof msg, "%s: %s", err.path, err.msg);
        if (!strstr(msg, bad[i].msg))
            fail_msg("case %zu: %s lacks %s", i, msg, bad[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_wake),        cmocka_unit_test(test_delay_wake),
        cmocka_unit_test(test_skip_wake),         cmocka_unit_test(test_burst_steal),
        cmocka_unit_test(test_delay_steal),       cmocka_unit_test(test_skip_steal),
        cmocka_unit_test(test_select_break_wake), cmocka_unit_test(test_select_break_steal),
        cmocka_unit_test(test_break_repeat_while), cmocka_unit_test(test_loader_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
