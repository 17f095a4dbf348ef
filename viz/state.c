/* state.c - the trace's state at the playhead.
 *
 * A task is SCHEDULED from a wake (or its spawn) until the poll that wake
 * leads to starts; a registered waker stays held by its resource until a
 * later wake hands it back (fs_trace_waker_holder: a wake by that device or
 * by another task, a JoinHandle's only by its own task's end; a self-wake or
 * a spurious wake leaves it registered). Ties at the
 * same instant are ordered by line number, which is the file's order. */
#include "state.h"

#include "radix.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct fs__ready_key {
    int64_t t;
    uint32_t line, task;
} fs__ready_key;

typedef struct fs__inc fs__inc;
static fs__inc *fs__inc_new(size_t n);
static void fs__inc_free(fs__inc *in);

bool fs_viz_state_init(fs_viz_state *st, const fs_trace *tr)
{
    memset(st, 0, sizeof *st);
    size_t n = tr->n_tasks ? tr->n_tasks : 1;
    st->tasks = calloc(n, sizeof *st->tasks);
    st->ready = calloc(n, sizeof *st->ready);
    st->scratch = calloc(n, sizeof(fs__ready_key));
    st->n_workers = tr->workers > 0 ? tr->workers : 0;
    st->next_on = calloc((size_t)st->n_workers + 1, sizeof *st->next_on);
    if (!st->tasks || !st->ready || !st->scratch || !st->next_on) {
        fs_viz_state_destroy(st);
        return false;
    }
    st->t = -1;
    st->inc = fs__inc_new(n);  /* NULL: every move recomputes all tasks */
    return true;
}

void fs_viz_state_destroy(fs_viz_state *st)
{
    free(st->tasks);
    free(st->ready);
    free(st->scratch);
    free(st->next_on);
    fs__inc_free(st->inc);
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

/* Queue order: by time, then line; tasks queued on one line (spawned
 * together) by id. */
static int fs__ready_cmp(const void *a, const void *b)
{
    const fs__ready_key *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->task > y->task) - (x->task < y->task);
}

/* Sorts the ready queue's keys as fs__ready_cmp does. They come in task
 * order, so a stable sort by time leaves each run of one time in task
 * order; a run is then sorted by line only if it is not in order already
 * (tasks spawned at one time come in the order of their lines). At 100,000 tasks queued
 * at once this is a few passes, where qsort's comparisons cost more than
 * the rest of the state's set-up. */
static void fs__sort_ready(fs__ready_key *keys, size_t n)
{
    if (!fs_viz_radix_sort(keys, n, sizeof *keys, offsetof(fs__ready_key, t))) {
        qsort(keys, n, sizeof *keys, fs__ready_cmp); /* out of memory for the passes */
        return;
    }
    for (size_t a = 0, b; a < n; a = b) {
        bool sorted = true;
        for (b = a + 1; b < n && keys[b].t == keys[a].t; b++)
            sorted = sorted && fs__ready_cmp(&keys[b - 1], &keys[b]) < 0;
        if (!sorted)
            qsort(keys + a, b - a, sizeof *keys, fs__ready_cmp);
    }
}

/* What one task adds to the counters at t. */
typedef struct fs__contrib {
    int64_t polls, wasted, busy_ns;
} fs__contrib;

/* A task's state at t and what it adds to the counters; true when it is
 * queued, with its place in the ready queue in *key. */
static bool fs__task_at(const fs_trace *tr, size_t i, int64_t t, fs_viz_task_state *ts, fs__contrib *c,
                        fs__ready_key *key)
{
    const fs_trace_task *task = &tr->tasks[i];
    *ts = (fs_viz_task_state){.waker_res = -1, .stalled = -1, .next_worker = -1};
    *c = (fs__contrib){0};
    /* counters: whole slices that started before t, plus the one under way */
    size_t k = fs_trace_task_first_starting_at(task, t + 1);  /* slices [0, k) started */
    if (k > 0) {
        c->polls = task->cum[k - 1].polls;
        c->wasted = task->cum[k - 1].wasted;
        c->busy_ns = task->cum[k - 1].busy_ns;
        const fs_trace_slice *s = &task->slices[k - 1];
        int64_t p, b;
        fs__partial(s, t, &p, &b);
        c->polls += p;
        c->busy_ns += b;
        c->wasted += s->kind == FS_SLICE_SPIN ? p : s->wasted;
    }
    if (task->spawn_t > t) {
        ts->phase = FS_TASK_UNBORN;
        return false;
    }
    ptrdiff_t w = fs__last_wake(tr, task, t);
    if (k > 0)
        ts->await = task->slices[k - 1].state;
    if (task->complete_t >= 0 && task->complete_t <= t) {
        ts->phase = FS_TASK_DONE;
        ts->since = task->complete_t;
        return false;
    }
    ts->waker_res = fs_trace_waker_holder(tr, i, t);
    if (k > 0 && t < task->slices[k - 1].end) {
        ts->phase = FS_TASK_RUNNING;
        ts->spinning = task->slices[k - 1].kind == FS_SLICE_SPIN;
        ts->since = task->slices[k - 1].t;
        return false;
    }
    bool queued = false;
    int64_t qt = 0;
    uint32_t qline = task->spawn_line;
    if (k == 0) {
        queued = true;
        qt = task->spawn_t;
    } else if (w >= 0 && (tr->wakes[w].caused < 0 || task->slices[tr->wakes[w].caused].t > t) &&
               tr->wakes[w].t >= task->slices[k - 1].t && !tr->wakes[w].stale) {
        queued = true;
        qt = tr->wakes[w].t;
        qline = tr->wakes[w].line;
    }
    if (queued) {
        ts->phase = FS_TASK_SCHEDULED;
        ts->since = qt;
        if (k < task->n_slices)
            ts->next_worker = task->slices[k].worker;
        *key = (fs__ready_key){qt, qline, (uint32_t)i};
        return true;
    }
    ts->phase = FS_TASK_WAITING;
    ts->since = task->slices[k - 1].end;
    return false;
}

/* Counts a queued task under the worker of its next poll (d: +1 or -1). */
static void fs__count_next(fs_viz_state *st, const fs_viz_task_state *ts, int d)
{
    if (ts->phase == FS_TASK_SCHEDULED && ts->next_worker >= 0 && ts->next_worker < st->n_workers)
        st->next_on[ts->next_worker] += (size_t)d;
}

/* ---- moving forward a little: only the tasks that change ---------------- */

/* The instants at which a task's state can change other than continuously
 * (its spawn, a poll's start and end, a wake, a registration, its end), in
 * time order: a step of the playhead from t0 to t1 recomputes the tasks
 * with one in (t0, t1] and those running at t0 (their counters grow with
 * time), and leaves every other task as it was. */
typedef struct fs__change {
    int64_t t;
    uint32_t task;
} fs__change;

struct fs__inc {
    fs__change *changes;    /* the index of changes, built as far as horizon */
    size_t n_changes;
    int64_t horizon;
    struct fs__cursor *cursor;  /* per task: its changes not in the index yet */
    int64_t *next;          /* per task: the time of the first of those */
    fs__contrib *contrib;   /* per task, at st->t */
    fs__ready_key *keys;    /* the ready queue's keys, in order (st->ready's tasks) */
    uint32_t *running;      /* tasks RUNNING at st->t */
    size_t n_running;
    uint32_t *mark;         /* per task: the step that recomputed it */
    uint32_t step;
    fs__ready_key *added;   /* this step's newly queued tasks */
    fs__ready_key *removed; /* this step's recomputed tasks that were queued */
    uint32_t *qline;        /* per queued task: its key's line (its time is its since) */
    uint32_t *redo;         /* this step's tasks to recompute */
};

/* Sorts the changes by time (radix.h). False when out of memory. */
static bool fs__sort_changes(fs__change *c, size_t n)
{
    return fs_viz_radix_sort(c, n, sizeof *c, offsetof(fs__change, t));
}

/* Where a task's next changes are, for the index's next stretch. */
typedef struct fs__cursor {
    uint32_t start, end;   /* slices whose start / end is not in the index yet */
    uint32_t wake, reg;    /* wakes, registrations likewise */
    uint8_t born, done;    /* its spawn, its end are in */
} fs__cursor;

/* The task's earliest change not in the index yet (INT64_MAX: none). */
static int64_t fs__next_change(const fs_trace *tr, const fs_trace_task *task, const fs__cursor *c)
{
    int64_t t = INT64_MAX;
    if (!c->born)
        return task->spawn_t;
    if (!c->done && task->complete_t >= 0)
        t = task->complete_t;
    if (c->start < task->n_slices && task->slices[c->start].t < t)
        t = task->slices[c->start].t;
    if (c->end < task->n_slices && task->slices[c->end].end < t)
        t = task->slices[c->end].end;
    if (c->wake < task->n_wakes && tr->wakes[task->wakes[c->wake]].t < t)
        t = tr->wakes[task->wakes[c->wake]].t;
    if (c->reg < task->n_regs && task->regs[c->reg].t < t)
        t = task->regs[c->reg].t;
    return t;
}

/* Appends the task's changes before h (all at or after the index's
 * horizon) and moves its cursor past them. */
static size_t fs__task_changes(const fs_trace *tr, uint32_t id, int64_t h, fs__cursor *c, fs__change *out)
{
    const fs_trace_task *task = &tr->tasks[id];
    size_t m = 0;
    if (!c->born && task->spawn_t < h) {
        out[m++] = (fs__change){task->spawn_t, id};
        c->born = 1;
    }
    if (!c->done && task->complete_t >= 0 && task->complete_t < h) {
        out[m++] = (fs__change){task->complete_t, id};
        c->done = 1;
    }
    for (; c->start < task->n_slices && task->slices[c->start].t < h; c->start++)
        out[m++] = (fs__change){task->slices[c->start].t, id};
    for (; c->end < task->n_slices && task->slices[c->end].end < h; c->end++)
        out[m++] = (fs__change){task->slices[c->end].end, id};
    for (; c->wake < task->n_wakes && tr->wakes[task->wakes[c->wake]].t < h; c->wake++)
        out[m++] = (fs__change){tr->wakes[task->wakes[c->wake]].t, id};
    for (; c->reg < task->n_regs && task->regs[c->reg].t < h; c->reg++)
        out[m++] = (fs__change){task->regs[c->reg].t, id};
    return m;
}

/* Forgets the index (out of memory: the next step starts it again). */
static void fs__index_drop(fs__inc *in)
{
    free(in->changes);
    free(in->cursor);
    free(in->next);
    in->changes = NULL;
    in->cursor = NULL;
    in->next = NULL;
    in->n_changes = 0;
}

/* The index holds every change before in->horizon, in time order (ties in
 * task order). It grows as the playhead goes, a stretch of the run at a
 * time: a stretch costs a look at each task's next change, then only the
 * tasks with a change in it, so the first play does not build the whole
 * index at once (a million changes: a second, in one frame). False when
 * out of memory. */
static bool fs__index_until(fs__inc *in, const fs_trace *tr, int64_t t)
{
    if (in->changes && in->horizon > t)
        return true;
    if (!in->changes) {
        size_t n = 0;
        for (size_t i = 0; i < tr->n_tasks; i++) {
            const fs_trace_task *task = &tr->tasks[i];
            n += 2 + 2 * task->n_slices + task->n_wakes + task->n_regs;
        }
        in->changes = malloc((n ? n : 1) * sizeof *in->changes);
        in->cursor = calloc(tr->n_tasks ? tr->n_tasks : 1, sizeof *in->cursor);
        in->next = malloc((tr->n_tasks ? tr->n_tasks : 1) * sizeof *in->next);
        if (!in->changes || !in->cursor || !in->next) {
            fs__index_drop(in);
            return false;
        }
        for (size_t i = 0; i < tr->n_tasks; i++)
            in->next[i] = tr->tasks[i].spawn_t;
    }
    /* to t and a 1/1024 of the run past it */
    int64_t step = tr->summary.end_ns / 1024 > 1 ? tr->summary.end_ns / 1024 : 1;
    int64_t h = t < INT64_MAX - step ? t + step : INT64_MAX;
    size_t from = in->n_changes;
    int64_t first = INT64_MAX;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        if (in->next[i] >= h) {
            first = in->next[i] < first ? in->next[i] : first;
            continue;
        }
        in->n_changes += fs__task_changes(tr, (uint32_t)i, h, &in->cursor[i], in->changes + in->n_changes);
        in->next[i] = fs__next_change(tr, &tr->tasks[i], &in->cursor[i]);
        first = in->next[i] < first ? in->next[i] : first;
    }
    /* every change before the first one left out is in (INT64_MAX: all are) */
    in->horizon = first;
    if (fs__sort_changes(in->changes + from, in->n_changes - from))
        return true;
    fs__index_drop(in);
    return false;
}

/* First change after t. */
static size_t fs__change_after(const fs__inc *in, int64_t t)
{
    size_t lo = 0, hi = in->n_changes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->changes[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A step's buffers for n tasks (the change index waits for the first
 * step); NULL when out of memory. */
static fs__inc *fs__inc_new(size_t n)
{
    fs__inc *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->contrib = calloc(n, sizeof *in->contrib);
    in->keys = calloc(n, sizeof *in->keys);
    in->running = calloc(n, sizeof *in->running);
    in->mark = calloc(n, sizeof *in->mark);
    in->added = calloc(n, sizeof *in->added);
    in->removed = calloc(n, sizeof *in->removed);
    in->qline = calloc(n, sizeof *in->qline);
    in->redo = calloc(n, sizeof *in->redo);
    if (!in->contrib || !in->keys || !in->running || !in->mark || !in->added || !in->removed || !in->qline ||
        !in->redo) {
        fs__inc_free(in);
        return NULL;
    }
    return in;
}

static void fs__inc_free(fs__inc *in)
{
    if (!in)
        return;
    fs__index_drop(in);
    free(in->contrib);
    free(in->keys);
    free(in->running);
    free(in->mark);
    free(in->added);
    free(in->removed);
    free(in->qline);
    free(in->redo);
    free(in);
}

/* Steps from st->t forward to t recomputing only the tasks that change;
 * false (nothing changed) when that would not be cheaper than all of
 * them, or when the run's stall lies ahead. */
static bool fs__step(fs_viz_state *st, const fs_trace *tr, int64_t t)
{
    fs__inc *in = st->inc;
    if (!in || st->t < 0 || t <= st->t || (tr->has_stall && t >= tr->stall_t))
        return false;
    if (!fs__index_until(in, tr, t))
        return false;
    size_t a = fs__change_after(in, st->t), b = fs__change_after(in, t);
    if (b - a + in->n_running > tr->n_tasks / 4 + 64)
        return false;
    /* the tasks to recompute, each once */
    if (++in->step == 0) {
        memset(in->mark, 0, tr->n_tasks * sizeof *in->mark);
        in->step = 1;
    }
    size_t n_redo = 0;
    for (size_t j = 0; j < in->n_running; j++) {
        uint32_t id = in->running[j];
        if (in->mark[id] != in->step) {
            in->mark[id] = in->step;
            in->redo[n_redo++] = id;
        }
    }
    for (size_t j = a; j < b; j++) {
        uint32_t id = in->changes[j].task;
        if (in->mark[id] != in->step) {
            in->mark[id] = in->step;
            in->redo[n_redo++] = id;
        }
    }
    fs_viz_counters *c = &st->counters;
    size_t n_added = 0, n_removed = 0;
    in->n_running = 0;
    for (size_t j = 0; j < n_redo; j++) {
        uint32_t id = in->redo[j];
        fs__contrib old = in->contrib[id], now;
        fs__ready_key key;
        if (st->tasks[id].phase == FS_TASK_SCHEDULED)  /* leaves the queue (it may come back) */
            in->removed[n_removed++] = (fs__ready_key){st->tasks[id].since, in->qline[id], id};
        fs__count_next(st, &st->tasks[id], -1);
        if (fs__task_at(tr, id, t, &st->tasks[id], &now, &key)) {
            in->added[n_added++] = key;
            in->qline[id] = key.line;
        }
        fs__count_next(st, &st->tasks[id], +1);
        in->contrib[id] = now;
        c->polls += now.polls - old.polls;
        c->wasted += now.wasted - old.wasted;
        c->busy_ns += now.busy_ns - old.busy_ns;
        if (st->tasks[id].phase == FS_TASK_RUNNING)
            in->running[in->n_running++] = id;
    }
    /* the ready queue: its entries less the recomputed tasks that were
     * queued (found by their keys, both lists in queue order: no look-up
     * per entry), merged with the recomputed tasks that are queued */
    qsort(in->added, n_added, sizeof *in->added, fs__ready_cmp);
    qsort(in->removed, n_removed, sizeof *in->removed, fs__ready_cmp);
    size_t keep = 0, r = 0, same = st->n_ready;  /* entries before `same` stay where they were */
    for (size_t j = 0; j < st->n_ready; j++) {
        if (r < n_removed && in->keys[j].task == in->removed[r].task) {
            same = r++ ? same : j;
            continue;
        }
        in->keys[keep++] = in->keys[j];
    }
    size_t n = keep + n_added, x = keep, y = n_added;
    while (y > 0) {  /* merge from the back, in place */
        if (x > 0 && fs__ready_cmp(&in->keys[x - 1], &in->added[y - 1]) > 0)
            in->keys[--n] = in->keys[--x];
        else
            in->keys[--n] = in->added[--y];
    }
    same = n < same ? n : same;
    st->n_ready = keep + n_added;
    for (size_t j = same; j < st->n_ready; j++)
        st->ready[j] = in->keys[j].task;
    st->t = t;
    st->stepped++;
    return true;
}

static size_t fs__wakes_by(const fs_trace *tr, int64_t t)
{
    size_t lo = 0, hi = tr->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->wakes[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The counters that are not sums over tasks: wakes so far (one search in
 * the global, time-ordered array) and the CPU's share. */
static void fs__finish_counters(fs_viz_counters *c, const fs_trace *tr, int64_t t)
{
    c->wakes = (int64_t)fs__wakes_by(tr, t);
    /* the CPU's share of the time elapsed in this run: past its end (a
     * playhead in a longer run's band), no more time elapses in it */
    int64_t el = tr->summary.end_ns > 0 && t > tr->summary.end_ns ? tr->summary.end_ns : t;
    int64_t total = (el > 0 ? el : 0) * (tr->workers > 0 ? tr->workers : 1);
    c->cpu_busy = total > 0 ? (double)c->busy_ns / (double)total : 0.0;
    if (c->cpu_busy > 1.0)
        c->cpu_busy = 1.0;
}

void fs_viz_state_at(fs_viz_state *st, const fs_trace *tr, int64_t t)
{
    if (fs__step(st, tr, t)) {
        fs__finish_counters(&st->counters, tr, t);
        return;
    }
    fs__inc *in = st->inc;
    fs_viz_counters c = {0};
    st->n_ready = 0;
    st->t = t;
    fs__ready_key *keys = st->scratch;
    size_t n_keys = 0;
    if (in)
        in->n_running = 0;
    memset(st->next_on, 0, (size_t)st->n_workers * sizeof *st->next_on);
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs__contrib ci;
        if (fs__task_at(tr, i, t, &st->tasks[i], &ci, &keys[n_keys])) {
            if (in)
                in->qline[i] = keys[n_keys].line;
            n_keys++;
        }
        fs__count_next(st, &st->tasks[i], +1);
        c.polls += ci.polls;
        c.wasted += ci.wasted;
        c.busy_ns += ci.busy_ns;
        if (in) {
            in->contrib[i] = ci;
            if (st->tasks[i].phase == FS_TASK_RUNNING)
                in->running[in->n_running++] = (uint32_t)i;
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
    fs__sort_ready(keys, n_keys);
    for (size_t j = 0; j < n_keys; j++)
        st->ready[st->n_ready++] = keys[j].task;
    if (in)
        memcpy(in->keys, keys, n_keys * sizeof *keys);
    fs__finish_counters(&c, tr, t);
    st->counters = c;
}
