/* cmd_run.c - `run`, `compare` and `check`: simulate a scenario and report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "humanize.h"
#include "stall_reason.h"
#include "jsonw.h"
#include "outfile.h"
#include "progress.h"
#include "summary.h"
#include "trace_reader.h"
#include "world.h"

/* The most tasks the summary lists one by one (more: --json and the trace). */
#define FS__TABLE_TASKS 20
/* Unfinished tasks named under a stall or a limit; a run of a million stops
 * with a screenful, not a million lines, and says how many it left out. */
#define FS__STALL_LINES 30

/* Room for a name or a stall reason with its control characters escaped
 * (fs_format_printable: 4 bytes for 1 at worst). */
#define FS__TEXT 2048

static const char fs__run_help[] =
    "usage: futurescope run SCENARIO [options]\n"
    "\n"
    "Simulates SCENARIO under one executor and prints a summary.\n"
    "\n"
    "  -e, --executor E     blocking | busy | wake (default) | steal:N\n"
    "  --queue fifo|lifo    wake executor's ready queue order (default fifo; refused\n"
    "                       with steal:N, whose queues are tokio's own)\n"
    "  -o, --output FILE    write the JSON Lines trace to FILE ('-' for stdout)\n"
    "  --chrome FILE        also write a Chrome trace for Perfetto UI (see 'export')\n"
    "  --perfetto FILE      also write Perfetto's own protobuf trace (see 'export')\n"
    "  --seed N             override the scenario's seed\n"
    "  --poll-cost-ns N     override the scenario's CPU cost of one poll\n"
    "  --max-time T         stop at T of simulated time (default 1h; e.g. 10s, 500ms),\n"
    "                       inside a poll too: CPU work stops there\n"
    "  --max-polls N        stop after N polls, or N steps of loops inside polls\n"
    "                       (repeat iterations, seq steps, join/select children)\n"
    "                       (default 1,000,000,000)\n"
    "  --max-tasks N        stop at a spawn past N tasks in all, the scenario's and\n"
    "                       those spawned while it runs (default 10,000,000)\n"
    "  --max-trace SIZE     stop once the trace passes SIZE (default 1GiB; e.g. 10MB)\n"
    "  --max-chrome SIZE    write no --chrome file that would pass SIZE (default 1GiB;\n"
    "                       exit 3, the trace still written)\n"
    "  --max-perfetto SIZE  the same for the --perfetto file (default 1GiB)\n"
    "  --json               print the summary as JSON instead of a table\n"
    "  --no-fast-forward    simulate every pass of a busy loop (same trace, slower)\n"
    "  --tokio 1.24|current steal:N follows this tokio release's scheduler (default\n"
    "                       current; 1.24 is tokio 1.24.2, see docs/fidelity.md)\n"
    "  --tick T             steal:N's timer driver resolution (default 1ms)\n"
    "  --timer-slack T      steal:N: a timed park wakes T late (default 0; 130us\n"
    "                       fits the tokio harness's machine)\n"
    "  --wake-latency T     steal:N: mean delay before a notified worker runs\n"
    "                       (default 0; 4us fits the harness's machine)\n"
    "  --cpus N             steal:N: the workers share N CPUs: a parked worker due\n"
    "                       to wake waits for one, and takes it from a worker that\n"
    "                       has held it 3 ms (default: one CPU each)\n"
    "  --turn-delay T       steal:N: mean time a worker's driver turn that woke tasks\n"
    "                       takes before its loop goes on (default 0)\n"
    "  --hand-over P[,Q]    steal:N: how often a notified worker last ran on its\n"
    "                       notifier's CPU and runs there first, the notifier waiting\n"
    "                       until it parks: P after a driver turn, Q elsewhere\n"
    "                       (default 0; 0.65,0.5 fits the harness's machine)\n"
    "  --idle-wake T        steal:N with --hand-over: mean delay before a notified\n"
    "                       worker not handed a CPU runs (its own CPU is idle and\n"
    "                       wakes first; default 0; 60us fits)\n"
    "  --schedule fixed|random|pct:D  wake: random polls a woken task drawn from\n"
    "                       the seed each turn, to try other orders; pct:D polls the\n"
    "                       woken task of highest priority, priorities drawn from the\n"
    "                       seed with D-1 change points (PCT, for bugs of depth D)\n"
    "                       (default fixed)\n"
    "\n"
    "Exit status: 0 all tasks completed (and the scenario's \"expect\" met), 2 bad\n"
    "input, 3 stalled, a limit hit (--max-time, --max-polls, --max-tasks,\n"
    "--max-trace: the trace and the summary's \"limit_hit\" say which) or an\n"
    "expectation failed, 1 a write failed or memory ran out, 130/143/129\n"
    "SIGINT/SIGTERM/SIGHUP (no partial file is left). See docs/reliability.md.\n";

static const char fs__compare_help[] =
    "usage: futurescope compare SCENARIO -e busy,wake,... [options]\n"
    "\n"
    "Simulates SCENARIO under several executors and prints them side by side:\n"
    "completion time, polls, wasted polls, CPU busy, max wake-to-poll latency.\n"
    "\n"
    "  -e, --executor LIST  comma-separated (default blocking,busy,wake)\n"
    "  --queue, --seed, --poll-cost-ns, --max-time, --max-polls, --max-tasks,\n"
    "  --no-fast-forward, --tokio, --tick, --timer-slack, --wake-latency, --cpus,\n"
    "  --turn-delay, --hand-over, --idle-wake: as for run\n"
    "  --json               print a JSON array of the summaries\n"
    "\n"
    "Exit status: 0 every run completed, 2 bad input, 3 a run stalled or hit its limit.\n";

static const char fs__check_help[] =
    "usage: futurescope check SCENARIO...\n"
    "\n"
    "Validates scenario files without simulating them. Errors are printed as\n"
    "file:line:column: json.path: message. Exit status 0 if all are valid, else 2.\n";

/* Loads a scenario; NULL with *status set (2 bad input, 1 out of memory)
 * after printing the error. */
static fs_scenario *fs__load(const char *path, int *status)
{
    fs_scenario *sc = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_scenario_load_file(path, &sc, &err);
    if (rc != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        *status = fs_err_exit_status(rc);
        return NULL;
    }
    return sc;
}

/* Simulates; on bad options prints the error and returns NULL. */
static fs_run *fs__simulate(const fs_run_desc *d, const char *trace_path, int *status)
{
    fs_run *r = NULL;
    fs_error err = {0};
    fs_progress progress;
    char label[64];
    fs_exec_desc kind = {.kind = d->kind, .workers = d->workers};
    fs_progress_init(&progress, fs_exec_label(&kind, label, sizeof label));
    fs_run_desc with_progress = *d;
    with_progress.progress = fs_progress_run;
    with_progress.progress_ctx = &progress;
    fs_errcode rc = fs_run_simulate(&with_progress, &r, &err);
    fs_progress_done(&progress);
    if (rc != FS_ERR_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s",
                     rc == FS_ERR_WRITE && trace_path ? trace_path : d->scenario->file);
        fs_error_print(&err, stderr);
        *status = fs_err_exit_status(rc);
        return NULL;
    }
    return r;
}

/* Prints text wrapped at 78 columns. */
static void fs__wrap(const char *text, FILE *out)
{
    int col = 0;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > 0 && col + 1 + (int)word > 78) {
            fputc('\n', out);
            col = 0;
        } else if (col > 0) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, word, out);
        col += (int)word;
        text += word;
        while (*text == ' ')
            text++;
    }
    if (col > 0)
        fputc('\n', out);
}

static const char *fs__outcome(const fs_run *r)
{
    const fs_exec_stats *s = fs_exec_get_stats(r->exec);
    static const char *limits[] = {[FS_LIMIT_NONE] = "ok", [FS_LIMIT_TIME] = "TIME LIMIT",
                                   [FS_LIMIT_POLLS] = "POLL LIMIT", [FS_LIMIT_TRACE] = "TRACE LIMIT",
                                   [FS_LIMIT_TASKS] = "TASK LIMIT"};
    if (s->stalled || s->limit_hit)
        return s->stalled ? "STALLED" : limits[s->limit_hit];
    return r->expect.failed ? "EXPECTATION FAILED" : "ok";
}

/* Every task's stable id (sid[i], the viewer's "#id") and the tasks in that
 * order (row[k]): the same under every executor, where a task's index, its
 * spawn order, is not. Both the identity if memory runs out. */
static void fs__stable_order(const fs_run *r, uint32_t n, uint32_t *sid, uint32_t *row)
{
    for (uint32_t i = 0; i < n; i++)
        sid[i] = row[i] = i;
    if (n == 0)
        return;
    int64_t *parent = malloc(n * sizeof *parent);
    const char **name = malloc(n * sizeof *name);
    for (uint32_t i = 0; parent && name && i < n; i++) {
        parent[i] = fs_exec_get_task(r->exec, i)->parent;
        name[i] = fs_exec_get_task(r->exec, i)->name;
    }
    if (parent && name && fs_stable_ids(n, parent, name, sid))
        for (uint32_t i = 0; i < n; i++)
            row[sid[i]] = i;
    free(parent);
    free(name);
}

static void fs__print_stall(const fs_run *r, FILE *out)
{
    const fs_exec_stats *s = fs_exec_get_stats(r->exec);
    char t[32], u[32];
    fs_format_ns(s->end_ns, t, sizeof t);
    if (s->limit_hit == FS_LIMIT_TIME)
        fprintf(out, "time limit: stopped at %s of simulated time (--max-time)\n", t);
    if (s->limit_hit == FS_LIMIT_POLLS) {
        fprintf(out, "poll limit: stopped after %s polls", fs_format_count(s->polls, u, sizeof u));
        if (s->loop_steps)
            fprintf(out, " and %s loop steps inside them",
                    fs_format_count(s->loop_steps, u, sizeof u));
        fprintf(out, ", at %s of simulated time (--max-polls)\n", t);
    }
    if (s->limit_hit == FS_LIMIT_TRACE)
        fprintf(out, "trace limit: stopped at %s of simulated time, the trace full (--max-trace)\n", t);
    if (s->limit_hit == FS_LIMIT_TASKS)
        fprintf(out, "task limit: stopped at %s of simulated time, a spawn past %s tasks (--max-tasks)\n",
                t, fs_format_count(s->tasks_total, u, sizeof u));
    if (!s->stalled && s->limit_hit == FS_LIMIT_NONE)
        return;
    if (s->stalled)
        fprintf(out, "stalled at %s: no task can make progress and no device event is left\n",
                fs_format_ns(s->end_ns, t, sizeof t));
    /* by stable id, so a stall reads the same under every executor */
    uint32_t n = fs_exec_task_count(r->exec);
    uint32_t *sid = n ? malloc(2 * (size_t)n * sizeof *sid) : NULL;
    if (n && !sid) {
        fprintf(out, "  (out of memory listing the %u tasks)\n", n);
        return;
    }
    uint32_t *row = sid + n;
    fs__stable_order(r, n, sid, row);
    uint32_t listed = 0, more = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = row[k];
        if (fs_exec_get_task(r->exec, i)->completed_ns >= 0)
            continue;
        if (listed == FS__STALL_LINES) {
            more++;
            continue;
        }
        listed++;
        fs_stall_info info;
        char reason[512];
        fs_exec_get_stall_info(r->exec, i, &info);
        if (s->stalled)
            fs_stall_reason_in(r->world, r->desc.scenario, &info, reason, sizeof reason);
        else if (info.never_polled)
            snprintf(reason, sizeof reason, "not polled yet");
        else if (info.steps > 0)
            snprintf(reason, sizeof reason, "at await %d/%d: %s", info.step, info.steps, info.state);
        else
            snprintf(reason, sizeof reason, "at %s", info.state ? info.state : "?");
        char nb[FS__TEXT], rb[FS__TEXT];
        fprintf(out, "  task #%u %s: %s\n", sid[i], fs_format_printable(info.name, nb, sizeof nb),
                fs_format_printable(reason, rb, sizeof rb));
    }
    if (more) {
        char mb[32];
        fprintf(out, "  and %s more tasks not completed\n", fs_format_count(more, mb, sizeof mb));
    }
    free(sid);
}

/* The scenario's expectations: how many held, and each that failed. */
/* "faults fired  3 (1 latency, 2 fail)", for a scenario that declares faults. */
static void fs__print_faults(const fs_run *r, FILE *out)
{
    const fs_fault_counts *f = fs_world_fault_counts(r->world);
    if (!f->declared)
        return;
    fprintf(out, "faults fired              %lld", (long long)f->fired);
    const char *sep = " (";
    for (int k = 0; k < FS_FAULT__COUNT; k++) {
        if (!f->by_kind[k])
            continue;
        fprintf(out, "%s%lld %s", sep, (long long)f->by_kind[k], fs_fault_kind_name((fs_fault_kind)k));
        sep = ", ";
    }
    fprintf(out, "%s\n", f->fired ? ")" : "");
}

static void fs__print_expect(const fs_run *r, FILE *out)
{
    const fs_expect_result *e = &r->expect;
    if (!e->present)
        return;
    fprintf(out, "expect     %d of %d met\n", e->checked - e->failed, e->checked);
    for (int i = 0; i < e->n_fail; i++) {
        char wb[FS__TEXT];
        fprintf(out, "  expectation failed: %s: %s\n", fs_expect_key_name(e->fail[i].key),
                fs_format_printable(e->fail[i].why, wb, sizeof wb));
    }
    if (e->failed > e->n_fail)
        fprintf(out, "  (and %d more)\n", e->failed - e->n_fail);
}

static void fs__print_run(const fs_run *r, FILE *out)
{
    const fs_exec_stats *s = fs_exec_get_stats(r->exec);
    const fs_scenario *sc = r->desc.scenario;
    char a[32], b[32], c[32], d[32], e[32];
    char nb[FS__TEXT], fb[FS__TEXT];
    fprintf(out, "scenario   %s (%s)\n", fs_format_printable(sc->name, nb, sizeof nb),
            fs_format_printable(sc->file, fb, sizeof fb));
    fprintf(out, "executor   %s%s\n", r->executor,
            r->desc.kind == FS_EXEC_WAKE && r->desc.lifo ? " (lifo queue)" : "");
    fprintf(out, "result     %s: %lld of %lld tasks completed, ended at %s\n",
            fs__outcome(r), (long long)s->completed, (long long)s->tasks_total,
            fs_format_ns(s->end_ns, a, sizeof a));
    fprintf(out, "polls      %s (%s pending, %s ready, %s wasted)\n",
            fs_format_count(s->polls, a, sizeof a), fs_format_count(s->pending_polls, b, sizeof b),
            fs_format_count(s->ready_polls, c, sizeof c), fs_format_count(s->wasted_polls, d, sizeof d));
    fprintf(out, "wakes      %s", fs_format_count(s->wakes, a, sizeof a));
    if (s->stale_wakes)
        fprintf(out, " (%s of completed tasks)", fs_format_count(s->stale_wakes, b, sizeof b));
    fprintf(out, "\ncpu busy   %s (busy %s, idle %s)\n",
            fs_format_percent(fs_summary_cpu_busy(s), c, sizeof c),
            fs_format_ns(s->busy_ns, a, sizeof a), fs_format_ns(s->idle_ns, b, sizeof b));
    fprintf(out, "max wake-to-poll latency  %s\n",
            fs_format_ns(fs_summary_max_wake_latency(r->exec), a, sizeof a));
    fprintf(out, "max runnable-to-poll wait %s (from a spawn or a wake)\n",
            fs_format_ns(fs_summary_max_runnable_wait(r->exec), a, sizeof a));
    fs__print_stall(r, out);
    fs__print_faults(r, out);
    fs__print_expect(r, out);

    uint32_t n = fs_exec_task_count(r->exec);
    if (n > FS__TABLE_TASKS) {
        fprintf(out, "(%u tasks: per-task figures are in --json and the trace)\n", n);
        return;
    }
    int w = 4;
    for (uint32_t i = 0; i < n; i++) {
        int l = (int)strlen(fs_format_printable(fs_exec_get_task(r->exec, i)->name, nb, sizeof nb));
        w = l > w ? l : w;
    }
    /* a result column when some task's future failed (Err: closed, elapsed) */
    bool failures = false;
    for (uint32_t i = 0; i < n && !failures; i++)
        failures = fs_exec_get_task(r->exec, i)->fail != FS_FAIL_NONE;
    /* rows by stable id, as the viewer labels them */
    uint32_t sid[FS__TABLE_TASKS], row[FS__TABLE_TASKS];
    fs__stable_order(r, n, sid, row);
    fprintf(out, "\n%-4s  %-*s  %12s  %10s  %10s  %16s  %12s%s\n", "id", w, "task", "completed",
            "polls", "wasted", "max wake lat.", "max wait", failures ? "  result" : "");
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = row[k];
        const fs_task_info *t = fs_exec_get_task(r->exec, i);
        const char *res = t->completed_ns < 0 ? "-" : t->fail ? fs_fail_name((fs_fail)t->fail) : "ok";
        char id[16];
        snprintf(id, sizeof id, "#%u", sid[i]);
        fprintf(out, "%-4s  %-*s  %12s  %10s  %10s  %16s  %12s%s%s\n", id, w,
                fs_format_printable(t->name, nb, sizeof nb),
                t->completed_ns >= 0 ? fs_format_ns(t->completed_ns, a, sizeof a) : "-",
                fs_format_count(t->polls, b, sizeof b),
                fs_format_count(t->wasted_polls, c, sizeof c),
                fs_format_ns(t->max_wake_latency_ns, d, sizeof d),
                fs_format_ns(t->max_runnable_wait_ns, e, sizeof e), failures ? "  " : "",
                failures ? res : "");
    }
}

static void fs__print_json(fs_run **runs, int n, bool array)
{
    static fs_jsonw w;
    fs_jsonw_init(&w, stdout);
    if (array)
        fs_jsonw_char(&w, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            fs_jsonw_char(&w, ',');
        fs_summary_write_expect(&w, runs[i]->exec, runs[i]->executor, &runs[i]->expect,
                                fs_world_fault_counts(runs[i]->world));
    }
    if (array)
        fs_jsonw_char(&w, ']');
    fs_jsonw_char(&w, '\n');
    fs_jsonw_flush(&w);
}

/* Copies the whole of from (rewound) to to; false on a read or write error. */
static bool fs__copy(FILE *from, FILE *to)
{
    char buf[64 * 1024];
    size_t n;
    if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
        return false;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return false;
    return !ferror(from);
}

/* The run's JSONL (in jsonl) read back and written as a Chrome trace and/or
 * a Perfetto trace (either outfile may be NULL). */
static int fs__convert(FILE *jsonl, fs_outfile *chrome, fs_outfile *perfetto,
                       const fs_cli_opts *o, int status)
{
    fs_trace *tr = NULL;
    fs_error err = {0};
    if (fflush(jsonl) != 0 || fseek(jsonl, 0, SEEK_SET) != 0 ||
        fs_trace_read_stream(jsonl, "(run trace)", &tr, &err) != FS_ERR_OK) {
        /* Our own trace, unreadable: a bug, not the user's input. */
        fs_trace_error_print(&err, stderr);
        if (chrome)
            fs_outfile_abort(chrome);
        if (perfetto)
            fs_outfile_abort(perfetto);
        return FS_EXIT_INTERNAL;
    }
    int st = FS_EXIT_OK;
    if (chrome) {
        fs_chrome_source src = {.trace = tr, .name = NULL};
        st = fs_chrome_write(chrome, o->chrome_path, &src, 1, o->max_chrome_bytes);
    }
    if (perfetto) {
        fs_perfetto_source src = {.trace = tr, .name = NULL};
        int pst = fs_perfetto_write(perfetto, o->perfetto_path, &src, 1, o->max_perfetto_bytes);
        if (st == FS_EXIT_OK)
            st = pst;
    }
    fs_trace_free(tr);
    return st != FS_EXIT_OK ? st : status;
}

int fs_cmd_run(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__run_help, stdout);
        return FS_EXIT_OK;
    }
    fs_cli_opts o;
    int st = fs_cli_parse("run", argc, argv, &o);
    if (st >= 0)
        return st;
    if (o.n_inputs != 1)
        return fs_cli_usage_error("run", "expected one scenario file, got %d", o.n_inputs);
    if (o.view_flag)
        return fs_cli_usage_error("run", "%s belongs to view", o.view_flag);
    fs_cli_output outs[] = {{"-o", o.trace_path}, {"--chrome", o.chrome_path},
                            {"--perfetto", o.perfetto_path}};
    st = fs_cli_check_outputs("run", o.inputs, 1, outs, 3);
    if (st >= 0)
        return st;
    bool trace_on_stdout = o.trace_path && strcmp(o.trace_path, "-") == 0;
    bool chrome_on_stdout = o.chrome_path && strcmp(o.chrome_path, "-") == 0;
    bool perfetto_on_stdout = o.perfetto_path && strcmp(o.perfetto_path, "-") == 0;
    const char *on_stdout_opt = trace_on_stdout ? "-o" : chrome_on_stdout ? "--chrome"
                                : perfetto_on_stdout ? "--perfetto" : NULL;
    if (o.json && on_stdout_opt)
        return fs_cli_usage_error("run", "--json and %s - would both write to stdout", on_stdout_opt);
    if (trace_on_stdout + chrome_on_stdout + perfetto_on_stdout > 1)
        return fs_cli_usage_error("run", "%s - and %s - would both write to stdout", on_stdout_opt,
                                  chrome_on_stdout && trace_on_stdout ? "--chrome" : "--perfetto");
    fs_run_desc d[1];
    if (fs_cli_executors("run", o.executors ? o.executors : "wake", o.lifo, d, 1) < 0)
        return FS_EXIT_INPUT;
    fs_scenario *sc = fs__load(o.inputs[0], &st);
    if (!sc)
        return st;
    fs_cli_apply_run_opts(&d[0], &o, sc);

    /* Outputs are opened before simulating, so a bad path costs no run. */
    fs_outfile trace, chrome, perfetto;
    fs_error err = {0};
    if (o.trace_path && !fs_outfile_open(&trace, o.trace_path, &err)) {
        fs_error_print(&err, stderr);
        fs_scenario_free(sc);
        return FS_EXIT_INPUT;
    }
    if (o.chrome_path && !fs_outfile_open(&chrome, o.chrome_path, &err)) {
        fs_error_print(&err, stderr);
        if (o.trace_path)
            fs_outfile_abort(&trace);
        fs_scenario_free(sc);
        return FS_EXIT_INPUT;
    }
    if (o.perfetto_path && !fs_outfile_open(&perfetto, o.perfetto_path, &err)) {
        fs_error_print(&err, stderr);
        if (o.trace_path)
            fs_outfile_abort(&trace);
        if (o.chrome_path)
            fs_outfile_abort(&chrome);
        fs_scenario_free(sc);
        return FS_EXIT_INPUT;
    }
    /* With --chrome or --perfetto the JSONL goes to a temporary file first,
     * read back by the same reader and converters as `export` (one
     * conversion path), and copied to -o if asked. */
    FILE *jsonl = NULL;
    bool convert = o.chrome_path || o.perfetto_path;
    if (convert) {
        jsonl = tmpfile();
        if (!jsonl) {
            perror("futurescope run: temporary file");
            if (o.trace_path)
                fs_outfile_abort(&trace);
            if (o.chrome_path)
                fs_outfile_abort(&chrome);
            if (o.perfetto_path)
                fs_outfile_abort(&perfetto);
            fs_scenario_free(sc);
            return FS_EXIT_INTERNAL;
        }
        d[0].trace = jsonl;
    } else if (o.trace_path) {
        d[0].trace = trace.f;
    }
    int status = FS_EXIT_OK;
    fs_run *r = fs__simulate(&d[0], o.trace_path, &status);
    if (r && jsonl && o.trace_path && !fs__copy(jsonl, trace.f)) {
        fprintf(stderr, "%s: write failed\n", o.trace_path);
        fs_outfile_abort(&trace);
        status = FS_EXIT_INTERNAL;
    } else if (o.trace_path) {
        if (!r)
            fs_outfile_abort(&trace);
        else if (!fs_outfile_commit(&trace, &err)) {
            fs_error_print(&err, stderr);
            status = FS_EXIT_INTERNAL;
        }
    }
    if (convert) {
        if (r) {
            status = fs__convert(jsonl, o.chrome_path ? &chrome : NULL,
                                 o.perfetto_path ? &perfetto : NULL, &o, status);
        } else {
            if (o.chrome_path)
                fs_outfile_abort(&chrome);
            if (o.perfetto_path)
                fs_outfile_abort(&perfetto);
        }
        fclose(jsonl);
    }
    if (r) {
        /* With a trace on stdout, the table goes to stderr. */
        bool on_stdout = on_stdout_opt != NULL;
        if (o.json && !on_stdout)
            fs__print_json(&r, 1, false);
        else if (!o.json)
            fs__print_run(r, on_stdout ? stderr : stdout);
        if (status == FS_EXIT_OK)
            status = fs_run_exit_status(r);
    }
    fs_run_free(r);
    fs_scenario_free(sc);
    return status;
}

/* The comparison table: one row per executor. */
static void fs__print_compare(fs_run **runs, int n, FILE *out)
{
    const fs_scenario *sc = runs[0]->desc.scenario;
    char nb[FS__TEXT], fb[FS__TEXT];
    fprintf(out, "scenario: %s (%s)\n", fs_format_printable(sc->name, nb, sizeof nb),
            fs_format_printable(sc->file, fb, sizeof fb));
    if (sc->description[0]) {
        char *db = malloc(4 * strlen(sc->description) + 8);
        fs__wrap(db ? fs_format_printable(sc->description, db, 4 * strlen(sc->description) + 8)
                    : "(out of memory)", out);
        free(db);
    }
    fprintf(out, "\n%-10s  %12s  %14s  %14s  %9s  %16s  %12s  %s\n", "executor", "end time",
            "polls", "wasted polls", "cpu busy", "max wake lat.", "max wait", "result");
    for (int i = 0; i < n; i++) {
        const fs_exec_stats *s = fs_exec_get_stats(runs[i]->exec);
        char a[32], b[32], c[32], d[32], e[32], f[32];
        fprintf(out, "%-10s  %12s  %14s  %14s  %9s  %16s  %12s  %s\n", runs[i]->executor,
                fs_format_ns(s->end_ns, a, sizeof a), fs_format_count(s->polls, b, sizeof b),
                fs_format_count(s->wasted_polls, c, sizeof c),
                fs_format_percent(fs_summary_cpu_busy(s), e, sizeof e),
                fs_format_ns(fs_summary_max_wake_latency(runs[i]->exec), d, sizeof d),
                fs_format_ns(fs_summary_max_runnable_wait(runs[i]->exec), f, sizeof f),
                fs__outcome(runs[i]));
    }
    for (int i = 0; i < n; i++) {
        const fs_exec_stats *s = fs_exec_get_stats(runs[i]->exec);
        if (s->stalled || s->limit_hit != FS_LIMIT_NONE) {
            fprintf(out, "\n%s: ", runs[i]->executor);
            fs__print_stall(runs[i], out);
        }
    }
}

int fs_compare_scenario(const fs_scenario *sc, const fs_cli_opts *o, const char *list,
                        bool json, FILE *out)
{
    fs_run_desc d[16];
    int n = fs_cli_executors("compare", list, o->lifo, d, 16);
    if (n < 0)
        return FS_EXIT_INPUT;
    fs_run *runs[16] = {0};
    int status = FS_EXIT_OK;
    for (int i = 0; i < n; i++) {
        fs_cli_apply_run_opts(&d[i], o, sc);
        runs[i] = fs__simulate(&d[i], NULL, &status);
        if (!runs[i])
            goto done;
        if (fs_run_exit_status(runs[i]) != 0)
            status = FS_EXIT_STALLED;
    }
    if (json)
        fs__print_json(runs, n, true);
    else
        fs__print_compare(runs, n, out);
done:
    for (int i = 0; i < n; i++)
        fs_run_free(runs[i]);
    return status;
}

int fs_cmd_compare(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__compare_help, stdout);
        return FS_EXIT_OK;
    }
    fs_cli_opts o;
    int st = fs_cli_parse("compare", argc, argv, &o);
    if (st >= 0)
        return st;
    if (o.n_inputs != 1)
        return fs_cli_usage_error("compare", "expected one scenario file, got %d", o.n_inputs);
    if (o.trace_path || o.chrome_path || o.perfetto_path)
        return fs_cli_usage_error("compare", "-o, --chrome and --perfetto belong to run");
    if (o.view_flag)
        return fs_cli_usage_error("compare", "%s belongs to view", o.view_flag);
    fs_scenario *sc = fs__load(o.inputs[0], &st);
    if (!sc)
        return st;
    st = fs_compare_scenario(sc, &o, o.executors ? o.executors : "blocking,busy,wake",
                             o.json, stdout);
    fs_scenario_free(sc);
    return st;
}

int fs_cmd_check(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__check_help, stdout);
        return FS_EXIT_OK;
    }
    if (argc < 2)
        return fs_cli_usage_error("check", "expected one or more scenario files");
    int status = FS_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return fs_cli_usage_error("check", "unknown option '%s'", argv[i]);
        int load_status;
        fs_scenario *sc = fs__load(argv[i], &load_status);
        if (!sc) {
            status = status == FS_EXIT_INTERNAL ? status : load_status;
            continue;
        }
        char nb[FS__TEXT];
        printf("ok  %s: %s (%lld tasks, %zu resources)\n", argv[i],
               fs_format_printable(sc->name, nb, sizeof nb),
               (long long)sc->total_tasks, sc->n_resources);
        fs_scenario_free(sc);
    }
    return status;
}
