/* expect.c - the checks of a scenario's "expect" after its run. Each key
 * (and each task name, each channel) is one check; a failed one keeps a
 * sentence saying what the run did instead. */
#include "expect.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "json_pos.h"
#include "summary.h"
#include "world.h"

static void fs__fail(fs_expect_result *r, fs_expect_key key, const char *fmt, ...)
{
    r->failed++;
    if (r->n_fail == FS_EXPECT_LISTED)
        return;
    fs_expect_failure *f = &r->fail[r->n_fail++];
    f->key = key;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->why, sizeof f->why, fmt, ap);
    va_end(ap);
}

static void fs__check_completes(const fs_exec *ex, fs_expect_result *r)
{
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    char t[32];
    r->checked++;
    fs_format_ns(s->end_ns, t, sizeof t);
    if (s->stalled)
        fs__fail(r, FS_EXPECT_COMPLETES, "the run stalled at %s with %lld of %lld tasks done", t,
                 (long long)s->completed, (long long)s->tasks_total);
    else if (s->limit_hit)
        fs__fail(r, FS_EXPECT_COMPLETES, "the run hit its %s limit at %s with %lld of %lld tasks done",
                 fs_limit_name(s->limit_hit), t, (long long)s->completed, (long long)s->tasks_total);
    else if (s->completed < s->tasks_total)
        fs__fail(r, FS_EXPECT_COMPLETES, "%lld of %lld tasks done at %s", (long long)s->completed,
                 (long long)s->tasks_total, t);
}

static void fs__check_errors(const fs_exec *ex, fs_expect_result *r)
{
    uint32_t n = fs_exec_task_count(ex), bad = 0, first = 0;
    char q[80], t[32];
    r->checked++;
    for (uint32_t i = 0; i < n; i++)
        if (fs_exec_get_task(ex, i)->fail && bad++ == 0)
            first = i;
    if (!bad)
        return;
    const fs_task_info *ti = fs_exec_get_task(ex, first);
    fs__fail(r, FS_EXPECT_NO_ERRORS, "task %s failed with \"%s\" at %s%s", fs_json_quote(ti->name, q, sizeof q),
             fs_fail_name((fs_fail)ti->fail), fs_format_ns(ti->completed_ns, t, sizeof t),
             bad > 1 ? " (and more tasks failed)" : "");
}

static void fs__check_task(const fs_exec *ex, const fs_expect_task *e, fs_expect_result *r)
{
    uint32_t n = fs_exec_task_count(ex), seen = 0;
    char q[80], t[32], b[32];
    r->checked++;
    fs_format_ns(e->end_ns, b, sizeof b);
    for (uint32_t i = 0; i < n; i++) {
        const fs_task_info *ti = fs_exec_get_task(ex, i);
        if (!fs_scenario_name_covers(ti->name, e->name))
            continue;
        seen++;
        if (ti->completed_ns < 0) {
            fs__fail(r, FS_EXPECT_TASK_END, "task %s did not complete (%s at most)",
                     fs_json_quote(ti->name, q, sizeof q), b);
            return;
        }
        if (ti->completed_ns > e->end_ns) {
            fs__fail(r, FS_EXPECT_TASK_END, "task %s completed at %s, after %s",
                     fs_json_quote(ti->name, q, sizeof q), fs_format_ns(ti->completed_ns, t, sizeof t), b);
            return;
        }
    }
    if (!seen)
        fs__fail(r, FS_EXPECT_TASK_END, "no task named %s was spawned", fs_json_quote(e->name, q, sizeof q));
}

void fs_expect_check(const fs_scenario *sc, const struct fs_world *w, const fs_exec *ex,
                     fs_expect_result *out)
{
    const fs_expect_spec *e = &sc->expect;
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    char t[32], b[32], q[80];
    memset(out, 0, sizeof *out);
    if (!(out->present = e->present))
        return;
    if (e->completes)
        fs__check_completes(ex, out);
    if (e->no_errors)
        fs__check_errors(ex, out);
    if (e->end_ns >= 0) {
        out->checked++;
        if (s->end_ns > e->end_ns)
            fs__fail(out, FS_EXPECT_END, "the run ended at %s, after %s",
                     fs_format_ns(s->end_ns, t, sizeof t), fs_format_ns(e->end_ns, b, sizeof b));
    }
    if (e->max_wake_latency_ns >= 0) {
        int64_t max = fs_summary_max_wake_latency(ex);
        out->checked++;
        if (max > e->max_wake_latency_ns)
            fs__fail(out, FS_EXPECT_WAKE_LATENCY, "a task waited %s from a wake to its poll, more than %s",
                     fs_format_ns(max, t, sizeof t), fs_format_ns(e->max_wake_latency_ns, b, sizeof b));
    }
    for (size_t i = 0; i < e->n_tasks; i++)
        fs__check_task(ex, &e->tasks[i], out);
    for (size_t i = 0; i < e->n_channels; i++) {
        const fs_expect_channel *c = &e->channels[i];
        int64_t held = fs_world_channel_max_len(w, c->resource);
        out->checked++;
        if (held > c->max_len)
            fs__fail(out, FS_EXPECT_CHANNEL_LEN, "channel %s held %lld messages, more than %lld",
                     fs_json_quote(sc->resources[c->resource].name, q, sizeof q), (long long)held,
                     (long long)c->max_len);
    }
}
