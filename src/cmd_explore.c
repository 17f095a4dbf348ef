/* cmd_explore.c - `explore`: a scenario over many seeds and executors, and
 * the report that finds the run that breaks, with the command that replays
 * it. The sweep and its figures are sim/explore.c's; this file parses,
 * prints, saves the traces asked for and picks the exit status. */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "cli.h"
#include "explore.h"
#include "explore_merge.h"
#include "humanize.h"
#include "jsonw.h"
#include "outfile.h"
#include "progress.h"

#define FS__TEXT 2048
#define FS__DEFAULT_MAX_RUNS 1000000ULL
#define FS__MAX_MAX_RUNS 10000000ULL

static const char fs__explore_help[] =
    "usage: futurescope explore SCENARIO --seeds A..B [options]\n"
    "       futurescope explore --merge A.json B.json ... [--json] [--plot OUT.png]\n"
    "\n"
    "Simulates SCENARIO once for every seed from A to B (inclusive) under each\n"
    "executor, in parallel, and reports per executor: how many runs were ok,\n"
    "stalled or hit a limit; min/p50/p90/p99/max of the end time, of the run's\n"
    "longest wait from runnable (a spawn or a wake) to a poll, and of polls;\n"
    "a histogram of end times; for a scenario with faults, the runs in which\n"
    "they fired (and of which kind); and the failing and worst seeds, each with the\n"
    "`futurescope run` and `futurescope view` command that replays it. The\n"
    "report is the same whatever -j.\n"
    "\n"
    "  --seeds A..B         the seeds (A..B inclusive, or one seed N)\n"
    "  -e, --executor LIST  comma-separated executors (default wake), e.g. wake,steal:2\n"
    "  -j, --jobs N         runs at once, on threads (default: one per core)\n"
    "  --until-failure      stop at the first run that is not ok: the report ends\n"
    "                       with the lowest failing seed, whatever -j\n"
    "  --save DIR           write the traces of the listed failing and worst runs\n"
    "                       into DIR (made if missing) as EXEC-seed-S.jsonl\n"
    "  --json               print the report as JSON\n"
    "  --plot OUT.png       draw the end times as a PNG: per executor, a histogram\n"
    "                       of the runs by outcome, with its p50 and p99 (no display\n"
    "                       needed)\n"
    "  --max-runs N         refuse a sweep of more than N runs (seeds x executors;\n"
    "                       default 1,000,000, at most 10,000,000)\n"
    "  --shard I/N          only every N-th seed of the range, from the I-th\n"
    "                       (1 <= I <= N), for a sweep split over jobs\n"
    "  --queue, --poll-cost-ns, --max-time, --max-polls, --max-tasks, --max-trace,\n"
    "  --no-fast-forward, --tokio, --tick, --timer-slack, --wake-latency, --cpus,\n"
    "  --turn-delay, --hand-over, --idle-wake, --schedule:\n"
    "  as for run; every run keeps them, and so does every replay command printed (--max-trace bounds the\n"
    "  traces of --save)\n"
    "\n"
    "--merge joins the --json reports of the shards of one sweep (--shard I/N for\n"
    "every I) into the report of the whole sweep, the same bytes as one run prints\n"
    "(and with --plot, the same picture).\n"
    "\n"
    "Exit status: 0 every run ok, 3 a run stalled, hit a limit or missed an\n"
    "expectation of the scenario's \"expect\", 2 bad input,\n"
    "1 a write failed or memory ran out, 130 interrupted (SIGINT: the runs under\n"
    "way finish and the report so far is printed). See docs/explore.md.\n";

/* ---- options ------------------------------------------------------------------ */

typedef struct fs__explore_opts {
    uint64_t first, last;
    bool has_seeds;
    int jobs;
    const char *save_dir;
    const char *plot;  /* --plot OUT.png */
    bool until_failure;
    uint64_t max_runs;
    uint64_t shard_index, shard_count; /* --shard I/N: I - 1 and N; count 0: none */
} fs__explore_opts;

static bool fs__parse_seed(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > 9007199254740992ULL)
        return false;
    *out = v;
    return true;
}

static bool fs__parse_count(const char *s, uint64_t max, uint64_t *out)
{
    return fs__parse_seed(s, strlen(s), out) && *out >= 1 && *out <= max;
}

/* Takes explore's own options out of argv before the shared parser sees it. */
static int fs__explore_only(int *argc, char **argv, fs__explore_opts *xo)
{
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--until-failure") == 0) {
            xo->until_failure = true;
            continue;
        }
        bool seeds = strcmp(a, "--seeds") == 0;
        bool jobs = strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0;
        uint64_t v;
        if (strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') { /* -j2, as make takes it */
            if (!fs__parse_count(a + 2, 1024, &v))
                return fs_cli_usage_error("explore", "-j expects an integer 1..1024, got '%s'", a + 2);
            xo->jobs = (int)v;
            continue;
        }
        bool save = strcmp(a, "--save") == 0, max_runs = strcmp(a, "--max-runs") == 0;
        bool shard = strcmp(a, "--shard") == 0, plot = strcmp(a, "--plot") == 0;
        if (!seeds && !jobs && !save && !max_runs && !shard && !plot) {
            argv[k++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc)
            return fs_cli_usage_error("explore", "option %s needs a value", a);
        const char *val = argv[++i];
        if (seeds) {
            const char *dots = strstr(val, "..");
            bool ok = dots ? fs__parse_seed(val, (size_t)(dots - val), &xo->first) &&
                                 fs__parse_seed(dots + 2, strlen(dots + 2), &xo->last)
                           : fs__parse_seed(val, strlen(val), &xo->first);
            if (!dots)
                xo->last = xo->first;
            if (!ok || xo->first > xo->last)
                return fs_cli_usage_error("explore", "--seeds expects A..B with integers "
                                          "0 <= A <= B <= 2^53 (or one seed), got '%s'", val);
            xo->has_seeds = true;
        } else if (jobs) {
            if (!fs__parse_count(val, 1024, &v))
                return fs_cli_usage_error("explore", "%s expects an integer 1..1024, got '%s'", a, val);
            xo->jobs = (int)v;
        } else if (shard) {
            const char *slash = strchr(val, '/');
            uint64_t i1 = 0;
            if (!slash || !fs__parse_seed(val, (size_t)(slash - val), &i1) ||
                !fs__parse_seed(slash + 1, strlen(slash + 1), &xo->shard_count) || i1 < 1 ||
                i1 > xo->shard_count)
                return fs_cli_usage_error("explore", "--shard expects I/N with integers "
                                          "1 <= I <= N, got '%s'", val);
            xo->shard_index = i1 - 1;
        } else if (plot) {
            xo->plot = val;
        } else if (max_runs) {
            if (!fs__parse_count(val, FS__MAX_MAX_RUNS, &xo->max_runs))
                return fs_cli_usage_error("explore", "--max-runs expects an integer 1..10000000, got '%s'", val);
        } else {
            if (!*val)
                return fs_cli_usage_error("explore", "option --save needs a folder name, got ''");
            xo->save_dir = val;
        }
    }
    *argc = k;
    argv[k] = NULL;
    return -1;
}

/* ---- replay commands -------------------------------------------------------- */

/* One shell word: as it is when it is plain, else in single quotes. */
static void fs__shell_word(FILE *out, const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                       "_./:,=+@%-", *p) != NULL;
    if (plain) {
        fputs(s, out);
        return;
    }
    fputc('\'', out);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fputc(*p, out);
    }
    fputc('\'', out);
}

/* The options of argv (after the shared parser accepted them) that shape a
 * run, as the user wrote them, for the replay commands. */
static char *fs__shaping_options(int argc, char **argv)
{
    static const char *const shaping[] = {"--queue", "--poll-cost-ns", "--max-time",
                                          "--max-polls", "--max-tasks", "--max-trace", "--tokio", "--tick",
                                          "--timer-slack", "--wake-latency", "--cpus",
                                          "--turn-delay", "--hand-over", "--idle-wake",
                                          "--schedule"};
    static const char *const other[] = {"-e", "--executor", "-o", "--output", "--chrome",
                                        "--seed", "--screenshot", "--at", "--size",
                                        "--max-chrome"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    for (int i = 1; i < argc; i++) {
        bool takes = false, shapes = false;
        for (size_t k = 0; k < sizeof shaping / sizeof *shaping; k++)
            takes = shapes = shapes || strcmp(argv[i], shaping[k]) == 0;
        for (size_t k = 0; k < sizeof other / sizeof *other; k++)
            takes = takes || strcmp(argv[i], other[k]) == 0;
        if (shapes || strcmp(argv[i], "--no-fast-forward") == 0) {
            fputc(' ', out);
            fputs(argv[i], out);
            if (shapes && i + 1 < argc) {
                fputc(' ', out);
                fs__shell_word(out, argv[i + 1]);
            }
        }
        if (takes)
            i++;
    }
    if (fclose(out) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

typedef struct fs__report {
    const char *name;          /* the scenario's */
    bool has_expect;           /* the scenario has expectations */
    bool has_faults;           /* the scenario declares faults: runs count theirs */
    const char *path;          /* the scenario as the user named it */
    const fs_run_desc *d;      /* per executor (NULL for a merge: nothing is run) */
    const fs_explore *x;
    fs_explore_summary sum[FS_EXPLORE_MAX_EXEC];
    char label[FS_EXPLORE_MAX_EXEC][32];
    const char *options;       /* " --max-time 8ms ..." */
    const char *save_dir;      /* NULL: no --save */
    const char *plot;          /* NULL: no --plot */
} fs__report;

/* "futurescope run PATH -e EXEC --seed S OPTIONS" into a malloc'd string. */
static char *fs__replay(const fs__report *rp, const char *cmd, const fs_explore_rec *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    fprintf(out, "futurescope %s ", cmd);
    fs__shell_word(out, rp->path);
    fprintf(out, " -e %s --seed %llu%s", rp->label[r->exec], (unsigned long long)r->seed,
            rp->options);
    if (fclose(out) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* DIR/EXEC-seed-S.jsonl (steal:2 as steal-2) into buf. */
static const char *fs__trace_name(const fs__report *rp, const fs_explore_rec *r, char *buf,
                                  size_t n)
{
    char exec[32];
    snprintf(exec, sizeof exec, "%s", rp->label[r->exec]);
    for (char *c = exec; *c; c++)
        if (*c == ':')
            *c = '-';
    size_t dl = strlen(rp->save_dir);
    bool slash = dl > 0 && rp->save_dir[dl - 1] == '/';
    snprintf(buf, n, "%s%s%s-seed-%llu.jsonl", rp->save_dir, slash ? "" : "/", exec,
             (unsigned long long)r->seed);
    return buf;
}

/* ---- the text report -------------------------------------------------------- */

static const char *fs__limit_text(const fs_explore_rec *r)
{
    static const char *const expect[FS_EXPECT__COUNT] = {
        "expectation failed (completes)", "expectation failed (no_errors)",
        "expectation failed (end_ms_at_most)", "expectation failed (max_wake_latency_ms_at_most)",
        "expectation failed (task_end_ms_at_most)", "expectation failed (channel_max_len)"};
    if (r->outcome == FS_OUTCOME_EXPECT)
        return r->expect < FS_EXPECT__COUNT ? expect[r->expect] : "expectation failed";
    if (r->outcome == FS_OUTCOME_STALLED)
        return "stalled";
    if (r->outcome == FS_OUTCOME_OK)
        return "ok";
    const char *limit = fs_limit_label((fs_limit)r->limit);
    return limit ? limit : "limit hit";
}

static void fs__print_dist(const char *what, const fs_explore_dist *d, bool times, FILE *out)
{
    int64_t v[5] = {d->min, d->p50, d->p90, d->p99, d->max};
    fprintf(out, "  %-13s", what);
    for (int i = 0; i < 5; i++) {
        char b[32];
        fprintf(out, "  %11s", times ? fs_format_ns(v[i], b, sizeof b)
                                      : fs_format_count(v[i], b, sizeof b));
    }
    fputc('\n', out);
}

/* A listed run: its seed and how it ended, its replays, its saved trace. */
static bool fs__print_listed(const fs__report *rp, uint64_t i, FILE *out)
{
    const fs_explore_rec *r = &rp->x->recs[i];
    char t[32], w[32], p[32];
    fprintf(out, "    seed %-8llu %s at %s, longest wait %s, %s polls",
            (unsigned long long)r->seed, fs__limit_text(r), fs_format_ns(r->end_ns, t, sizeof t),
            fs_format_ns(r->max_wait_ns, w, sizeof w), fs_format_count(r->polls, p, sizeof p));
    if (rp->has_faults)
        fprintf(out, ", %s fault%s", fs_format_count(r->faults, p, sizeof p),
                r->faults == 1 ? "" : "s");
    fputc('\n', out);
    static const char *const cmds[] = {"run", "view"};
    for (int c = 0; c < 2; c++) {
        char *cmd = fs__replay(rp, cmds[c], r);
        if (!cmd)
            return false;
        char *pb = malloc(4 * strlen(cmd) + 8);
        if (!pb) {
            free(cmd);
            return false;
        }
        fprintf(out, "      %s\n", fs_format_printable(cmd, pb, 4 * strlen(cmd) + 8));
        free(pb);
        free(cmd);
    }
    if (rp->save_dir) {
        char name[4200], pb[FS__TEXT * 4];
        fprintf(out, "      trace %s\n",
                fs_format_printable(fs__trace_name(rp, r, name, sizeof name), pb, sizeof pb));
    }
    return true;
}

static bool fs__print_executor(const fs__report *rp, int e, FILE *out)
{
    const fs_explore_summary *s = &rp->sum[e];
    char a[32], b[32], c[32], d[32];
    fprintf(out, "\n%s: %s runs: %s ok, %s stalled, %s limit hit", rp->label[e],
            fs_format_count((int64_t)s->runs, a, sizeof a),
            fs_format_count((int64_t)s->outcomes[FS_OUTCOME_OK], b, sizeof b),
            fs_format_count((int64_t)s->outcomes[FS_OUTCOME_STALLED], c, sizeof c),
            fs_format_count((int64_t)s->outcomes[FS_OUTCOME_LIMIT], d, sizeof d));
    if (rp->has_expect) /* a scenario without expectations has no such outcome */
        fprintf(out, ", %s expectation failed",
                fs_format_count((int64_t)s->outcomes[FS_OUTCOME_EXPECT], a, sizeof a));
    fputc('\n', out);
    if (rp->has_faults) {
        fprintf(out, "  faults: fired in %s runs (", fs_format_count((int64_t)s->fault_runs, a, sizeof a));
        for (int k = 0; k < FS_FAULT__COUNT; k++)
            fprintf(out, "%s%s %s", k ? ", " : "", fs_fault_kind_name((fs_fault_kind)k),
                    fs_format_count((int64_t)s->fault_kind_runs[k], a, sizeof a));
        fprintf(out, "), %s of them not ok\n", fs_format_count((int64_t)s->fault_not_ok, a, sizeof a));
    }
    if (s->runs == 0)
        return true;
    fprintf(out, "  %-13s  %11s  %11s  %11s  %11s  %11s\n", "", "min", "p50", "p90", "p99", "max");
    fs__print_dist("end time", &s->end_ns, true, out);
    fs__print_dist("longest wait", &s->max_wait_ns, true, out);
    fs__print_dist("polls", &s->polls, false, out);

    fprintf(out, "\n  end time\n");
    uint64_t most = 1;
    for (int i = 0; i < s->n_bins; i++)
        most = s->bins[i] > most ? s->bins[i] : most;
    for (int i = 0; i < s->n_bins; i++) {
        int64_t lo = s->bin_lo + (int64_t)i * s->bin_width;
        int bar = (int)((s->bins[i] * 40 + most - 1) / most);
        fprintf(out, "  %11s .. %-11s %9s  %.*s\n", fs_format_ns(lo, a, sizeof a),
                fs_format_ns(lo + s->bin_width, b, sizeof b),
                fs_format_count((int64_t)s->bins[i], c, sizeof c), bar,
                "########################################");
    }

    uint64_t failing = s->runs - s->outcomes[FS_OUTCOME_OK];
    if (failing) {
        fprintf(out, "\n  failing runs: %s", fs_format_count((int64_t)failing, a, sizeof a));
        if (failing > (uint64_t)s->n_failing)
            fprintf(out, ", the %d lowest seeds", s->n_failing);
        fputc('\n', out);
        for (int i = 0; i < s->n_failing; i++)
            if (!fs__print_listed(rp, s->failing[i], out))
                return false;
    }
    fprintf(out, "\n  latest end:\n");
    for (int i = 0; i < s->n_worst_end; i++)
        if (!fs__print_listed(rp, s->worst_end[i], out))
            return false;
    if (s->n_worst_wait == 0) {
        fprintf(out, "\n  longest wait: none (every poll came at once)\n");
        return true;
    }
    fprintf(out, "\n  longest wait:\n");
    for (int i = 0; i < s->n_worst_wait; i++)
        if (!fs__print_listed(rp, s->worst_wait[i], out))
            return false;
    return true;
}

/* "2nd", "3rd", "11th", "1,000th" */
static const char *fs__ordinal(uint64_t n, char *buf, size_t size)
{
    fs_format_count((int64_t)n, buf, size);
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13)
        suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    size_t len = strlen(buf);
    if (len + 3 <= size)
        memcpy(buf + len, suffix, 3);
    return buf;
}

/* "1..1000 under wake, steal:2: 2,000 runs" (and the shard) */
static void fs__print_sweep(const fs__report *rp, FILE *out)
{
    const fs_explore_desc *d = rp->x->desc;
    char a[32], b[32];
    fprintf(out, "%llu..%llu under", (unsigned long long)d->first_seed,
            (unsigned long long)d->last_seed);
    for (int e = 0; e < d->n_exec; e++)
        fprintf(out, "%s %s", e ? "," : "", rp->label[e]);
    if (d->shard_count > 1)
        fprintf(out, ", shard %llu/%llu (every %s seed from %llu)",
                (unsigned long long)d->shard_index + 1, (unsigned long long)d->shard_count,
                fs__ordinal(d->shard_count, b, sizeof b),
                (unsigned long long)fs_explore_shard_seed(d, 0));
    fprintf(out, ": %s runs", fs_format_count((int64_t)rp->x->n_runs, a, sizeof a));
}

/* The seed --until-failure stopped at. */
static uint64_t fs__stopped_seed(const fs_explore *x)
{
    return x->desc->first_seed + x->n_kept / (uint64_t)x->desc->n_exec - 1;
}

static bool fs__print_text(const fs__report *rp, FILE *out)
{
    const fs_explore *x = rp->x;
    char nb[FS__TEXT], fb[FS__TEXT], a[32], b[32];
    fprintf(out, "scenario   %s (%s)\n", fs_format_printable(rp->name, nb, sizeof nb),
            fs_format_printable(rp->path, fb, sizeof fb));
    fputs("seeds      ", out);
    fs__print_sweep(rp, out);
    fputc('\n', out);
    if (x->failure_found)
        fprintf(out, "stopped    at the first failure, seed %llu (--until-failure): "
                "%s runs done\n", (unsigned long long)fs__stopped_seed(x),
                fs_format_count((int64_t)x->n_done, a, sizeof a));
    if (x->interrupted)
        fprintf(out, "interrupted after %s of %s runs: the figures are of those\n",
                fs_format_count((int64_t)x->n_done, a, sizeof a),
                fs_format_count((int64_t)x->n_kept, b, sizeof b));
    for (int e = 0; e < x->desc->n_exec; e++)
        if (!fs__print_executor(rp, e, out))
            return false;
    return true;
}

/* ---- the JSON report -------------------------------------------------------- */

static void fs__json_dist(fs_jsonw *w, const char *key, const fs_explore_dist *d)
{
    fs_jsonw_key(w, key, false);
    fs_jsonw_char(w, '{');
    const char *names[] = {"min", "p50", "p90", "p99", "max"};
    int64_t v[5] = {d->min, d->p50, d->p90, d->p99, d->max};
    for (int i = 0; i < 5; i++) {
        fs_jsonw_key(w, names[i], i == 0);
        fs_jsonw_i64(w, v[i]);
    }
    fs_jsonw_char(w, '}');
}

static bool fs__json_runs(fs_jsonw *w, const fs__report *rp, const char *key,
                          const uint64_t *list, int n)
{
    fs_jsonw_key(w, key, false);
    fs_jsonw_char(w, '[');
    for (int i = 0; i < n; i++) {
        const fs_explore_rec *r = &rp->x->recs[list[i]];
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_char(w, '{');
        fs_jsonw_key(w, "seed", true);
        fs_jsonw_i64(w, (int64_t)r->seed);
        fs_jsonw_key(w, "outcome", false);
        fs_jsonw_str(w, fs_outcome_name((fs_outcome)r->outcome));
        fs_jsonw_key(w, "limit_hit", false);
        fs_jsonw_str(w, r->outcome == FS_OUTCOME_LIMIT ? fs_limit_name((fs_limit)r->limit) : NULL);
        if (r->outcome == FS_OUTCOME_EXPECT) {
            fs_jsonw_key(w, "expectation", false);
            fs_jsonw_str(w, fs_expect_key_name((fs_expect_key)r->expect));
        }
        fs_jsonw_key(w, "end_ns", false);
        fs_jsonw_i64(w, r->end_ns);
        fs_jsonw_key(w, "max_runnable_wait_ns", false);
        fs_jsonw_i64(w, r->max_wait_ns);
        fs_jsonw_key(w, "polls", false);
        fs_jsonw_i64(w, r->polls);
        if (rp->has_faults) {
            fs_jsonw_key(w, "faults", false);
            fs_jsonw_i64(w, r->faults);
        }
        static const char *const cmds[][2] = {{"run", "replay"}, {"view", "view"}};
        for (int c = 0; c < 2; c++) {
            char *cmd = fs__replay(rp, cmds[c][0], r);
            if (!cmd)
                return false;
            fs_jsonw_key(w, cmds[c][1], false);
            fs_jsonw_str(w, cmd);
            free(cmd);
        }
        if (rp->save_dir) {
            char name[4200];
            fs_jsonw_key(w, "trace", false);
            fs_jsonw_str(w, fs__trace_name(rp, r, name, sizeof name));
        }
        fs_jsonw_char(w, '}');
    }
    fs_jsonw_char(w, ']');
    return true;
}

/* Every run done, one array each (FS_EXPLORE_RECORD_FIELDS), in (seed,
 * executor) order: what `explore --merge` reads back. */
static void fs__json_records(fs_jsonw *w, const fs__report *rp)
{
    static const char *const fields[] = {FS_EXPLORE_RECORD_FIELDS, FS_EXPLORE_FAULT_FIELDS};
    fs_jsonw_key(w, "record_fields", false);
    fs_jsonw_char(w, '[');
    int n_fields = FS_EXPLORE_N_RECORD_FIELDS + (rp->has_faults ? FS_EXPLORE_N_FAULT_FIELDS : 0);
    for (int i = 0; i < n_fields; i++) {
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_str(w, fields[i]);
    }
    fs_jsonw_char(w, ']');
    fs_jsonw_key(w, "records", false);
    fs_jsonw_char(w, '[');
    bool first = true;
    for (uint64_t i = 0; i < rp->x->n_kept; i++) {
        const fs_explore_rec *r = &rp->x->recs[i];
        if (!r->done)
            continue;
        fs_jsonw_lit(w, first ? "\n[" : ",\n[");
        first = false;
        fs_jsonw_i64(w, (int64_t)r->seed);
        fs_jsonw_char(w, ',');
        fs_jsonw_str(w, rp->label[r->exec]);
        fs_jsonw_char(w, ',');
        fs_jsonw_str(w, fs_outcome_name((fs_outcome)r->outcome));
        fs_jsonw_char(w, ',');
        fs_jsonw_str(w, r->outcome == FS_OUTCOME_LIMIT ? fs_limit_name((fs_limit)r->limit) : NULL);
        fs_jsonw_char(w, ',');
        fs_jsonw_str(w, r->outcome == FS_OUTCOME_EXPECT ? fs_expect_key_name((fs_expect_key)r->expect)
                                                        : NULL);
        int64_t v[3] = {r->end_ns, r->max_wait_ns, r->polls};
        for (int k = 0; k < 3; k++) {
            fs_jsonw_char(w, ',');
            fs_jsonw_i64(w, v[k]);
        }
        if (rp->has_faults) { /* faults, fault_kinds: 1,["latency"] */
            fs_jsonw_char(w, ',');
            fs_jsonw_i64(w, r->faults);
            fs_jsonw_lit(w, ",[");
            bool first_kind = true;
            for (int k = 0; k < FS_FAULT__COUNT; k++) {
                if (!((r->fault_kinds >> k) & 1))
                    continue;
                if (!first_kind)
                    fs_jsonw_char(w, ',');
                first_kind = false;
                fs_jsonw_str(w, fs_fault_kind_name((fs_fault_kind)k));
            }
            fs_jsonw_char(w, ']');
        }
        fs_jsonw_char(w, ']');
    }
    fs_jsonw_char(w, ']');
}

static bool fs__print_json(const fs__report *rp, FILE *out)
{
    const fs_explore *x = rp->x;
    const fs_explore_desc *d = x->desc;
    fs_jsonw *w = malloc(sizeof *w);
    if (!w)
        return false;
    fs_jsonw_init(w, out);
    fs_jsonw_lit(w, "{\"type\":\"explore\"");
    fs_jsonw_key(w, "scenario", false);
    fs_jsonw_str(w, rp->name);
    fs_jsonw_key(w, "file", false);
    fs_jsonw_str(w, rp->path);
    fs_jsonw_key(w, "first_seed", false);
    fs_jsonw_i64(w, (int64_t)d->first_seed);
    fs_jsonw_key(w, "last_seed", false);
    fs_jsonw_i64(w, (int64_t)d->last_seed);
    fs_jsonw_key(w, "runs", false);
    fs_jsonw_i64(w, (int64_t)x->n_runs);
    fs_jsonw_key(w, "runs_done", false);
    fs_jsonw_i64(w, (int64_t)x->n_done);
    fs_jsonw_key(w, "interrupted", false);
    fs_jsonw_bool(w, x->interrupted);
    fs_jsonw_key(w, "stopped_at_seed", false);
    if (x->failure_found)
        fs_jsonw_i64(w, (int64_t)fs__stopped_seed(x));
    else
        fs_jsonw_lit(w, "null");
    fs_jsonw_key(w, "shard", false);
    if (d->shard_count > 1) {
        fs_jsonw_lit(w, "{\"index\":");
        fs_jsonw_i64(w, (int64_t)d->shard_index + 1);
        fs_jsonw_key(w, "count", false);
        fs_jsonw_i64(w, (int64_t)d->shard_count);
        fs_jsonw_char(w, '}');
    } else {
        fs_jsonw_lit(w, "null");
    }
    fs_jsonw_key(w, "options", false);
    fs_jsonw_str(w, rp->options);
    fs_jsonw_key(w, "expect", false);
    fs_jsonw_bool(w, rp->has_expect);
    fs_jsonw_key(w, "faults", false);
    fs_jsonw_bool(w, rp->has_faults);
    fs_jsonw_key(w, "executors", false);
    fs_jsonw_char(w, '[');
    bool ok = true;
    for (int e = 0; e < d->n_exec && ok; e++) {
        const fs_explore_summary *s = &rp->sum[e];
        if (e)
            fs_jsonw_char(w, ',');
        fs_jsonw_char(w, '{');
        fs_jsonw_key(w, "executor", true);
        fs_jsonw_str(w, rp->label[e]);
        fs_jsonw_key(w, "runs", false);
        fs_jsonw_i64(w, (int64_t)s->runs);
        fs_jsonw_key(w, "outcomes", false);
        fs_jsonw_char(w, '{');
        for (int o = 0; o < FS_OUTCOME__COUNT; o++) {
            fs_jsonw_key(w, fs_outcome_name((fs_outcome)o), o == 0);
            fs_jsonw_i64(w, (int64_t)s->outcomes[o]);
        }
        fs_jsonw_char(w, '}');
        if (rp->has_faults) { /* counts of runs, not of faults */
            fs_jsonw_key(w, "faults", false);
            fs_jsonw_lit(w, "{\"runs\":");
            fs_jsonw_i64(w, (int64_t)s->fault_runs);
            for (int k = 0; k < FS_FAULT__COUNT; k++) {
                fs_jsonw_key(w, fs_fault_kind_name((fs_fault_kind)k), false);
                fs_jsonw_i64(w, (int64_t)s->fault_kind_runs[k]);
            }
            fs_jsonw_key(w, "not_ok", false);
            fs_jsonw_i64(w, (int64_t)s->fault_not_ok);
            fs_jsonw_char(w, '}');
        }
        if (s->runs > 0) {
            fs__json_dist(w, "end_ns", &s->end_ns);
            fs__json_dist(w, "max_runnable_wait_ns", &s->max_wait_ns);
            fs__json_dist(w, "polls", &s->polls);
            fs_jsonw_key(w, "histogram", false);
            fs_jsonw_lit(w, "{\"lo_ns\":");
            fs_jsonw_i64(w, s->bin_lo);
            fs_jsonw_key(w, "width_ns", false);
            fs_jsonw_i64(w, s->bin_width);
            fs_jsonw_key(w, "counts", false);
            fs_jsonw_char(w, '[');
            for (int i = 0; i < s->n_bins; i++) {
                if (i)
                    fs_jsonw_char(w, ',');
                fs_jsonw_i64(w, (int64_t)s->bins[i]);
            }
            fs_jsonw_lit(w, "]}");
        }
        fs_jsonw_key(w, "failing_count", false);
        fs_jsonw_i64(w, (int64_t)(s->runs - s->outcomes[FS_OUTCOME_OK]));
        ok = fs__json_runs(w, rp, "failing", s->failing, s->n_failing) &&
             fs__json_runs(w, rp, "latest_end", s->worst_end, s->n_worst_end) &&
             fs__json_runs(w, rp, "longest_wait", s->worst_wait, s->n_worst_wait);
        fs_jsonw_char(w, '}');
    }
    fs_jsonw_char(w, ']');
    fs__json_records(w, rp);
    fs_jsonw_lit(w, "}\n");
    ok = fs_jsonw_flush(w) && ok;
    free(w);
    return ok;
}

/* ---- --plot -------------------------------------------------------------------- */

/* --plot's file, checked before anything runs: a name, not stdout (where
 * the report goes), not an input, and in a folder that takes it (a
 * temporary file made and removed now, so a bad path costs no sweep).
 * Returns the exit status, -1 when it is good. */
static int fs__check_plot(const char *path, const char *const *inputs, int n_in)
{
    if (!*path)
        return fs_cli_usage_error("explore", "option --plot needs a file name, got ''");
    if (strcmp(path, "-") == 0)
        return fs_cli_usage_error("explore", "--plot -: stdout holds the report; give the PNG "
                                  "a file name");
    fs_cli_output out = {"--plot", path};
    int st = fs_cli_check_outputs("explore", inputs, n_in, &out, 1);
    if (st >= 0)
        return st;
    if (fs_outfile_same_file("/dev/stdout", path))
        return fs_cli_usage_error("explore", "--plot %s is where stdout (the report) goes; "
                                  "refusing to overwrite it", path);
    fs_outfile of;
    fs_error err = {0};
    if (!fs_outfile_open(&of, path, &err)) {
        fs_error_print(&err, stderr);
        return FS_EXIT_INPUT;
    }
    fs_outfile_abort(&of);
    return -1;
}

/* "schedule S" (fixed unless the options say) and the other options, as
 * the runs were given them, into out. */
static void fs__print_schedule(const char *options, FILE *out)
{
    const char *at = strstr(options, " --schedule ");
    size_t len = 0;
    if (at) {
        const char *v = at + strlen(" --schedule ");
        len = (size_t)(v - at) + strcspn(v, " ");
        fprintf(out, "schedule %.*s", (int)strcspn(v, " "), v);
    } else {
        at = options + strlen(options);
        fputs("schedule fixed", out);
    }
    if (strlen(options) > len)
        fprintf(out, "; options%.*s%s", (int)(at - options), options, at + len);
}

/* Draws the end times of the report's runs into path (viz/plot.h);
 * returns the exit status, -1 when it is written. */
static int fs__write_plot(const fs__report *rp, const char *path)
{
    fs_explore_hist *h = malloc(sizeof *h);
    char *title = NULL, *sub = NULL;
    size_t tn = 0, sn = 0;
    FILE *t = open_memstream(&title, &tn), *u = open_memstream(&sub, &sn);
    int status = FS_EXIT_INTERNAL;
    if (t) {
        char nb[FS__TEXT], fb[FS__TEXT];
        fprintf(t, "end times of %s (%s)", fs_format_printable(rp->name, nb, sizeof nb),
                fs_format_printable(rp->path, fb, sizeof fb));
    }
    if (u) {
        char ob[FS__TEXT];
        fputs("seeds ", u);
        fs__print_sweep(rp, u);
        fputs("; ", u);
        fs__print_schedule(fs_format_printable(rp->options, ob, sizeof ob), u);
        if (rp->x->failure_found)
            fprintf(u, "; stopped at the first failure, seed %llu",
                    (unsigned long long)fs__stopped_seed(rp->x));
    }
    bool made = h && t && u;
    made = (t && fclose(t) == 0) && made;
    made = (u && fclose(u) == 0) && made;
    if (!made) {
        fputs("futurescope explore: out of memory\n", stderr);
        goto out;
    }
    fs_explore_histogram(rp->x, h);
    fs_viz_plot_desc pd = {.title = title, .subtitle = sub, .has_expect = rp->has_expect,
                           .n_exec = rp->x->desc->n_exec, .labels = rp->label, .sums = rp->sum,
                           .hist = h};
    fs_outfile of;
    fs_error err = {0};
    if (!fs_outfile_open(&of, path, &err)) {
        fs_error_print(&err, stderr);
        status = fs_err_exit_status(err.code);
    } else if (fs_viz_plot_png(&pd, of.f, NULL, &err) != FS_ERR_OK) {
        snprintf(err.file, sizeof err.file, "%.*s", (int)sizeof err.file - 1, path);
        fs_error_print(&err, stderr);
        fs_outfile_abort(&of);
        status = fs_err_exit_status(err.code);
    } else if (!fs_outfile_commit(&of, &err)) {
        fs_error_print(&err, stderr);
    } else {
        status = -1;
    }
out:
    free(title);
    free(sub);
    free(h);
    return status;
}

/* ---- --save -------------------------------------------------------------------- */

/* The folder for --save: made if missing; exit status 2 if it cannot be. */
static int fs__save_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return -1;
        fprintf(stderr, "futurescope explore: --save %s: not a folder\n", dir);
        return FS_EXIT_INPUT;
    }
    if (mkdir(dir, 0777) != 0) {
        fprintf(stderr, "futurescope explore: --save %s: cannot make the folder: %s\n", dir,
                strerror(errno));
        return FS_EXIT_INPUT;
    }
    return -1;
}

static int fs__cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Simulates each listed run again with its trace written to DIR (each run
 * once, in seed order); returns the exit status (-1: all written). */
static int fs__save_traces(const fs__report *rp)
{
    uint64_t list[FS_EXPLORE_MAX_EXEC * (FS_EXPLORE_FAILING + 2 * FS_EXPLORE_WORST)];
    size_t n = 0;
    for (int e = 0; e < rp->x->desc->n_exec; e++) {
        const fs_explore_summary *s = &rp->sum[e];
        for (int i = 0; i < s->n_failing; i++)
            list[n++] = s->failing[i];
        for (int i = 0; i < s->n_worst_end; i++)
            list[n++] = s->worst_end[i];
        for (int i = 0; i < s->n_worst_wait; i++)
            list[n++] = s->worst_wait[i];
    }
    qsort(list, n, sizeof *list, fs__cmp_u64);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && list[i] == list[i - 1])
            continue;
        const fs_explore_rec *r = &rp->x->recs[list[i]];
        char name[4200];
        fs__trace_name(rp, r, name, sizeof name);
        fs_cli_output out[] = {{"--plot", rp->plot}, {"--save", name}};
        int st = fs_cli_check_outputs("explore", &rp->path, 1, out, 2);
        if (st >= 0)
            return st;
        fs_outfile of;
        fs_error err = {0};
        if (!fs_outfile_open(&of, name, &err)) {
            fs_error_print(&err, stderr);
            return fs_err_exit_status(err.code);
        }
        fs_run_desc d = rp->d[r->exec];
        d.has_seed = true;
        d.seed = r->seed;
        d.trace = of.f;
        fs_run *run = NULL;
        fs_errcode rc = fs_run_simulate(&d, &run, &err);
        fs_run_free(run);
        if (rc != FS_ERR_OK) {
            if (!err.file[0])
                snprintf(err.file, sizeof err.file, "%.*s", (int)sizeof err.file - 1, name);
            fs_error_print(&err, stderr);
            fs_outfile_abort(&of);
            return fs_err_exit_status(rc);
        }
        if (!fs_outfile_commit(&of, &err)) {
            fs_error_print(&err, stderr);
            return FS_EXIT_INTERNAL;
        }
    }
    return -1;
}

/* ---- the command ------------------------------------------------------------ */

static volatile sig_atomic_t fs__stop;

static void fs__on_sigint(int sig)
{
    (void)sig;
    fs__stop = 1;
}

/* Summarizes rp->x per executor and prints the report; returns the exit
 * status (0 all ok, 3 a run not ok, 1 out of memory or a write failed). */
static int fs__print_report(fs__report *rp, bool json)
{
    int status = FS_EXIT_OK;
    for (int e = 0; e < rp->x->desc->n_exec; e++) {
        if (!fs_explore_summarize(rp->x, e, &rp->sum[e])) {
            fputs("futurescope explore: out of memory\n", stderr);
            return FS_EXIT_INTERNAL;
        }
        if (rp->sum[e].outcomes[FS_OUTCOME_OK] != rp->sum[e].runs)
            status = FS_EXIT_STALLED;
    }
    bool printed = json ? fs__print_json(rp, stdout) : fs__print_text(rp, stdout);
    if (fflush(stdout) != 0 || !printed) {
        fprintf(stderr, "futurescope explore: writing the report failed\n");
        return FS_EXIT_INTERNAL;
    }
    return status;
}

/* explore --merge A.json B.json ... [--json]: the shards' reports as one. */
static int fs__merge(int argc, char **argv)
{
    bool json = false;
    const char *plot = NULL;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int n = 0;
    if (!paths) {
        fputs("futurescope explore: out of memory\n", stderr);
        return FS_EXIT_INTERNAL;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--merge") == 0)
            continue;
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--plot") == 0) {
            if (i + 1 >= argc) {
                free(paths);
                return fs_cli_usage_error("explore", "option --plot needs a value");
            }
            plot = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return fs_cli_usage_error("explore", "--merge takes the shards' --json reports, "
                                      "--json and --plot, not %s (the runs' options are in the "
                                      "reports)",
                                      argv[i]);
        } else {
            paths[n++] = argv[i];
        }
    }
    if (n == 0) {
        free(paths);
        return fs_cli_usage_error("explore", "--merge needs the --json reports of the shards");
    }
    int st = plot ? fs__check_plot(plot, paths, n) : -1;
    if (st >= 0) {
        free(paths);
        return st;
    }
    fs_explore_merged m;
    fs_error err;
    fs_errcode rc = fs_explore_merge(paths, n, &m, &err);
    free(paths);
    if (rc != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        return fs_err_exit_status(rc);
    }
    fs__report *rp = calloc(1, sizeof *rp);
    if (!rp) {
        fs_explore_merged_free(&m);
        fputs("futurescope explore: out of memory\n", stderr);
        return FS_EXIT_INTERNAL;
    }
    rp->name = m.scenario;
    rp->has_expect = m.expect;
    rp->has_faults = m.faults;
    rp->path = m.file;
    rp->options = m.options;
    rp->x = &m.x;
    for (int e = 0; e < m.n_exec; e++)
        memcpy(rp->label[e], m.label[e], sizeof rp->label[e]);
    int status = fs__print_report(rp, json);
    if (status != FS_EXIT_INTERNAL && plot) {
        st = fs__write_plot(rp, plot);
        status = st >= 0 ? st : status;
    }
    free(rp);
    fs_explore_merged_free(&m);
    return status;
}

static int fs__explore(fs__report *rp, fs_explore_desc *xd, bool json)
{
    fs_explore x;
    fs_error err = {0};
    fs_progress progress;
    fs_progress_init(&progress, "explore");
    xd->progress = fs_progress_runs;
    xd->progress_ctx = &progress;

    /* Ctrl-C: take no new run, then report what is done. The handler goes
     * after one signal (SA_RESETHAND), so a second Ctrl-C ends the program
     * at once; a SIGINT ignored from the start (nohup) stays ignored. */
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fs__on_sigint;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    fs__stop = 0;
    sigaction(SIGINT, NULL, &old);
    if (old.sa_handler != SIG_IGN)
        sigaction(SIGINT, &sa, NULL);
    xd->stop = &fs__stop;
    /* Each run frees what it allocated; a thread's malloc arena would give
     * those pages back and fault them in again every run (most of a small
     * run's time): keep them. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    fs_errcode rc = fs_explore_run(xd, &x, &err);
    if (old.sa_handler != SIG_IGN)
        sigaction(SIGINT, &old, NULL);
    fs_progress_done(&progress);
    if (rc != FS_ERR_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%.*s", (int)sizeof err.file - 1, rp->path);
        fs_error_print(&err, stderr);
        return fs_err_exit_status(rc);
    }
    rp->x = &x;
    int status = fs__print_report(rp, json);
    if (status == FS_EXIT_INTERNAL) {
    } else if (x.interrupted) {
        status = 128 + SIGINT;
    } else {
        int st = rp->plot ? fs__write_plot(rp, rp->plot) : -1;
        if (st < 0 && rp->save_dir)
            st = fs__save_traces(rp);
        status = st >= 0 ? st : status;
    }
    fs_explore_free(&x);
    return status;
}

int fs_cmd_explore(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__explore_help, stdout);
        return FS_EXIT_OK;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--merge") == 0)
            return fs__merge(argc, argv);
    fs__explore_opts xo = {.max_runs = FS__DEFAULT_MAX_RUNS};
    int st = fs__explore_only(&argc, argv, &xo);
    if (st >= 0)
        return st;
    fs_cli_opts o;
    st = fs_cli_parse("explore", argc, argv, &o);
    if (st >= 0)
        return st;
    if (o.n_inputs != 1)
        return fs_cli_usage_error("explore", "expected one scenario file, got %d", o.n_inputs);
    if (o.trace_path || o.chrome_path || o.max_chrome_bytes)
        return fs_cli_usage_error("explore", "-o, --chrome and --max-chrome belong to run "
                                  "(--save DIR writes the traces of the runs it lists)");
    if (o.view_flag)
        return fs_cli_usage_error("explore", "%s belongs to view", o.view_flag);
    if (o.has_seed)
        return fs_cli_usage_error("explore", "explore takes --seeds A..B, not --seed");
    if (!xo.has_seeds)
        return fs_cli_usage_error("explore", "which seeds? give --seeds A..B");

    if (xo.shard_count > 1 && xo.until_failure)
        return fs_cli_usage_error("explore", "--until-failure stops at the lowest failing seed of "
                                  "the whole range, which one shard cannot know: drop it or --shard");
    fs_explore_desc probe = {.first_seed = xo.first, .last_seed = xo.last,
                             .shard_index = xo.shard_index, .shard_count = xo.shard_count};
    uint64_t shard_seeds = fs_explore_shard_seeds(&probe);
    if (shard_seeds == 0)
        return fs_cli_usage_error("explore", "shard %llu/%llu of seeds %llu..%llu has no seed",
                                  (unsigned long long)xo.shard_index + 1,
                                  (unsigned long long)xo.shard_count, (unsigned long long)xo.first,
                                  (unsigned long long)xo.last);
    fs__report rp = {.path = o.inputs[0], .save_dir = xo.save_dir, .plot = xo.plot};
    fs_run_desc d[FS_EXPLORE_MAX_EXEC];
    int n_exec = fs_cli_executors("explore", o.executors ? o.executors : "wake", o.lifo, d,
                                  FS_EXPLORE_MAX_EXEC);
    if (n_exec < 0)
        return FS_EXIT_INPUT;
    if (shard_seeds > xo.max_runs / (uint64_t)n_exec) {
        char a[32], b[32];
        return fs_cli_usage_error("explore", "%llu..%llu under %d executor%s is more than "
                                  "%s runs (--max-runs; split the range, at most %s at once)",
                                  (unsigned long long)xo.first, (unsigned long long)xo.last,
                                  n_exec, n_exec > 1 ? "s" : "",
                                  fs_format_count((int64_t)xo.max_runs, a, sizeof a),
                                  fs_format_count((int64_t)FS__MAX_MAX_RUNS, b, sizeof b));
    }
    fs_error lerr = {0};
    fs_scenario *sc = NULL;
    fs_errcode rc = fs_scenario_load_file(o.inputs[0], &sc, &lerr);
    if (rc != FS_ERR_OK) {
        fs_error_print(&lerr, stderr);
        return fs_err_exit_status(rc);
    }
    /* The folder is made once the scenario is known good, before the runs
     * (a bad path costs no sweep). */
    if (xo.save_dir && (st = fs__save_dir(xo.save_dir)) >= 0) {
        fs_scenario_free(sc);
        return st;
    }
    if (xo.plot && (st = fs__check_plot(xo.plot, o.inputs, 1)) >= 0) {
        fs_scenario_free(sc);
        return st;
    }
    rp.name = sc->name;
    rp.has_expect = sc->expect.present;
    rp.has_faults = sc->n_worker_faults > 0;
    for (size_t i = 0; i < sc->n_resources; i++)
        rp.has_faults = rp.has_faults || sc->resources[i].n_faults > 0;
    for (int e = 0; e < n_exec; e++) {
        fs_cli_apply_run_opts(&d[e], &o, sc);
        fs_exec_desc kind = {.kind = d[e].kind, .workers = d[e].workers};
        fs_exec_label(&kind, rp.label[e], sizeof rp.label[e]);
    }
    rp.d = d;
    char *options = fs__shaping_options(argc, argv);
    if (!options) {
        fs_scenario_free(sc);
        fputs("futurescope explore: out of memory\n", stderr);
        return FS_EXIT_INTERNAL;
    }
    rp.options = options;
    fs_explore_desc xd = {.runs = d, .n_exec = n_exec, .first_seed = xo.first,
                          .last_seed = xo.last, .shard_index = xo.shard_index,
                          .shard_count = xo.shard_count, .jobs = xo.jobs,
                          .until_failure = xo.until_failure};
    st = fs__explore(&rp, &xd, o.json);
    free(options);
    fs_scenario_free(sc);
    return st;
}
