/* progress.c - progress lines for long runs (wall-clock time decides when to
 * show them; it never touches the simulation). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "humanize.h"

static double fs__wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void fs_progress_init(fs_progress *p, const char *label)
{
    snprintf(p->label, sizeof p->label, "%s", label);
    p->start = fs__wall();
    p->tty = isatty(STDERR_FILENO);
    p->shown = false;
}

void fs_progress_run(void *ctx, const fs_exec_stats *stats, int64_t now)
{
    fs_progress *p = ctx;
    if (!p->tty || fs__wall() - p->start < 0.5)
        return;
    char t[32], n[32];
    fprintf(stderr, "\r%s: %s simulated, %s polls run...\033[K", p->label,
            fs_format_ns(now, t, sizeof t), fs_format_count(stats->polls_run, n, sizeof n));
    fflush(stderr);
    p->shown = true;
}

void fs_progress_runs(void *ctx, uint64_t done, uint64_t total, uint64_t not_ok)
{
    fs_progress *p = ctx;
    if (!p->tty || fs__wall() - p->start < 0.5)
        return;
    char d[32], t[32], k[32];
    fprintf(stderr, "\r%s: %s of %s runs done, %s not ok...\033[K", p->label,
            fs_format_count((int64_t)done, d, sizeof d), fs_format_count((int64_t)total, t, sizeof t),
            fs_format_count((int64_t)not_ok, k, sizeof k));
    fflush(stderr);
    p->shown = true;
}

void fs_progress_trace_lines(void *ctx, const char *name, size_t lines)
{
    fs_progress *p = ctx;
    if (lines == 0) {
        fs_progress_done(p);
        return;
    }
    if (!p->tty || fs__wall() - p->start < 0.5)
        return;
    char n[32];
    fprintf(stderr, "\rreading %s: %s lines...\033[K", name,
            fs_format_count((int64_t)lines, n, sizeof n));
    fflush(stderr);
    p->shown = true;
}

void fs_progress_done(fs_progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r\033[K");
    p->shown = false;
}
