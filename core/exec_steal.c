/* exec_steal.c - steal:N, after tokio's multi-thread scheduler.
 *
 * N simulated workers, each with its own clock, a bounded local queue (256)
 * and a LIFO slot; one injection queue (ex->ready) shared by all.
 *   - A task woken or spawned by a task running on worker w goes to w's LIFO
 *     slot (the previous occupant moves to the back of w's local queue); a
 *     task that wakes itself (yield) goes to the back of the local queue;
 *     wakes from devices and tasks spawned before the run go to the
 *     injection queue.
 *   - A worker picks: every 61st tick the injection queue first; else the
 *     LIFO slot (at most 3 times in a row), its local queue, a batch from the
 *     injection queue, or half of another worker's local queue, victims
 *     tried from a random start (the run's PRNG). With nothing found it parks.
 *   - A full local queue sends half of itself and the new task to the
 *     injection queue (an overflow). Queuing work wakes a parked worker when
 *     no other worker is looking for work.
 * Simplified from tokio: no I/O or timer driver turns (device events fire at
 * their own time, whoever is parked), no budget/cooperative yielding, and a
 * worker looking for work finds it instantly.
 *
 * The simulation is a discrete-event loop over worker actions in time order:
 * at equal times, polls that end come first (their wakes are queued), then
 * device events, then workers picking their next task, lowest worker first.
 * A poll's effects on the world happen when it starts; its wakes and its
 * completion take effect when it ends. */
#include "exec_policies.h"

#include <stdlib.h>
#include <string.h>

#define FS__LOCAL_CAP 256
#define FS__GLOBAL_INTERVAL 61
#define FS__MAX_LIFO_POLLS 3

enum { FS__W_PICK, FS__W_BUSY, FS__W_PARKED };

typedef struct fs__worker {
    int state;
    int64_t now;            /* PICK: when it looks for work; BUSY: when its poll ends */
    int64_t parked_at;
    uint32_t polling;       /* BUSY: the task in the poll */
    fs_poll result;
    uint32_t *wakes;        /* BUSY: the poll's wakes, applied when it ends */
    size_t n_wakes, cap_wakes;
    int64_t lifo;           /* task in the LIFO slot, or -1 */
    int lifo_run;           /* polls taken from the LIFO slot in a row */
    uint64_t tick;
    uint32_t local[FS__LOCAL_CAP];
    size_t head, len;
} fs__worker;

/* ---- queues -------------------------------------------------------------- */

static void fs__local_push(fs_exec *ex, int w, uint32_t id)
{
    fs__worker *k = &ex->ws[w];
    if (k->len == FS__LOCAL_CAP) {
        /* Overflow: half the queue and the new task go to the injection queue. */
        bool ok = true;
        for (size_t i = 0; i < FS__LOCAL_CAP / 2; i++) {
            ok &= fs__ring_push(&ex->ready, k->local[k->head]);
            k->head = (k->head + 1) % FS__LOCAL_CAP;
            k->len--;
        }
        ok &= fs__ring_push(&ex->ready, id);
        if (!ok)
            fs_exec_out_of_memory(ex);
        ex->workers[w].overflows++;
        ex->stats.remote_schedules += FS__LOCAL_CAP / 2 + 1;
        return;
    }
    k->local[(k->head + k->len) % FS__LOCAL_CAP] = id;
    k->len++;
}

static uint32_t fs__local_pop(fs__worker *k)
{
    uint32_t id = k->local[k->head];
    k->head = (k->head + 1) % FS__LOCAL_CAP;
    k->len--;
    return id;
}

static bool fs__work_queued(const fs_exec *ex)
{
    if (ex->ready.len)
        return true;
    for (int w = 0; w < ex->n_workers; w++)
        if (ex->ws[w].len || ex->ws[w].lifo >= 0)
            return true;
    return false;
}

/* Wakes the lowest parked worker if nobody but `except` is looking for work. */
static void fs__notify(fs_exec *ex, int except)
{
    int parked = -1;
    for (int w = 0; w < ex->n_workers; w++) {
        if (w != except && ex->ws[w].state == FS__W_PICK)
            return;
        if (parked < 0 && ex->ws[w].state == FS__W_PARKED)
            parked = w;
    }
    if (parked < 0)
        return;
    fs__worker *k = &ex->ws[parked];
    int64_t now = fs_exec_now(ex);
    ex->workers[parked].idle_ns += now - k->parked_at;
    ex->stats.idle_ns += now - k->parked_at;
    k->state = FS__W_PICK;
    k->now = now;
    fs_event ev = {.type = FS_EV_UNPARK, .t = now, .worker = parked};
    fs_exec_emit(ex, &ev);
}

void fs__exec_steal_schedule(fs_exec *ex, uint32_t id)
{
    ex->tasks[id].state = FS__SCHEDULED;
    int w = ex->sched_worker;
    if (w < 0) {
        if (!fs__ring_push(&ex->ready, id))
            fs_exec_out_of_memory(ex);
        ex->stats.remote_schedules++;
    } else if ((int64_t)id == ex->sched_self) {
        fs__local_push(ex, w, id); /* yield: to the back, not the LIFO slot */
        ex->workers[w].local_schedules++;
    } else {
        fs__worker *k = &ex->ws[w];
        if (k->lifo >= 0)
            fs__local_push(ex, w, (uint32_t)k->lifo);
        k->lifo = id;
        ex->workers[w].local_schedules++;
    }
    fs__notify(ex, w);
}

/* ---- picking the next task ----------------------------------------------- */

/* Moves a batch from the injection queue into w's local queue; returns one. */
static int64_t fs__from_global(fs_exec *ex, int w)
{
    if (!ex->ready.len)
        return -1;
    uint32_t first = fs__ring_pop_front(&ex->ready);
    fs__worker *k = &ex->ws[w];
    size_t batch = ex->ready.len / (size_t)ex->n_workers;
    size_t room = (FS__LOCAL_CAP - k->len) / 2;
    for (size_t i = 0; i < batch && i < room; i++)
        fs__local_push(ex, w, fs__ring_pop_front(&ex->ready));
    return first;
}

static int64_t fs__steal(fs_exec *ex, int w)
{
    int n = ex->n_workers;
    int start = (int)fs_prng_range(&ex->prng, 0, n - 1);
    for (int i = 0; i < n; i++) {
        int v = (start + i) % n;
        fs__worker *victim = &ex->ws[v];
        if (v == w || victim->len == 0)
            continue;
        size_t count = (victim->len + 1) / 2;
        for (size_t j = 0; j < count; j++)
            fs__local_push(ex, w, fs__local_pop(victim));
        ex->workers[w].steals += (int64_t)count;
        ex->workers[w].steal_operations++;
        fs_event ev = {.type = FS_EV_STEAL, .t = ex->ws[w].now, .worker = w, .victim = v,
                       .count = (int64_t)count};
        fs_exec_emit(ex, &ev);
        return fs__local_pop(&ex->ws[w]);
    }
    return -1;
}

static int64_t fs__next_task(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    k->tick++;
    if (k->tick % FS__GLOBAL_INTERVAL == 0 && ex->ready.len) {
        k->lifo_run = 0;
        return fs__ring_pop_front(&ex->ready);
    }
    if (k->lifo >= 0) {
        int64_t id = k->lifo;
        k->lifo = -1;
        if (k->lifo_run < FS__MAX_LIFO_POLLS) {
            k->lifo_run++;
            ex->workers[w].lifo_polls++;
            return id;
        }
        fs__local_push(ex, w, (uint32_t)id); /* let the others have a turn */
    }
    k->lifo_run = 0;
    if (k->len)
        return fs__local_pop(k);
    int64_t id = fs__from_global(ex, w);
    return id >= 0 ? id : fs__steal(ex, w);
}

/* ---- worker actions ------------------------------------------------------ */

static void fs__pick(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    int64_t id = fs__next_task(ex, w);
    if (id < 0) {
        k->state = FS__W_PARKED;
        k->parked_at = k->now;
        ex->workers[w].parks++;
        fs_event ev = {.type = FS_EV_PARK, .t = k->now, .worker = w};
        fs_exec_emit(ex, &ev);
        return;
    }
    int64_t dur;
    k->polling = (uint32_t)id;
    k->result = fs__exec_poll_begin(ex, (uint32_t)id, w, k->now, &dur);
    /* The poll's wakes wait for its end. */
    if (!fs__grow(ex, (void **)&k->wakes, &k->cap_wakes, ex->n_deferred, sizeof *k->wakes))
        ex->n_deferred = 0;
    if (ex->n_deferred)
        memcpy(k->wakes, ex->deferred, ex->n_deferred * sizeof *k->wakes);
    k->n_wakes = ex->n_deferred;
    ex->n_deferred = 0;
    k->state = FS__W_BUSY;
    k->now += dur;
    /* Work is still waiting: make sure someone comes for it. */
    if (fs__work_queued(ex))
        fs__notify(ex, w);
}

static void fs__end_poll(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    uint32_t id = k->polling;
    k->state = FS__W_PICK;
    fs__exec_settle(ex, id, k->result.ready);
    ex->sched_worker = w;
    ex->sched_self = id;
    fs__exec_apply_wakes(ex, k->wakes, k->n_wakes);
    k->n_wakes = 0;
    if (k->result.ready)
        fs__exec_complete(ex, id, k->result.value);
    ex->sched_worker = -1;
    ex->sched_self = -1;
    if (!k->result.ready)
        fs__exec_apply_late_wake(ex, id); /* from a device: the injection queue */
}

/* Idle time up to `end` for workers not busy when the run stops. */
static void fs__close_idle(fs_exec *ex, int64_t end)
{
    for (int w = 0; w < ex->n_workers; w++) {
        fs__worker *k = &ex->ws[w];
        int64_t from = k->state == FS__W_PARKED ? k->parked_at
                       : k->state == FS__W_PICK ? k->now : end;
        if (end > from) {
            ex->workers[w].idle_ns += end - from;
            ex->stats.idle_ns += end - from;
        }
    }
}

fs_run_result fs__exec_run_steal(fs_exec *ex)
{
    int n = ex->n_workers;
    const int64_t max = ex->desc.max_time_ns;
    enum { END, DEVICE, PICK } kind = PICK;
    for (;;) {
        if (ex->live == 0) {
            fs__close_idle(ex, ex->stats.end_ns);
            return FS_RUN_DONE;
        }
        int64_t best = INT64_MAX;
        int who = -1;
        for (int w = 0; w < n; w++)
            if (ex->ws[w].state == FS__W_BUSY && ex->ws[w].now < best)
                best = ex->ws[w].now, who = w, kind = END;
        int64_t dev = fs__exec_next_event(ex);
        if (dev >= 0 && dev < best)
            best = dev, kind = DEVICE;
        for (int w = 0; w < n; w++)
            if (ex->ws[w].state == FS__W_PICK && ex->ws[w].now < best)
                best = ex->ws[w].now, who = w, kind = PICK;
        if (best == INT64_MAX) {
            fs__close_idle(ex, ex->now);
            fs__exec_stall(ex);
            return FS_RUN_STALLED;
        }
        if (kind != END && fs__exec_limit_reached(ex, best)) {
            /* At the time limit (maybe reached inside a poll still in
             * flight) the run ends there; at any other, now. */
            ex->now = best < max && ex->stats.limit_hit != FS_LIMIT_TIME ? best : max;
            fs__close_idle(ex, ex->now);
            fs__exec_time_up(ex);
            return FS_RUN_TIME_LIMIT;
        }
        ex->now = best;
        switch (kind) {
        case END:
            fs__end_poll(ex, who);
            break;
        case DEVICE:
            ex->firing = true;
            ex->event_now = best;
            ex->desc.driver.fire_next(ex->desc.driver.ctx);
            ex->firing = false;
            break;
        case PICK:
            fs__pick(ex, who);
            break;
        }
    }
}

bool fs__exec_steal_init(fs_exec *ex)
{
    fs_prng_seed(&ex->prng, ex->desc.seed ^ 0x5354454cULL);
    ex->ws = calloc((size_t)ex->n_workers, sizeof *ex->ws);
    if (!ex->ws)
        return false;
    for (int w = 0; w < ex->n_workers; w++)
        ex->ws[w].lifo = -1;
    ex->sched_worker = -1;
    ex->sched_self = -1;
    return true;
}

void fs__exec_steal_free(fs_exec *ex)
{
    if (!ex->ws)
        return;
    for (int w = 0; w < ex->n_workers; w++)
        free(ex->ws[w].wakes);
    free(ex->ws);
    ex->ws = NULL;
}
