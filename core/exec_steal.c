/* exec_steal.c - steal:N: tokio's multi-thread scheduler, step by step.
 *
 * Each simulated worker runs tokio's worker loop (scheduler/multi_thread/
 * worker.rs, Context::run): tick; every 61st tick maintenance (a turn of the
 * driver when no parked worker holds it); next_task (every 61st tick the
 * injection queue first, else the LIFO slot, the local queue, then the
 * injection queue); else steal_work (searching: at most half the workers at
 * once; half a victim's local queue, victims from a random start; then the
 * injection queue); else park. run_task polls a task, then, for as long as
 * the coop budget lasts, the task in the LIFO slot (these polls do not
 * tick); current tokio also stops after three of them.
 *
 * Where a runnable task goes (Handle::schedule_task): woken or spawned by a
 * task running on worker w, w's LIFO slot (the previous occupant to the back
 * of w's local queue) - or the back of the queue when the task woke itself
 * during its own poll (yield_now); from outside the runtime (the tasks of
 * the scenario), the injection queue. A full local queue sends half of
 * itself and the task to the injection queue (an overflow).
 *
 * The timer and I/O driver (here: every device event, timers with their
 * deadlines rounded up to the tick) is turned only by a worker: the first
 * worker to park holds it and wakes at the next device event; a busy worker
 * turns it at maintenance when nobody holds it. The tasks a turn wakes go to
 * the turning worker's LIFO slot and local queue, with no notification
 * until the turn is over (then, if its local queue can be stolen from, it
 * notifies).
 *
 * Idle workers (idle.rs): notify_parked wakes the most recently parked
 * worker, only when no worker is searching; it wakes searching. A worker
 * notified while awake keeps the notification, and its next park returns at
 * once (a noop park: no poll since the previous park).
 *
 * The workers start parked, as tokio's do when the runtime is built before
 * block_on spawns anything. The machine under them (--timer-slack,
 * --wake-latency, --cpus, --turn-delay, --hand-over, --idle-wake) is an
 * option: see docs/fidelity.md.
 *
 * The simulation is a discrete-event loop over worker actions in time order:
 * at equal times, polls that end, then parked workers that wake, then
 * workers going round their loop, lowest worker first; before them all, the
 * events of threads outside the runtime (the blocking pool's), whose wakes
 * go to the injection queue. A poll's effects on
 * the world happen when it starts, its wakes and completion when it ends;
 * everything but polls takes no simulated time. */
#include "exec_policies.h"

#include <stdlib.h>
#include <string.h>

#define FS__LOCAL_CAP 256
#define FS__INTERVAL 61         /* global_queue_interval and event_interval */
#define FS__MAX_LIFO_POLLS 3    /* current tokio: LIFO polls in a row in run_task */

/* --cpus: how long a worker keeps its CPU, once another thread waits for
 * one, before the OS hands the CPU over (Linux's CFS gives each of two
 * threads sharing a CPU a few ms at a time). */
#define FS__CPU_SLICE_NS 3000000

/* --hand-over: how long after the woken worker parks the worker it
 * displaced runs again (tokio's traces: a median 6 to 7 us). */
#define FS__HAND_BACK_NS 6000

/* TURN: up after a driver turn that woke tasks, not yet back in its loop
 * (--turn-delay); it is still on the sleepers list, as a tokio worker is
 * until transition_from_parked. OFF: in its loop, but its thread is
 * stopped: preempted for one that waited for a CPU (--cpus), or paused by
 * a worker fault until off_until; its queue can be stolen from, its LIFO
 * slot waits with it (and if it was cut inside run_task, its run_task goes
 * on with it when it is back). From off_until on it wants a CPU again. */
enum { FS__W_RUN, FS__W_BUSY, FS__W_PARKED, FS__W_TURN, FS__W_OFF };

typedef struct fs__worker {
    int state;
    int64_t now;            /* RUN: its loop goes on then; BUSY: its poll ends then;
                             * TURN: its turn ends then */
    int64_t parked_at;      /* PARKED: since when */
    int64_t on_since;       /* up (not PARKED or OFF): since when it holds a CPU */
    int64_t off_at;         /* OFF: since when */
    int64_t off_until;      /* OFF: when it wants a CPU again (a pause's end) */
    int64_t wake_at;        /* PARKED and notified: when */
    uint32_t polling;       /* BUSY: the task in the poll */
    fs_poll result;
    uint32_t *wakes;        /* BUSY: the poll's wakes, applied when it ends */
    size_t n_wakes, cap_wakes;
    uint32_t *aborts;       /* BUSY: the poll's aborts, applied when it ends */
    size_t n_aborts, cap_aborts;
    int32_t budget;         /* coop budget left in the run_task in progress */
    int lifo_run;           /* LIFO polls in the run_task in progress */
    bool in_run;            /* OFF: preempted inside run_task, its LIFO poll next */
    bool searching;
    bool notified;          /* unparked: wakes now if parked, else its next park returns */
    bool on_driver;         /* PARKED holding the driver: wakes at the next device event */
    int64_t polls_at_park;  /* its polls when it last parked (noop parks) */
    size_t traced_len;      /* local queue depth last traced */
    int64_t lifo;           /* task in the LIFO slot, or -1 */
    /* --hand-over: the worker it handed its CPU to (it stops at its next
     * step), the one it waits for (until that one parks), and the one a
     * notified worker waits behind on its CPU; -1: none */
    int hand_to, held_by, behind;
    int64_t held_poll;      /* OFF, held before a poll: that poll's task, or -1 */
    uint64_t tick;
    uint32_t local[FS__LOCAL_CAP];
    size_t head, len;
} fs__worker;

/* idle.rs's state: who searches, who is parked, who holds the driver. */
typedef struct fs__idle {
    int searching;          /* workers searching for work */
    int unparked;           /* workers not parked */
    int driver;             /* the worker parked on the driver, or -1 */
    int acting;             /* the worker whose step this is, or -1 */
    bool after_turn;        /* its offer of work after a driver turn */
    int n_sleepers;
    int sleepers[];         /* parked workers, the last parked on top */
} fs__idle;

/* A notified thread's latency (fs_exec_desc.wake_latency_ns). */
static int64_t fs__wake_latency(fs_exec *ex)
{
    if (ex->desc.wake_latency_ns <= 0)
        return 0;
    return fs_rand_exp(fs_prng_next(&ex->prng), ex->desc.wake_latency_ns);
}

static bool fs__hand_over_on(const fs_exec *ex)
{
    return ex->desc.hand_over_pm[0] > 0 || ex->desc.hand_over_pm[1] > 0;
}

/* How long after its notification a parked worker t starts. Under
 * --hand-over the OS puts a woken thread on the CPU it last ran on: when
 * that is the notifier's, the notifier waits for it (hand_to); when the
 * notifier itself runs in the place of a worker it displaced, behind that
 * one; otherwise its own CPU is idle and has to wake first. */
static int64_t fs__start_delay(fs_exec *ex, int t)
{
    int n = ex->idle->acting;
    if (!fs__hand_over_on(ex) || n < 0 || n == t || ex->ws[t].state != FS__W_PARKED ||
        ex->ws[n].state == FS__W_PARKED || ex->ws[n].state == FS__W_OFF)
        return fs__wake_latency(ex);
    for (int v = 0; v < ex->n_workers; v++)
        if (v != t && ex->ws[v].held_by == n) {
            ex->ws[t].behind = v;
            return FS__CPU_SLICE_NS; /* or sooner: when v parks */
        }
    int pm = ex->desc.hand_over_pm[ex->idle->after_turn ? 0 : 1];
    if (ex->ws[n].hand_to < 0 && (int)fs_prng_range(&ex->prng, 0, 999) < pm) {
        ex->ws[n].hand_to = t;
        return fs__wake_latency(ex);
    }
    int64_t mean = ex->desc.idle_wake_ns;
    return mean > 0 ? fs_rand_exp(fs_prng_next(&ex->prng), mean) : 0;
}

static bool fs__current(const fs_exec *ex)
{
    return ex->desc.tokio == FS_TOKIO_CURRENT;
}

/* ---- queues -------------------------------------------------------------- */

static void fs__inject(fs_exec *ex, uint32_t id)
{
    if (!fs__ring_push(&ex->ready, id))
        fs_exec_out_of_memory(ex);
}

static void fs__local_push(fs_exec *ex, int w, uint32_t id)
{
    fs__worker *k = &ex->ws[w];
    if (k->len == FS__LOCAL_CAP) {
        /* Overflow: half the queue and the new task to the injection queue. */
        for (size_t i = 0; i < FS__LOCAL_CAP / 2; i++) {
            fs__inject(ex, k->local[k->head]);
            k->head = (k->head + 1) % FS__LOCAL_CAP;
            k->len--;
        }
        fs__inject(ex, id);
        ex->workers[w].overflows++;
        return;
    }
    k->local[(k->head + k->len) % FS__LOCAL_CAP] = id;
    k->len++;
    if ((int64_t)k->len > ex->workers[w].max_local_queue)
        ex->workers[w].max_local_queue = (int64_t)k->len;
}

static uint32_t fs__local_pop(fs__worker *k)
{
    uint32_t id = k->local[k->head];
    k->head = (k->head + 1) % FS__LOCAL_CAP;
    k->len--;
    return id;
}

/* ---- idle workers ------------------------------------------------------ */

static int fs__sleeper_at(const fs__idle *idle, int w)
{
    for (int i = 0; i < idle->n_sleepers; i++)
        if (idle->sleepers[i] == w)
            return i;
    return -1;
}

/* Idle::unpark_worker_by_id: off the sleepers by swap_remove, as tokio does
 * (the top sleeper takes the freed place). */
static bool fs__take_sleeper(fs__idle *idle, int w)
{
    int i = fs__sleeper_at(idle, w);
    if (i < 0)
        return false;
    idle->sleepers[i] = idle->sleepers[--idle->n_sleepers];
    return true;
}

/* Handle::notify_parked: wakes the last parked worker, as searching, when
 * nobody searches already. */
static void fs__notify_parked(fs_exec *ex)
{
    fs__idle *idle = ex->idle;
    if (idle->searching != 0 || idle->unparked >= ex->n_workers || idle->n_sleepers == 0)
        return;
    idle->searching++;
    idle->unparked++;
    int t = idle->sleepers[--idle->n_sleepers];
    fs__worker *k = &ex->ws[t];
    k->notified = true;
    k->wake_at = ex->now + fs__start_delay(ex, t);
}

/* Handle::notify_if_work_pending, by the last worker to stop searching. */
static void fs__notify_if_work_pending(fs_exec *ex)
{
    bool work = ex->ready.len > 0;
    for (int w = 0; w < ex->n_workers && !work; w++)
        work = ex->ws[w].len > 0;
    if (work)
        fs__notify_parked(ex);
}

static void fs__stop_searching(fs_exec *ex, fs__worker *k)
{
    if (!k->searching)
        return;
    k->searching = false;
    /* the last searcher found work: another worker may find more */
    if (--ex->idle->searching == 0)
        fs__notify_parked(ex);
}

/* ---- scheduling -------------------------------------------------------- */

void fs__exec_steal_schedule(fs_exec *ex, uint32_t id)
{
    ex->tasks[id].state = FS__SCHEDULED;
    int w = ex->sched_worker;
    if (w < 0) {
        fs__inject(ex, id);
        ex->stats.remote_schedules++;
        fs__notify_parked(ex);
        return;
    }
    fs__worker *k = &ex->ws[w];
    ex->workers[w].local_schedules++;
    bool notify = true;
    if ((int64_t)id == ex->sched_self) {
        fs__local_push(ex, w, id); /* yield: to the back, not the LIFO slot */
    } else {
        notify = k->lifo >= 0;
        if (k->lifo >= 0)
            fs__local_push(ex, w, (uint32_t)k->lifo);
        k->lifo = id;
    }
    /* a driver turn notifies once it is over */
    if (notify && !ex->sched_driver)
        fs__notify_parked(ex);
}

/* The driver counts time in whole ticks: elapsed ticks round down, and a
 * deadline rounds up (fs_exec_timer_deadline). */
static int64_t fs__floor_tick(const fs_exec *ex, int64_t t)
{
    return t - t % ex->desc.tick_ns;
}

/* When a worker parked on the driver at `parked` wakes for an event at t:
 * at once if it is due, else after the whole ticks from the elapsed tick to
 * the event's (so a park keeps the phase of the tick it began in), plus the
 * OS's timer slack. */
static int64_t fs__driver_wake(const fs_exec *ex, int64_t parked, int64_t t)
{
    int64_t at = fs_exec_timer_deadline(ex, t), now = fs__floor_tick(ex, parked);
    if (at <= now)
        return parked;
    return parked + (at - now) + ex->desc.timer_slack_ns;
}

/* Fires every device event due by the worker's time (in whole ticks); the
 * tasks they wake go to this worker. Returns how many fired. */
static int64_t fs__turn_driver(fs_exec *ex, int w)
{
    ex->workers[w].driver_turns++;
    ex->sched_worker = w;
    ex->sched_self = -1;
    ex->sched_driver = true;
    /* due by the elapsed tick, delivered now, by this turn */
    int64_t fired = fs__exec_fire_until(ex, fs__floor_tick(ex, ex->now), ex->now);
    ex->sched_worker = -1;
    ex->sched_driver = false;
    if (fired) { /* a turn that fired nothing is counted, not traced */
        fs_event ev = {.type = FS_EV_DRIVER, .t = ex->now, .worker = w, .count = fired};
        fs_exec_emit(ex, &ev);
    }
    return fired;
}

/* The end of park_timeout: work this worker cannot take alone is offered. */
static void fs__after_park(fs_exec *ex, fs__worker *k)
{
    if (!k->searching && k->len > 0)
        fs__notify_parked(ex);
}

/* ---- picking the next task ----------------------------------------------- */

/* One task from the injection queue; current tokio moves a batch to the
 * local queue with it. */
static int64_t fs__inject_pop(fs_exec *ex, int w)
{
    if (!ex->ready.len)
        return -1;
    uint32_t first = fs__ring_pop_front(&ex->ready);
    if (fs__current(ex)) {
        fs__worker *k = &ex->ws[w];
        size_t batch = ex->ready.len / (size_t)ex->n_workers;
        size_t room = FS__LOCAL_CAP / 2 > k->len ? FS__LOCAL_CAP / 2 - k->len : 0;
        for (size_t i = 0; i < batch && i < room; i++)
            fs__local_push(ex, w, fs__ring_pop_front(&ex->ready));
    }
    return first;
}

static int64_t fs__next_local(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    if (k->lifo >= 0) {
        int64_t id = k->lifo;
        k->lifo = -1;
        ex->workers[w].lifo_polls++;
        return id;
    }
    return k->len ? (int64_t)fs__local_pop(k) : -1;
}

static int64_t fs__next_task(fs_exec *ex, int w)
{
    int64_t id;
    if (ex->ws[w].tick % FS__INTERVAL == 0)
        return (id = fs__inject_pop(ex, w)) >= 0 ? id : fs__next_local(ex, w);
    return (id = fs__next_local(ex, w)) >= 0 ? id : fs__inject_pop(ex, w);
}

/* steal_work, first: may this worker search? */
static bool fs__start_search(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    if (!k->searching) {
        if (2 * ex->idle->searching >= ex->n_workers) {
            ex->workers[w].search_refused++;
            return false; /* enough workers are searching already */
        }
        ex->idle->searching++;
        k->searching = true;
    }
    return true;
}

/* steal_work, then: the victims from a random start, then the injection
 * queue. */
static int64_t fs__steal_work(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    int n = ex->n_workers;
    int start = (int)fs_prng_range(&ex->prng, 0, n - 1);
    for (int i = 0; i < n; i++) {
        int v = (start + i) % n;
        fs__worker *victim = &ex->ws[v];
        /* steal_into gives up when the thief's own queue is over half full */
        if (v == w || victim->len == 0 || k->len > FS__LOCAL_CAP / 2)
            continue;
        size_t count = victim->len - victim->len / 2;
        for (size_t j = 0; j + 1 < count; j++)
            fs__local_push(ex, w, fs__local_pop(victim));
        uint32_t last = fs__local_pop(victim); /* the last one stolen runs first */
        ex->workers[w].steals += (int64_t)count;
        ex->workers[w].steal_operations++;
        fs_event ev = {.type = FS_EV_STEAL, .t = ex->now, .worker = w, .victim = v,
                       .count = (int64_t)count};
        fs_exec_emit(ex, &ev);
        return last;
    }
    return fs__inject_pop(ex, w);
}

/* ---- worker actions ------------------------------------------------------ */

static void fs__pause(fs_exec *ex, int w, int64_t ns);

/* --hand-over: a worker that handed its CPU over now waits for the worker
 * it woke (until that one parks); false if it handed nothing over. */
static bool fs__take_hand_over(fs__worker *k)
{
    if (k->hand_to < 0)
        return false;
    k->held_by = k->hand_to;
    k->hand_to = -1;
    return true;
}

/* ... and stops at its next step for it, at most a time slice. */
static bool fs__hold(fs_exec *ex, int w)
{
    if (!fs__take_hand_over(&ex->ws[w]))
        return false;
    fs__pause(ex, w, FS__CPU_SLICE_NS);
    return true;
}

static void fs__start_poll(fs_exec *ex, int w, uint32_t id)
{
    fs__worker *k = &ex->ws[w];
    if (fs__hold(ex, w)) {
        k->in_run = false;
        k->held_poll = id; /* this poll starts when it is back */
        return;
    }
    int64_t dur;
    ex->poll_budget = &k->budget;
    k->polling = id;
    k->result = fs__exec_poll_begin(ex, id, w, k->now, &dur);
    ex->poll_budget = NULL;
    /* The poll's wakes wait for its end. */
    if (!fs__grow(ex, (void **)&k->wakes, &k->cap_wakes, ex->n_deferred, sizeof *k->wakes))
        ex->n_deferred = 0;
    if (ex->n_deferred)
        memcpy(k->wakes, ex->deferred, ex->n_deferred * sizeof *k->wakes);
    k->n_wakes = ex->n_deferred;
    ex->n_deferred = 0;
    if (!fs__grow(ex, (void **)&k->aborts, &k->cap_aborts, ex->n_aborts, sizeof *k->aborts))
        ex->n_aborts = 0;
    if (ex->n_aborts)
        memcpy(k->aborts, ex->aborts, ex->n_aborts * sizeof *k->aborts);
    k->n_aborts = ex->n_aborts;
    ex->n_aborts = 0;
    k->state = FS__W_BUSY;
    k->now += dur;
}

static void fs__run_task(fs_exec *ex, int w, uint32_t id)
{
    fs__worker *k = &ex->ws[w];
    fs__stop_searching(ex, k);
    k->budget = FS_COOP_BUDGET;
    k->lifo_run = 0;
    fs__start_poll(ex, w, id);
}

static void fs__park_once(fs_exec *ex, int w);
static void fs__run_lifo(fs_exec *ex, int w);

/* Worker::park: the worker has found nothing to do. */
static void fs__park(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    fs__idle *idle = ex->idle;
    bool last_searcher = k->searching && idle->searching == 1;
    if (k->searching)
        idle->searching--;
    idle->unparked--;
    idle->sleepers[idle->n_sleepers++] = w;
    k->searching = false;
    if (last_searcher)
        fs__notify_if_work_pending(ex);
    fs__park_once(ex, w);
}

/* transition_from_parked: back in the loop, or back to sleep. */
static void fs__transition_from_parked(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    k->held_by = -1; /* back from a hand-over after its turn */
    if (k->lifo >= 0) {
        /* Woken by its own driver turn, with work: up, but not searching,
         * unless a notification took it off the sleepers already. */
        if (fs__take_sleeper(ex->idle, w))
            ex->idle->unparked++;
        else
            k->searching = true;
        k->state = FS__W_RUN;
        return;
    }
    if (fs__sleeper_at(ex->idle, w) >= 0) {
        fs__park_once(ex, w); /* not notified: back to sleep */
        return;
    }
    k->searching = true; /* notified: it looks for work */
    k->state = FS__W_RUN;
}

/* After park_timeout returned. */
static void fs__unparked(fs_exec *ex, int w)
{
    fs__after_park(ex, &ex->ws[w]);
    fs__transition_from_parked(ex, w);
}

/* --hand-over: worker w parks; the workers waiting for its CPU go on. */
static void fs__hand_back(fs_exec *ex, int w)
{
    int64_t back = ex->now + FS__HAND_BACK_NS;
    for (int v = 0; v < ex->n_workers; v++) {
        fs__worker *o = &ex->ws[v];
        if (o->held_by == w) {
            o->held_by = -1;
            if (o->state == FS__W_OFF && o->off_until > back)
                o->off_until = back;
            if (o->state == FS__W_TURN && o->now > back)
                o->now = back;
        }
        if (o->behind == w) {
            o->behind = -1;
            if (o->state == FS__W_PARKED && o->notified && o->wake_at > back)
                o->wake_at = back;
        }
    }
}

static void fs__park_once(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    fs_worker_stats *st = &ex->workers[w];
    st->parks++;
    if (st->polls == k->polls_at_park)
        st->noops++;
    k->polls_at_park = st->polls;
    if (k->notified) {
        /* unparked while awake: this park returns at once */
        k->notified = false;
        fs__unparked(ex, w);
        return;
    }
    k->state = FS__W_PARKED;
    k->parked_at = ex->now;
    if (fs__hand_over_on(ex)) {
        k->hand_to = -1; /* parking gives its CPU up anyway */
        fs__hand_back(ex, w);
    }
    k->on_driver = ex->idle->driver < 0;
    if (k->on_driver)
        ex->idle->driver = w;
    fs_event ev = {.type = FS_EV_PARK, .t = ex->now, .worker = w};
    fs_exec_emit(ex, &ev);
}

/* A parked worker wakes at ex->now: notified, or its driver has an event. */
static void fs__wake_worker(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    ex->workers[w].idle_ns += ex->now - k->parked_at;
    ex->stats.idle_ns += ex->now - k->parked_at;
    k->now = k->on_since = ex->now;
    k->notified = false;
    fs_event ev = {.type = FS_EV_UNPARK, .t = ex->now, .worker = w};
    fs_exec_emit(ex, &ev);
    k->state = FS__W_RUN;
    if (k->on_driver) {
        k->on_driver = false;
        ex->idle->driver = -1;
        if (fs__turn_driver(ex, w) > 0 && (ex->desc.turn_delay_ns > 0 || fs__hand_over_on(ex))) {
            /* The turn's wakes take the thread a while (--turn-delay), or
             * it hands its CPU to the worker its offer of work wakes
             * (--hand-over); the offer goes out at once, and a
             * notification meanwhile finds it still on the sleepers: a
             * token for its next park. */
            ex->idle->after_turn = true;
            fs__after_park(ex, k);
            ex->idle->after_turn = false;
            if (fs__take_hand_over(k)) {
                k->state = FS__W_TURN;
                k->now = ex->now + FS__CPU_SLICE_NS; /* or sooner: when it parks */
                return;
            }
            if (ex->desc.turn_delay_ns > 0) {
                k->state = FS__W_TURN;
                k->now = ex->now + fs_rand_exp(fs_prng_next(&ex->prng), ex->desc.turn_delay_ns);
                return;
            }
            fs__transition_from_parked(ex, w);
            return;
        }
    }
    fs__unparked(ex, w);
}

/* How many workers hold a CPU: all but the parked, the preempted and the
 * held. */
static int fs__on_cpu(const fs_exec *ex)
{
    int n = 0;
    for (int w = 0; w < ex->n_workers; w++) {
        const fs__worker *k = &ex->ws[w];
        /* held after its turn, it has handed its CPU over */
        n += k->state != FS__W_PARKED && k->state != FS__W_OFF &&
             !(k->state == FS__W_TURN && k->held_by >= 0);
    }
    return n;
}

/* When a parked worker wakes: notified, or its driver's next event
 * (INT64_MAX: neither). */
static int64_t fs__parked_due(const fs_exec *ex, const fs__worker *k, int64_t dev)
{
    int64_t t = k->notified ? k->wake_at : INT64_MAX;
    if (k->on_driver && dev >= 0) {
        int64_t d = fs__driver_wake(ex, k->parked_at, dev);
        t = d < t ? d : t;
    }
    return t;
}

/* --cpus: every CPU is taken and another thread has waited for one (a
 * parked worker due to wake, or a preempted one): a worker between two
 * polls (going round its loop, or inside run_task before its LIFO poll)
 * after a whole slice on its CPU is preempted there, and waits in turn.
 * The OS cuts a thread wherever it is; the next poll boundary is close
 * enough with polls much shorter than a slice. Cutting only at the loop
 * would always cut a task just back in the queue (in W3, a pair the budget
 * sent there), for thieves to take. */
static bool fs__preempt(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    if (ex->desc.cpus <= 0 || ex->now - k->on_since < FS__CPU_SLICE_NS ||
        fs__on_cpu(ex) < ex->desc.cpus)
        return false;
    int64_t dev = fs__exec_next_driven(ex);
    bool waiting = false;
    for (int v = 0; v < ex->n_workers && !waiting; v++) {
        const fs__worker *o = &ex->ws[v];
        waiting = (o->state == FS__W_OFF && o->off_until <= ex->now) ||
                  (o->state == FS__W_PARKED && fs__parked_due(ex, o, dev) <= ex->now);
    }
    if (!waiting)
        return false;
    k->state = FS__W_OFF;
    k->off_at = k->off_until = ex->now;
    fs_event ev = {.type = FS_EV_PREEMPT, .t = ex->now, .worker = w};
    fs_exec_emit(ex, &ev);
    return true;
}

/* A worker fault stops the thread at the end of a poll for ns (a GC
 * pause): off its CPU as a preempted thread, its local queue open to
 * thieves, its LIFO slot and run_task waiting with it, until the pause is
 * over. */
static void fs__pause(fs_exec *ex, int w, int64_t ns)
{
    fs__worker *k = &ex->ws[w];
    k->state = FS__W_OFF;
    k->in_run = k->lifo >= 0;
    k->off_at = ex->now;
    k->off_until = ns < INT64_MAX - ex->now ? ex->now + ns : INT64_MAX;
    fs_event ev = {.type = FS_EV_PREEMPT, .t = ex->now, .worker = w};
    fs_exec_emit(ex, &ev);
}

/* A preempted worker has a CPU again: its loop goes on. */
static void fs__resume(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    ex->workers[w].idle_ns += ex->now - k->off_at;
    ex->stats.idle_ns += ex->now - k->off_at;
    k->state = FS__W_RUN;
    k->now = k->on_since = ex->now;
    fs_event ev = {.type = FS_EV_RESUME, .t = ex->now, .worker = w};
    fs_exec_emit(ex, &ev);
    k->held_by = -1;
    if (k->held_poll >= 0) {
        uint32_t id = (uint32_t)k->held_poll;
        k->held_poll = -1;
        fs__start_poll(ex, w, id);
        return;
    }
    if (k->in_run) {
        k->in_run = false;
        fs__run_lifo(ex, w); /* run_task's loop goes on where it was cut */
    }
}

/* Context::run, once round the loop. */
static void fs__loop(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    k->tick++;
    if (k->tick % FS__INTERVAL == 0) {
        /* maintenance: park_timeout(0) turns the driver if it is free */
        if (ex->idle->driver < 0)
            fs__turn_driver(ex, w);
        fs__after_park(ex, k);
    }
    int64_t id = fs__next_task(ex, w);
    if (id < 0 && fs__start_search(ex, w))
        id = fs__steal_work(ex, w);
    if (id >= 0 && fs__exec_skip_done(ex, (uint32_t)id))
        return; /* aborted while queued: dropped unpolled; the loop goes round */
    if (id >= 0)
        fs__run_task(ex, w, (uint32_t)id);
    else
        fs__park(ex, w);
}

/* A poll ends: its wakes and completion, then run_task's LIFO loop. */
static void fs__end_poll(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    uint32_t id = k->polling;
    k->state = FS__W_RUN;
    /* aborted while its poll ran: unless the poll completed it, its end
     * cancels it */
    bool cancel = !k->result.ready && ex->tasks[id].aborted;
    fs__exec_settle(ex, id, k->result.ready);
    ex->sched_worker = w;
    ex->sched_self = id;
    fs__exec_apply_wakes(ex, k->wakes, k->n_wakes);
    k->n_wakes = 0;
    if (k->result.ready)
        fs__exec_complete(ex, id, k->result);
    else if (cancel)
        fs__exec_cancel(ex, id);
    else
        fs__exec_apply_late_wake(ex, id); /* woken while it ran: a yield */
    fs__exec_apply_aborts(ex, k->aborts, k->n_aborts);
    k->n_aborts = 0;
    ex->sched_worker = -1;
    ex->sched_self = -1;
    if (fs__hold(ex, w))
        return; /* its wakes woke a worker that ran last on its CPU */
    int64_t pause = fs__exec_pause_due(ex, w);
    if (pause > 0) {
        fs__pause(ex, w, pause);
        return;
    }
    if (k->lifo < 0)
        return;
    if (fs__preempt(ex, w)) {
        k->in_run = true; /* cut between two polls; its LIFO slot waits with it */
        return;
    }
    fs__run_lifo(ex, w);
}

/* run_task's LIFO loop, once: the task in the LIFO slot is polled now, with
 * what is left of the budget, or goes to the back of the local queue. */
static void fs__run_lifo(fs_exec *ex, int w)
{
    fs__worker *k = &ex->ws[w];
    bool capped = fs__current(ex) && k->lifo_run >= FS__MAX_LIFO_POLLS;
    /* The LIFO slot's poll starts here, not in the main loop: the limits
     * are checked here too (past one, it waits in the queue as the run stops). */
    if (fs__exec_skip_done(ex, (uint32_t)k->lifo)) {
        k->lifo = -1; /* aborted in the slot: dropped unpolled */
        return;
    }
    if (k->budget > 0 && !capped && !fs__exec_limit_reached(ex, k->now)) {
        uint32_t next = (uint32_t)k->lifo;
        k->lifo = -1;
        k->lifo_run++;
        ex->workers[w].lifo_polls++;
        fs__start_poll(ex, w, next);
    } else {
        fs__local_push(ex, w, (uint32_t)k->lifo); /* to the back of the queue */
        k->lifo = -1;
    }
}

/* Each local queue whose depth changed in the last action, as a counter:
 * several changes within one action are one line. */
static void fs__trace_queues(fs_exec *ex)
{
    for (int w = 0; w < ex->n_workers; w++) {
        fs__worker *k = &ex->ws[w];
        if (k->len == k->traced_len)
            continue;
        k->traced_len = k->len;
        fs_event ev = {.type = FS_EV_QUEUE, .t = ex->now, .worker = w, .count = (int64_t)k->len};
        fs_exec_emit(ex, &ev);
    }
}

/* Idle time up to `end` for workers not busy when the run stops. */
static void fs__close_idle(fs_exec *ex, int64_t end)
{
    for (int w = 0; w < ex->n_workers; w++) {
        fs__worker *k = &ex->ws[w];
        int64_t from = k->state == FS__W_PARKED ? k->parked_at
                       : k->state == FS__W_OFF ? k->off_at
                       : k->state == FS__W_RUN ? k->now : end;
        if (end > from) {
            ex->workers[w].idle_ns += end - from;
            ex->stats.idle_ns += end - from;
        }
    }
}

fs_run_result fs__exec_run_steal(fs_exec *ex)
{
    enum { DIRECT, END, WAKE, TURNED, RESUME, LOOP } kind = LOOP;
    int n = ex->n_workers;
    const int64_t max = ex->desc.max_time_ns;
    for (;;) {
        if (ex->live == 0) {
            fs__close_idle(ex, ex->stats.end_ns);
            return FS_RUN_DONE;
        }
        int64_t best = INT64_MAX, dev = fs__exec_next_driven(ex);
        int64_t direct = fs__exec_next_direct(ex);
        int who = -1;
        if (direct >= 0)
            best = direct, kind = DIRECT;
        for (int w = 0; w < n; w++)
            if (ex->ws[w].state == FS__W_BUSY && ex->ws[w].now < best)
                best = ex->ws[w].now, who = w, kind = END;
        /* with --cpus, a parked worker due to wake, and a preempted one,
         * wait for a free CPU, first come first served */
        bool cpu_free = ex->desc.cpus <= 0 || fs__on_cpu(ex) < ex->desc.cpus;
        int64_t wbest = INT64_MAX, wsince = INT64_MAX;
        int wwho = -1, wkind = WAKE;
        for (int w = 0; w < n; w++) {
            const fs__worker *k = &ex->ws[w];
            if (k->state == FS__W_TURN && k->now < best)
                best = k->now, who = w, kind = TURNED;
            if (!cpu_free || (k->state != FS__W_PARKED && k->state != FS__W_OFF))
                continue;
            int64_t since = k->state == FS__W_OFF ? k->off_until : fs__parked_due(ex, k, dev);
            int64_t t = since;
            if (ex->desc.cpus > 0 && t != INT64_MAX && t < ex->now)
                t = ex->now; /* it was due while every CPU was taken */
            if (t < wbest || (t == wbest && since < wsince))
                wbest = t, wsince = since, wwho = w, wkind = k->state == FS__W_OFF ? RESUME : WAKE;
        }
        if (wbest < best)
            best = wbest, who = wwho, kind = wkind;
        for (int w = 0; w < n; w++)
            if (ex->ws[w].state == FS__W_RUN && ex->ws[w].now < best)
                best = ex->ws[w].now, who = w, kind = LOOP;
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
        ex->idle->acting = kind == DIRECT ? -1 : who;
        switch (kind) {
        case DIRECT: fs__exec_fire_direct(ex); break; /* its wakes: remote */
        case END: fs__end_poll(ex, who); break;
        case WAKE: fs__wake_worker(ex, who); break;
        case TURNED: fs__transition_from_parked(ex, who); break;
        case RESUME: fs__resume(ex, who); break;
        case LOOP:
            if (!fs__preempt(ex, who))
                fs__loop(ex, who);
            break;
        }
        fs__trace_queues(ex);
    }
}

bool fs__exec_steal_init(fs_exec *ex)
{
    fs_prng_seed(&ex->prng, ex->desc.seed ^ 0x5354454cULL);
    ex->ws = calloc((size_t)ex->n_workers, sizeof *ex->ws);
    ex->idle = calloc(1, sizeof *ex->idle + (size_t)ex->n_workers * sizeof(int));
    if (!ex->ws || !ex->idle) {
        free(ex->ws);
        free(ex->idle);
        return false;
    }
    for (int w = 0; w < ex->n_workers; w++) {
        fs__worker *k = &ex->ws[w];
        k->lifo = k->held_poll = -1;
        k->hand_to = k->held_by = k->behind = -1;
    }
    ex->idle->unparked = ex->n_workers;
    ex->idle->driver = -1;
    ex->idle->acting = -1;
    ex->sched_worker = -1;
    ex->sched_self = -1;
    /* The runtime's workers start when it is built, before block_on spawns
     * anything: each finds nothing and parks (a park counted as a noop, as
     * tokio's stats count it), the first on the driver; the scenario's
     * tasks then wake them through the injection queue. They park last
     * to first, so that worker 0 is woken first. */
    for (int w = ex->n_workers - 1; w >= 0; w--)
        fs__park(ex, w);
    return true;
}

void fs__exec_steal_free(fs_exec *ex)
{
    if (!ex->ws)
        return;
    for (int w = 0; w < ex->n_workers; w++) {
        free(ex->ws[w].wakes);
        free(ex->ws[w].aborts);
    }
    free(ex->ws);
    free(ex->idle);
    ex->ws = NULL;
    ex->idle = NULL;
}
