/* fuzz_gen.c - libFuzzer target: bytes -> a random valid scenario
 * (scenario_gen.c), run in process under every executor: blocking, busy
 * (each also without fast-forward), wake with a FIFO and a LIFO queue,
 * steal:2 and steal:3 as tokio today and as 1.24. The bytes left after the
 * scenario pick the limits (some tiny). Each run must:
 *   - load (`check` accepts every generated scenario) and simulate without
 *     an error; exit 0 exactly when every task completed, else 3 with a
 *     stall or a named limit;
 *   - keep its limits: polls, loop steps, the clock and the trace's size;
 *   - give the same trace twice, byte for byte (and the same with and
 *     without busy fast-forward);
 *   - read back (summary as simulated) and export to a Chrome trace.
 * A breach traps (libFuzzer saves the input); FS_GEN_VERBOSE=1 prints the
 * scenario and the run first. Hangs are libFuzzer's -timeout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome_export.h"
#include "perfetto_export.h"
#include "run.h"
#include "scenario_gen.h"
#include "trace_reader.h"
#include "trace_writer.h"

static bool verbose;

#define CHECK(cond, ...)                                           \
    do {                                                           \
        if (!(cond)) {                                             \
            fprintf(stderr, "fuzz_gen: " __VA_ARGS__);             \
            fprintf(stderr, "\n  (%s, line %d)\n", #cond, __LINE__); \
            __builtin_trap();                                      \
        }                                                          \
    } while (0)

typedef struct trace_buf {
    char *text;
    size_t len;
} trace_buf;

/* One run into memory; returns the run (the caller frees it). */
static fs_run *simulate(const fs_run_desc *d, trace_buf *out)
{
    FILE *f = open_memstream(&out->text, &out->len);
    CHECK(f, "open_memstream failed");
    fs_run_desc dd = *d;
    dd.trace = f;
    fs_run *r = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_run_simulate(&dd, &r, &err);
    fclose(f);
    CHECK(rc == FS_ERR_OK, "%s: a valid scenario failed to run: %s", fs_exec_kind_name(d->kind), err.msg);
    return r;
}

/* What one run must satisfy on its own. */
static void check_run(const fs_run *r, const fs_run_desc *d, const trace_buf *t)
{
    const fs_exec_stats *s = fs_exec_get_stats(r->exec);
    const char *ex = r->executor;
    if (verbose)
        fprintf(stderr, "  %s: %s, %lld polls, %lld steps, end %lld ns, %zu bytes\n", ex,
                fs_limit_name(s->limit_hit) ? fs_limit_name(s->limit_hit)
                : s->stalled ? "stalled" : "done",
                (long long)s->polls, (long long)s->loop_steps, (long long)s->end_ns, t->len);
    int status = fs_run_exit_status(r);
    bool done = s->completed == s->tasks_total;
    bool expected = r->expect.failed == 0; /* a failed expectation also exits 3 */
    CHECK(status == (done && s->limit_hit == FS_LIMIT_NONE && expected ? 0 : 3),
          "%s: exit %d with %lld of %lld tasks done, limit %d, %d expectations failed", ex, status,
          (long long)s->completed, (long long)s->tasks_total, (int)s->limit_hit, r->expect.failed);
    CHECK(status == 0 || s->stalled || s->limit_hit != FS_LIMIT_NONE || !expected,
          "%s: exit 3 without a stall, a limit or a failed expectation", ex);
    CHECK(!r->expect.present || r->expect.failed <= r->expect.checked,
          "%s: %d of %d expectations failed", ex, r->expect.failed, r->expect.checked);
    CHECK(!d->max_tasks || s->tasks_total <= d->max_tasks, "%s: %lld tasks past --max-tasks %lld",
          ex, (long long)s->tasks_total, (long long)d->max_tasks);
    CHECK(s->limit_hit != FS_LIMIT_TASKS || (d->max_tasks && s->tasks_total == d->max_tasks),
          "%s: task limit hit at %lld tasks of %lld", ex, (long long)s->tasks_total,
          (long long)d->max_tasks);
    CHECK(s->polls <= d->max_polls && s->loop_steps <= d->max_polls,
          "%s: %lld polls and %lld loop steps past --max-polls %lld", ex, (long long)s->polls,
          (long long)s->loop_steps, (long long)d->max_polls);
    /* No poll starts at or past --max-time, and CPU work stops there; a
     * poll's own cost is not cut (blocking, busy and wake end with it,
     * steal:N at the limit). */
    CHECK(s->end_ns <= d->max_time_ns + d->scenario->poll_cost_ns,
          "%s: ends at %lld ns, past --max-time %lld ns", ex, (long long)s->end_ns,
          (long long)d->max_time_ns);
    if (s->limit_hit == FS_LIMIT_TRACE)
        CHECK(t->len > d->max_trace_bytes, "%s: trace limit hit at %zu bytes of %llu", ex, t->len,
              (unsigned long long)d->max_trace_bytes);
    /* Past the limit the run stops after the step in progress: the events
     * of one poll and the summary (a few hundred bytes per task), and the
     * writer's window of lines not yet written (behind a task's open spin
     * run: at most FS_FOLD_WINDOW lines) */
    uint64_t slack = 65536 + 512 * (uint64_t)s->tasks_total + 512 * (uint64_t)FS_FOLD_WINDOW;
    CHECK(t->len <= d->max_trace_bytes + slack, "%s: %zu bytes of trace under --max-trace %llu",
          ex, t->len, (unsigned long long)d->max_trace_bytes);

    fs_trace *tr = NULL;
    fs_error err = {0};
    CHECK(fs_trace_read_text(t->text, t->len, "gen.jsonl", &tr, &err) == FS_ERR_OK,
          "%s: its trace does not read back: line %d: %s", ex, err.line, err.msg);
    CHECK(tr->summary.polls == s->polls && tr->summary.end_ns == s->end_ns &&
          tr->summary.completed == s->completed,
          "%s: the trace's summary differs from the run's", ex);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f, "open_memstream failed");
    fs_chrome_source src = {.trace = tr, .name = "gen.jsonl"};
    CHECK(fs_chrome_export(f, &src, 1, 0, &err) == FS_ERR_OK, "%s: Chrome export failed: %s", ex, err.msg);
    fclose(f);
    free(buf);
    buf = NULL;
    len = 0;
    f = open_memstream(&buf, &len);
    CHECK(f, "open_memstream failed");
    fs_perfetto_source psrc = {.trace = tr, .name = "gen.jsonl"};
    CHECK(fs_perfetto_export(f, &psrc, 1, 0, &err) == FS_ERR_OK, "%s: Perfetto export failed: %s", ex, err.msg);
    fclose(f);
    free(buf);
    fs_trace_free(tr);
}

static void same_trace(const trace_buf *a, const trace_buf *b, const char *ex, const char *what)
{
    size_t i = 0;
    while (i < a->len && i < b->len && a->text[i] == b->text[i])
        i++;
    CHECK(a->len == b->len && i == a->len, "%s: %s differ at byte %zu", ex, what, i);
}

/* Runs d, again, and (busy, blocking) without fast-forward: one trace. */
static void run_all_ways(fs_run_desc d)
{
    trace_buf a = {0}, b = {0};
    fs_run *r = simulate(&d, &a);
    check_run(r, &d, &a);
    fs_run_free(simulate(&d, &b));
    same_trace(&a, &b, r->executor, "two runs' traces");
    if (d.kind == FS_EXEC_BUSY || d.kind == FS_EXEC_BLOCKING) {
        free(b.text);
        b = (trace_buf){0};
        d.no_fast_forward = true;
        fs_run_free(simulate(&d, &b));
        same_trace(&a, &b, r->executor, "traces with and without fast-forward");
    }
    fs_run_free(r);
    free(a.text);
    free(b.text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *v = getenv("FS_GEN_VERBOSE");
    verbose = v && *v == '1';
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fs_gen_bytes b = {data, size};
    fs_gen_info info;
    size_t len;
    char *text = fs_gen_scenario(&b, &len, &info);
    if (!text)
        return 0;
    if (verbose)
        fprintf(stderr, "%s", text);
    fs_scenario *sc = NULL;
    fs_error err = {0};
    CHECK(fs_scenario_load_text(text, len, "gen.json", &sc, &err) == FS_ERR_OK,
          "a generated scenario is refused: %d:%d: %s: %s\n%s", err.line, err.col, err.path,
          err.msg, text);
    /* Limits: small ones now and then, else bounds that keep an input
     * (about 25 runs) well under a second. */
    static const int64_t polls[] = {20000, 5, 100, 2000};
    static const int64_t times[] = {3600000000000LL, 1000000, 50000000, 1};
    static const uint64_t traces[] = {1 << 20, 2000, 20000, 200};
    fs_run_desc base = {.scenario = sc, .max_polls = polls[fs_gen_pick(&b, 4)],
                        .max_time_ns = times[fs_gen_pick(&b, 4)],
                        .max_trace_bytes = traces[fs_gen_pick(&b, 4)]};
    static const int64_t task_caps[] = {0, 3, 20, 200}; /* 0: the default */
    base.max_tasks = task_caps[fs_gen_pick(&b, 4)];
    static const struct {
        fs_exec_kind kind;
        int workers;
        bool lifo;
        fs_tokio_version tokio;
    } ways[] = {
        {FS_EXEC_BLOCKING, 0, false, 0}, {FS_EXEC_BUSY, 0, false, 0},
        {FS_EXEC_WAKE, 0, false, 0},     {FS_EXEC_WAKE, 0, true, 0},
        {FS_EXEC_STEAL, 2, false, FS_TOKIO_CURRENT}, {FS_EXEC_STEAL, 2, false, FS_TOKIO_1_24},
        {FS_EXEC_STEAL, 3, false, FS_TOKIO_CURRENT}, {FS_EXEC_STEAL, 3, false, FS_TOKIO_1_24},
    };
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        if (info.zero_cost && (ways[i].kind == FS_EXEC_BUSY || ways[i].kind == FS_EXEC_BLOCKING))
            continue;   /* refused up front: a usage error, not this scenario's */
        fs_run_desc d = base;
        d.kind = ways[i].kind;
        d.workers = ways[i].workers;
        d.lifo = ways[i].lifo;
        d.tokio = ways[i].tokio;
        run_all_ways(d);
    }
    fs_scenario_free(sc);
    free(text);
    return 0;
}
