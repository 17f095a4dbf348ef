/* test_params.c - named futures with parameters (docs/scenarios.md, Named
 * futures): {"call": f, "with": {...}} builds f's body with each "$p" the
 * call's value (or p's default). A call is the same future as its body
 * written out by hand with those values: same trace byte for byte under
 * wake and steal:2, and times and polls worked out by hand (polls cost
 * 1 us). Errors are in tests/bad_scenarios (call_*, param*). */
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

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

/* fetch(res, ms = 10, n = 1): n times, lock res and sleep ms in it.
 * guarded(m, work = compute 1 ms): work holding m (a future as a value).
 * a: fetch(m1, n 2); b: fetch(m2, 5 ms); c: fetch(m3, ms and n drawn from
 * one-value ranges: 3 and 3); d: guarded(m2, sleep 2 ms).
 * wake (a timer counts from its poll's start): a polls at 0, 10 and 20 ms
 * (its second lock is free at once): done 20.001 ms, 3 polls. b locks m2
 * at 1 us, sleeps to 5.001, done 5.002, 2 polls. c at 2 us, 3.002, 6.002,
 * 9.002: done 9.003, 4 polls. d at 3 us finds m2 held by b, is woken by
 * b's unlock and polled at 5.002: locks, sleeps to 7.002, done 7.003,
 * 3 polls. 12 polls, end 20.001 ms. */
#define DEFS                                                                                          \
    "\"resources\":{\"m1\":{\"type\":\"mutex\"},\"m2\":{\"type\":\"mutex\"},\"m3\":{\"type\":\"mutex\"}},"
#define CALLS                                                                                          \
    "{" DEFS "\"futures\":{"                                                                           \
    "\"fetch\":{\"params\":{\"res\":null,\"ms\":10,\"n\":1},"                                         \
    "  \"body\":{\"repeat\":\"$n\",\"do\":{\"lock\":\"$res\",\"do\":{\"sleep_ms\":\"$ms\"}}}},"       \
    "\"guarded\":{\"params\":{\"m\":null,\"work\":{\"compute_ms\":1}},"                                \
    "  \"body\":{\"lock\":\"$m\",\"do\":\"$work\"}}},"                                                 \
    "\"tasks\":["                                                                                      \
    "{\"name\":\"a\",\"future\":{\"call\":\"fetch\",\"with\":{\"res\":\"m1\",\"n\":2}}},"              \
    "{\"name\":\"b\",\"future\":{\"call\":\"fetch\",\"with\":{\"res\":\"m2\",\"ms\":5}}},"             \
    "{\"name\":\"c\",\"future\":{\"call\":\"fetch\",\"with\":{\"res\":\"m3\","                         \
    "  \"ms\":{\"uniform\":[3,3]},\"n\":{\"uniform\":[3,3]}}}},"                                       \
    "{\"name\":\"d\",\"future\":{\"call\":\"guarded\",\"with\":{\"m\":\"m2\",\"work\":{\"sleep_ms\":2}}}}]}"
/* The same, written out by hand. */
#define INLINE                                                                                         \
    "{" DEFS "\"tasks\":["                                                                             \
    "{\"name\":\"a\",\"future\":{\"repeat\":2,\"do\":{\"lock\":\"m1\",\"do\":{\"sleep_ms\":10}}}},"    \
    "{\"name\":\"b\",\"future\":{\"repeat\":1,\"do\":{\"lock\":\"m2\",\"do\":{\"sleep_ms\":5}}}},"     \
    "{\"name\":\"c\",\"future\":{\"repeat\":{\"uniform\":[3,3]},\"do\":{\"lock\":\"m3\","              \
    "  \"do\":{\"sleep_ms\":{\"uniform\":[3,3]}}}}},"                                                  \
    "{\"name\":\"d\",\"future\":{\"lock\":\"m2\",\"do\":{\"sleep_ms\":2}}}]}"

static void test_call_with_values(void **state)
{
    (void)state;
    sim s, h;
    simulate(&s, CALLS, FS_EXEC_WAKE);
    const fs_exec_stats *st = fs_exec_get_stats(s.run->exec);
    assert_int_equal(st->polls, 12);
    assert_int_equal(st->end_ns, 20 * MS + 1 * US);
    static const int64_t done[4] = {20 * MS + 1 * US, 5 * MS + 2 * US, 9 * MS + 3 * US, 7 * MS + 3 * US};
    static const uint64_t polls[4] = {3, 2, 4, 3};
    for (uint32_t id = 0; id < 4; id++) {
        assert_int_equal(task(&s, id)->completed_ns, done[id]);
        assert_int_equal(task(&s, id)->polls, polls[id]);
    }
    simulate(&h, INLINE, FS_EXEC_WAKE);
    assert_int_equal(s.len, h.len);
    assert_memory_equal(s.trace, h.trace, s.len);
    fs_test_sim_free(&s);
    fs_test_sim_free(&h);
}

/* steal:2: worker 0 polls a and b at 0 and 1 us, worker 1 c and d (d
 * waits on m2). A timer's deadline is rounded up to the driver's next 1 ms
 * tick, and worker 0's driver wakes on its phase, which moves on 1 us with
 * each poll it ran before parking: c's 3 ms fires at 3.002 ms; then b (5.001
 * -> 6 ms tick) at 6.003, b done 6.004 and d polled 6.004; c (6.002 -> 7) at
 * 7.005; d (8.004 -> 9) at 9.006, done 9.007; a (10 ms) at 10.007; c
 * (10.005 -> 11) at 11.008, done 11.009; a (20.007 -> 21) at 21.009, done
 * 21.010 ms. The polls are wake's, and the trace is the hand-written one's. */
static void test_call_with_values_steal(void **state)
{
    (void)state;
    sim s, h;
    simulate(&s, CALLS, FS_EXEC_STEAL);
    simulate(&h, INLINE, FS_EXEC_STEAL);
    assert_int_equal(fs_exec_get_stats(s.run->exec)->polls, 12);
    static const int64_t done[4] = {21 * MS + 10 * US, 6 * MS + 4 * US, 11 * MS + 9 * US, 9 * MS + 7 * US};
    static const uint64_t polls[4] = {3, 2, 4, 3};
    for (uint32_t id = 0; id < 4; id++) {
        assert_int_equal(task(&s, id)->completed_ns, done[id]);
        assert_int_equal(task(&s, id)->polls, polls[id]);
    }
    assert_int_equal(s.len, h.len);
    assert_memory_equal(s.trace, h.trace, s.len);
    fs_test_sim_free(&s);
    fs_test_sim_free(&h);
}

/* What the loader builds: the values in place (a resource's index, a
 * duration, a count, a future), labels from them, places numbered per
 * use as for any call. */
static void test_built_in_place(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(CALLS, strlen(CALLS), "x.json", &sc, &err), FS_ERR_OK);
    const fs_future_spec *a = &sc->tasks[0].future, *d = &sc->tasks[3].future;
    assert_int_equal(a->kind, FS_FUT_REPEAT);
    assert_int_equal(a->repeat, 2);
    assert_int_equal(a->children[0].resource, 0);
    assert_string_equal(a->children[0].children[0].label, "sleep 10ms"); /* the default */
    assert_int_equal(sc->tasks[1].future.children[0].resource, 1);
    assert_int_equal(sc->tasks[2].future.dur.kind, FS_DUR_UNIFORM);
    assert_string_equal(sc->tasks[2].future.children[0].children[0].label, "sleep uniform 3..3ms");
    assert_int_equal(d->kind, FS_FUT_LOCK);
    assert_int_equal(d->children[0].kind, FS_FUT_SLEEP); /* not the default's compute */
    assert_int_equal(d->children[0].place, 1);
    fs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_with_values),
        cmocka_unit_test(test_call_with_values_steal),
        cmocka_unit_test(test_built_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
