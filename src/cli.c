/* cli.c - option parsing shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"

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
        if (strcmp(a, "-e") == 0 || strcmp(a, "--executor") == 0) {
            NEED_VALUE();
            o->executors = val;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            NEED_VALUE();
            o->trace_path = val;
        } else if (strcmp(a, "--chrome") == 0) {
            NEED_VALUE();
            o->chrome_path = val;
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
            NEED_VALUE();
            o->screenshot_path = val;
        } else if (strcmp(a, "--at") == 0) {
            NEED_VALUE();
            if (!fs_parse_duration(val, &o->at_ns))
                return fs_cli_usage_error(cmd, "--at expects a time like 1.5s or 200ms, got '%s'", val);
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
        } else if (strcmp(a, "--max-trace") == 0) {
            NEED_VALUE();
            if (!fs_parse_size(val, &o->max_trace_bytes))
                return fs_cli_usage_error(cmd, "--max-trace expects a size like 10MB, 500KiB or 2GB, got '%s'", val);
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
#undef NEED_VALUE
        if (takes)
            i++;
    }
    return -1;
}

int fs_cli_executors(const char *cmd, const char *list, fs_run_desc *out, int max)
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
    return n;
}
