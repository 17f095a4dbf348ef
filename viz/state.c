/* state.c - the trace's state at the playhead.
 *
 * A task is SCHEDULED from a wake (or its spawn) until the poll that wake
 * leads to starts; a registered waker stays held by its resource until a
 * later wake hands it back (fs_trace_waker_holder: a wake by that device or
 * by another task, a JoinHandle's only by its own task's end; a self-wake or
 * a spurious wake leaves it registered). Ties at the
 * same instant are ordered by line number, which is the file's order. */
#include "state.h"

#include <stdlib.h>
#include <string.h>

typedef struct fs__ready_key {
    int64_t t;
    uint32_t line, task;
} fs__ready_key;

bool fs_viz_state_init(fs_viz_state *st, const fs_trace *tr)
{
    memset(st, 0, sizeof *st);
    size_t n = tr->n_tasks ? tr->n_tasks : 1;
    st->tasks = calloc(n, sizeof *st->tasks);
    st->ready = calloc(n, sizeof *st->ready);
    st->scratch = calloc(n, sizeof(fs__ready_key));
    if (!st->tasks || !st->ready || !st->scratch) {
        fs_viz_state_destroy(st);
        return false;
    }
    st->t = -1;
    return true;
}

void fs_viz_state_destroy(fs_viz_state *st)
{
    free(st->tasks);
    free(st->ready);
    free(st->scratch);
    memset(st, 0, sizeof *st);
}

const char *fs_viz_task_phase_name(fs_viz_task_phase p)
{
    static const char *names[] = {"not spawned", "ready (queued)", "running", "waiting",
                                  "done", "stalled"};
    return p <= FS_TASK_STALLED ? names[p] : "?";
}

/* Index of the task's last wake at or before t, or -1. */
static ptrdiff_t fs__last_wake(const fs_trace *tr, const fs_trace_task *task, int64_t t)
{
    size_t lo = 0, hi = task->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->wakes[task->wakes[mid]].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? (ptrdiff_t)task->wakes[lo - 1] : -1;
}

/* Polls of slice s that have started by t, and the CPU time they used. */
static void fs__partial(const fs_trace_slice *s, int64_t t, int64_t *polls, int64_t *busy)
{
    if (t < s->t) {
        *polls = *busy = 0;
        return;
    }
    int64_t n = 1;
    if (s->count > 1) {
        /* a spin's polls are spread evenly between its first and last */
        int64_t span = s->end - s->dur - s->t;
        n = span > 0 ? 1 + (int64_t)((double)(t - s->t) / (double)span * (double)(s->count - 1))
                     : s->count;
        if (n > s->count)
            n = s->count;
    }
    *polls = n;
    int64_t b = n * s->dur;
    int64_t el = t - s->t;
    *busy = b < el ? b : el;
}

static int fs__ready_cmp(const void *a, const void *b)
{
    const fs__ready_key *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

void fs_viz_state_at(fs_viz_state *st, const fs_trace *tr, int64_t t)
{
    fs_viz_counters c = {0};
    st->n_ready = 0;
    st->t = t;
    fs__ready_key *keys = st->scratch;
    size_t n_keys = 0;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        const fs_trace_task *task = &tr->tasks[i];
        fs_viz_task_state *ts = &st->tasks[i];
        *ts = (fs_viz_task_state){.waker_res = -1, .stalled = -1};
        /* counters: whole slices that started before t, plus the one under way */
        size_t k = fs_trace_task_first_starting_at(task, t + 1);  /* slices [0, k) started */
        if (k > 0) {
            c.polls += task->cum[k - 1].polls;
            c.wasted += task->cum[k - 1].wasted;
            c.busy_ns += task->cum[k - 1].busy_ns;
            const fs_trace_slice *s = &task->slices[k - 1];
            int64_t p, b;
            fs__partial(s, t, &p, &b);
            c.polls += p;
            c.busy_ns += b;
            c.wasted += s->kind == FS_SLICE_SPIN ? p : s->wasted;
        }
        if (task->spawn_t > t) {
            ts->phase = FS_TASK_UNBORN;
            continue;
        }
        ptrdiff_t w = fs__last_wake(tr, task, t);
        if (k > 0)
            ts->await = task->slices[k - 1].state;
        if (task->complete_t >= 0 && task->complete_t <= t) {
            ts->phase = FS_TASK_DONE;
            ts->since = task->complete_t;
            continue;
        }
        ts->waker_res = fs_trace_waker_holder(tr, i, t);
        if (k > 0 && t < task->slices[k - 1].end) {
            ts->phase = FS_TASK_RUNNING;
            ts->spinning = task->slices[k - 1].kind == FS_SLICE_SPIN;
            ts->since = task->slices[k - 1].t;
            continue;
        }
        bool queued = false;
        int64_t qt = 0;
        uint32_t qline = 0;
        if (k == 0) {
            queued = true;
            qt = task->spawn_t;
        } else if (w >= 0 && (tr->wakes[w].caused < 0 ||
                              task->slices[tr->wakes[w].caused].t > t) &&
                   tr->wakes[w].t >= task->slices[k - 1].t && !tr->wakes[w].stale) {
            queued = true;
            qt = tr->wakes[w].t;
            qline = tr->wakes[w].line;
        }
        if (queued) {
            ts->phase = FS_TASK_SCHEDULED;
            ts->since = qt;
            keys[n_keys++] = (fs__ready_key){qt, qline, (uint32_t)i};
        } else {
            ts->phase = FS_TASK_WAITING;
            ts->since = task->slices[k - 1].end;
        }
    }
    if (tr->has_stall && tr->stall_t <= t) {
        for (size_t j = 0; j < tr->n_stalled; j++) {
            fs_viz_task_state *ts = &st->tasks[tr->stalled[j].task];
            ts->phase = FS_TASK_STALLED;
            ts->stalled = (int32_t)j;
            ts->since = tr->stall_t;
        }
    }
    qsort(keys, n_keys, sizeof keys[0], fs__ready_cmp);
    for (size_t j = 0; j < n_keys; j++)
        st->ready[st->n_ready++] = keys[j].task;
    /* wakes so far: one search in the global, time-ordered array */
    size_t lo = 0, hi = tr->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->wakes[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    c.wakes = (int64_t)lo;
    /* the CPU's share of the time elapsed in this run: past its end (a
     * playhead in a longer run's band), no more time elapses in it */
    int64_t el = tr->summary.end_ns > 0 && t > tr->summary.end_ns ? tr->summary.end_ns : t;
    int64_t total = (el > 0 ? el : 0) * (tr->workers > 0 ? tr->workers : 1);
    c.cpu_busy = total > 0 ? (double)c.busy_ns / (double)total : 0.0;
    if (c.cpu_busy > 1.0)
        c.cpu_busy = 1.0;
    st->counters = c;
}
