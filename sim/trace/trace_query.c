/* trace_query.c - questions asked of a loaded trace: binary searches over a
 * task's slices, and who woke what and who holds a waker when (for the
 * viewer's state, detail and warnings, and the Chrome export). */
#include <stdlib.h>
#include <string.h>

#include "trace_reader.h"

size_t fs_trace_task_first_ending_after(const fs_trace_task *task, int64_t t)
{
    size_t lo = 0, hi = task->n_slices;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (task->slices[mid].end <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t fs_trace_task_first_starting_at(const fs_trace_task *task, int64_t t)
{
    size_t lo = 0, hi = task->n_slices;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (task->slices[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool fs_trace_wake_in_poll(const fs_trace *tr, const fs_trace_wake *w)
{
    if (w->src_task == (int32_t)w->task)
        return true;
    return strcmp(fs_trace_str(tr, w->source), "spurious") == 0;
}

/* Is resource res the JoinHandle of a task other than `task` ("task:M",
 * M != task)? */
static bool fs__other_handle(const fs_trace *tr, int32_t res, int32_t task)
{
    const char *name = fs_trace_str(tr, tr->resources[res].name);
    if (task < 0 || strncmp(name, "task:", 5) != 0)
        return false;
    char *end;
    long long id = strtoll(name + 5, &end, 10);
    return !*end && id != task;
}

/* Does wake w hand back (consume) the waker registered by r? A device or
 * another task waking the task takes its waker; a self-wake or a spurious
 * wake leaves the registration where it was. A JoinHandle's waker goes back
 * only at its own task's end (a JoinSet woken by one member is still
 * registered with the others). */
static bool fs__consumes(const fs_trace *tr, const fs_trace_wake *w, const fs_trace_register *r)
{
    if (w->line < r->line || w->stale || fs_trace_wake_in_poll(tr, w))
        return false;
    if (w->src_res >= 0)
        return w->src_res == r->res;
    return !fs__other_handle(tr, r->res, w->src_task);
}

int32_t fs_trace_waker_holder(const fs_trace *tr, size_t task_id, int64_t t)
{
    const fs_trace_task *task = &tr->tasks[task_id];
    size_t lo = 0, hi = task->n_regs;
    while (lo < hi) {  /* registers at or before t: [0, lo) */
        size_t mid = lo + (hi - lo) / 2;
        if (task->regs[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n_regs = lo;
    lo = 0;
    hi = task->n_wakes;
    while (lo < hi) {  /* wakes at or before t: [0, lo) */
        size_t mid = lo + (hi - lo) / 2;
        if (tr->wakes[task->wakes[mid]].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n_wakes = lo;
    /* newest registration first; a few are enough (older ones were almost
     * always handed back by a wake long ago) */
    for (size_t k = 0; k < n_regs && k < 64; k++) {
        const fs_trace_register *r = &task->regs[n_regs - 1 - k];
        bool consumed = false;
        for (size_t j = n_wakes; j-- > 0;) {
            const fs_trace_wake *w = &tr->wakes[task->wakes[j]];
            if (w->line < r->line)
                break;
            if (fs__consumes(tr, w, r)) {
                consumed = true;
                break;
            }
        }
        if (!consumed)
            return r->res;
    }
    return -1;
}

int64_t fs_trace_wake_registered_at(const fs_trace *tr, const fs_trace_wake *w)
{
    if (w->src_res < 0 || w->task >= tr->n_tasks)
        return -1;
    const fs_trace_task *task = &tr->tasks[w->task];
    size_t lo = 0, hi = task->n_regs;
    while (lo < hi) {  /* registrations before the wake: [0, lo) */
        size_t mid = lo + (hi - lo) / 2;
        if (task->regs[mid].line < w->line)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo-- > 0)
        if (task->regs[lo].res == w->src_res)
            return task->regs[lo].t;
    return -1;
}

/* ---- steal:N's per-worker and per-task lines ------------------------------ */

/* The first of n entries of `size` bytes, each starting with its int64_t
 * time, at or after t. */
static size_t fs__first_at(const void *arr, size_t n, size_t size, int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t mt;
        memcpy(&mt, (const char *)arr + mid * size, sizeof mt);
        if (mt < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t fs_trace_queue_first_at(const fs_trace_worker *w, int64_t t)
{
    return fs__first_at(w->queue, w->n_queue, sizeof *w->queue, t);
}

size_t fs_trace_driver_first_at(const fs_trace_worker *w, int64_t t)
{
    return fs__first_at(w->drivers, w->n_drivers, sizeof *w->drivers, t);
}

size_t fs_trace_steal_first_at(const fs_trace_worker *w, int64_t t)
{
    return fs__first_at(w->steals, w->n_steals, sizeof *w->steals, t);
}

size_t fs_trace_budget_first_at(const fs_trace_task *task, int64_t t)
{
    return fs__first_at(task->budgets, task->n_budgets, sizeof *task->budgets, t);
}

size_t fs_trace_wake_first_at(const fs_trace *tr, int64_t t)
{
    return fs__first_at(tr->wakes, tr->n_wakes, sizeof *tr->wakes, t);
}

int64_t fs_trace_pause_at(const fs_trace_worker *w, int64_t t)
{
    size_t lo = 0, hi = w->n_pauses;
    while (lo < hi) { /* the first pause at or after t */
        size_t mid = lo + (hi - lo) / 2;
        if (w->pauses[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t ns = 0;
    for (; lo < w->n_pauses && w->pauses[lo].t == t; lo++)
        ns += w->pauses[lo].end - w->pauses[lo].t;
    return ns;
}

int64_t fs_trace_queue_depth_at(const fs_trace_worker *w, int64_t t)
{
    /* the last entry at or before t: one before the first after t */
    size_t i = t == INT64_MAX ? w->n_queue : fs_trace_queue_first_at(w, t + 1);
    return i ? w->queue[i - 1].depth : 0;
}
