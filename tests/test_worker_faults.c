/* test_worker_faults.c - the workers' faults (docs/scenarios.md, Faults of
 * workers): a pause at a known poll's end under steal:2 (a thief empties the
 * paused worker's queue) and under wake (the whole runtime stops), its trace
 * lines and summary counts, busy's fast-forward around a pause, the trace
 * read back, replays of a seed, and explore's report with pauses. Times
 * worked out by hand: polls cost 1 us, compute_ms 1 makes a poll 1.001 ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "trace_reader.h"
#include "world.h"

#define MS 1000000LL
#define US 1000LL

typedef fs_test_sim sim;

/* main spawns a, b, c, d in one poll (0 to 1 us); each does 1 ms of CPU.
 * With PAUSE, worker 0 pauses 10 ms once, at the end of its first poll. */
#define SPAWNER(faults)                                                                          \
    "{" faults "\"tasks\":[{\"name\":\"main\",\"future\":{\"seq\":["                              \
    "{\"spawn\":{\"name\":\"a\",\"future\":{\"compute_ms\":1}}},"                                 \
    "{\"spawn\":{\"name\":\"b\",\"future\":{\"compute_ms\":1}}},"                                 \
    "{\"spawn\":{\"name\":\"c\",\"future\":{\"compute_ms\":1}}},"                                 \
    "{\"spawn\":{\"name\":\"d\",\"future\":{\"compute_ms\":1}}}]}}]}"
#define PAUSE "\"worker_faults\":[{\"kind\":\"pause\",\"p\":1,\"pause_ms\":10,\"worker\":0,\"max_pauses\":1}],"

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

static int64_t done_at(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id)->completed_ns;
}

static void has_line(const sim *s, const char *line)
{
    if (!strstr(s->trace, line)) {
        fprintf(stderr, "missing from the trace: %s\n%s", line, s->trace);
        fail();
    }
}

/* steal:2. main runs on worker 0 (0 to 1 us); its spawns fill the LIFO slot
 * (d) and the local queue (a, b, c): three queued tasks. At the poll's end
 * worker 0 pauses for 10 ms, off its CPU as a preempted thread. Worker 1,
 * notified by the spawns, wakes at 1 us and steals half of the queue,
 * 3 - 3/2 = 2 tasks (a, b; the last stolen, b, runs first): b 1 us to
 * 1.002 ms, a to 2.003 ms; then it steals the last one, c, at 2.003 ms, done
 * at 3.004 ms. d waits in the LIFO slot, which no thief can take, with
 * worker 0: it resumes at 10.001 ms and polls d until 11.002 ms. */
static void test_steal_takes_the_paused_workers_queue(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, SPAWNER(PAUSE), (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2});
    has_line(&s, "{\"t\":1000,\"type\":\"complete\",\"task\":0,\"value\":4}\n"
                 "{\"t\":1000,\"type\":\"fault\",\"kind\":\"pause\",\"worker\":0,\"dur\":10000000}\n"
                 "{\"t\":1000,\"type\":\"preempt\",\"worker\":0}\n");
    has_line(&s, "{\"t\":1000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":2}\n");
    has_line(&s, "{\"t\":2003000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":1}\n");
    has_line(&s, "{\"t\":10001000,\"type\":\"resume\",\"worker\":0}\n"
                 "{\"t\":10001000,\"type\":\"poll\",\"task\":4,\"worker\":0,");
    assert_int_equal(done_at(&s, 2), 1 * MS + 2 * US);   /* b */
    assert_int_equal(done_at(&s, 1), 2 * MS + 3 * US);   /* a */
    assert_int_equal(done_at(&s, 3), 3 * MS + 4 * US);   /* c */
    assert_int_equal(done_at(&s, 4), 11 * MS + 2 * US);  /* d */
    assert_int_equal(fs_exec_get_worker(s.run->exec, 1)->steals, 3);
    /* the pause is worker 0's idle time */
    assert_int_equal(fs_exec_get_worker(s.run->exec, 0)->idle_ns, 10 * MS);
    has_line(&s, "\"faults\":{\"fired\":1,\"latency\":0,\"fail\":0,\"hang\":0,\"reset\":0,\"pause\":1}");
    assert_int_equal(fs_world_fault_counts(s.run->world)->by_kind[FS_FAULT_PAUSE], 1);
    fs_test_sim_free(&s);
}

/* wake: one thread is the runtime, so the pause at main's end (1 us) stops
 * it all for 10 ms: a, b, c, d run one after another as without the fault,
 * each exactly 10 ms later (1.002, 2.003, 3.004, 4.005 ms without it). */
static void test_wake_every_task_ten_ms_later(void **state)
{
    (void)state;
    sim with, without;
    fs_test_simulate(&with, SPAWNER(PAUSE), (fs_run_desc){.kind = FS_EXEC_WAKE});
    fs_test_simulate(&without, SPAWNER(), (fs_run_desc){.kind = FS_EXEC_WAKE});
    for (uint32_t id = 1; id <= 4; id++) {
        assert_int_equal(done_at(&without, id), (int64_t)id * (MS + US) + US);
        assert_int_equal(done_at(&with, id), done_at(&without, id) + 10 * MS);
    }
    assert_int_equal(done_at(&with, 0), US); /* main itself ended before its pause */
    has_line(&with, "{\"t\":1000,\"type\":\"preempt\",\"worker\":0}\n"
                    "{\"t\":10001000,\"type\":\"resume\",\"worker\":0}\n"
                    "{\"t\":10001000,\"type\":\"poll\",\"task\":1,");
    assert_int_equal(st(&with)->idle_ns, 10 * MS);
    assert_null(strstr(without.trace, "fault"));
    fs_test_sim_free(&with);
    fs_test_sim_free(&without);
}

/* p = 1 with no bound pauses every poll's end but the last (the run is over
 * then): under wake main, a, b, c pause, d does not: 4 pauses, d done at
 * 4.005 ms + 40 ms. */
static void test_every_poll_but_the_last(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, SPAWNER("\"worker_faults\":[{\"kind\":\"pause\",\"p\":1,\"pause_ms\":10}],"),
                     (fs_run_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(done_at(&s, 4), 44 * MS + 5 * US);
    assert_int_equal(st(&s)->end_ns, 44 * MS + 5 * US);
    has_line(&s, "\"faults\":{\"fired\":4,");
    fs_test_sim_free(&s);
}

/* busy waits 5 ms for a socket: a thousand identical polls, which the
 * fast-forward skips in bulk; pauses (p = 0.001, 1 to 3 ms) fall on polls
 * inside those runs (seed 1: at the end of poll 534, 534 us in, for 2 ms,
 * and of poll 615, at 2.615 ms). The skips stop short of each pause, so the
 * trace is the same bytes with and without --no-fast-forward, and a seed
 * replays it. */
static void test_busy_fast_forward_keeps_pauses(void **state)
{
    (void)state;
    static const char json[] =
        "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[{\"at_ms\":5},{\"at_ms\":5}]}},"
        "\"worker_faults\":[{\"kind\":\"pause\",\"p\":0.001,\"pause_ms\":{\"uniform\":[1,3]}}],"
        "\"tasks\":[{\"name\":\"t\",\"future\":{\"read\":\"a\"}},{\"name\":\"u\",\"future\":{\"read\":\"a\"}}]}";
    sim ff, slow, again;
    fs_run_desc d = {.kind = FS_EXEC_BUSY, .has_seed = true, .seed = 1};
    fs_test_simulate(&ff, json, d);
    d.no_fast_forward = true;
    fs_test_simulate(&slow, json, d);
    d.no_fast_forward = false;
    fs_test_simulate(&again, json, d);
    assert_int_equal(fs_world_fault_counts(ff.run->world)->by_kind[FS_FAULT_PAUSE], 2);
    has_line(&ff, "{\"t\":534000,\"type\":\"fault\",\"kind\":\"pause\",\"worker\":0,\"dur\":2000000}\n"
                  "{\"t\":534000,\"type\":\"preempt\",\"worker\":0}\n"
                  "{\"t\":2534000,\"type\":\"resume\",\"worker\":0}\n"
                  "{\"t\":2615000,\"type\":\"fault\",\"kind\":\"pause\",\"worker\":0,");
    /* 1,002 polls in 5.002 ms: 4 ms paused */
    assert_int_equal(st(&ff)->polls, 1002);
    assert_int_equal(st(&ff)->idle_ns, 4 * MS);
    assert_true(st(&ff)->polls_run < st(&slow)->polls_run); /* it did skip */
    assert_int_equal(ff.len, slow.len);
    assert_memory_equal(ff.trace, slow.trace, ff.len);
    assert_int_equal(again.len, ff.len);
    assert_memory_equal(again.trace, ff.trace, ff.len);
    fs_test_sim_free(&ff);
    fs_test_sim_free(&slow);
    fs_test_sim_free(&again);
}

/* The trace read back: worker 0's preemption span is the pause, and the
 * fault line says how long the pause was asked to be. */
static void test_read_back(void **state)
{
    (void)state;
    sim s;
    fs_test_simulate(&s, SPAWNER(PAUSE), (fs_run_desc){.kind = FS_EXEC_STEAL, .workers = 2});
    fs_trace *tr;
    fs_error err;
    assert_int_equal(fs_trace_read_text(s.trace, s.len, "p.jsonl", &tr, &err), FS_ERR_OK);
    const fs_trace_worker *w0 = &tr->workers_v[0];
    assert_int_equal(w0->n_preempts, 1);
    assert_int_equal(w0->preempts[0].t, US);
    assert_int_equal(w0->preempts[0].end, 10 * MS + US);
    assert_int_equal(fs_trace_pause_at(w0, US), 10 * MS);
    assert_int_equal(fs_trace_pause_at(w0, 2 * US), 0);
    assert_int_equal(tr->workers_v[1].n_pauses, 0);
    fs_trace_free(tr);
    fs_test_sim_free(&s);
}

/* Bad worker faults: a kind that is a resource's, "pause" on a resource,
 * a worker past steal:64's. */
static void test_bad_worker_faults(void **state)
{
    (void)state;
    static const struct { const char *json, *msg; } cases[] = {
        {"{\"worker_faults\":[{\"kind\":\"latency\",\"p\":1,\"pause_ms\":1}],\"tasks\":[{\"name\":\"t\",\"future\":{\"yield\":true}}]}",
         "x.json:1:27: worker_faults[0].kind: unknown worker fault kind \"latency\" (expected \"pause\"; "
         "latency, fail, hang and reset are a resource's \"faults\")"},
        {"{\"resources\":{\"a\":{\"type\":\"socket\",\"faults\":[{\"kind\":\"pause\",\"p\":1}]}},\"tasks\":[{\"name\":\"t\",\"future\":{\"yield\":true}}]}",
         "x.json:1:54: resources.a.faults[0].kind: \"pause\" is a fault of the workers, not of a resource: "
         "declare it in the top-level \"worker_faults\""},
        {"{\"worker_faults\":[{\"kind\":\"pause\",\"p\":1,\"pause_ms\":1,\"worker\":64}],\"tasks\":[{\"name\":\"t\",\"future\":{\"yield\":true}}]}",
         "x.json:1:63: worker_faults[0].worker: worker out of range: expected 0..63"},
        {"{\"worker_faults\":[{\"kind\":\"pause\",\"p\":1}],\"tasks\":[{\"name\":\"t\",\"future\":{\"yield\":true}}]}",
         "x.json:1:19: worker_faults[0]: missing required key \"pause_ms\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fs_scenario *sc;
        fs_error err;
        assert_int_equal(fs_scenario_load_text(cases[i].json, strlen(cases[i].json), "x.json", &sc, &err),
                         FS_ERR_INPUT);
        char buf[1024] = "";
        FILE *f = fmemopen(buf, sizeof buf, "w");
        assert_non_null(f);
        fs_error_print(&err, f);
        fclose(f);
        buf[strcspn(buf, "\n")] = '\0';
        assert_string_equal(buf, cases[i].msg);
    }
}

/* explore over the pattern: the same report with -j 1 and -j 2, pauses
 * counted per kind, and each failing seed's replay fails the same way with
 * its pause. */
/* A random max_pauses, drawn per worker once per run: a one-value range
 * is the fixed count, trace for trace, under wake and steal:2. wake with
 * at most 2: main 0-1 us, pause to 10.001 ms; a 10.001-11.002 (1 ms of
 * CPU and the poll's 1 us), pause to 21.002; b, c, d 1.001 ms each: d done
 * at 24.005 ms, 2 pauses. (Under steal:2 worker 0 polls main, then d
 * last: one pause.) */
#define PAUSE2(n) "\"worker_faults\":[{\"kind\":\"pause\",\"p\":1,\"pause_ms\":10,\"worker\":0,\"max_pauses\":" n "}],"

static void test_random_max_pauses(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        fs_run_desc d = {.kind = k ? FS_EXEC_STEAL : FS_EXEC_WAKE, .workers = k ? 2 : 0};
        sim a, b;
        fs_test_simulate(&a, SPAWNER(PAUSE2("{\"uniform\":[2,2]}")), d);
        fs_test_simulate(&b, SPAWNER(PAUSE2("2")), d);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.trace, b.trace, a.len);
        has_line(&a, k ? "\"pause\":1}" : "\"pause\":2}"); /* steal:2: worker 0 polls main and d only */
        if (!k)
            assert_int_equal(done_at(&a, 4), 24 * MS + 5 * US);
        fs_test_sim_free(&a);
        fs_test_sim_free(&b);
    }
}

static void test_explore_and_replay(void **state)
{
    (void)state;
    const char *sweep = "explore scenarios/patterns/gc_pause.json --seeds 1..300 -e wake,steal:2";
    char args[512];
    snprintf(args, sizeof args, "%s -j 1", sweep);
    char *one = fs_test_futurescope_out(args, 3);
    snprintf(args, sizeof args, "%s -j 2", sweep);
    char *two = fs_test_futurescope_out(args, 3);
    assert_string_equal(one, two);
    assert_non_null(strstr(one, ", reset 0, pause "));
    /* the first failing run under wake, and its replay */
    const char *at = strstr(one, "expectation failed (task_end_ms_at_most)");
    assert_non_null(at);
    const char *cmd = strstr(at, "futurescope run ");
    assert_non_null(cmd);
    const char *eol = strchr(cmd, '\n');
    snprintf(args, sizeof args, "%.*s --json", (int)(eol - cmd - strlen("futurescope ")),
             cmd + strlen("futurescope "));
    char *replay = fs_test_futurescope_out(args, 3);
    assert_non_null(strstr(replay, "\"pause\":1"));
    assert_non_null(strstr(replay, "\"expect\":\"task_end_ms_at_most\""));
    free(one);
    free(two);
    free(replay);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steal_takes_the_paused_workers_queue),
        cmocka_unit_test(test_wake_every_task_ten_ms_later),
        cmocka_unit_test(test_every_poll_but_the_last),
        cmocka_unit_test(test_busy_fast_forward_keeps_pauses),
        cmocka_unit_test(test_read_back),
        cmocka_unit_test(test_bad_worker_faults),
        cmocka_unit_test(test_random_max_pauses),
        cmocka_unit_test(test_explore_and_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
