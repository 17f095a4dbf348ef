/* trace_build.c - the model builder: decoded lines (fs__rec) -> fs_trace.
 *
 * Lines come in time order but touch tasks in any order. So that a line
 * costs no random reads of big arrays, the builder consults only the small
 * per-task fs__task_aux, appends slices and registrations to logs in file
 * order, and merges each worker's busy spans as its polls arrive (file
 * order is time order). fs__trace_finish then lays every task's slices out
 * in one block, each task's run contiguous and in file order, and does the
 * same for registrations and wake indices: exact sizes, one allocation per
 * kind instead of a growing array per task. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_rec.h"

/* ---- checks and lookups --------------------------------------------------- */

static fs_errcode fs__task(fs__reader *r, int64_t id)
{
    if (id < 0 || (size_t)id >= r->tr->n_tasks)
        return fs__trace_fail(r, "task %lld was never spawned", (long long)id);
    return FS_ERR_OK;
}

/* Ends a worker's open span (park..unpark, preempt..resume: *open its start,
 * -1 when none) at end, clamped to its start when asked; false when out of
 * memory. */
static bool fs__close_span(int64_t *open, fs_trace_span **v, size_t *n, size_t *cap, int64_t end,
                           bool clamp)
{
    fs_trace_span sp = {.t = *open, .end = clamp && end < *open ? *open : end};
    *open = -1;
    return sp.t < 0 || FS__PUSH(*v, *n, *cap, sp);
}

static fs_errcode fs__worker(fs__reader *r, int64_t w)
{
    if (w < 0 || w >= r->tr->workers)
        return fs__trace_fail(r, "worker %lld is out of range (the header says %d workers)",
                              (long long)w, r->tr->workers);
    return FS_ERR_OK;
}

/* s interned, trying first the string this call site interned last. */
static bool fs__intern_memo(fs_trace *tr, const char *s, uint32_t *memo, uint32_t *out)
{
    if (!s || strcmp(tr->pool + *memo, s) == 0) {
        *out = s ? *memo : 0;
        return true;
    }
    if (!fs__trace_intern(tr, s, out))
        return false;
    *memo = *out;
    return true;
}

/* Logs hold at most 2^32 - 1 entries: the model indexes them with 32 bits. */
static fs_errcode fs__too_many(fs__reader *r, size_t n)
{
    if (n < UINT32_MAX)
        return FS_ERR_OK;
    return fs__trace_fail(r, "too many events for one trace (at most %u of a kind)", UINT32_MAX - 1);
}

/* The resource named `name` (created on first sight). kind may be NULL. */
fs_errcode fs__trace_resource(fs__reader *r, const char *name, const char *kind, int32_t *out)
{
    fs_trace *tr = r->tr;
    uint32_t off;
    if (!fs__trace_intern(tr, name, &off))
        return fs__trace_nomem(r);
    /* Interned names are equal exactly when their offsets are: hash those. */
    if (r->res_map_cap < 2 * (tr->n_resources + 1)) {
        size_t cap = r->res_map_cap ? r->res_map_cap * 2 : 64;
        uint64_t *map = calloc(cap, sizeof *map);
        if (!map)
            return fs__trace_nomem(r);
        for (size_t i = 0; i < tr->n_resources; i++) {
            size_t j = (tr->resources[i].name * 2654435761u) & (cap - 1);
            while (map[j])
                j = (j + 1) & (cap - 1);
            map[j] = ((uint64_t)tr->resources[i].name + 1) << 32 | i;
        }
        free(r->res_map);
        r->res_map = map;
        r->res_map_cap = cap;
    }
    size_t j = (off * 2654435761u) & (r->res_map_cap - 1);
    for (; r->res_map[j]; j = (j + 1) & (r->res_map_cap - 1)) {
        if ((r->res_map[j] >> 32) != (uint64_t)off + 1)
            continue;
        size_t i = (uint32_t)r->res_map[j];
        if (kind && !tr->resources[i].kind && !fs__trace_intern(tr, kind, &tr->resources[i].kind))
            return fs__trace_nomem(r);
        *out = (int32_t)i;
        return FS_ERR_OK;
    }
    fs_trace_resource res = {.name = off};
    if (kind && !fs__trace_intern(tr, kind, &res.kind))
        return fs__trace_nomem(r);
    size_t n = tr->n_resources;
    if (!FS__PUSH(tr->resources, tr->n_resources, r->cap_res, res) ||
        !fs__trace_grow((void **)&r->cap_io, &r->cap_cap_res, n + 1, sizeof *r->cap_io))
        return fs__trace_nomem(r);
    r->cap_io[n] = 0;
    r->res_map[j] = ((uint64_t)off + 1) << 32 | n;
    *out = (int32_t)n;
    return FS_ERR_OK;
}


/* ---- lines ---------------------------------------------------------------- */

/* A worker is busy over the union of its polls: slices arrive in time order
 * of their start, so a run either grows or is done. */
static bool fs__busy(fs__reader *r, int32_t w, int64_t t, int64_t end)
{
    fs_trace_span *open = &r->busy_open[w];
    if (open->t >= 0 && t <= open->end) {
        if (end > open->end)
            open->end = end;
        return true;
    }
    if (open->t >= 0) {
        fs_trace_worker *wk = &r->tr->workers_v[w];
        if (!FS__PUSH(wk->busy, wk->n_busy, r->cap_busy[w], *open))
            return false;
    }
    *open = (fs_trace_span){t, end};
    return true;
}

static fs_errcode fs__add_slice(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    FS__TRY(fs__task(r, rec->task));
    FS__TRY(fs__worker(r, rec->worker));
    FS__TRY(fs__too_many(r, r->n_log_slices));
    size_t id = (size_t)rec->task;
    fs__task_aux *aux = &r->aux[id];
    fs_trace_slice s = {.t = rec->t, .end = rec->end, .dur = rec->dur, .count = rec->count,
                        .value = rec->value, .worker = (int32_t)rec->worker, .ready = rec->ready};
    if (aux->n_slices && rec->t < aux->last_end)
        return fs__trace_fail(r, "task %zu is polled at %lld ns while its previous poll runs until %lld ns",
                              id, (long long)rec->t, (long long)aux->last_end);
    if (rec->type == FS__R_SPIN) {
        s.kind = FS_SLICE_SPIN;
        s.wasted = rec->count;
    } else {
        s.kind = rec->dur > tr->poll_cost_ns ? FS_SLICE_COMPUTE
                 : rec->ready                ? FS_SLICE_READY
                                             : FS_SLICE_PENDING;
        s.wasted = !rec->ready && !aux->fresh && aux->n_slices > 0;
    }
    if (!fs__intern_memo(tr, rec->state, &r->memo_state, &s.state))
        return fs__trace_nomem(r);
    size_t n = r->n_log_slices, cap = r->cap_log_slices;
    if (n == cap) {
        if (!fs__trace_grow((void **)&r->log_slices, &cap, n + 1, sizeof *r->log_slices))
            return fs__trace_nomem(r);
        size_t cap_task = r->cap_log_slices;
        if (!fs__trace_grow((void **)&r->log_slice_task, &cap_task, cap, sizeof *r->log_slice_task))
            return fs__trace_nomem(r);
        r->cap_log_slices = cap;
    }
    if (!fs__busy(r, s.worker, s.t, s.end))
        return fs__trace_nomem(r);
    r->log_slices[n] = s;
    r->log_slice_task[n] = (uint32_t)id;
    r->n_log_slices = n + 1;
    aux->fresh = false;
    aux->last_end = s.end;
    aux->n_slices++;
    return FS_ERR_OK;
}

static fs_errcode fs__spawn(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    if ((size_t)rec->task != tr->n_tasks)
        return fs__trace_fail(r, "spawn of task %lld, expected task %zu (ids count up from 0)",
                              (long long)rec->task, tr->n_tasks);
    if (rec->parent >= (int64_t)tr->n_tasks)
        return fs__trace_fail(r, "parent %lld was never spawned", (long long)rec->parent);
    FS__TRY(fs__too_many(r, tr->n_tasks));
    fs_trace_task t = {.parent = rec->parent, .spawn_t = rec->t, .complete_t = -1, .cancel_t = -1,
                       .spawn_line = (uint32_t)r->line, .waker_clones = -1, .waker_drops = -1};
    if (!fs__trace_intern(tr, rec->name, &t.name))
        return fs__trace_nomem(r);
    size_t n = tr->n_tasks;
    if (!FS__PUSH(tr->tasks, tr->n_tasks, r->cap_tasks, t) ||
        !fs__trace_grow((void **)&r->aux, &r->cap_aux, n + 1, sizeof *r->aux))
        return fs__trace_nomem(r);
    r->aux[n] = (fs__task_aux){.fresh = true};
    return FS_ERR_OK;
}

/* "socket:a" -> kind "socket", resource "a"; "timer" -> resource "timer". */
static fs_errcode fs__wake(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    FS__TRY(fs__task(r, rec->task));
    FS__TRY(fs__too_many(r, tr->n_wakes));
    fs__task_aux *aux = &r->aux[rec->task];
    /* The poll a wake leads to is the task's next poll line in the file: a
     * wake made during a poll carries that poll's start time, so times alone
     * would link it to the poll that made it. */
    fs_trace_wake w = {.t = rec->t, .task = (uint32_t)rec->task, .src_task = -1, .src_res = -1,
                       .caused = (int32_t)aux->n_slices, .stale = rec->stale,
                       .line = (uint32_t)r->line};
    const char *src = rec->name;
    if (r->memo_wake_res >= 0 && strcmp(tr->pool + r->memo_wake, src) == 0) {
        /* the same device as the last device wake: found and interned then */
        w.src_res = r->memo_wake_res;
        w.source = r->memo_wake;
    } else {
        const char *colon = strchr(src, ':');
        if (strncmp(src, "task:", 5) == 0) {
            char *end;
            long long id = strtoll(src + 5, &end, 10);
            if (*end || id < 0 || (size_t)id >= tr->n_tasks)
                return fs__trace_fail(r, "wake source \"%.40s\" names no spawned task", src);
            w.src_task = (int32_t)id;
        } else if (strcmp(src, "self") == 0) {
            w.src_task = (int32_t)rec->task;
        } else if (strncmp(src, "blocking:", 9) == 0) {
            /* a blocking job's end: from the pool's one lane, not a lane per job */
            FS__TRY(fs__trace_resource(r, "pool", "blocking", &w.src_res));
        } else if (colon) {
            char kind[64];
            snprintf(kind, sizeof kind, "%.*s", (int)(colon - src < 63 ? colon - src : 63), src);
            FS__TRY(fs__trace_resource(r, colon + 1, kind, &w.src_res));
        } else {
            FS__TRY(fs__trace_resource(r, src, src, &w.src_res));
        }
        if (!fs__trace_intern(tr, src, &w.source))
            return fs__trace_nomem(r);
        if (w.src_res >= 0) {
            r->memo_wake = w.source;
            r->memo_wake_res = w.src_res;
        }
    }
    if (!FS__PUSH(tr->wakes, tr->n_wakes, r->cap_wakes, w))
        return fs__trace_nomem(r);
    aux->n_wakes++;
    aux->fresh = true;
    return FS_ERR_OK;
}

static fs_errcode fs__register(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    int32_t res;
    FS__TRY(fs__task(r, rec->task));
    if (r->memo_reg_res >= 0 && strcmp(tr->pool + r->memo_reg, rec->name) == 0) {
        res = r->memo_reg_res;
    } else if (strncmp(rec->name, "blocking:", 9) == 0) {
        FS__TRY(fs__trace_resource(r, "pool", "blocking", &res)); /* a job's JoinHandle */
    } else {
        FS__TRY(fs__trace_resource(r, rec->name, NULL, &res));
        r->memo_reg = tr->resources[res].name;
        r->memo_reg_res = res;
    }
    FS__TRY(fs__too_many(r, r->n_log_regs));
    size_t n = r->n_log_regs, cap = r->cap_log_regs;
    if (n == cap) {
        if (!fs__trace_grow((void **)&r->log_regs, &cap, n + 1, sizeof *r->log_regs))
            return fs__trace_nomem(r);
        size_t cap_task = r->cap_log_regs;
        if (!fs__trace_grow((void **)&r->log_reg_task, &cap_task, cap, sizeof *r->log_reg_task))
            return fs__trace_nomem(r);
        r->cap_log_regs = cap;
    }
    r->log_regs[n] = (fs_trace_register){.t = rec->t, .res = res, .line = (uint32_t)r->line};
    r->log_reg_task[n] = (uint32_t)rec->task;
    r->n_log_regs = n + 1;
    r->aux[rec->task].n_regs++;
    return FS_ERR_OK;
}

/* One entry appended to a log, with its owner. */
static fs_errcode fs__log_push(fs__reader *r, fs__log *log, const void *item, size_t size,
                               uint32_t owner)
{
    FS__TRY(fs__too_many(r, log->n));
    if (log->n == log->cap) {
        size_t cap = log->cap, cap_owner = log->cap;
        if (!fs__trace_grow(&log->items, &cap, log->n + 1, size) ||
            !fs__trace_grow((void **)&log->owner, &cap_owner, cap, sizeof *log->owner))
            return fs__trace_nomem(r);
        log->cap = cap;
    }
    memcpy((char *)log->items + log->n * size, item, size);
    log->owner[log->n++] = owner;
    return FS_ERR_OK;
}

/* steal:N's lines: driver turns and queue depths per worker, budget
 * yields per task. */
static fs_errcode fs__steal_line(fs__reader *r, const fs__rec *rec)
{
    FS__TRY(fs__worker(r, rec->worker));
    uint32_t w = (uint32_t)rec->worker;
    if (rec->type == FS__R_DRIVER) {
        fs_trace_driver d = {.t = rec->t, .fired = rec->n};
        return fs__log_push(r, &r->log_drivers, &d, sizeof d, w);
    }
    if (rec->type == FS__R_QUEUE) {
        fs_trace_depth d = {.t = rec->t, .depth = rec->n};
        return fs__log_push(r, &r->log_queue, &d, sizeof d, w);
    }
    if (rec->type == FS__R_STEAL) {
        FS__TRY(fs__worker(r, rec->n));
        fs_trace_steal s = {.t = rec->t, .victim = (int32_t)rec->n, .count = rec->count};
        return fs__log_push(r, &r->log_steals, &s, sizeof s, w);
    }
    FS__TRY(fs__task(r, rec->task));
    fs_trace_budget b = {.t = rec->t, .worker = (int32_t)w};
    return fs__log_push(r, &r->log_budgets, &b, sizeof b, (uint32_t)rec->task);
}

/* A job of the blocking pool, kept by its thread. */
static fs_errcode fs__blocking_line(fs__reader *r, const fs__rec *rec)
{
    FS__TRY(fs__task(r, rec->task));
    if (rec->worker >= FS_TRACE_MAX_BLOCKING_THREADS)
        return fs__trace_fail(r, "blocking pool thread %lld is out of range (at most %d)",
                              (long long)rec->worker, FS_TRACE_MAX_BLOCKING_THREADS);
    fs_trace_job j = {.t = rec->t, .end = rec->t + rec->dur, .task = (uint32_t)rec->task,
                      .job = rec->n, .queued = rec->count, .new_thread = rec->ready};
    if (!fs__trace_intern(r->tr, rec->name, &j.name))
        return fs__trace_nomem(r);
    if ((size_t)rec->worker >= r->tr->n_bthreads)
        r->tr->n_bthreads = (size_t)rec->worker + 1;
    return fs__log_push(r, &r->log_blocking, &j, sizeof j, (uint32_t)rec->worker);
}

fs_errcode fs__trace_add(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    if (rec->t < r->last_t)
        return fs__trace_fail(r, "time goes backwards: t=%lld ns after t=%lld ns",
                              (long long)rec->t, (long long)r->last_t);
    r->last_t = rec->t;
    if ((!tr->n_times || tr->times[tr->n_times - 1] != rec->t) &&
        !FS__PUSH(tr->times, tr->n_times, r->cap_times, rec->t))
        return fs__trace_nomem(r);
    int32_t res;
    switch (rec->type) {
    case FS__R_SPAWN:
        return fs__spawn(r, rec);
    case FS__R_POLL:
    case FS__R_SPIN:
        return fs__add_slice(r, rec);
    case FS__R_REGISTER:
        return fs__register(r, rec);
    case FS__R_WAKE:
        return fs__wake(r, rec);
    case FS__R_IO:
    case FS__R_RFAULT: {
        FS__TRY(fs__trace_resource(r, rec->name, NULL, &res));
        fs_trace_resource *rs = &tr->resources[res];
        fs_trace_io io = {.t = rec->t, .has_value = rec->has_value, .value = rec->value,
                          .fault = rec->type == FS__R_RFAULT};
        char what[64];
        if (io.fault) /* "fault: latency": its kind, on the resource's lane */
            snprintf(what, sizeof what, "fault: %s", rec->what);
        if (!fs__intern_memo(tr, io.fault ? what : rec->what, &r->memo_what, &io.what) ||
            !FS__PUSH(rs->io, rs->n_io, r->cap_io[res], io))
            return fs__trace_nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_PARK:
        FS__TRY(fs__worker(r, rec->worker));
        if (r->park_open[rec->worker] < 0)
            r->park_open[rec->worker] = rec->t;
        return FS_ERR_OK;
    case FS__R_UNPARK: {
        FS__TRY(fs__worker(r, rec->worker));
        fs_trace_worker *w = &tr->workers_v[rec->worker];
        if (!fs__close_span(&r->park_open[rec->worker], &w->parks, &w->n_parks,
                            &r->cap_parks[rec->worker], rec->t, false))
            return fs__trace_nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_PREEMPT:
        FS__TRY(fs__worker(r, rec->worker));
        if (r->preempt_open[rec->worker] < 0)
            r->preempt_open[rec->worker] = rec->t;
        return FS_ERR_OK;
    case FS__R_RESUME: {
        FS__TRY(fs__worker(r, rec->worker));
        fs_trace_worker *w = &tr->workers_v[rec->worker];
        if (!fs__close_span(&r->preempt_open[rec->worker], &w->preempts, &w->n_preempts,
                            &r->cap_preempts[rec->worker], rec->t, false))
            return fs__trace_nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_PAUSE: {
        FS__TRY(fs__worker(r, rec->worker));
        fs_trace_worker *w = &tr->workers_v[rec->worker];
        fs_trace_span sp = {.t = rec->t, .end = rec->t + rec->dur};
        if (!FS__PUSH(w->pauses, w->n_pauses, r->cap_pauses[rec->worker], sp))
            return fs__trace_nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_CANCEL:
        FS__TRY(fs__task(r, rec->task));
        if (tr->tasks[rec->task].cancel_t < 0)
            tr->tasks[rec->task].cancel_t = rec->t;
        return FS_ERR_OK;
    case FS__R_COMPLETE:
        FS__TRY(fs__task(r, rec->task));
        tr->tasks[rec->task].complete_t = rec->t;
        if (rec->name && !fs__trace_intern(tr, rec->name, &tr->tasks[rec->task].error))
            return FS_ERR_NOMEM;
        return FS_ERR_OK;
    case FS__R_DRIVER:
    case FS__R_BUDGET:
    case FS__R_QUEUE:
    case FS__R_STEAL:
        return fs__steal_line(r, rec);
    case FS__R_BLOCKING:
        return fs__blocking_line(r, rec);
    case FS__R_STALL:
        tr->has_stall = true;
        tr->stall_t = rec->t;
        return FS_ERR_OK;
    default:
        return FS_ERR_OK;
    }
}

/* ---- the end of the file --------------------------------------------------- */

/* Each task's slices, contiguous in one block, in file order. The aux
 * counts become write cursors here and are spent. */
static bool fs__layout_slices(fs__reader *r)
{
    fs_trace *tr = r->tr;
    size_t total = r->n_log_slices;
    tr->slice_block = fs__trace_alloc(total * sizeof *tr->slice_block);
    if (!tr->slice_block)
        return false;
    uint32_t off = 0;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs_trace_task *t = &tr->tasks[i];
        t->n_slices = r->aux[i].n_slices;
        t->slices = t->n_slices ? tr->slice_block + off : NULL;
        r->aux[i].n_slices = off;
        off += (uint32_t)t->n_slices;
    }
    /* Tasks come in random order: fetch the cursor ahead, then the place
     * it points to, so the copies do not wait on memory one by one. */
    enum { AHEAD = 16 };
    const uint32_t *task = r->log_slice_task;
    for (size_t k = 0; k < total; k++) {
        if (k + AHEAD < total)
            __builtin_prefetch(&r->aux[task[k + AHEAD]]);
        if (k + AHEAD / 2 < total)
            __builtin_prefetch(&tr->slice_block[r->aux[task[k + AHEAD / 2]].n_slices], 1);
        tr->slice_block[r->aux[task[k]].n_slices++] = r->log_slices[k];
    }
    free(r->log_slices);
    free(r->log_slice_task);
    r->log_slices = NULL;
    r->log_slice_task = NULL;
    /* running sums: n_slices + 1 per task */
    tr->cum_block = fs__trace_alloc((total + tr->n_tasks + 1) * sizeof *tr->cum_block);
    if (!tr->cum_block)
        return false;
    fs_trace_cum *cum = tr->cum_block;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs_trace_task *t = &tr->tasks[i];
        t->cum = cum;
        fs_trace_cum c = {0};
        for (size_t j = 0; j < t->n_slices; j++) {
            t->cum[j] = c;
            c.polls += t->slices[j].count;
            c.wasted += t->slices[j].wasted;
            c.busy_ns += t->slices[j].count * t->slices[j].dur;
        }
        t->cum[t->n_slices] = c;
        cum += t->n_slices + 1;
    }
    return true;
}

static bool fs__layout_regs_wakes(fs__reader *r)
{
    fs_trace *tr = r->tr;
    size_t total = r->n_log_regs;
    tr->reg_block = fs__trace_alloc(total * sizeof *tr->reg_block);
    tr->wake_block = fs__trace_alloc(tr->n_wakes * sizeof *tr->wake_block);
    if (!tr->reg_block || !tr->wake_block)
        return false;
    uint32_t off_r = 0, off_w = 0;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs_trace_task *t = &tr->tasks[i];
        t->n_regs = r->aux[i].n_regs;
        t->regs = t->n_regs ? tr->reg_block + off_r : NULL;
        r->aux[i].n_regs = off_r;
        off_r += (uint32_t)t->n_regs;
        t->n_wakes = r->aux[i].n_wakes;
        t->wakes = t->n_wakes ? tr->wake_block + off_w : NULL;
        r->aux[i].n_wakes = off_w;
        off_w += (uint32_t)t->n_wakes;
    }
    for (size_t k = 0; k < total; k++)
        tr->reg_block[r->aux[r->log_reg_task[k]].n_regs++] = r->log_regs[k];
    free(r->log_regs);
    free(r->log_reg_task);
    r->log_regs = NULL;
    r->log_reg_task = NULL;
    for (size_t k = 0; k < tr->n_wakes; k++)
        tr->wake_block[r->aux[tr->wakes[k].task].n_wakes++] = (uint32_t)k;
    return true;
}

/* A log laid out in one exact-size block, each owner's run contiguous and
 * in file order; first[o] .. first[o + 1] are owner o's entries. The log
 * is spent. first has n_owners + 1 entries. */
static void *fs__layout_log(fs__log *log, size_t size, size_t n_owners, size_t *first)
{
    char *block = fs__trace_alloc(log->n * size);
    if (!block)
        return NULL;
    memset(first, 0, (n_owners + 1) * sizeof *first);
    for (size_t k = 0; k < log->n; k++)
        first[log->owner[k] + 1]++;
    for (size_t o = 0; o < n_owners; o++)
        first[o + 1] += first[o];
    /* first[o] is owner o's write cursor while copying, then back to its start */
    for (size_t k = 0; k < log->n; k++)
        memcpy(block + first[log->owner[k]]++ * size, (char *)log->items + k * size, size);
    for (size_t o = n_owners; o > 0; o--)
        first[o] = first[o - 1];
    first[0] = 0;
    free(log->items);
    free(log->owner);
    *log = (fs__log){0};
    return block;
}

/* steal:N's lines into their blocks: workers' driver turns and queue
 * depths, tasks' budget yields. */
static bool fs__layout_steal(fs__reader *r)
{
    fs_trace *tr = r->tr;
    size_t nw = (size_t)tr->workers, nt = tr->n_tasks;
    size_t *first = malloc(((nw > nt ? nw : nt) + 1) * sizeof *first);
    if (!first)
        return false;
    bool ok = false;
    if (!(tr->driver_block = fs__layout_log(&r->log_drivers, sizeof *tr->driver_block, nw, first)))
        goto done;
    for (size_t w = 0; w < nw; w++) {
        tr->workers_v[w].n_drivers = first[w + 1] - first[w];
        tr->workers_v[w].drivers = tr->workers_v[w].n_drivers ? tr->driver_block + first[w] : NULL;
        int64_t sum = 0;
        for (size_t k = 0; k < tr->workers_v[w].n_drivers; k++) {
            tr->workers_v[w].drivers[k].fired_before = sum;
            sum += tr->workers_v[w].drivers[k].fired;
        }
    }
    if (!(tr->queue_block = fs__layout_log(&r->log_queue, sizeof *tr->queue_block, nw, first)))
        goto done;
    for (size_t w = 0; w < nw; w++) {
        tr->workers_v[w].n_queue = first[w + 1] - first[w];
        tr->workers_v[w].queue = tr->workers_v[w].n_queue ? tr->queue_block + first[w] : NULL;
        for (size_t k = 0; k < tr->workers_v[w].n_queue; k++)
            if (tr->workers_v[w].queue[k].depth > tr->workers_v[w].max_depth)
                tr->workers_v[w].max_depth = tr->workers_v[w].queue[k].depth;
    }
    if (!(tr->steal_block = fs__layout_log(&r->log_steals, sizeof *tr->steal_block, nw, first)))
        goto done;
    for (size_t w = 0; w < nw; w++) {
        tr->workers_v[w].n_steals = first[w + 1] - first[w];
        tr->workers_v[w].steals = tr->workers_v[w].n_steals ? tr->steal_block + first[w] : NULL;
    }
    if (!(tr->budget_block = fs__layout_log(&r->log_budgets, sizeof *tr->budget_block, nt, first)))
        goto done;
    for (size_t i = 0; i < nt; i++) {
        tr->tasks[i].n_budgets = first[i + 1] - first[i];
        tr->tasks[i].budgets = tr->tasks[i].n_budgets ? tr->budget_block + first[i] : NULL;
    }
    ok = true;
done:
    free(first);
    return ok;
}

/* The blocking pool's jobs into one block, each thread's run contiguous. */
static bool fs__layout_blocking(fs__reader *r)
{
    fs_trace *tr = r->tr;
    size_t n = tr->n_bthreads;
    size_t *first = malloc((n + 1) * sizeof *first);
    tr->bthreads = calloc(n ? n : 1, sizeof *tr->bthreads);
    if (!first || !tr->bthreads ||
        !(tr->job_block = fs__layout_log(&r->log_blocking, sizeof *tr->job_block, n, first))) {
        free(first);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        tr->bthreads[i].n_jobs = first[i + 1] - first[i];
        tr->bthreads[i].jobs = tr->bthreads[i].n_jobs ? tr->job_block + first[i] : NULL;
    }
    free(first);
    return true;
}

fs_errcode fs__trace_finish(fs__reader *r)
{
    fs_trace *tr = r->tr;
    for (int w = 0; w < tr->workers; w++) {
        fs_trace_worker *wk = &tr->workers_v[w];
        /* a park or preemption still open ends with the run */
        if (!fs__close_span(&r->park_open[w], &wk->parks, &wk->n_parks, &r->cap_parks[w],
                            tr->summary.end_ns, true) ||
            !fs__close_span(&r->preempt_open[w], &wk->preempts, &wk->n_preempts,
                            &r->cap_preempts[w], tr->summary.end_ns, true))
            return fs__trace_nomem(r);
        if (r->busy_open[w].t >= 0 && !FS__PUSH(wk->busy, wk->n_busy, r->cap_busy[w], r->busy_open[w]))
            return fs__trace_nomem(r);
    }
    if (!fs__layout_slices(r) || !fs__layout_regs_wakes(r) || !fs__layout_steal(r) ||
        !fs__layout_blocking(r) || !fs__trace_stable_ids(tr))
        return fs__trace_nomem(r);
    for (size_t i = 0; i < tr->n_wakes; i++) {
        fs_trace_wake *w = &tr->wakes[i];
        if ((size_t)w->caused >= tr->tasks[w->task].n_slices || w->stale)
            w->caused = -1;
    }
    return FS_ERR_OK;
}

void fs__trace_reader_free(fs__reader *r)
{
    free(r->aux);
    free(r->log_slices);
    free(r->log_slice_task);
    free(r->log_regs);
    free(r->log_reg_task);
    fs__log *logs[] = {&r->log_drivers, &r->log_queue, &r->log_budgets, &r->log_steals,
                       &r->log_blocking};
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        free(logs[i]->items);
        free(logs[i]->owner);
    }
    free(r->cap_io);
    free(r->cap_parks);
    free(r->cap_preempts);
    free(r->cap_pauses);
    free(r->cap_busy);
    free(r->park_open);
    free(r->preempt_open);
    free(r->busy_open);
    free(r->scratch[0]);
    free(r->scratch[1]);
    free(r->res_map);
}
