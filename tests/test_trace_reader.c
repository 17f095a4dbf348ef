/* test_trace_reader.c - the trace reader on traces simulated in-process
 * (one data path: fs_run_simulate -> JSONL -> fs_trace) and on hand-written
 * bad traces, each refused with a message naming the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "run.h"
#include "support.h"
#include "trace_reader.h"
#include "trace_rec.h"

/* Simulates a scenario of the project under one executor, reads it back. */
static fs_trace *simulate(const char *rel, fs_exec_kind kind)
{
    return fs_test_trace_of(rel, kind, 1);
}

static const char *S(const fs_trace *tr, uint32_t off)
{
    return fs_trace_str(tr, off);
}

static void test_busy_trace_model(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY);
    assert_string_equal(S(tr, tr->executor), "busy");
    assert_string_equal(S(tr, tr->scenario), "busy loop vs wake loop");
    assert_int_equal(tr->workers, 1);
    assert_int_equal(tr->poll_cost_ns, 1000);
    assert_int_equal(tr->n_tasks, 2);
    assert_string_equal(S(tr, tr->tasks[0].name), "get_num_a");
    assert_int_equal(tr->tasks[0].parent, -1);

    /* get_num_a: one pending poll, a spin of 999,999, the ready poll. */
    const fs_trace_task *a = &tr->tasks[0];
    assert_int_equal(a->n_slices, 3);
    assert_int_equal(a->slices[0].kind, FS_SLICE_PENDING);
    assert_int_equal(a->slices[0].t, 0);
    assert_int_equal(a->slices[0].end, 1000);
    assert_int_equal(a->slices[0].wasted, 0);
    assert_string_equal(S(tr, a->slices[0].state), "read a");
    assert_int_equal(a->slices[1].kind, FS_SLICE_SPIN);
    assert_int_equal(a->slices[1].t, 2000);
    assert_int_equal(a->slices[1].count, 999999);
    assert_int_equal(a->slices[1].end, 1999999000);
    assert_int_equal(a->slices[2].kind, FS_SLICE_READY);
    assert_int_equal(a->slices[2].t, 2000000000);
    assert_int_equal(a->complete_t, 2000001000);

    /* The running sums agree with the writer's summary. */
    int64_t polls = 0, wasted = 0, busy = 0;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        const fs_trace_task *t = &tr->tasks[i];
        polls += t->cum[t->n_slices].polls;
        wasted += t->cum[t->n_slices].wasted;
        busy += t->cum[t->n_slices].busy_ns;
    }
    assert_int_equal(polls, tr->summary.polls);
    assert_int_equal(polls, 2000002);
    assert_int_equal(wasted, tr->summary.wasted_polls);
    assert_int_equal(busy, tr->summary.busy_ns);
    assert_int_equal(tr->summary.end_ns, 2000002000);

    /* The worker never parks and is busy from 0 to the end. */
    assert_int_equal(tr->workers_v[0].n_parks, 0);
    assert_int_equal(tr->workers_v[0].n_busy, 1);
    assert_int_equal(tr->workers_v[0].busy[0].t, 0);
    assert_int_equal(tr->workers_v[0].busy[0].end, 2000002000);

    /* The socket's wake leads to the ready poll. */
    assert_int_equal(tr->n_wakes, 2);
    assert_int_equal(tr->wakes[0].task, 0);
    assert_int_equal(tr->wakes[0].caused, 2);
    assert_int_equal(tr->wakes[0].src_task, -1);
    assert_string_equal(S(tr, tr->resources[tr->wakes[0].src_res].name), "a");
    assert_string_equal(S(tr, tr->resources[tr->wakes[0].src_res].kind), "socket");
    fs_trace_free(tr);
}

static void test_wake_trace_model(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE);
    assert_string_equal(S(tr, tr->executor), "wake");
    assert_string_equal(S(tr, tr->queue), "fifo");
    assert_int_equal(tr->tasks[0].n_slices, 2);
    assert_int_equal(tr->tasks[1].n_slices, 2);
    assert_int_equal(tr->tasks[0].n_regs, 1);
    assert_int_equal(tr->tasks[0].regs[0].t, 0);
    /* parked from 2 us until the first arrival */
    assert_int_equal(tr->workers_v[0].n_parks, 1);
    assert_int_equal(tr->workers_v[0].parks[0].t, 2000);
    assert_int_equal(tr->workers_v[0].parks[0].end, 2000000000);
    assert_int_equal(tr->n_resources, 2);
    const fs_trace_resource *ra = &tr->resources[0];
    assert_string_equal(S(tr, ra->name), "a");
    assert_int_equal(ra->n_io, 1);
    assert_int_equal(ra->io[0].t, 2000000000);
    assert_string_equal(S(tr, ra->io[0].what), "arrival");
    assert_true(ra->io[0].has_value);
    assert_int_equal(tr->summary.wasted_polls, 0);
    /* stepping stops: distinct event times ascending */
    for (size_t i = 1; i < tr->n_times; i++)
        assert_true(tr->times[i] > tr->times[i - 1]);
    assert_int_equal(tr->times[0], 0);
    fs_trace_free(tr);
}

static void test_read_file_states_and_stall(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/04_read_file.json", FS_EXEC_WAKE);
    assert_int_equal(tr->tasks[0].n_slices, 3);
    assert_string_equal(S(tr, tr->tasks[0].slices[0].state), "await 1/2: open cfg");
    assert_string_equal(S(tr, tr->tasks[0].slices[1].state), "await 2/2: read cfg");
    assert_string_equal(S(tr, tr->resources[0].kind), "file");
    assert_false(tr->has_stall);
    fs_trace_free(tr);

    tr = simulate("scenarios/patterns/lost_waker.json", FS_EXEC_WAKE);
    assert_true(tr->has_stall);
    assert_true(tr->summary.stalled);
    assert_int_equal(tr->n_stalled, 1);
    assert_int_equal(tr->stalled[0].task, 0);
    assert_string_equal(S(tr, tr->stalled[0].waker), "");
    assert_non_null(strstr(S(tr, tr->stalled[0].reason), "lost waker"));
    assert_int_equal(tr->tasks[0].complete_t, -1);
    assert_int_equal(tr->tasks[0].n_regs, 0);
    fs_trace_free(tr);
}

static void test_binary_search(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY);
    const fs_trace_task *a = &tr->tasks[0];
    assert_int_equal(fs_trace_task_first_ending_after(a, 0), 0);
    assert_int_equal(fs_trace_task_first_ending_after(a, 1000), 1);
    assert_int_equal(fs_trace_task_first_ending_after(a, 1500000000), 1);
    assert_int_equal(fs_trace_task_first_ending_after(a, 1999999000), 2);
    assert_int_equal(fs_trace_task_first_ending_after(a, 3000000000), 3);
    assert_int_equal(fs_trace_task_first_starting_at(a, 1), 1);
    assert_int_equal(fs_trace_task_first_starting_at(a, 2000000000), 2);
    fs_trace_free(tr);
}

/* ---- bad traces ---------------------------------------------------------- */

#define HDR "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\",\"workers\":1,\"poll_cost_ns\":1000}\n"
#define SPAWN "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"x\",\"parent\":null}\n"
#define SUMMARY "{\"type\":\"summary\",\"executor\":\"wake\",\"end_ns\":5}\n"

/* The text must be refused with exactly this "file:line: message" prefix. */
static void expect_error(const char *text, size_t len, const char *want)
{
    fs_trace *tr = (fs_trace *)1;
    fs_error err;
    fs_errcode rc = fs_trace_read_text(text, len, "bad.jsonl", &tr, &err);
    assert_int_equal(rc, FS_ERR_INPUT);
    assert_null(tr);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    fs_trace_error_print(&err, f);
    fclose(f);
    if (strncmp(buf, want, strlen(want)) != 0)
        fail_msg("got: %s\nwant prefix: %s", buf, want);
    free(buf);
}

#define EXPECT(text, want) expect_error(text, sizeof text - 1, want)

static void test_bad_traces(void **state)
{
    (void)state;
    EXPECT("", "bad.jsonl: empty file: not a futurescope trace");
    EXPECT("{\"name\":\"a scenario\"}\n", "bad.jsonl:1: not a futurescope trace");
    EXPECT("hello\n", "bad.jsonl:1: not a futurescope trace");
    EXPECT("{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":4}\n" SUMMARY,
           "bad.jsonl:1: trace format version 4 is not supported (this futurescope reads versions 1 to 3)");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"poll\",\n" SUMMARY,
           "bad.jsonl:3: malformed JSON line");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"poll\",\"task\":0,\"wor",
           "bad.jsonl:3: truncated last line");
    EXPECT(HDR SPAWN, "bad.jsonl:2: truncated trace (no summary line)");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"poll\",\"task\":3,\"dur\":1,\"result\":\"ready\"}\n" SUMMARY,
           "bad.jsonl:3: task 3 was never spawned");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"poll\",\"task\":0,\"dur\":1,\"result\":\"maybe\"}\n" SUMMARY,
           "bad.jsonl:3: expected \"result\" to be \"pending\" or \"ready\"");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"poll\",\"task\":0,\"dur\":\"x\",\"result\":\"ready\"}\n" SUMMARY,
           "bad.jsonl:3: expected \"dur\" to be an integer");
    EXPECT(HDR "{\"t\":9,\"type\":\"park\",\"worker\":0}\n{\"t\":3,\"type\":\"unpark\",\"worker\":0}\n" SUMMARY,
           "bad.jsonl:3: time goes backwards");
    EXPECT(HDR "{\"t\":9,\"type\":\"park\",\"worker\":7}\n" SUMMARY,
           "bad.jsonl:2: worker 7 is out of range");
    EXPECT(HDR "{\"t\":9,\"type\":\"driver\",\"worker\":1,\"fired\":2}\n" SUMMARY,
           "bad.jsonl:2: worker 1 is out of range");
    EXPECT(HDR "{\"t\":9,\"type\":\"queue\",\"worker\":0,\"depth\":-1}\n" SUMMARY,
           "bad.jsonl:2: expected \"depth\" to be");
    EXPECT(HDR "{\"t\":9,\"type\":\"budget\",\"task\":4,\"worker\":0}\n" SUMMARY,
           "bad.jsonl:2: task 4 was never spawned");
    EXPECT(HDR SUMMARY "{\"t\":9,\"type\":\"park\",\"worker\":0}\n",
           "bad.jsonl:3: unexpected line after the summary");
    EXPECT(HDR "{\"t\":1e300,\"type\":\"park\",\"worker\":0}\n" SUMMARY,
           "bad.jsonl:2: expected \"t\" to be an integer");
    expect_error(HDR "\x01\x00\xff\n", sizeof HDR + 3, "bad.jsonl:2: binary data");
    /* invalid UTF-8 (a stray byte, an overlong '/', a surrogate): exported
     * as it is, it would make invalid JSON */
    EXPECT(HDR "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\xff\"}\n" SUMMARY,
           "bad.jsonl:2: invalid UTF-8 at byte 41 of the line (a trace is UTF-8 text)");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"wake\",\"task\":0,\"source\":\"\xc0\xaf\"}\n" SUMMARY,
           "bad.jsonl:3: invalid UTF-8 at byte 41 of the line");
    EXPECT(HDR SPAWN "{\"t\":1,\"type\":\"io\",\"resource\":\"\xed\xa0\x80\"}\n" SUMMARY,
           "bad.jsonl:3: invalid UTF-8 at byte 32 of the line");
}

static void test_minimal_trace_and_unknown_events(void **state)
{
    (void)state;
    /* Unknown event types of the same major version are skipped. */
    const char text[] = HDR SPAWN
        "{\"t\":1,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":2000,\"result\":\"ready\",\"state\":\"compute 2 us\",\"value\":7}\n"
        "{\"t\":2,\"type\":\"future-thing\",\"x\":1}\n" SUMMARY;  /* no newline needed at the end */
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(text, sizeof text - 2, "ok.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->tasks[0].n_slices, 1);
    assert_int_equal(tr->tasks[0].slices[0].kind, FS_SLICE_COMPUTE);
    assert_true(tr->tasks[0].slices[0].ready);
    assert_int_equal(tr->tasks[0].slices[0].value, 7);
    assert_int_equal(tr->summary.end_ns, 5);
    fs_trace_free(tr);
}

/* A task whose result is an error keeps it ("error" on its complete line),
 * read alike by the fast decoder and, with a space that sends the line to
 * it, by the careful one; a task that succeeded has none. */
static void test_complete_error(void **state)
{
    (void)state;
    const char *lines[] = {
        "{\"t\":3,\"type\":\"complete\",\"task\":0,\"value\":0,\"error\":\"elapsed\"}\n",
        "{\"t\":3, \"type\":\"complete\",\"task\":0,\"value\":0,\"error\":\"elapsed\"}\n",
    };
    for (size_t i = 0; i < 2; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s%s%s", HDR, SPAWN, lines[i], SUMMARY);
        fs_trace *tr = NULL;
        fs_error err;
        assert_int_equal(fs_trace_read_text(text, strlen(text) - 1, "err.jsonl", &tr, &err), FS_ERR_OK);
        assert_int_equal(tr->tasks[0].complete_t, 3);
        assert_string_equal(fs_trace_str(tr, tr->tasks[0].error), "elapsed");
        fs_trace_free(tr);
    }
    char text[1024];
    snprintf(text, sizeof text, "%s%s%s%s", HDR, SPAWN,
             "{\"t\":3,\"type\":\"complete\",\"task\":0,\"value\":4}\n", SUMMARY);
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(text, strlen(text) - 1, "ok.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->tasks[0].error, 0);
    fs_trace_free(tr);
}

/* Which limit stopped the run, from the summary's "limit_hit", read alike
 * by the fast decoder and (a space in the line) the careful one; a trace
 * with only "time_limit_hit" (before "limit_hit") reads as the time limit. */
static void test_summary_limit_hit(void **state)
{
    (void)state;
    const struct {
        const char *summary;
        int limit;
    } cases[] = {
        {"{\"type\":\"summary\",\"end_ns\":5,\"time_limit_hit\":false,\"limit_hit\":\"polls\"}", FS_LIMIT_POLLS},
        {"{\"type\":\"summary\", \"end_ns\":5,\"time_limit_hit\":false,\"limit_hit\":\"polls\"}", FS_LIMIT_POLLS},
        {"{\"type\":\"summary\",\"end_ns\":5,\"limit_hit\":\"tasks\"}", FS_LIMIT_TASKS},
        {"{\"type\":\"summary\", \"end_ns\":5,\"limit_hit\":\"trace\"}", FS_LIMIT_TRACE},
        {"{\"type\":\"summary\",\"end_ns\":5,\"time_limit_hit\":true}", FS_LIMIT_TIME},
        {"{\"type\":\"summary\", \"end_ns\":5,\"time_limit_hit\":true}", FS_LIMIT_TIME},
        {"{\"type\":\"summary\",\"end_ns\":5,\"limit_hit\":null}", FS_LIMIT_NONE},
        {"{\"type\":\"summary\", \"end_ns\":5,\"limit_hit\":null}", FS_LIMIT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s%s\n", HDR, SPAWN, cases[i].summary);
        fs_trace *tr = NULL;
        fs_error err;
        assert_int_equal(fs_trace_read_text(text, strlen(text), "lim.jsonl", &tr, &err), FS_ERR_OK);
        assert_int_equal(tr->summary.limit_hit, cases[i].limit);
        fs_trace_free(tr);
    }
    /* and a real run stopped by --max-polls, read back */
    fs_test_sim sim;
    fs_test_simulate(&sim, "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000,\"do\":{\"yield\":true}}}]}",
                     (fs_run_desc){.kind = FS_EXEC_WAKE, .max_polls = 10});
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(sim.trace, sim.len, "polls.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->summary.limit_hit, FS_LIMIT_POLLS);
    fs_trace_free(tr);
    fs_test_sim_free(&sim);
}

/* --cpus: a worker's preempt..resume spans, one left open at the end
 * closing there; the second line has a space, for the careful decoder. */
static void test_preempt_spans(void **state)
{
    (void)state;
    const char text[] = HDR SPAWN "{\"t\":1,\"type\":\"preempt\",\"worker\":0}\n"
                                  "{\"t\":3,\"type\":\"resume\",\"worker\":0}\n"
                                  "{\"t\":4, \"type\":\"preempt\",\"worker\":0}\n" SUMMARY;
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(text, sizeof text - 1, "p.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->workers_v[0].n_preempts, 2);
    assert_int_equal(tr->workers_v[0].preempts[0].t, 1);
    assert_int_equal(tr->workers_v[0].preempts[0].end, 3);
    assert_int_equal(tr->workers_v[0].preempts[1].t, 4);
    assert_int_equal(tr->workers_v[0].preempts[1].end, 5);
    assert_int_equal(tr->workers_v[0].n_parks, 0);
    fs_trace_free(tr);
}

/* A resource's fault lines join its device events, marked: a latency
 * fault with how much later its event comes, a hang with no value. */
static void test_resource_faults(void **state)
{
    (void)state;
    const char text[] = HDR SPAWN
        "{\"t\":180,\"type\":\"fault\",\"resource\":\"reply\",\"kind\":\"latency\","
        "\"on\":\"arrival\",\"index\":0,\"extra_ns\":134}\n"
        "{\"t\":180,\"type\":\"io\",\"resource\":\"reply\",\"what\":\"arrival\",\"value\":7}\n"
        "{\"t\":190,\"type\":\"fault\",\"resource\":\"reply\",\"kind\":\"hang\","
        "\"on\":\"arrival\",\"index\":1}\n" SUMMARY;
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(text, sizeof text - 1, "f.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->n_resources, 1);
    const fs_trace_resource *r = &tr->resources[0];
    assert_int_equal(r->n_io, 3);
    assert_true(r->io[0].fault);
    assert_string_equal(fs_trace_str(tr, r->io[0].what), "fault: latency");
    assert_true(r->io[0].has_value);
    assert_int_equal(r->io[0].value, 134);
    assert_false(r->io[1].fault);
    assert_string_equal(fs_trace_str(tr, r->io[1].what), "arrival");
    assert_true(r->io[2].fault);
    assert_string_equal(fs_trace_str(tr, r->io[2].what), "fault: hang");
    assert_false(r->io[2].has_value);
    fs_trace_free(tr);
}

/* steal:N's lines (version 2): kept per worker and per task, in file
 * order, with the queue depth at any time by binary search. */
static void test_steal_lines(void **state)
{
    (void)state;
    const char text[] =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":2,\"executor\":\"steal:2\","
        "\"workers\":2,\"poll_cost_ns\":1000}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"queue\",\"worker\":1,\"depth\":2}\n"
        "{\"t\":1000,\"type\":\"budget\",\"task\":1,\"worker\":1}\n"
        "{\"t\":1000,\"type\":\"queue\",\"worker\":1,\"depth\":1}\n"
        "{\"t\":5000,\"type\":\"driver\",\"worker\":0,\"fired\":6}\n"
        "{\"t\":5000,\"type\":\"queue\",\"worker\":0,\"depth\":3}\n"
        "{\"t\":5000,\"type\":\"queue\",\"worker\":0,\"depth\":1}\n"
        "{\"t\":6000,\"type\":\"budget\",\"task\":1,\"worker\":0}\n"
        "{\"t\":9000,\"type\":\"driver\",\"worker\":1,\"fired\":1}\n"
        "{\"t\":9000,\"type\":\"driver\",\"worker\":0,\"fired\":2}\n"
        "{\"type\":\"summary\",\"executor\":\"steal:2\",\"end_ns\":10000}\n";
    for (int fast = 1; fast >= 0; fast--) {
        fs__trace_fast_lines = fast;
        fs_trace *tr = NULL;
        fs_error err;
        assert_int_equal(fs_trace_read_text(text, sizeof text - 1, "s.jsonl", &tr, &err), FS_ERR_OK);
        fs__trace_fast_lines = true;
        const fs_trace_worker *w0 = &tr->workers_v[0], *w1 = &tr->workers_v[1];
        assert_int_equal(w0->n_drivers, 2);
        assert_int_equal(w0->drivers[0].t, 5000);
        assert_int_equal(w0->drivers[0].fired, 6);
        assert_int_equal(w0->drivers[1].t, 9000);
        assert_int_equal(w0->drivers[1].fired, 2);
        assert_int_equal(w0->drivers[0].fired_before, 0);
        assert_int_equal(w0->drivers[1].fired_before, 6);
        assert_int_equal(w0->max_depth, 3);
        assert_int_equal(w1->max_depth, 2);
        assert_int_equal(w1->n_drivers, 1);
        assert_int_equal(w1->drivers[0].fired, 1);
        assert_int_equal(w0->n_queue, 2);
        assert_int_equal(w0->queue[0].depth, 3);
        assert_int_equal(w0->queue[1].depth, 1);
        assert_int_equal(w1->n_queue, 2);
        assert_int_equal(w1->queue[0].t, 0);
        assert_int_equal(w1->queue[1].t, 1000);
        assert_int_equal(tr->tasks[0].n_budgets, 0);
        assert_null(tr->tasks[0].budgets);
        assert_int_equal(tr->tasks[1].n_budgets, 2);
        assert_int_equal(tr->tasks[1].budgets[0].t, 1000);
        assert_int_equal(tr->tasks[1].budgets[0].worker, 1);
        assert_int_equal(tr->tasks[1].budgets[1].t, 6000);
        assert_int_equal(tr->tasks[1].budgets[1].worker, 0);
        /* the depth after every line at or before t */
        assert_int_equal(fs_trace_queue_depth_at(w0, 4999), 0);
        assert_int_equal(fs_trace_queue_depth_at(w0, 5000), 1);
        assert_int_equal(fs_trace_queue_depth_at(w1, 0), 2);
        assert_int_equal(fs_trace_queue_depth_at(w1, 999), 2);
        assert_int_equal(fs_trace_queue_depth_at(w1, 1000), 1);
        assert_int_equal(fs_trace_queue_depth_at(w1, INT64_MAX), 1);
        assert_int_equal(fs_trace_driver_first_at(w0, 5001), 1);
        assert_int_equal(fs_trace_budget_first_at(&tr->tasks[1], 1000), 0);
        assert_int_equal(fs_trace_budget_first_at(&tr->tasks[1], 1001), 1);
        assert_int_equal(fs_trace_queue_first_at(w1, 1), 1);
        fs_trace_free(tr);
    }
    /* other executors have none */
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE);
    assert_int_equal(tr->workers_v[0].n_drivers, 0);
    assert_int_equal(tr->workers_v[0].n_queue, 0);
    assert_int_equal(tr->tasks[0].n_budgets, 0);
    assert_int_equal(fs_trace_queue_depth_at(&tr->workers_v[0], 0), 0);
    fs_trace_free(tr);
}

/* Valid UTF-8 beyond ASCII is read as it is. */
static void test_utf8_names(void **state)
{
    (void)state;
    const char text[] = HDR "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}\n" SUMMARY;
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(text, sizeof text - 1, "ok.jsonl", &tr, &err), FS_ERR_OK);
    assert_string_equal(fs_trace_str(tr, tr->tasks[0].name), "caf\xc3\xa9 \xf0\x9f\x98\x80");
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_trace_model),
        cmocka_unit_test(test_wake_trace_model),
        cmocka_unit_test(test_read_file_states_and_stall),
        cmocka_unit_test(test_binary_search),
        cmocka_unit_test(test_bad_traces),
        cmocka_unit_test(test_utf8_names),
        cmocka_unit_test(test_steal_lines),
        cmocka_unit_test(test_minimal_trace_and_unknown_events),
        cmocka_unit_test(test_complete_error),
        cmocka_unit_test(test_summary_limit_hit),
        cmocka_unit_test(test_preempt_spans),
        cmocka_unit_test(test_resource_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
