/* exec_common.c - what every executor shares: tasks, task wakers, the ready
 * ring, events, the one poll step, stalls, limits and the busy fast-forward.
 * The dispatcher (exec.c) and the policies that decide which task to poll
 * next (exec_<name>.c) call it; it calls neither. */
#include "exec_common.h"
#include "mem_hint.h"

#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* the ready ring                                                            */
/* ======================================================================== */

/* The capacity is a power of two (64, doubled): positions wrap with a mask,
 * not a division, on every push and pop. */
bool fs__ring_push(fs__ring *r, uint32_t id)
{
    if (r->len == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        uint32_t *ids = malloc(cap * sizeof *ids);
        if (!ids)
            return false;
        for (size_t i = 0; i < r->len; i++)
            ids[i] = r->ids[(r->head + i) & (r->cap - 1)];
        free(r->ids);
        r->ids = ids;
        r->head = 0;
        r->cap = cap;
    }
    r->ids[(r->head + r->len) & (r->cap - 1)] = id;
    r->len++;
    return true;
}

uint32_t fs__ring_pop_front(fs__ring *r)
{
    FS_EXPECT(r->len > 0);
    uint32_t id = r->ids[r->head];
    r->head = (r->head + 1) & (r->cap - 1);
    r->len--;
    return id;
}

uint32_t fs__ring_take(fs__ring *r, size_t i)
{
    FS_EXPECT(i < r->len);
    size_t at = (r->head + i) & (r->cap - 1);
    uint32_t id = r->ids[at];
    r->ids[at] = r->ids[r->head];
    fs__ring_pop_front(r);
    return id;
}

uint32_t fs__ring_pop_back(fs__ring *r)
{
    FS_EXPECT(r->len > 0);
    r->len--;
    return r->ids[(r->head + r->len) & (r->cap - 1)];
}

/* ======================================================================== */
/* events                                                                    */
/* ======================================================================== */

const char *fs_fail_name(fs_fail fail)
{
    static const char *const names[FS_FAIL__COUNT] = {
        [FS_FAIL_CLOSED] = "closed", [FS_FAIL_ELAPSED] = "elapsed", [FS_FAIL_CANCELLED] = "cancelled",
        [FS_FAIL_BREAK] = "break",
        [FS_FAIL_IO] = "io", [FS_FAIL_RESET] = "reset"};
    return (unsigned)fail < FS_FAIL__COUNT ? names[fail] : NULL;
}

const char *fs_event_type_name(fs_event_type t)
{
    static const char *names[FS_EV__COUNT] = {
        [FS_EV_SPAWN] = "spawn",     [FS_EV_POLL] = "poll",
        [FS_EV_SPIN_SKIP] = "spin",  [FS_EV_REGISTER] = "register",
        [FS_EV_WAKE] = "wake",       [FS_EV_IO] = "io",
        [FS_EV_PARK] = "park",       [FS_EV_UNPARK] = "unpark",
        [FS_EV_STEAL] = "steal",     [FS_EV_CANCEL] = "cancel",
        [FS_EV_COMPLETE] = "complete", [FS_EV_STALL] = "stall",
        [FS_EV_DRIVER] = "driver",   [FS_EV_BUDGET] = "budget",
        [FS_EV_QUEUE] = "queue",
        [FS_EV_BLOCKING] = "blocking", [FS_EV_FAULT] = "fault",
        [FS_EV_PREEMPT] = "preempt", [FS_EV_RESUME] = "resume",
    };
    return (unsigned)t < FS_EV__COUNT ? names[t] : "?";
}

static void fs__deliver(fs_exec *ex, const fs_event *ev)
{
    if (ex->desc.observer.on_event)
        ex->desc.observer.on_event(ex->desc.observer.ctx, ev);
}

/* Without an observer an event is only counted: the hot paths test this
 * before building one. */
static bool fs__observed(const fs_exec *ex)
{
    return ex->desc.observer.on_event != NULL;
}

void fs_exec_emit(fs_exec *ex, const fs_event *ev)
{
    if (!((ev->type == FS_EV_POLL && ev->spinnable) || ev->type == FS_EV_SPIN_SKIP))
        ex->activity++;
    if (!ex->desc.observer.on_event)
        return;
    if (!ex->cx) {
        fs__deliver(ex, ev);
        return;
    }
    /* Inside a poll: held until the poll's own line is out, so a reader sees
     * the poll first and then what it did, and stamped with the poll's start:
     * with several workers, a line stamped later inside a long poll would come
     * before other workers' earlier lines. The buffer is reused. */
    if (ex->n_held == FS_MAX_POLL_EVENTS)
        fs_exec_stop(ex, FS_LIMIT_TRACE); /* the poll stops at its next loop step */
    if (ex->n_held == ex->cap_held &&
        !fs__grow(ex, (void **)&ex->held, &ex->cap_held, ex->n_held + 1, sizeof *ex->held))
        return;
    ex->held[ex->n_held] = *ev;
    ex->held[ex->n_held++].t = ex->cx->start;
}

int64_t fs_exec_now(const fs_exec *ex)
{
    if (ex->cx)
        return fs_context_now(ex->cx);
    if (ex->firing)
        return ex->event_now;
    return ex->now;
}

void fs_exec_set_wake_source(fs_exec *ex, const char *source)
{
    ex->wake_source = source;
}

/* ======================================================================== */
/* task wakers                                                               */
/* ======================================================================== */

static const fs_waker_vtable fs__task_waker_vt;

/* The live task a handle names, or NULL for a stale one (task completed). */
static fs__task *fs__lookup(const fs_exec *ex, uint64_t handle)
{
    uint32_t id = (uint32_t)handle, gen = (uint32_t)(handle >> 32);
    if (id >= ex->n_tasks || ex->tasks[id].released != gen)
        return NULL;
    return &ex->tasks[id];
}

/* ---- a task's counters: 32 bits, or wide (see fs__task) ------------------- */

/* Task t's counters in full, made so now if they were not: every count
 * from now on goes there. */
static __attribute__((noinline)) fs__wide *fs__widen(fs_exec *ex, fs__task *t)
{
    if (t->wide)
        return &ex->wide[t->polls];
    if (!fs__grow(ex, (void **)&ex->wide, &ex->cap_wide, ex->n_wide + 1, sizeof *ex->wide))
        return &ex->wide_sink; /* the run stops: out of memory */
    const fs__cold *c = &ex->cold[t - ex->tasks];
    fs__wide *w = &ex->wide[ex->n_wide];
    *w = (fs__wide){.polls = t->polls, .wasted_polls = c->wasted_polls, .wakes = t->wakes,
                    .self_wakes = c->self_wakes, .clones = t->clones,
                    .step = t->step, .steps = t->steps};
    if (t->polls == 0)
        w->spawned_ns = t->spawned_ns;
    else {
        w->max_wake_latency = t->max_wake_latency;
        w->max_runnable_wait = t->max_runnable_wait;
    }
    t->polls = (uint32_t)ex->n_wide++;
    t->wide = true;
    /* the 32-bit counters at their limit: a wake or clone that tests it
     * comes here without testing `wide` */
    t->wakes = t->clones = UINT32_MAX;
    ex->cold[t - ex->tasks].wasted_polls = ex->cold[t - ex->tasks].self_wakes = UINT32_MAX;
    return w;
}

/* step and steps as fs__task.step_pair holds them */
static inline uint32_t fs__step_pair(uint16_t step, uint16_t steps)
{
    fs__task t = {.step = step, .steps = steps};
    return t.step_pair;
}

static inline int64_t fs__polls(const fs_exec *ex, const fs__task *t)
{
    return t->wide ? ex->wide[t->polls].polls : t->polls;
}

/* Puts an idle task in the ready queue (wake and steal executors; busy and
 * blocking poll everything anyway). */
static void fs__schedule(fs_exec *ex, uint32_t id)
{
    fs__task *t = &ex->tasks[id];
    if (t->state != FS__IDLE)
        return;
    if (ex->schedule) {
        ex->schedule(ex, id);
    } else if (ex->desc.kind == FS_EXEC_WAKE) {
        t->state = FS__SCHEDULED;
        if (!fs__ring_push(&ex->ready, id))
            fs_exec_out_of_memory(ex);
    }
}

static void fs__defer(fs_exec *ex, uint32_t id)
{
    if (fs__grow(ex, (void **)&ex->deferred, &ex->cap_deferred, ex->n_deferred + 1,
                 sizeof *ex->deferred))
        ex->deferred[ex->n_deferred++] = id;
}

/* Reports a wake of task id (its future released if stale). Not inlined:
 * without an observer it is not called (fs__note_wake). */
static __attribute__((noinline)) void fs__report_wake(fs_exec *ex, uint32_t id, int64_t now,
                                                      bool self, bool stale)
{
    fs_event ev = {.type = FS_EV_WAKE, .t = now, .task = id, .source_task = -1,
                   .what = stale ? "stale" : NULL};
    if (self)
        ev.source = "self";
    else if (ex->cx)
        ev.source_task = ex->cx->task;
    else if (ex->wake_source_task >= 0)
        ev.source_task = ex->wake_source_task;
    else
        ev.source = ex->wake_source ? ex->wake_source : "unknown";
    fs_exec_emit(ex, &ev);
}

/* A wake, reported when the run is observed, else only counted. */
static inline void fs__note_wake(fs_exec *ex, uint32_t id, int64_t now, bool self, bool stale)
{
    if (fs__observed(ex))
        fs__report_wake(ex, id, now, self, stale);
    else
        ex->activity++;
}

/* Returns the task woken, NULL for a stale handle. */
static fs__task *fs__wake(fs_exec *ex, uint64_t handle)
{
    uint32_t id = (uint32_t)handle;
    fs__task *t = fs__lookup(ex, handle);
    /* A wake made by a poll counts from the poll's start, as its line says. */
    int64_t now = ex->cx ? ex->cx->start : fs_exec_now(ex);
    bool self = ex->cx && ex->cx->task == id;
    ex->stats.wakes++;
    if (!t) {
        /* The task completed: the wake is counted and reported, and goes no
         * further. Its future has been released. */
        ex->stats.stale_wakes++;
        fs__note_wake(ex, id, now, self, true);
        return NULL;
    }
    fs__note_wake(ex, id, now, self, false);
    if (t->wakes != UINT32_MAX) /* UINT32_MAX once wide */
        t->wakes++;
    else
        fs__widen(ex, t)->wakes++;
    if (self) {
        fs__cold *c = &ex->cold[id];
        if (c->self_wakes != UINT32_MAX)
            c->self_wakes++;
        else
            fs__widen(ex, t)->self_wakes++;
    }
    t->woken = true;
    if (t->wake_ns < 0)
        t->wake_ns = now;
    if (ex->cx) {
        /* Snapshot before dispatch: a wake during a poll takes effect after
         * it, behind the device events that came due meanwhile. */
        if (!t->notified && (t->state == FS__IDLE || t->state == FS__RUNNING)) {
            t->notified = true;
            fs__defer(ex, id);
        }
        return t;
    }
    if (t->state == FS__RUNNING) {
        /* steal:N: a device woke it while its poll runs on some worker: the
         * wake takes effect when that poll ends (fs__exec_apply_late_wake). */
        t->notified = true;
        return t;
    }
    fs__schedule(ex, id);
    return t;
}

/* A clone of a wide task's waker (or of one whose count just outgrew 32
 * bits): apart, so the common clone saves no registers for the call. */
static __attribute__((noinline)) fs_waker fs__waker_clone_wide(const fs_waker *w, fs__task *t)
{
    fs__widen(w->data, t)->clones++;
    return *w;
}

static fs_waker fs__waker_clone(const fs_waker *w)
{
    fs__task *t = fs__lookup(w->data, w->id);
    if (t) {
        t->refs++;
        if (t->clones == UINT32_MAX) /* UINT32_MAX once wide */
            return fs__waker_clone_wide(w, t);
        t->clones++;
    }
    return *w;
}

/* A clone of t's waker is gone (t NULL: a stale handle). Drops are
 * clones - refs, wide or not: nothing else to count. */
static void fs__count_drop(fs__task *t)
{
    if (t)
        t->refs--;
}

static void fs__waker_drop(fs_waker *w)
{
    fs__count_drop(fs__lookup(w->data, w->id));
}

static void fs__waker_wake_by_ref(const fs_waker *w)
{
    fs__wake(w->data, w->id);
}

static void fs__waker_wake(fs_waker *w)
{
    /* the drop, without looking the task up again (a wake moves no record) */
    fs__count_drop(fs__wake(w->data, w->id));
}

static const fs_waker_vtable fs__task_waker_vt = {
    .clone = fs__waker_clone,
    .wake = fs__waker_wake,
    .wake_by_ref = fs__waker_wake_by_ref,
    .drop = fs__waker_drop,
};

fs_waker fs_exec_task_waker(const fs_exec *ex, uint32_t id)
{
    FS_EXPECT(id < ex->n_tasks);
    return (fs_waker){.vt = &fs__task_waker_vt, .data = (void *)ex,
                      .id = (uint64_t)id | ((uint64_t)ex->tasks[id].released << 32)};
}

void fs_exec_prefetch_waker(const fs_waker *w)
{
    if (w->vt != &fs__task_waker_vt)
        return;
    const fs_exec *ex = w->data;
    uint32_t id = (uint32_t)w->id;
    if (id < ex->n_tasks)
        fs__prefetch_task(&ex->tasks[id]);
}

void fs_exec_note_register(fs_exec *ex, const char *resource)
{
    FS_EXPECT(ex->cx != NULL);
    fs__task *t = &ex->tasks[ex->cx->task];
    t->waker_at = resource;
    if (!fs__observed(ex)) {
        ex->activity++;
        return;
    }
    fs_event ev = {.type = FS_EV_REGISTER, .t = fs_exec_now(ex),
                   .task = ex->cx->task, .name = resource};
    fs_exec_emit(ex, &ev);
}

/* ======================================================================== */
/* create, spawn, free                                                       */
/* ======================================================================== */

static void fs__drop_future(fs_exec *ex, fs_future *f)
{
    if (!f)
        return;
    fs_future_drop(f);
    if (ex->desc.release_future)
        ex->desc.release_future(ex->desc.release_ctx, f);
}

static void fs__release(fs_exec *ex, fs__task *t)
{
    fs_future *f = t->fut;
    t->fut = NULL;
    fs__drop_future(ex, f);
}

void fs__exec_free_tasks(fs_exec *ex)
{
    /* Whoever observed the run may be gone; the drops below report nothing. */
    ex->desc.observer = (fs_observer){0};
    for (uint32_t i = 0; i < ex->n_tasks; i++) {
        fs__task *t = &ex->tasks[i];
        if (t->state != FS__DONE) {
            t->released = true; /* wakes during the drops below are stale */
            fs__release(ex, t);
        }
    }
    fs_join_map_destroy(&ex->joins);
    free(ex->tasks);
    free(ex->names);
    free(ex->cold);
    free(ex->wide);
    free(ex->order);
    free(ex->ready.ids);
    free(ex->held);
    free(ex->deferred);
    free(ex->aborts);
    free(ex->pass_ids);
    free(ex->pass_off);
    free(ex->pass_dur);
    free(ex->pause_at);
}

bool fs__exec_reserve_tasks(fs_exec *ex, size_t n)
{
    if (n <= ex->cap_tasks)
        return true;
    /* The records on their own lines: realloc keeps no alignment. */
    fs__task *t = aligned_alloc(64, (n * sizeof *t + 63) & ~(size_t)63);
    const char **names = realloc(ex->names, n * sizeof *names);
    if (names)
        ex->names = names;
    fs__cold *cold = names ? realloc(ex->cold, n * sizeof *cold) : NULL;
    if (cold)
        ex->cold = cold;
    if (!t || !cold) {
        free(t);
        fs_exec_out_of_memory(ex);
        return false;
    }
    fs_mem_hint_huge(t, n * sizeof *t);
    if (ex->n_tasks)
        memcpy(t, ex->tasks, ex->n_tasks * sizeof *t);
    free(ex->tasks);
    ex->tasks = t;
    ex->cap_tasks = n;
    return true;
}

bool fs_exec_reserve(fs_exec *ex, size_t n)
{
    return fs__exec_reserve_tasks(ex, n);
}

int64_t fs_exec_spawn(fs_exec *ex, const char *name, fs_future *fut)
{
    /* Room first, so a failure leaves nothing half made. */
    bool ordered = ex->desc.kind == FS_EXEC_BUSY || ex->desc.kind == FS_EXEC_BLOCKING;
    if (ex->n_tasks >= ex->desc.max_tasks) {
        fs_exec_stop(ex, FS_LIMIT_TASKS); /* the spawning poll ends, the run stops */
        return -1;
    }
    if (ex->n_tasks == INT32_MAX ||
        (ex->n_tasks == ex->cap_tasks &&
         !fs__exec_reserve_tasks(ex, ex->cap_tasks ? 2 * ex->cap_tasks : 16)) ||
        (ordered && !fs__grow(ex, (void **)&ex->order, &ex->cap_order, ex->n_order + 1,
                              sizeof *ex->order)))
        return -1;
    if (ex->pct && !fs__pct_spawn(ex->pct, ex->n_tasks)) {
        fs_exec_out_of_memory(ex);
        return -1;
    }
    uint32_t id = ex->n_tasks++;
    fs__task *t = &ex->tasks[id];
    int64_t now = fs_exec_now(ex);
    int32_t parent = ex->cx ? (int32_t)ex->cx->task : -1;
    *t = (fs__task){.fut = fut, .wake_ns = -1, .spawned_ns = now, .state = FS__IDLE,
                    .woken = true};
    ex->names[id] = name;
    ex->cold[id] = (fs__cold){.parent = parent};
    ex->live++;
    ex->stats.tasks_total++;
    if (ordered)
        ex->order[ex->n_order++] = id;

    fs_event ev = {.type = FS_EV_SPAWN, .t = now, .task = id, .name = name,
                   .parent = parent};
    fs_exec_emit(ex, &ev);
    /* Spawned from a poll: queued when the poll ends, like a wake. */
    if (ex->cx) {
        t->notified = true;
        fs__defer(ex, id);
    } else {
        fs__schedule(ex, id);
    }
    return id;
}

/* ======================================================================== */
/* the poll step                                                             */
/* ======================================================================== */

void fs__exec_complete(fs_exec *ex, uint32_t id, fs_poll result)
{
    fs__task *t = &ex->tasks[id];
    int64_t value = result.value;
    fs_future *f = t->fut; /* NULL if released already (a cancel) */
    t->state = FS__DONE;
    t->released = true;
    t->finished = true;
    t->completed_ns = ex->now;
    t->value = value;
    t->fail = (uint8_t)result.fail;
    ex->live--;
    ex->stats.completed++;
    ex->stats.end_ns = ex->now;
    fs__drop_future(ex, f);
    fs_event ev = {.type = FS_EV_COMPLETE, .t = ex->now, .task = id,
                   .has_value = true, .value = value, .fail = result.fail};
    fs__deliver(ex, &ev);
    ex->activity++;
    fs_waker *w = ex->joins.used ? fs_join_map_take(&ex->joins, id) : NULL;
    if (w) {
        ex->wake_source_task = id;
        fs_waker_wake(w);
        ex->wake_source_task = -1;
    }
}

/* ---- abort (JoinHandle::abort) -------------------------------------------- */

void fs_exec_abort(fs_exec *ex, uint32_t id)
{
    FS_EXPECT(id < ex->n_tasks);
    if (ex->tasks[id].state == FS__DONE)
        return;
    if (!ex->cx) {
        fs__exec_apply_aborts(ex, &id, 1);
        return;
    }
    /* Snapshot before dispatch: the abort waits for the poll's end. */
    if (fs__grow(ex, (void **)&ex->aborts, &ex->cap_aborts, ex->n_aborts + 1, sizeof *ex->aborts))
        ex->aborts[ex->n_aborts++] = id;
}

void fs__exec_apply_aborts(fs_exec *ex, const uint32_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fs__task *t = &ex->tasks[ids[i]];
        if (t->state == FS__DONE)
            continue; /* done meanwhile (or aborted twice): nothing to do */
        if (t->state == FS__RUNNING) {
            t->aborted = true; /* steal:N: cancelled when its poll ends */
            continue;
        }
        /* IDLE, or SCHEDULED: it stays in its queue, DONE, and is skipped. */
        fs__exec_cancel(ex, ids[i]);
    }
}

void fs__exec_cancel(fs_exec *ex, uint32_t id)
{
    /* The future is dropped first, while its wakers are still its own: the
     * clones its leaves give back are uncounted (waker_refs). */
    ex->stats.aborted++;
    fs__release(ex, &ex->tasks[id]);
    fs__exec_complete(ex, id, fs_ready_fail(FS_FAIL_CANCELLED));
}

bool fs__exec_skip_done(fs_exec *ex, uint32_t id)
{
    if (ex->tasks[id].state != FS__DONE)
        return false;
    ex->stats.aborted_skips++;
    return true;
}

fs_poll fs__exec_poll_begin(fs_exec *ex, uint32_t id, int worker, int64_t start, int64_t *dur)
{
    fs__task *t = &ex->tasks[id];
    FS_EXPECT(t->state != FS__DONE && t->state != FS__RUNNING);
    bool woken = t->woken;
    t->woken = false;
    t->notified = false;
    t->state = FS__RUNNING;
    /* the wait since its first wake, and since its spawn if never polled */
    int64_t lat = t->wake_ns >= 0 ? start - t->wake_ns : -1, wait = lat;
    t->wake_ns = -1;
    if (fs__polls(ex, t) == 0) {
        int64_t spawned = t->wide ? ex->wide[t->polls].spawned_ns : t->spawned_ns;
        if (!t->wide)
            t->spawned_ns = 0; /* the latencies, zero so far */
        if (start - spawned > wait)
            wait = start - spawned; /* runnable since its spawn */
    }
    if (wait > 0) { /* wait >= lat */
        if (!t->wide && wait <= UINT32_MAX) {
            if (lat > (int64_t)t->max_wake_latency)
                t->max_wake_latency = (uint32_t)lat;
            if (wait > (int64_t)t->max_runnable_wait)
                t->max_runnable_wait = (uint32_t)wait;
        } else {
            fs__wide *w = fs__widen(ex, t);
            if (lat > w->max_wake_latency)
                w->max_wake_latency = lat;
            if (wait > w->max_runnable_wait)
                w->max_runnable_wait = wait;
        }
    }

    fs_waker waker = {.vt = &fs__task_waker_vt, .data = ex,
                      .id = (uint64_t)id | ((uint64_t)t->released << 32)};
    /* The loop steps of every poll count against max_polls too. */
    fs_context cx = {.waker = &waker, .exec = ex, .start = start, .task = id, .worker = worker,
                     .deadline = ex->desc.max_time_ns,
                     .max_loop_steps = ex->desc.max_polls - ex->stats.loop_steps,
                     .budget = ex->poll_budget};
    ex->cx = &cx;
    ex->n_held = 0;
    fs_poll r = fs_future_poll(t->fut, &cx);
    ex->cx = NULL;
    t = &ex->tasks[id]; /* a spawn inside the poll may have moved the table */

    *dur = ex->desc.poll_cost_ns + cx.cost_ns;
    ex->stats.loop_steps += cx.loop_steps;
    if (cx.stopped) {
        /* A limit was reached inside the poll: it ends there, and the run. */
        fs_limit why = fs_context_now(&cx) >= cx.deadline ? FS_LIMIT_TIME : FS_LIMIT_POLLS;
        fs_exec_stop(ex, why);
        if (*dur > cx.deadline - start)
            *dur = cx.deadline - start;
    }
    bool wasted = !r.ready && !woken;
    /* the await step and count fit the record's 16 bits (a record's own never
     * equal ones that do not) */
    bool narrow = !t->wide && ((uint32_t)cx.step | (uint32_t)cx.steps) <= UINT16_MAX;
    uint32_t pair = fs__step_pair((uint16_t)cx.step, (uint16_t)cx.steps);
    bool same_state;
    if (!t->wide) {
        same_state = narrow && t->polls > 0 && cx.state == t->at && t->step_pair == pair;
    } else {
        const fs__wide *w = &ex->wide[t->polls];
        same_state = w->polls > 0 && cx.state == t->at && cx.step == w->step &&
                     cx.steps == w->steps;
    }
    /* A poll whose loops went on (a repeat's iteration ended) changed its
     * future even if it looks the same: not a repeat of the last one. */
    bool spinnable = wasted && ex->n_held == 0 && same_state && cx.loop_steps == 0 &&
                     !cx.stopped;

    t->at = cx.state;
    if (narrow && t->polls != UINT32_MAX) {
        t->polls++;
        t->step_pair = pair;
    } else {
        fs__wide *w = fs__widen(ex, t);
        w->polls++;
        w->step = cx.step;
        w->steps = cx.steps;
    }
    ex->stats.polls++;
    if ((++ex->stats.polls_run & 0xFFFFF) == 0 && ex->desc.progress)
        ex->desc.progress(ex->desc.progress_ctx, &ex->stats, start);
    ex->workers[worker].polls++;
    if (r.ready) {
        ex->stats.ready_polls++;
    } else {
        ex->stats.pending_polls++;
        if (wasted) {
            ex->stats.wasted_polls++;
            fs__cold *c = &ex->cold[id];
            if (c->wasted_polls != UINT32_MAX)
                c->wasted_polls++;
            else
                fs__widen(ex, t)->wasted_polls++;
        }
    }
    if (fs__observed(ex)) {
        fs_event ev = {.type = FS_EV_POLL, .t = start, .task = id, .worker = worker,
                       .dur = *dur, .ready = r.ready, .has_value = r.ready,
                       .value = r.value, .fail = r.fail, .state = cx.state, .step = cx.step,
                       .steps = cx.steps, .spinnable = spinnable};
        fs_exec_emit(ex, &ev);
        for (size_t i = 0; i < ex->n_held; i++)
            fs__deliver(ex, &ex->held[i]);
        ex->n_held = 0;
    } else if (!spinnable) {
        ex->activity++;
    }
    ex->stats.busy_ns += *dur;
    ex->workers[worker].busy_ns += *dur;
    return r;
}

void fs__exec_settle(fs_exec *ex, uint32_t id, bool ready)
{
    ex->tasks[id].state = ready ? FS__DONE : FS__IDLE;
}

void fs__exec_apply_wakes(fs_exec *ex, const uint32_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fs__task *t = &ex->tasks[ids[i]];
        /* Still running on another worker (steal:N): it stays notified, and
         * its own poll's end queues it. */
        if (t->state == FS__RUNNING)
            continue;
        t->notified = false;
        fs__schedule(ex, ids[i]);
    }
}

void fs__exec_apply_late_wake(fs_exec *ex, uint32_t id)
{
    fs__task *t = &ex->tasks[id];
    if (!t->notified)
        return;
    t->notified = false;
    fs__schedule(ex, id);
}

/* ---- worker faults -------------------------------------------------------- */

bool fs__exec_pause_init(fs_exec *ex)
{
    if (!ex->desc.driver.pause || ex->pause_at)
        return true;
    if (!(ex->pause_at = malloc((size_t)ex->n_workers * sizeof *ex->pause_at))) {
        fs_exec_out_of_memory(ex);
        return false;
    }
    for (int w = 0; w < ex->n_workers; w++)
        ex->desc.driver.pause(ex->desc.driver.ctx, w, 0, &ex->pause_at[w]);
    return true;
}

int64_t fs__exec_pause_due(fs_exec *ex, int w)
{
    int64_t polls = ex->workers[w].polls;
    if (!ex->pause_at || polls < ex->pause_at[w] || ex->live == 0 ||
        ex->stats.limit_hit != FS_LIMIT_NONE)
        return 0;
    return ex->desc.driver.pause(ex->desc.driver.ctx, w, polls, &ex->pause_at[w]);
}

/* The one thread of blocking, busy and wake stops for ns (up to the time
 * limit): the clock runs on, and device events that come due meanwhile fire
 * at their own times; their wakes are polled once the thread runs again. */
static void fs__exec_pause(fs_exec *ex, int64_t ns)
{
    int64_t max = ex->desc.max_time_ns;
    int64_t end = ns < max - ex->now ? ex->now + ns : max;
    fs_event ev = {.type = FS_EV_PREEMPT, .t = ex->now, .worker = 0};
    fs_exec_emit(ex, &ev);
    if (end > ex->now) {
        ex->stats.idle_ns += end - ex->now;
        ex->workers[0].idle_ns += end - ex->now;
        ex->now = end;
    }
    fs__exec_fire_due(ex);
    ev = (fs_event){.type = FS_EV_RESUME, .t = ex->now, .worker = 0};
    fs_exec_emit(ex, &ev);
}

bool fs__exec_poll(fs_exec *ex, uint32_t id)
{
    int64_t dur;
    fs_poll r = fs__exec_poll_begin(ex, id, 0, ex->now, &dur);
    ex->now += dur;
    /* Device events that came due during the poll happened before its end;
     * then the wakes the poll made take effect. */
    fs__exec_settle(ex, id, r.ready);
    fs__exec_fire_due(ex);
    fs__exec_apply_wakes(ex, ex->deferred, ex->n_deferred);
    ex->n_deferred = 0;
    if (r.ready)
        fs__exec_complete(ex, id, r);
    if (ex->n_aborts) { /* after its own completion: it may have aborted itself */
        size_t n = ex->n_aborts;
        ex->n_aborts = 0;
        fs__exec_apply_aborts(ex, ex->aborts, n);
    }
    int64_t pause = fs__exec_pause_due(ex, 0);
    if (pause > 0)
        fs__exec_pause(ex, pause);
    return ex->tasks[id].state == FS__DONE;
}

/* ======================================================================== */
/* clock, parking, stalls                                                    */
/* ======================================================================== */

int64_t fs__exec_next_driven(fs_exec *ex)
{
    if (!ex->desc.driver.next_event)
        return -1;
    return ex->desc.driver.next_event(ex->desc.driver.ctx);
}

int64_t fs__exec_next_direct(fs_exec *ex)
{
    if (!ex->desc.driver.next_direct)
        return -1;
    return ex->desc.driver.next_direct(ex->desc.driver.ctx);
}

int64_t fs__exec_next_event(fs_exec *ex)
{
    int64_t a = fs__exec_next_driven(ex), b = fs__exec_next_direct(ex);
    return a < 0 || (b >= 0 && b < a) ? b : a;
}

static void fs__fire(fs_exec *ex, void (*fire)(void *), int64_t at)
{
    ex->firing = true;
    ex->event_now = at;
    fire(ex->desc.driver.ctx);
    ex->firing = false;
    ex->activity++;
}

int64_t fs__exec_fire_until(fs_exec *ex, int64_t until, int64_t at)
{
    int64_t t, fired = 0;
    /* a full trace stops the run: no more events (a million due at one
     * instant would otherwise all be written first) */
    while (!ex->trace_full && (t = fs__exec_next_driven(ex)) >= 0 && t <= until) {
        fs__fire(ex, ex->desc.driver.fire_next, at < 0 ? t : at);
        fired++;
    }
    return fired;
}

void fs__exec_fire_direct(fs_exec *ex)
{
    int64_t t = fs__exec_next_direct(ex);
    if (t >= 0)
        fs__fire(ex, ex->desc.driver.fire_direct, t);
}

void fs__exec_fire_due(fs_exec *ex)
{
    /* both kinds in time order; at equal times the direct ones first */
    while (!ex->trace_full) {
        int64_t d = fs__exec_next_direct(ex), v = fs__exec_next_driven(ex);
        if (d >= 0 && d <= ex->now && (v < 0 || d <= v))
            fs__exec_fire_direct(ex);
        else if (v >= 0 && v <= ex->now)
            fs__exec_fire_until(ex, v, -1);
        else
            return;
    }
}

void fs__exec_park_until(fs_exec *ex, int64_t t)
{
    if (t <= ex->now)
        return;
    fs_event ev = {.type = FS_EV_PARK, .t = ex->now, .worker = 0};
    fs_exec_emit(ex, &ev);
    ex->stats.idle_ns += t - ex->now;
    ex->workers[0].idle_ns += t - ex->now;
    ex->workers[0].parks++;
    ex->now = t;
    ev = (fs_event){.type = FS_EV_UNPARK, .t = t, .worker = 0};
    fs_exec_emit(ex, &ev);
}

void fs__exec_stall(fs_exec *ex)
{
    size_t n = 0;
    fs_stall_info *infos = calloc((size_t)(ex->live > 0 ? ex->live : 1), sizeof *infos);
    if (!infos) {
        fs_exec_out_of_memory(ex);
        return;
    }
    for (uint32_t i = 0; i < ex->n_tasks; i++) {
        if (ex->tasks[i].state != FS__DONE)
            fs_exec_get_stall_info(ex, i, &infos[n++]);
    }
    ex->stats.stalled = true;
    ex->stats.end_ns = ex->now;
    fs_event ev = {.type = FS_EV_STALL, .t = ex->now, .stalled = infos, .n_stalled = n};
    fs_exec_emit(ex, &ev);
    free(infos);
}

void fs_exec_get_stall_info(const fs_exec *ex, uint32_t id, fs_stall_info *out)
{
    const fs_task_info *t = fs_exec_get_task(ex, id);
    *out = (fs_stall_info){
        .task = id, .name = t->name, .state = t->state, .step = t->step,
        .steps = t->steps, .waker_at = t->waker_refs > 0 ? t->waker_at : NULL,
        .waker_refs = t->waker_refs, .never_polled = t->polls == 0};
}

bool fs__exec_limit_reached(fs_exec *ex, int64_t t)
{
    if (ex->stats.out_of_memory || ex->stats.limit_hit != FS_LIMIT_NONE)
        return true;
    if (t >= ex->desc.max_time_ns)
        fs_exec_stop(ex, FS_LIMIT_TIME);
    else if (ex->stats.polls >= ex->desc.max_polls || ex->stats.loop_steps >= ex->desc.max_polls)
        fs_exec_stop(ex, FS_LIMIT_POLLS);
    return ex->stats.limit_hit != FS_LIMIT_NONE;
}

void fs_exec_stop(fs_exec *ex, fs_limit limit)
{
    if (limit == FS_LIMIT_TRACE)
        ex->trace_full = true;
    if (ex->stats.limit_hit != FS_LIMIT_NONE || limit == FS_LIMIT_NONE)
        return;
    ex->stats.limit_hit = limit;
    ex->stats.time_limit_hit = limit == FS_LIMIT_TIME;
    ex->stats.poll_limit_hit = limit == FS_LIMIT_POLLS;
}

const char *fs_limit_name(fs_limit limit)
{
    static const char *names[] = {[FS_LIMIT_TIME] = "time", [FS_LIMIT_POLLS] = "polls",
                                  [FS_LIMIT_TRACE] = "trace", [FS_LIMIT_TASKS] = "tasks"};
    return limit > FS_LIMIT_NONE && limit < FS_LIMIT__COUNT ? names[limit] : NULL;
}

const char *fs_limit_label(fs_limit limit)
{
    static const char *labels[] = {[FS_LIMIT_TIME] = "time limit", [FS_LIMIT_POLLS] = "poll limit",
                                   [FS_LIMIT_TRACE] = "trace limit", [FS_LIMIT_TASKS] = "task limit"};
    return limit > FS_LIMIT_NONE && limit < FS_LIMIT__COUNT ? labels[limit] : NULL;
}

fs_limit fs_limit_from_name(const char *s, size_t n)
{
    for (int l = FS_LIMIT_NONE + 1; l < FS_LIMIT__COUNT; l++)
        if (strlen(fs_limit_name((fs_limit)l)) == n && memcmp(fs_limit_name((fs_limit)l), s, n) == 0)
            return (fs_limit)l;
    return FS_LIMIT_NONE;
}

bool fs_context_step(fs_context *cx)
{
    const fs_exec *ex = cx->exec;
    if (cx->loop_steps >= cx->max_loop_steps || fs_context_now(cx) >= cx->deadline ||
        ex->stats.limit_hit != FS_LIMIT_NONE) {
        cx->stopped = true;
        return false;
    }
    cx->loop_steps++;
    return true;
}

void fs__exec_time_up(fs_exec *ex)
{
    ex->stats.end_ns = ex->now;
}

bool fs__exec_repeat_pass(fs_exec *ex, const uint32_t *ids, size_t n,
                          const int64_t *offsets, const int64_t *durs, int64_t pass_ns)
{
    int64_t next = fs__exec_next_event(ex);
    if (next < 0) {
        fs__exec_stall(ex);
        return false;
    }
    if (ex->desc.no_fast_forward || pass_ns <= 0 || n == 0)
        return true;
    int64_t limit = ex->desc.max_time_ns;
    if (next < limit)
        limit = next;
    if (limit <= ex->now)
        return true;
    /* Pass j (from 0) starts at now + j*pass_ns. It is identical to the last
     * one if no device event fires during it and the limit is not reached,
     * that is if it ends before `limit`: (j+1)*pass_ns < limit - now. */
    int64_t m = (limit - ex->now - 1) / pass_ns;
    /* Skipped polls count toward --max-polls as if run one by one: skip only
     * whole passes within it, and the polls left run one by one up to it. */
    int64_t room = (ex->desc.max_polls - ex->stats.polls) / (int64_t)n;
    if (m > room)
        m = room;
    /* A worker fault's pause falls on poll pause_at: it is run one by one. */
    if (ex->pause_at && m > (ex->pause_at[0] - 1 - ex->workers[0].polls) / (int64_t)n)
        m = (ex->pause_at[0] - 1 - ex->workers[0].polls) / (int64_t)n;
    if (m <= 0)
        return true;
    for (size_t i = 0; i < n; i++) {
        fs__task *t = &ex->tasks[ids[i]];
        fs__cold *c = &ex->cold[ids[i]];
        if (!t->wide && t->polls <= UINT32_MAX - m && c->wasted_polls <= UINT32_MAX - m) {
            t->polls += (uint32_t)m;
            c->wasted_polls += (uint32_t)m;
        } else {
            fs__wide *w = fs__widen(ex, t);
            w->polls += m;
            w->wasted_polls += m;
        }
        fs_event ev = {.type = FS_EV_SPIN_SKIP, .t = ex->now, .task = ids[i], .count = m,
                       .end = ex->now + (m - 1) * pass_ns + offsets[i] + durs[i]};
        fs_exec_emit(ex, &ev);
    }
    int64_t polls = m * (int64_t)n;
    ex->stats.polls += polls;
    ex->stats.pending_polls += polls;
    ex->stats.wasted_polls += polls;
    ex->workers[0].polls += polls;
    ex->stats.busy_ns += m * pass_ns;
    ex->workers[0].busy_ns += m * pass_ns;
    ex->now += m * pass_ns;
    return true;
}

/* ======================================================================== */
/* run and queries                                                           */
/* ======================================================================== */

const fs_exec_stats *fs_exec_get_stats(const fs_exec *ex) { return &ex->stats; }
uint32_t fs_exec_task_count(const fs_exec *ex) { return ex->n_tasks; }
int fs_exec_worker_count(const fs_exec *ex) { return ex->n_workers; }
const fs_exec_desc *fs_exec_get_desc(const fs_exec *ex) { return &ex->desc; }

const fs_task_info *fs_exec_get_task(const fs_exec *ex, uint32_t id)
{
    FS_EXPECT(id < ex->n_tasks);
    const fs__task *t = &ex->tasks[id];
    const fs__cold *c = &ex->cold[id];
    /* ex is the caller's own (not const) executor: its copies are its own */
    fs_exec *own = (fs_exec *)ex;
    fs_task_info *i = &own->infos[own->next_info++ % FS__INFOS];
    *i = (fs_task_info){.state = t->at, .waker_at = t->waker_at, .waker_refs = t->refs,
                        .parent = c->parent, .name = ex->names[id], .completed_ns = -1};
    if (t->wide) {
        const fs__wide *w = &ex->wide[t->polls];
        i->polls = w->polls;
        i->wasted_polls = w->wasted_polls;
        i->wakes = w->wakes;
        i->self_wakes = w->self_wakes;
        i->waker_clones = w->clones;
        i->waker_drops = w->clones - t->refs;
        i->max_wake_latency_ns = w->max_wake_latency;
        i->max_runnable_wait_ns = w->max_runnable_wait;
        i->step = w->step;
        i->steps = w->steps;
    } else {
        i->polls = t->polls;
        i->wasted_polls = c->wasted_polls;
        i->wakes = t->wakes;
        i->self_wakes = c->self_wakes;
        i->waker_clones = t->clones;
        i->waker_drops = (int64_t)t->clones - t->refs;
        if (t->polls) { /* else the latencies hold its spawn time: none yet */
            i->max_wake_latency_ns = t->max_wake_latency;
            i->max_runnable_wait_ns = t->max_runnable_wait;
        }
        i->step = t->step;
        i->steps = t->steps;
    }
    if (t->finished) {
        i->completed_ns = t->completed_ns;
        i->value = t->value;
        i->fail = t->fail;
    }
    return i;
}

const fs_worker_stats *fs_exec_get_worker(const fs_exec *ex, int worker)
{
    FS_EXPECT(worker >= 0 && worker < ex->n_workers);
    return &ex->workers[worker];
}

bool fs_exec_task_done(const fs_exec *ex, uint32_t id, fs_poll *result)
{
    FS_EXPECT(id < ex->n_tasks);
    if (ex->tasks[id].state != FS__DONE)
        return false;
    /* settled DONE, its completion not yet made: no value yet */
    const fs__task *t = &ex->tasks[id];
    if (result)
        *result = (fs_poll){.ready = true, .fail = t->finished ? (fs_fail)t->fail : FS_FAIL_NONE,
                            .value = t->finished ? t->value : 0};
    return true;
}

void fs_exec_on_complete(fs_exec *ex, uint32_t id, fs_waker *slot)
{
    FS_EXPECT(id < ex->n_tasks);
    if (!fs_join_map_set(&ex->joins, id, slot))
        fs_exec_out_of_memory(ex);
}

bool fs__exec_reserve_pass(fs_exec *ex, size_t n)
{
    if (n <= ex->cap_pass)
        return true;
    /* Three arrays of one capacity: grow each, then record the capacity. */
    size_t c1 = ex->cap_pass, c2 = ex->cap_pass, c3 = ex->cap_pass;
    if (!fs__grow(ex, (void **)&ex->pass_ids, &c1, n, sizeof *ex->pass_ids) ||
        !fs__grow(ex, (void **)&ex->pass_off, &c2, n, sizeof *ex->pass_off) ||
        !fs__grow(ex, (void **)&ex->pass_dur, &c3, n, sizeof *ex->pass_dur))
        return false;
    ex->cap_pass = c1;
    return true;
}

bool fs__grow(fs_exec *ex, void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) {
        fs_exec_out_of_memory(ex);
        return false;
    }
    fs_mem_hint_huge(q, c * size);
    *p = q;
    *cap = c;
    return true;
}

void fs_exec_out_of_memory(fs_exec *ex)
{
    ex->stats.out_of_memory = true;
}

/* ======================================================================== */
/* the coop budget and the timer resolution                                  */
/* ======================================================================== */

bool fs_coop_proceed(fs_context *cx)
{
    if (!cx->budget || *cx->budget > 0)
        return true;
    /* As coop::poll_proceed: wake the task, so it runs again later, and make
     * the leaf return pending. */
    cx->exec->workers[cx->worker].budget_forced_yields++;
    fs_event ev = {.type = FS_EV_BUDGET, .t = cx->start, .task = cx->task, .worker = cx->worker};
    fs_exec_emit(cx->exec, &ev);
    fs_waker_wake_by_ref(cx->waker);
    return false;
}

void fs_coop_spend(fs_context *cx)
{
    if (cx->budget && *cx->budget > 0)
        --*cx->budget;
}

int64_t fs_exec_timer_deadline(const fs_exec *ex, int64_t deadline)
{
    if (ex->desc.kind != FS_EXEC_STEAL)
        return deadline;
    int64_t tick = ex->desc.tick_ns;
    int64_t r = deadline % tick;
    if (r == 0 || deadline > INT64_MAX - tick)
        return deadline;
    return deadline - r + tick;
}
