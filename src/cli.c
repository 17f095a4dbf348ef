/* cli.c - option parsing shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "outfile.h"

int fs_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "futurescope %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see futurescope %s --help)\n", cmd);
    return FS_EXIT_INPUT;
}

bool fs_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

static bool fs__parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max)
        return false;
    *out = v;
    return true;
}

/* A probability from 0 to 1 with at most three decimals ("0.65", "1"), as
 * per mille; returns where it stopped, or NULL if it is not one. */
static const char *fs__parse_permille(const char *s, int *pm)
{
    if (*s != '0' && *s != '1')
        return NULL;
    int v = (*s++ - '0') * 1000;
    if (*s == '.') {
        s++;
        int scale = 100, digits = 0;
        for (; *s >= '0' && *s <= '9'; s++, digits++, scale /= 10) {
            if (digits == 3)
                return NULL;
            v += (*s - '0') * scale;
        }
        if (digits == 0)
            return NULL;
    }
    if (v > 1000)
        return NULL;
    *pm = v;
    return s;
}

bool fs_cli_parse_time(const char *val, int64_t *ns)
{
    /* a unit is required: "1.5" could mean seconds or ms (0 is 0) */
    size_t len = strlen(val);
    bool unit = len > 0 && ((val[len - 1] >= 'a' && val[len - 1] <= 'z') || strcmp(val, "0") == 0);
    return unit && fs_parse_duration(val, ns);
}

int fs_cli_parse(const char *cmd, int argc, char **argv, fs_cli_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
#define NEED_VALUE()                                                           \
    do {                                                                       \
        if (!val)                                                              \
            return fs_cli_usage_error(cmd, "option %s needs a value", a);      \
    } while (0)
#define NEED_PATH()                                                            \
    do {                                                                       \
        NEED_VALUE();                                                          \
        if (!*val)                                                             \
            return fs_cli_usage_error(cmd, "option %s needs a file name, got ''", a); \
    } while (0)
        if (strcmp(a, "-e") == 0 || strcmp(a, "--executor") == 0) {
            NEED_VALUE();
            o->executors = val;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            NEED_PATH();
            o->trace_path = val;
        } else if (strcmp(a, "--chrome") == 0) {
            NEED_PATH();
            o->chrome_path = val;
        } else if (strcmp(a, "--perfetto") == 0) {
            NEED_PATH();
            o->perfetto_path = val;
        } else if (strcmp(a, "--seed") == 0) {
            NEED_VALUE();
            if (!fs__parse_u64(val, 9007199254740992ULL, &o->seed))
                return fs_cli_usage_error(cmd, "--seed expects an integer 0..2^53, got '%s'", val);
            o->has_seed = true;
        } else if (strcmp(a, "--poll-cost-ns") == 0) {
            NEED_VALUE();
            uint64_t v;
            if (!fs__parse_u64(val, 1000000000ULL, &v))
                return fs_cli_usage_error(cmd, "--poll-cost-ns expects an integer 0..1000000000, got '%s'", val);
            o->has_poll_cost = true;
            o->poll_cost_ns = (int64_t)v;
        } else if (strcmp(a, "--max-time") == 0) {
            NEED_VALUE();
            if (!fs_parse_duration(val, &o->max_time_ns) || o->max_time_ns <= 0)
                return fs_cli_usage_error(cmd, "--max-time expects a duration like 10s, 500ms or 1h, got '%s'", val);
        } else if (strcmp(a, "--screenshot") == 0) {
            NEED_PATH();
            o->screenshot_path = val;
        } else if (strcmp(a, "--at") == 0) {
            NEED_VALUE();
            if (!fs_cli_parse_time(val, &o->at_ns))
                return fs_cli_usage_error(cmd, "--at expects a time with its unit like 1.5s, 200ms or 50us, got '%s'", val);
            o->has_at = true;
        } else if (strcmp(a, "--size") == 0) {
            NEED_VALUE();
            char x;
            int w, h, used = 0;
            if (sscanf(val, "%d%c%d%n", &w, &x, &h, &used) != 3 || (x != 'x' && x != 'X') ||
                val[used] != '\0' || w < 320 || h < 200 || w > 16384 || h > 16384)
                return fs_cli_usage_error(cmd, "--size expects WIDTHxHEIGHT like 1600x900 (at least 320x200), got '%s'", val);
            o->size_w = w;
            o->size_h = h;
        } else if (strcmp(a, "--max-polls") == 0) {
            NEED_VALUE();
            uint64_t v;
            if (!fs__parse_u64(val, 1000000000000ULL, &v) || v == 0)
                return fs_cli_usage_error(cmd, "--max-polls expects an integer 1..10^12, got '%s'", val);
            o->max_polls = (int64_t)v;
        } else if (strcmp(a, "--max-tasks") == 0) {
            NEED_VALUE();
            uint64_t v;
            if (!fs__parse_u64(val, INT32_MAX, &v) || v == 0)
                return fs_cli_usage_error(cmd, "--max-tasks expects an integer 1..2147483647, got '%s'", val);
            o->max_tasks = (int64_t)v;
        } else if (strcmp(a, "--tokio") == 0) {
            NEED_VALUE();
            if (strcmp(val, "1.24") == 0)
                o->tokio = FS_TOKIO_1_24;
            else if (strcmp(val, "current") == 0)
                o->tokio = FS_TOKIO_CURRENT;
            else
                return fs_cli_usage_error(cmd, "--tokio expects 1.24 or current, got '%s'", val);
        } else if (strcmp(a, "--timer-slack") == 0 || strcmp(a, "--wake-latency") == 0) {
            NEED_VALUE();
            int64_t *v = a[2] == 't' ? &o->timer_slack_ns : &o->wake_latency_ns;
            if (!fs_parse_duration(val, v) || *v > 1000000000LL)
                return fs_cli_usage_error(cmd, "%s expects a duration from 0 to 1s like 50us, got '%s'", a, val);
        } else if (strcmp(a, "--cpus") == 0) {
            NEED_VALUE();
            uint64_t v;
            if (!fs__parse_u64(val, 1024, &v) || v == 0)
                return fs_cli_usage_error(cmd, "--cpus expects an integer 1..1024, got '%s'", val);
            o->cpus = (int)v;
        } else if (strcmp(a, "--turn-delay") == 0) {
            NEED_VALUE();
            if (!fs_parse_duration(val, &o->turn_delay_ns) || o->turn_delay_ns > 1000000000LL)
                return fs_cli_usage_error(cmd, "--turn-delay expects a duration from 0 to 1s like 20us, got '%s'", val);
        } else if (strcmp(a, "--hand-over") == 0) {
            NEED_VALUE();
            const char *rest = fs__parse_permille(val, &o->hand_over_pm[0]);
            o->hand_over_pm[1] = o->hand_over_pm[0];
            if (rest && *rest == ',')
                rest = fs__parse_permille(rest + 1, &o->hand_over_pm[1]);
            if (!rest || *rest)
                return fs_cli_usage_error(cmd, "--hand-over expects P or P,Q, probabilities from 0 "
                                          "to 1 like 0.65,0.5, got '%s'", val);
        } else if (strcmp(a, "--idle-wake") == 0) {
            NEED_VALUE();
            if (!fs_parse_duration(val, &o->idle_wake_ns) || o->idle_wake_ns > 1000000000LL)
                return fs_cli_usage_error(cmd, "--idle-wake expects a duration from 0 to 1s like 60us, got '%s'", val);
        } else if (strcmp(a, "--schedule") == 0) {
            NEED_VALUE();
            char *end = NULL;
            long depth = strncmp(val, "pct:", 4) == 0 && val[4] >= '0' && val[4] <= '9'
                             ? strtol(val + 4, &end, 10) : 0;
            o->random_schedule = false;
            o->pct_depth = 0;
            if (strcmp(val, "random") == 0 || strcmp(val, "fixed") == 0)
                o->random_schedule = val[0] == 'r';
            else if (end && !*end && depth >= 1 && depth <= FS_PCT_MAX_DEPTH)
                o->pct_depth = (int)depth;
            else
                return fs_cli_usage_error(cmd, "--schedule expects fixed, random or pct:D "
                                          "(D from 1 to %d), got '%s'", FS_PCT_MAX_DEPTH, val);
        } else if (strcmp(a, "--tick") == 0) {
            NEED_VALUE();
            if (!fs_parse_duration(val, &o->tick_ns) || o->tick_ns <= 0 ||
                o->tick_ns > 1000000000LL)
                return fs_cli_usage_error(cmd, "--tick expects a duration from 1ns to 1s like 1ms, got '%s'", val);
        } else if (strcmp(a, "--max-trace") == 0) {
            NEED_VALUE();
            if (!fs_parse_size(val, &o->max_trace_bytes))
                return fs_cli_usage_error(cmd, "--max-trace expects a size like 10MB, 500KiB or 2GB, got '%s'", val);
        } else if (strcmp(a, "--max-chrome") == 0 || strcmp(a, "--max-perfetto") == 0) {
            NEED_VALUE();
            uint64_t *v = a[6] == 'c' ? &o->max_chrome_bytes : &o->max_perfetto_bytes;
            if (!fs_parse_size(val, v) || *v == 0)
                return fs_cli_usage_error(cmd, "%s expects a size like 10MB, 500KiB or 2GB, got '%s'", a, val);
        } else if (strcmp(a, "--queue") == 0) {
            NEED_VALUE();
            if (strcmp(val, "lifo") == 0)
                o->lifo = true;
            else if (strcmp(val, "fifo") != 0)
                return fs_cli_usage_error(cmd, "--queue expects fifo or lifo, got '%s'", val);
        } else {
            takes = false;
            if (strcmp(a, "--json") == 0)
                o->json = true;
            else if (strcmp(a, "--no-fast-forward") == 0)
                o->no_fast_forward = true;
            else if (strcmp(a, "--watch") == 0)
                o->watch = true;
            else if (a[0] == '-' && a[1] != '\0')
                return fs_cli_usage_error(cmd, "unknown option '%s'", a);
            else if (o->n_inputs == (int)(sizeof o->inputs / sizeof o->inputs[0]))
                return fs_cli_usage_error(cmd, "too many input files");
            else
                o->inputs[o->n_inputs++] = a;
        }
#undef NEED_PATH
#undef NEED_VALUE
        bool view_only = strcmp(a, "--screenshot") == 0 || strcmp(a, "--at") == 0 ||
                         strcmp(a, "--size") == 0 || strcmp(a, "--watch") == 0;
        if (view_only && !o->view_flag)
            o->view_flag = a;
        if (takes)
            i++;
    }
    return -1;
}

int fs_cli_check_outputs(const char *cmd, const char *const *inputs, int n_in,
                         const fs_cli_output *outs, int n_out)
{
    for (int i = 0; i < n_out; i++) {
        const char *p = outs[i].path;
        if (!p || strcmp(p, "-") == 0)
            continue;
        for (int k = 0; k < n_in; k++)
            if (fs_outfile_same_file(inputs[k], p))
                return fs_cli_usage_error(cmd, "%s %s is the same file as the input %s; "
                                          "refusing to overwrite it", outs[i].option, p, inputs[k]);
        for (int k = 0; k < i; k++)
            if (outs[k].path && fs_outfile_same_file(outs[k].path, p))
                return fs_cli_usage_error(cmd, "%s %s and %s %s are the same file",
                                          outs[k].option, outs[k].path, outs[i].option, p);
    }
    return -1;
}

int fs_cli_executors(const char *cmd, const char *list, bool lifo, fs_run_desc *out, int max)
{
    int n = 0;
    char buf[512];
    if (strlen(list) >= sizeof buf) {
        fs_cli_usage_error(cmd, "executor list too long");
        return -1;
    }
    strcpy(buf, list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == max) {
            fs_cli_usage_error(cmd, "at most %d executors at once", max);
            return -1;
        }
        memset(&out[n], 0, sizeof out[n]);
        if (!fs_exec_parse_kind(tok, &out[n].kind, &out[n].workers)) {
            fs_cli_usage_error(cmd, "unknown executor '%s' (expected blocking, busy, wake or steal:N with N 1..64)", tok);
            return -1;
        }
        n++;
    }
    if (n == 0) {
        fs_cli_usage_error(cmd, "no executor named");
        return -1;
    }
    bool wake = false;
    for (int i = 0; lifo && i < n; i++) {
        if (out[i].kind == FS_EXEC_STEAL) {
            fs_cli_usage_error(cmd, "--queue lifo orders the wake executor's ready queue; steal:%d keeps "
                               "tokio's own queues (a LIFO slot and a local queue per worker)", out[i].workers);
            return -1;
        }
        wake |= out[i].kind == FS_EXEC_WAKE;
    }
    if (lifo && !wake) {
        fs_cli_usage_error(cmd, "--queue lifo orders the wake executor's ready queue, and '%s' has none", list);
        return -1;
    }
    return n;
}

void fs_cli_apply_run_opts(fs_run_desc *d, const fs_cli_opts *o, const fs_scenario *sc)
{
    d->scenario = sc;
    d->lifo = o->lifo;
    d->has_seed = o->has_seed;
    d->seed = o->seed;
    d->has_poll_cost = o->has_poll_cost;
    d->poll_cost_ns = o->poll_cost_ns;
    d->max_time_ns = o->max_time_ns;
    d->max_polls = o->max_polls;
    d->max_tasks = o->max_tasks;
    d->max_trace_bytes = o->max_trace_bytes;
    d->no_fast_forward = o->no_fast_forward;
    d->tokio = o->tokio;
    d->tick_ns = o->tick_ns;
    d->timer_slack_ns = o->timer_slack_ns;
    d->wake_latency_ns = o->wake_latency_ns;
    d->cpus = o->cpus;
    d->turn_delay_ns = o->turn_delay_ns;
    d->hand_over_pm[0] = o->hand_over_pm[0];
    d->hand_over_pm[1] = o->hand_over_pm[1];
    d->idle_wake_ns = o->idle_wake_ns;
    d->random_schedule = o->random_schedule;
    d->pct_depth = o->pct_depth;
}
