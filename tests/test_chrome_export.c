/* test_chrome_export.c - the Chrome Trace Event export: every scenario of
 * the project under several executors, simulated in-process, read back and
 * exported, then checked for what a viewer relies on (parsed with cJSON):
 * named pids and tids, slices nested or disjoint on each lane, flows paired
 * and bound inside slices, counters never negative, microsecond times. Then
 * the `export` and `run --chrome` commands as a user meets them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chrome_export.h"
#include "run.h"
#include "support.h"
#include "trace_reader.h"

/* ---- making exports ---------------------------------------------------------- */

/* Simulates rel under kind (workers for steal) and reads the trace back. */
static fs_trace *simulate(const char *rel, fs_exec_kind kind, int workers)
{
    return fs_test_trace_of(rel, kind, workers);
}

/* Exports n traces: the document's text (free it). */
static char *export_text(fs_trace **tr, size_t n, size_t *len)
{
    fs_chrome_source src[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        src[i] = (fs_chrome_source){.trace = tr[i], .name = "mem.jsonl"};
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    fs_error err;
    assert_int_equal(fs_chrome_export(f, src, n, 0, &err), FS_ERR_OK);
    fclose(f);
    return buf;
}

/* Exports n traces and parses the result. */
static cJSON *export_json(fs_trace **tr, size_t n)
{
    size_t len = 0;
    char *buf = export_text(tr, n, &len);
    cJSON *doc = cJSON_ParseWithLength(buf, len);
    if (!doc)
        fprintf(stderr, "not JSON near: %.80s\n", cJSON_GetErrorPtr());
    assert_non_null(doc);
    free(buf);
    return doc;
}

/* ---- the checks ------------------------------------------------------------- */

typedef struct ev {
    char ph;
    int pid, tid;
    int64_t ts, dur;   /* ns, from the file's microseconds */
    int64_t id;
    const cJSON *json;
} ev;

static int64_t us_to_ns(const cJSON *v)
{
    assert_true(cJSON_IsNumber(v));
    return llround(v->valuedouble * 1000.0);
}

/* A timed event's simulated time: its ts less the export's offset. */
static int64_t ts_of(const cJSON *e)
{
    return us_to_ns(cJSON_GetObjectItemCaseSensitive(e, "ts")) - FS_CHROME_TS_OFFSET_NS;
}

static const char *str(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return (int)v->valuedouble;
}

static int ev_cmp(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->dur > y->dur ? -1 : x->dur < y->dur;
}

typedef struct stats {
    size_t slices, flows, counters, pids, instants;
} stats;

/* Whether a slice of the lane holds the flow event fl (xs sorted by lane,
 * then start): one that starts at its ts with its category, which is what
 * Chrome DevTools binds a flow event to (Perfetto: s to an enclosing slice,
 * f with bp e to the enclosing one too). */
static bool slice_holds(const ev *xs, size_t n, const ev *fl)
{
    int pid = fl->pid, tid = fl->tid;
    int64_t ts = fl->ts;
    const char *cat = str(fl->json, "cat");
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xs[mid].pid < pid || (xs[mid].pid == pid && xs[mid].tid < tid))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && xs[i].pid == pid && xs[i].tid == tid && xs[i].ts <= ts; i++)
        if (xs[i].ts == ts && strcmp(str(xs[i].json, "cat"), cat) == 0)
            return true;
    return false;
}

static int flow_cmp(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->ph == y->ph ? 0 : x->ph == 's' ? -1 : 1;
}

static stats check_export(const cJSON *doc)
{
    stats st = {0};
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(doc, "traceEvents");
    assert_true(cJSON_IsArray(events));
    size_t n = (size_t)cJSON_GetArraySize(events);
    ev *all = calloc(n + 1, sizeof *all), *xs = calloc(n + 1, sizeof *xs);
    /* named[pid][tid]: bit 1 process_name, 2 thread_name */
    enum { MAXP = 16, MAXT = 4096 };
    static unsigned char named[MAXP][MAXT];
    memset(named, 0, sizeof named);
    /* lanes are first met in tid order: DevTools lists them in that order */
    static unsigned char met[MAXP][MAXT];
    memset(met, 0, sizeof met);
    int last_met[MAXP];
    for (int p = 0; p < MAXP; p++)
        last_met[p] = -1;
    size_t k = 0, nx = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events) {
        const char *ph = str(e, "ph");
        assert_non_null(ph);
        ev v = {.ph = ph[0], .pid = num(e, "pid"), .tid = num(e, "tid"), .json = e};
        assert_true(v.pid >= 0 && v.pid < MAXP && v.tid >= 0 && v.tid < MAXT);
        assert_non_null(str(e, "name"));
        /* tracium and devtools-timeline-model need both on every event */
        assert_non_null(str(e, "cat"));
        assert_true(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(e, "args")));
        if (v.ph == 'M') {
            const char *what = str(e, "name");
            const char *name = str(cJSON_GetObjectItemCaseSensitive(e, "args"), "name");
            if (strcmp(what, "process_name") == 0) {
                assert_non_null(name);
                named[v.pid][0] |= 1;
            } else if (strcmp(what, "thread_name") == 0) {
                assert_non_null(name);
                assert_true(*name);
                named[v.pid][v.tid] |= 2;
            }
            continue;
        }
        if ((v.ph == 'X' || v.ph == 'I') && !met[v.pid][v.tid]) {
            if (v.tid < last_met[v.pid])
                fail_msg("pid %d: lane %d met after lane %d", v.pid, v.tid, last_met[v.pid]);
            met[v.pid][v.tid] = 1;
            last_met[v.pid] = v.tid;
        }
        v.ts = ts_of(e);
        assert_true(v.ts >= 0);   /* so every ts > 0: DevTools drops events at 0 */
        if (v.ph == 'X') {
            v.dur = us_to_ns(cJSON_GetObjectItemCaseSensitive(e, "dur"));
            assert_true(v.dur >= 0);
            xs[nx++] = v;
            st.slices++;
        } else if (v.ph == 's' || v.ph == 'f') {
            v.id = num(e, "id");
            if (v.ph == 'f')
                assert_string_equal(str(e, "bp"), "e");
        } else if (v.ph == 'C') {
            const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
            assert_string_equal(str(e, "name"), "ready queue");
            assert_true(num(args, "tasks") >= 0);
            st.counters++;
        } else if (v.ph == 'I') {   /* DevTools drops "i" */
            const char *s = str(e, "s");
            assert_non_null(s);
            assert_true(strcmp(s, "t") == 0 || strcmp(s, "g") == 0);
            st.instants++;
        } else {
            fail_msg("unexpected phase %s", ph);
        }
        all[k++] = v;
    }
    /* every pid and tid used is named */
    for (size_t i = 0; i < k; i++) {
        if (!(named[all[i].pid][0] & 1))
            fail_msg("pid %d has no process_name", all[i].pid);
        if (!(named[all[i].pid][all[i].tid] & 2))
            fail_msg("pid %d tid %d has no thread_name", all[i].pid, all[i].tid);
    }
    for (int p = 0; p < MAXP; p++)
        st.pids += named[p][0] & 1;
    /* slices on one lane: nested or disjoint (touching is disjoint) */
    qsort(xs, nx, sizeof *xs, ev_cmp);
    ev *stack = calloc(nx + 1, sizeof *stack);
    size_t depth = 0;
    for (size_t i = 0; i < nx; i++) {
        if (i == 0 || xs[i].pid != xs[i - 1].pid || xs[i].tid != xs[i - 1].tid)
            depth = 0;
        while (depth && stack[depth - 1].ts + stack[depth - 1].dur <= xs[i].ts &&
               !(stack[depth - 1].dur == 0 && stack[depth - 1].ts == xs[i].ts && xs[i].dur == 0))
            depth--;
        if (depth && xs[i].ts + xs[i].dur > stack[depth - 1].ts + stack[depth - 1].dur)
            fail_msg("pid %d tid %d: slice \"%s\" at %lld ns (%lld ns) partly overlaps \"%s\" at %lld ns (%lld ns)",
                     xs[i].pid, xs[i].tid, str(xs[i].json, "name"), (long long)xs[i].ts,
                     (long long)xs[i].dur, str(stack[depth - 1].json, "name"),
                     (long long)stack[depth - 1].ts, (long long)stack[depth - 1].dur);
        stack[depth++] = xs[i];
    }
    free(stack);
    /* flows: each s has exactly one f with its id, later (DevTools files a
     * flow's ends by ts: two at one ts are one, and the flow is dropped),
     * each bound to a slice of its lane */
    ev *fl = calloc(k + 1, sizeof *fl);
    size_t nf = 0;
    for (size_t i = 0; i < k; i++)
        if (all[i].ph == 's' || all[i].ph == 'f')
            fl[nf++] = all[i];
    qsort(fl, nf, sizeof *fl, flow_cmp);
    for (size_t i = 0; i < nf; i += 2) {
        if (i + 1 >= nf || fl[i].id != fl[i + 1].id || fl[i].ph != 's' || fl[i + 1].ph != 'f' ||
            (i + 2 < nf && fl[i + 2].id == fl[i].id))
            fail_msg("flow id %lld is not one s and one f", (long long)fl[i].id);
        const ev *se = &fl[i], *fe = &fl[i + 1];
        assert_true(fe->ts > se->ts);
        assert_true(fe->pid == se->pid);
        if (!slice_holds(xs, nx, se))
            fail_msg("flow %lld starts outside any slice (pid %d tid %d at %lld ns)",
                     (long long)se->id, se->pid, se->tid, (long long)se->ts);
        if (!slice_holds(xs, nx, fe))
            fail_msg("flow %lld ends where no slice starts (pid %d tid %d at %lld ns)",
                     (long long)fe->id, fe->pid, fe->tid, (long long)fe->ts);
        st.flows++;
    }
    free(fl);
    free(all);
    free(xs);
    return st;
}

/* The X slice named `name` on the lane named `lane` of pid, starting at ts_ns. */
static const cJSON *find_slice(const cJSON *doc, int pid, const char *lane, int64_t ts_ns)
{
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(doc, "traceEvents"), *e;
    int tid = -1;
    cJSON_ArrayForEach(e, events) {
        if (num(e, "pid") == pid && strcmp(str(e, "ph"), "M") == 0 &&
            strcmp(str(e, "name"), "thread_name") == 0 &&
            strcmp(str(cJSON_GetObjectItemCaseSensitive(e, "args"), "name"), lane) == 0)
            tid = num(e, "tid");
    }
    assert_true(tid >= 0);
    cJSON_ArrayForEach(e, events) {
        if (num(e, "pid") == pid && num(e, "tid") == tid && strcmp(str(e, "ph"), "X") == 0 &&
            ts_of(e) == ts_ns)
            return e;
    }
    return NULL;
}

/* ---- tests ------------------------------------------------------------------ */

static const char *const scenarios[] = {
    "scenarios/seed/01_one_after_another.json", "scenarios/seed/02_together.json",
    "scenarios/seed/03_busy_vs_wake.json",      "scenarios/seed/04_read_file.json",
    "scenarios/seed/05_several_workers.json",   "scenarios/patterns/compute_starves.json",
    "scenarios/patterns/compute_yields.json",   "scenarios/patterns/fan_out_fan_in.json",
    "scenarios/patterns/lost_waker.json",       "scenarios/patterns/producer_consumer.json",
    "scenarios/patterns/spurious_wakes.json",   "scenarios/patterns/thousand_sleepers.json",
    "scenarios/patterns/timeout_select.json",
};

static void test_every_scenario_is_valid(void **state)
{
    (void)state;
    size_t flows = 0, counters = 0;
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        /* busy, wake and steal:4 side by side in one document */
        fs_trace *tr[3] = {simulate(scenarios[i], FS_EXEC_BUSY, 0),
                           simulate(scenarios[i], FS_EXEC_WAKE, 0),
                           simulate(scenarios[i], FS_EXEC_STEAL, 4)};
        cJSON *doc = export_json(tr, 3);
        stats st = check_export(doc);
        assert_int_equal(st.pids, 3);
        assert_true(st.slices > 0);
        flows += st.flows;
        counters += st.counters;
        cJSON_Delete(doc);
        for (int j = 0; j < 3; j++)
            fs_trace_free(tr[j]);
    }
    assert_true(flows > 100);
    assert_true(counters > 100);
}

/* Seed 03 under wake: task 0 polls at 0 (pending) and at 2 s (ready);
 * times are microseconds, so 2000000 and a duration of 1. */
static void test_units_and_names(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE, 0);
    cJSON *doc = export_json(&tr, 1);
    const cJSON *e = find_slice(doc, 1, "task 0 get_num_a", 2000000000);
    assert_non_null(e);
    /* 2 s, written 1 us late (FS_CHROME_TS_OFFSET_NS), as otherData says */
    assert_true(cJSON_GetObjectItemCaseSensitive(e, "ts")->valuedouble == 2000001.0);
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    assert_true(cJSON_GetObjectItemCaseSensitive(other, "ts_offset_us")->valuedouble == 1.0);
    assert_true(cJSON_GetObjectItemCaseSensitive(e, "dur")->valuedouble == 1.0);
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
    assert_string_equal(str(args, "result"), "ready");
    assert_string_equal(str(args, "await"), "read a");
    assert_int_equal(num(args, "value"), 368555025); /* socket a, arrival 0, seed 42 */
    /* the same poll on the worker's lane */
    assert_non_null(find_slice(doc, 1, "worker 0", 2000000000));
    /* the process is named after executor and scenario */
    const cJSON *ev0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "traceEvents"), 0);
    assert_string_equal(str(ev0, "name"), "process_name");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(ev0, "args"), "name"),
                        "wake \xe2\x80\x94 busy loop vs wake loop");
    /* the worker parked from 2 us to 2 s */
    e = find_slice(doc, 1, "worker 0", 2000);
    assert_non_null(e);
    assert_string_equal(str(e, "name"), "parked");
    assert_true(cJSON_GetObjectItemCaseSensitive(e, "dur")->valuedouble == 1999998.0);
    cJSON_Delete(doc);
    fs_trace_free(tr);
}

/* Busy: each task's spin is one slice "spin ×999,999"; on the worker's lane
 * the two interleaved spins become one enclosing slice. */
static void test_busy_spins(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY, 0);
    cJSON *doc = export_json(&tr, 1);
    const cJSON *e = find_slice(doc, 1, "task 0 get_num_a", 2000);
    assert_non_null(e);
    assert_string_equal(str(e, "name"), "spin \xc3\x97" "999,999");
    assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(e, "args"), "polls"), 999999);
    e = find_slice(doc, 1, "worker 0", 2000);
    assert_non_null(e);
    assert_string_equal(str(e, "name"), "spin \xc3\x97" "1,999,998");
    assert_true(fabs(cJSON_GetObjectItemCaseSensitive(e, "dur")->valuedouble - 1999998.0) < 1e-6);
    check_export(doc);
    cJSON_Delete(doc);
    fs_trace_free(tr);
}

/* Whether text holds the lines of want, one after the other. */
static void assert_lines(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("the export lacks these lines:\n%s", want);
}

/* Wakes, as flows bound in Chrome DevTools (ends at two times) and in
 * Perfetto (each end in a slice of its lane, "s" right after its slice). */
static void test_wake_flows(void **state)
{
    (void)state;
    /* Seed 03 under wake: socket a got task 0's waker in its first poll (at
     * 0) and woke it at 2 s, when the parked worker polled it at once. The
     * flow leaves from the start of socket a's slice 0 .. 2 s, not from 2 s,
     * where both ends would share one time. */
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE, 0);
    size_t len;
    char *text = export_text(&tr, 1, &len);
    assert_lines(text,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":4,\"ts\":1,\"dur\":2000000,\"name\":\"wake \xe2\x86\x92 task 0 get_num_a\",\"cat\":\"poll\",\"args\":{\"task\":0,\"source\":\"socket:a\"}},\n"
        "{\"ph\":\"s\",\"pid\":1,\"tid\":4,\"ts\":1,\"name\":\"wake\",\"cat\":\"poll\",\"id\":1,\"args\":{\"task\":0}},\n"
        "{\"ph\":\"f\",\"pid\":1,\"tid\":2,\"ts\":2000001,\"name\":\"wake\",\"cat\":\"poll\",\"id\":1,\"bp\":\"e\",\"args\":{\"task\":0}},\n");
    /* the poll the flow ends at */
    assert_lines(text,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":2000001,\"dur\":1,\"name\":\"ready: read a\",\"cat\":\"poll\",");
    assert_lines(text, "\"flows\":2,\"wakes_without_flow\":0,");
    free(text);
    cJSON *doc = export_json(&tr, 1);
    assert_int_equal(check_export(doc).flows, 2);
    cJSON_Delete(doc);
    fs_trace_free(tr);

    /* A task waking itself (a yield) leaves from the start of the poll that
     * yielded (the cruncher's first, at 1 us, 50 ms of work and the poll
     * cost) to its next poll. */
    tr = simulate("scenarios/patterns/compute_yields.json", FS_EXEC_WAKE, 0);
    text = export_text(&tr, 1, &len);
    assert_lines(text,
        "{\"ph\":\"s\",\"pid\":1,\"tid\":3,\"ts\":2,\"name\":\"wake\",\"cat\":\"poll\",\"id\":1,\"args\":{\"task\":1}},\n"
        "{\"ph\":\"f\",\"pid\":1,\"tid\":3,\"ts\":50004,\"name\":\"wake\",\"cat\":\"poll\",\"id\":1,\"bp\":\"e\",\"args\":{\"task\":1}},\n");
    assert_lines(text,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":3,\"ts\":2,\"dur\":50001,\"name\":\"pending: await 2/2: yield\",\"cat\":\"poll\",");
    free(text);
    doc = export_json(&tr, 1);
    assert_int_equal(check_export(doc).flows, 15);
    cJSON_Delete(doc);
    fs_trace_free(tr);

    /* steal:2 delivers the reader's second spurious wake at 1.001 ms and
     * polls it at once: no registration explains it, so its slice on the
     * "spurious" lane starts at the poll before (1 us). */
    tr = simulate("scenarios/patterns/spurious_wakes.json", FS_EXEC_STEAL, 2);
    text = export_text(&tr, 1, &len);
    assert_lines(text,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":5,\"ts\":2,\"dur\":1000,\"name\":\"wake \xe2\x86\x92 task 0 reader\",\"cat\":\"poll\",\"args\":{\"task\":0,\"source\":\"spurious\"}},\n"
        "{\"ph\":\"s\",\"pid\":1,\"tid\":5,\"ts\":2,\"name\":\"wake\",\"cat\":\"poll\",\"id\":2,\"args\":{\"task\":0}},\n"
        "{\"ph\":\"f\",\"pid\":1,\"tid\":3,\"ts\":1002,\"name\":\"wake\",\"cat\":\"poll\",\"id\":2,\"bp\":\"e\",\"args\":{\"task\":0}},\n");
    assert_lines(text, "\"flows\":4,\"wakes_without_flow\":0,");
    free(text);
    fs_trace_free(tr);
}

/* On an ideal CPU (poll_cost_ns 0) with data there at once, the whole run
 * happens at 0: each wake, the slice it would leave from and the poll it
 * leads to share one time, which DevTools cannot bind. No flow is written
 * for them, and otherData counts them. */
static void test_wakes_without_flow(void **state)
{
    (void)state;
    static const char json[] =
        "{\"name\":\"at once\",\"seed\":1,\"poll_cost_ns\":0,\"resources\":{"
        "\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":0,\"value\":1}]},"
        "\"ch\":{\"type\":\"channel\",\"capacity\":1}},\"tasks\":["
        "{\"name\":\"r\",\"future\":{\"read\":\"a\"}},"
        "{\"name\":\"rx\",\"future\":{\"recv\":\"ch\"}},"
        "{\"name\":\"tx\",\"future\":{\"send\":\"ch\",\"value\":3}}]}";
    fs_test_sim sim;
    fs_test_simulate(&sim, json, (fs_run_desc){.kind = FS_EXEC_WAKE});
    fs_trace *tr = NULL;
    fs_error err;
    assert_int_equal(fs_trace_read_text(sim.trace, sim.len, "t.jsonl", &tr, &err), FS_ERR_OK);
    assert_int_equal(tr->n_wakes, 2);
    assert_int_equal(tr->wakes[0].caused, 1);   /* both led to a poll */
    assert_int_equal(tr->wakes[1].caused, 1);
    size_t len;
    char *text = export_text(&tr, 1, &len);
    assert_null(strstr(text, "\"ph\":\"s\""));
    assert_null(strstr(text, "\"ph\":\"f\""));
    /* the device's wake is still shown, zero-length at 0 */
    assert_lines(text,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":5,\"ts\":1,\"dur\":0,\"name\":\"wake \xe2\x86\x92 task 0 r\",\"cat\":\"poll\",\"args\":{\"task\":0,\"source\":\"socket:a\"}}");
    assert_lines(text, "\"flows\":0,\"wakes_without_flow\":2,");
    free(text);
    fs_trace_free(tr);
    fs_test_sim_free(&sim);
}

/* The ready queue: two tasks spawned at 0, the first polled at once. */
static void test_ready_queue(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE, 0);
    cJSON *doc = export_json(&tr, 1);
    const cJSON *e, *events = cJSON_GetObjectItemCaseSensitive(doc, "traceEvents");
    int seen = 0;
    cJSON_ArrayForEach(e, events) {
        if (strcmp(str(e, "ph"), "C") != 0)
            continue;
        int v = num(cJSON_GetObjectItemCaseSensitive(e, "args"), "tasks");
        int64_t ts = ts_of(e);
        if (seen == 0) {
            assert_int_equal(ts, 0);
            assert_int_equal(v, 1);
        } else if (seen == 1) {
            assert_int_equal(ts, 1000);
            assert_int_equal(v, 0);
        }
        seen++;
    }
    assert_int_equal(seen, 2);
    cJSON_Delete(doc);
    fs_trace_free(tr);
}

/* A stall is one global instant with each stuck task's reason. */
static void test_stall_instant(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/patterns/lost_waker.json", FS_EXEC_WAKE, 0);
    cJSON *doc = export_json(&tr, 1);
    const cJSON *e, *found = NULL, *events = cJSON_GetObjectItemCaseSensitive(doc, "traceEvents");
    cJSON_ArrayForEach(e, events)
        if (strcmp(str(e, "name"), "stall") == 0)
            found = e;
    assert_non_null(found);
    assert_string_equal(str(found, "ph"), "I");
    assert_string_equal(str(found, "s"), "g");
    const char *why = str(cJSON_GetObjectItemCaseSensitive(found, "args"), "task 0 forgetful");
    assert_non_null(why);
    assert_non_null(strstr(why, "lost waker"));
    cJSON_Delete(doc);
    fs_trace_free(tr);
}

/* ---- the commands ------------------------------------------------------------ */

static cJSON *parse_file(const char *path)
{
    size_t len = 0;
    char *text = fs_test_read_file(path, &len);
    assert_non_null(text);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(doc);
    return doc;
}

static void test_cmd_export_several(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args,
             "run scenarios/seed/03_busy_vs_wake.json -e busy -o %s >/dev/null && '%s' run "
             "scenarios/seed/05_several_workers.json -e steal:4 -o %s >/dev/null && '%s' export %s %s --chrome %s",
             fs_test_scratch_path("b.jsonl"), FS_BINARY, fs_test_scratch_path("s.jsonl"), FS_BINARY, fs_test_scratch_path("b.jsonl"), fs_test_scratch_path("s.jsonl"),
             fs_test_scratch_path("bs.json"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 0);
    assert_string_equal(err, "");
    free(out);
    free(err);
    cJSON *doc = parse_file(fs_test_scratch_path("bs.json"));
    stats st = check_export(doc);
    assert_int_equal(st.pids, 2);
    cJSON_Delete(doc);
}

static void test_cmd_run_chrome(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    /* --chrome with -o: the JSONL is the same as without --chrome */
    snprintf(args, sizeof args,
             "run scenarios/patterns/lost_waker.json -e wake -o %s --chrome %s", fs_test_scratch_path("a.jsonl"),
             fs_test_scratch_path("a.json"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 3);   /* stalled: written all the same */
    assert_non_null(strstr(out, "STALLED"));
    free(out);
    free(err);
    snprintf(args, sizeof args, "run scenarios/patterns/lost_waker.json -e wake -o %s", fs_test_scratch_path("b.jsonl"));
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 3);
    char *a = fs_test_read_file(fs_test_scratch_path("a.jsonl"), NULL), *b = fs_test_read_file(fs_test_scratch_path("b.jsonl"), NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON *doc = parse_file(fs_test_scratch_path("a.json"));
    check_export(doc);
    cJSON_Delete(doc);
    /* --chrome alone */
    snprintf(args, sizeof args, "run scenarios/seed/05_several_workers.json -e steal:4 --chrome %s",
             fs_test_scratch_path("c.json"));
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 0);
    doc = parse_file(fs_test_scratch_path("c.json"));
    check_export(doc);
    cJSON_Delete(doc);
    /* --chrome - with the table on stderr */
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json --chrome -", &out, &err), 0);
    assert_non_null(strstr(err, "scenario"));
    cJSON *d2 = cJSON_Parse(out);
    assert_non_null(d2);
    cJSON_Delete(d2);
    free(out);
    free(err);
}

static void test_cmd_errors(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    /* a bad trace: exit 2, file:line: message, nothing written */
    FILE *f = fopen(fs_test_scratch_path("bad.jsonl"), "w");
    fputs("{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1}\n"
          "{\"t\":0,\"type\":\"poll\",\"task\":3,\"dur\":1,\"result\":\"pending\"}\n", f);
    fclose(f);
    snprintf(args, sizeof args, "export %s --chrome %s", fs_test_scratch_path("bad.jsonl"), fs_test_scratch_path("bad.json"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    char want[600];
    snprintf(want, sizeof want, "%s:2: task 3 was never spawned\n", fs_test_scratch_path("bad.jsonl"));
    assert_string_equal(err, want);
    assert_int_equal(access(fs_test_scratch_path("bad.json"), F_OK), -1);
    free(out);
    free(err);
    /* no --chrome, no input, an unknown option: usage, exit 2 */
    assert_int_equal(fs_test_futurescope("export scenarios/seed/03_busy_vs_wake.json", NULL, NULL), 2);
    assert_int_equal(fs_test_futurescope("export --chrome x.json", NULL, NULL), 2);
    assert_int_equal(fs_test_futurescope("export --svg x.json", NULL, NULL), 2);
    assert_int_equal(fs_test_futurescope("export --help", NULL, NULL), 0);
    /* a missing trace file: exit 2 */
    snprintf(args, sizeof args, "export %s --chrome %s", fs_test_scratch_path("none.jsonl"), fs_test_scratch_path("none.json"));
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 2);
    /* a write that fails: exit 1 */
    snprintf(args, sizeof args, "run scenarios/seed/03_busy_vs_wake.json -o %s", fs_test_scratch_path("ok.jsonl"));
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "export %s --chrome /dev/full", fs_test_scratch_path("ok.jsonl"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 1);
    assert_non_null(strstr(err, "write failed"));
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json --chrome /dev/full", NULL, NULL), 1);
    /* an output directory that does not exist: exit 2 before simulating */
    snprintf(args, sizeof args, "run scenarios/seed/03_busy_vs_wake.json --chrome %s/no/such.json", fs_test_scratch_dir());
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 2);
    /* --json and --chrome - both want stdout */
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json --json --chrome -", NULL, NULL), 2);
}

/* A document that would pass its size limit is cut off before the limit
 * (no byte past it reaches the file) and reported as FS_ERR_LIMIT; one that
 * fits to the byte is written whole. */
static void test_size_limit(void **state)
{
    (void)state;
    fs_trace *tr = simulate("scenarios/patterns/thousand_sleepers.json", FS_EXEC_WAKE, 0);
    fs_chrome_source src = {.trace = tr, .name = "mem.jsonl"};
    char *buf = NULL;
    size_t len = 0, whole;
    fs_error err;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(fs_chrome_export(f, &src, 1, 0, &err), FS_ERR_OK);
    fclose(f);
    free(buf);
    whole = len;
    assert_true(whole > 3 * 65536);   /* past the writer's buffer: spills are checked */
    uint64_t limits[] = {100, 65536, whole - 1, whole};
    for (size_t i = 0; i < 4; i++) {
        buf = NULL;
        f = open_memstream(&buf, &len);
        fs_errcode rc = fs_chrome_export(f, &src, 1, limits[i], &err);
        fclose(f);
        assert_true(len <= limits[i]);
        if (limits[i] == whole) {
            assert_int_equal(rc, FS_ERR_OK);
            assert_int_equal(len, whole);
        } else {
            assert_int_equal(rc, FS_ERR_LIMIT);
            char want[200];
            snprintf(want, sizeof want, "the Chrome trace would pass %llu bytes; nothing written "
                     "(use --perfetto, or simulate less: a smaller --max-trace, --max-time or --max-polls)",
                     (unsigned long long)limits[i]);
            assert_string_equal(err.msg, want);
        }
        free(buf);
    }
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario_is_valid),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_units_and_names),
        cmocka_unit_test(test_busy_spins),
        cmocka_unit_test(test_wake_flows),
        cmocka_unit_test(test_wakes_without_flow),
        cmocka_unit_test(test_ready_queue),
        cmocka_unit_test(test_stall_instant),
        cmocka_unit_test(test_cmd_export_several),
        cmocka_unit_test(test_cmd_run_chrome),
        cmocka_unit_test(test_cmd_errors),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
