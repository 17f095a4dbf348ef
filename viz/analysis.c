/* analysis.c - warnings and per-task figures, from the trace alone.
 *
 * How each warning is decided (the trace has no clone/drop counts, so a
 * waker's whereabouts come from register and wake lines):
 * - lost waker: a pending poll after which the task is never woken again
 *   and, when it returns, no resource holds its waker (fs_trace_waker_holder).
 *   The wake executor then stalls on it; busy polls it anyway and finishes,
 *   which hides the bug, so a completed task can carry this warning too.
 * - self-wakes: wakes made by the task's own polls (yield_now, spurious
 *   wakes its future arranges) are more than half of all its wakes, and
 *   there are at least two: it keeps itself runnable instead of waiting.
 * - slow poll: one poll longer than the threshold keeps its worker from
 *   every other task (blocking inside async).
 * - woken after done: a wake line marked "stale": a device kept a waker of
 *   a task that has completed. */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"

/* ---- warnings ------------------------------------------------------------ */

const char *fs_viz_warn_name(fs_viz_warn_kind k)
{
    static const char *names[] = {"lost waker", "self-wakes", "slow poll", "woken after done"};
    return k < FS_WARN_KINDS ? names[k] : "?";
}

static bool fs__push(fs_viz_warning **out, size_t *n, fs_viz_warning w)
{
    fs_viz_warning *p = realloc(*out, (*n + 1) * sizeof *p);
    if (!p)
        return false;
    p[*n] = w;
    *out = p;
    (*n)++;
    return true;
}

/* The first pending poll after which nothing wakes the task and no waker is
 * held: -1 if none. *polls gets the pending polls from there on. */
static int64_t fs__lost_waker(const fs_trace *tr, size_t id, int64_t *polls)
{
    const fs_trace_task *task = &tr->tasks[id];
    if (task->n_slices == 0)
        return -1;
    /* polls [after, n) come after the task's last wake */
    size_t after = 0;
    for (size_t j = 0; j < task->n_wakes; j++) {
        const fs_trace_wake *w = &tr->wakes[task->wakes[j]];
        int32_t p = w->caused;
        size_t a = p >= 0 ? (size_t)p + 1 : task->n_slices;
        if (p >= 0 && fs_trace_wake_in_poll(tr, w))
            a = (size_t)p;  /* made during poll p - 1: p is where it leads */
        if (a > after)
            after = a;
    }
    size_t first = after;
    while (first < task->n_slices && task->slices[first].ready)
        first++;
    if (first >= task->n_slices)
        return -1;
    /* nothing wakes it from here on: is its waker with anyone? */
    if (fs_trace_waker_holder(tr, id, task->slices[first].end) >= 0)
        return -1;
    int64_t n = 0;
    for (size_t j = first; j < task->n_slices; j++)
        n += task->slices[j].ready ? 0 : task->slices[j].count;
    *polls = n;
    return (int64_t)first;
}

bool fs_viz_warnings_find(const fs_trace *tr, int trace_idx, int64_t slow_ns,
                          fs_viz_warning **out, size_t *n)
{
    if (slow_ns <= 0)
        slow_ns = FS_VIZ_SLOW_POLL_DEFAULT_NS;
    for (size_t id = 0; id < tr->n_tasks; id++) {
        const fs_trace_task *task = &tr->tasks[id];
        fs_viz_warning base = {.trace = (int16_t)trace_idx, .task = (uint32_t)id, .slice = -1};
        int64_t polls = 0;
        int64_t lost = fs__lost_waker(tr, id, &polls);
        if (lost >= 0) {
            fs_viz_warning w = base;
            w.kind = FS_WARN_LOST_WAKER;
            w.t = task->slices[lost].t;
            w.count = polls;
            w.slice = lost;
            if (!fs__push(out, n, w))
                return false;
        }
        int64_t self = 0, spurious = 0, all = 0, stale = 0, t_self = -1, t_stale = -1;
        for (size_t j = 0; j < task->n_wakes; j++) {
            const fs_trace_wake *wk = &tr->wakes[task->wakes[j]];
            if (wk->stale) {
                if (t_stale < 0)
                    t_stale = wk->t;
                stale++;
                continue;
            }
            all++;
            if (fs_trace_wake_in_poll(tr, wk)) {
                if (t_self < 0)
                    t_self = wk->t;
                self++;
                spurious += wk->src_task != (int32_t)id;
            }
        }
        if (all >= 2 && 2 * self > all) {
            fs_viz_warning w = base;
            w.kind = FS_WARN_SELF_WAKES;
            w.t = t_self;
            w.count = self;
            w.total = all;
            w.extra = spurious;
            if (!fs__push(out, n, w))
                return false;
        }
        fs_viz_warning slow = base;
        slow.kind = FS_WARN_SLOW_POLL;
        for (size_t j = 0; j < task->n_slices; j++) {
            const fs_trace_slice *s = &task->slices[j];
            if (s->dur <= slow_ns)
                continue;
            if (slow.slice < 0) {
                slow.slice = (int64_t)j;
                slow.t = s->t;
            }
            slow.count += s->count;
            if (s->dur > slow.extra)
                slow.extra = s->dur;
        }
        if (slow.count && !fs__push(out, n, slow))
            return false;
        if (stale) {
            fs_viz_warning w = base;
            w.kind = FS_WARN_STALE_WAKE;
            w.t = t_stale;
            w.count = stale;
            if (!fs__push(out, n, w))
                return false;
        }
    }
    return true;
}

const char *fs_viz_warning_text(const fs_trace *tr, const fs_viz_warning *w, char *buf, size_t n)
{
    char a[32], b[32], c[32];
    const fs_trace_task *task = &tr->tasks[w->task];
    switch (w->kind) {
    case FS_WARN_LOST_WAKER:
        snprintf(buf, n, "pending at %s on %s with no waker registered anywhere, and never "
                         "woken after it (%s pending poll%s)",
                 fs_format_ns(w->t, a, sizeof a), fs_trace_str(tr, task->slices[w->slice].state),
                 fs_format_count(w->count, b, sizeof b), w->count == 1 ? "" : "s");
        break;
    case FS_WARN_SELF_WAKES:
        snprintf(buf, n, "%s of its %s wakes came from its own polls (%s spurious): fine for a "
                         "yield between chunks of work, a busy loop in disguise if it waits",
                 fs_format_count(w->count, a, sizeof a), fs_format_count(w->total, b, sizeof b),
                 fs_format_count(w->extra, c, sizeof c));
        break;
    case FS_WARN_SLOW_POLL:
        snprintf(buf, n, "%s poll%s longer than the threshold, the longest %s, first at %s: "
                         "nothing else runs on that worker meanwhile (blocking inside async)",
                 fs_format_count(w->count, a, sizeof a), w->count == 1 ? "" : "s",
                 fs_format_ns(w->extra, b, sizeof b), fs_format_ns(w->t, c, sizeof c));
        break;
    case FS_WARN_STALE_WAKE:
        snprintf(buf, n, "woken %s time%s after it completed, first at %s (a device kept a "
                         "stale waker)",
                 fs_format_count(w->count, a, sizeof a), w->count == 1 ? "" : "s",
                 fs_format_ns(w->t, b, sizeof b));
        break;
    default:
        snprintf(buf, n, "?");
        break;
    }
    return buf;
}

/* ---- one task's figures -------------------------------------------------- */

int fs_viz_hist_bin(int64_t ns)
{
    int b = 0;
    for (int64_t edge = 1000; b < FS_VIZ_HIST_BINS - 1 && ns >= edge; edge *= 10)
        b++;
    return b;
}

const char *fs_viz_hist_label(int bin)
{
    static const char *labels[FS_VIZ_HIST_BINS] = {
        "  < 1 us", "1-10 us", "10-100 us", "0.1-1 ms", "1-10 ms", "10-100 ms", "0.1-1 s", ">= 1 s",
    };
    return bin >= 0 && bin < FS_VIZ_HIST_BINS ? labels[bin] : "?";
}

static void fs__count_reg(fs_viz_task_stats *st, int32_t res)
{
    for (size_t i = 0; i < st->n_regs; i++) {
        if (st->regs[i].res == res) {
            st->regs[i].count++;
            /* keep the most used first */
            while (i > 0 && st->regs[i].count > st->regs[i - 1].count) {
                fs_viz_reg_count t = st->regs[i];
                st->regs[i] = st->regs[i - 1];
                st->regs[--i] = t;
            }
            return;
        }
    }
    if (st->n_regs < sizeof st->regs / sizeof st->regs[0])
        st->regs[st->n_regs++] = (fs_viz_reg_count){res, 1};
    else
        st->regs_other++;
}

void fs_viz_task_stats_compute(const fs_trace *tr, size_t id, fs_viz_task_stats *st)
{
    memset(st, 0, sizeof *st);
    const fs_trace_task *task = &tr->tasks[id];
    for (size_t j = 0; j < task->n_slices; j++) {
        const fs_trace_slice *s = &task->slices[j];
        st->polls += s->count;
        st->ready_polls += s->ready;
        st->pending_polls += s->count - s->ready;
        st->wasted_polls += s->wasted;
        st->busy_ns += s->count * s->dur;
        st->poll_hist[fs_viz_hist_bin(s->dur)] += s->count;
        if (s->dur > st->max_poll_ns)
            st->max_poll_ns = s->dur;
    }
    for (size_t j = 0; j < task->n_regs; j++) {
        st->registers++;
        fs__count_reg(st, task->regs[j].res);
    }
    /* scheduled time: from the spawn, or the first wake since the previous
     * poll, to the poll it leads to (several wakes before one poll count
     * once: `caused` is non-decreasing along the task's wakes) */
    int32_t last_p = -1;
    st->first_wait_ns = -1;
    if (task->n_slices) {
        st->first_wait_ns = task->slices[0].t - task->spawn_t;
        st->sched_ns += st->first_wait_ns;
        last_p = 0;
    }
    for (size_t j = 0; j < task->n_wakes; j++) {
        const fs_trace_wake *w = &tr->wakes[task->wakes[j]];
        if (w->stale) {
            st->stale_wakes++;
            continue;
        }
        st->wakes++;
        if (fs_trace_wake_in_poll(tr, w)) {
            st->self_wakes += w->src_task == (int32_t)id;
            st->spurious_wakes += w->src_task != (int32_t)id;
        } else if (w->src_task >= 0) {
            st->task_wakes++;
        } else {
            st->device_wakes++;
        }
        int32_t p = w->caused;
        if (p < 0)
            continue;
        int64_t lat = task->slices[p].t - w->t;
        if (lat < 0)
            lat = 0;
        st->lat_hist[fs_viz_hist_bin(lat)]++;
        st->n_lat++;
        if (lat > st->max_lat_ns)
            st->max_lat_ns = lat;
        if (p > last_p) {
            st->sched_ns += lat;
            last_p = p;
        }
    }
    st->max_wait_ns = st->first_wait_ns > st->max_lat_ns ? st->first_wait_ns : st->max_lat_ns;
    int64_t end = task->complete_t >= 0 ? task->complete_t : tr->summary.end_ns;
    st->life_ns = end > task->spawn_t ? end - task->spawn_t : 0;
    if (st->sched_ns < 0)
        st->sched_ns = 0;
    st->idle_ns = st->life_ns - st->busy_ns - st->sched_ns;
    if (st->idle_ns < 0)
        st->idle_ns = 0;
}
