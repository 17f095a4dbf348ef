/* exec_common.h - what the dispatcher (exec.c) and the executor policies
 * (exec_<name>.c) share, implemented in exec_common.c.
 *
 * Task states. Every task is in exactly one:
 *   IDLE       pending, waiting for a wake (or, under busy/blocking, for its
 *              turn in the loop, which ignores wakes)
 *   SCHEDULED  in the ready queue (wake executor only)
 *   RUNNING    being polled
 * A wake during a poll (of the polled task or another) sets `notified` and
 * is applied after the poll, once the device events that came due during it
 * have fired: wakes take effect in time order.
 *   DONE       completed; its future is released, its record stays
 * A task waker is (executor, id | generation << 32). The generation is bumped
 * when the task completes, so a waker still held somewhere is recognised as
 * stale and counted, and never reaches the released future. */
#ifndef FS_EXEC_COMMON_H
#define FS_EXEC_COMMON_H

#include "exec.h"
#include "join_map.h"
#include "prng.h"

enum { FS__IDLE, FS__SCHEDULED, FS__RUNNING, FS__DONE };

/* A task's record: one 64-byte line, what every poll and wake touches
 * (W1 at a million tasks: 64 MB of records, not 160). What a finished task
 * no longer needs holds what only a finished task has: its future becomes
 * its value, its first wake since the last poll its completion time, and
 * until its first poll the latencies (zero until then) hold its spawn time.
 * Counters are 32 bits; a task whose count or latency outgrows them, or
 * whose await step passes 65535, is made wide once (fs__widen): from then
 * on all of them are in ex->wide[polls], exact, and its 32-bit wakes and
 * clones (and wasted polls and self wakes beside it) stay at UINT32_MAX, so
 * a wake or a clone tests the one counter it adds to, not `wide` as well.
 * The generation of its
 * wakers is `released`: 0 while it runs, 1 once its future is released.
 * The parts no poll touches (name, parent, wasted polls and self wakes)
 * are kept apart: ex->names, ex->cold. */
typedef struct fs__task {
    union {
        fs_future *fut;     /* until finished (NULL once released) */
        int64_t value;      /* finished */
    };
    union {
        int64_t wake_ns;    /* until finished: first wake since its last poll, -1 if none */
        int64_t completed_ns; /* finished */
    };
    const char *at;         /* last await point (leaf label), NULL if never polled */
    const char *waker_at;   /* resource its waker was last registered with */
    uint32_t polls;         /* wide: its index in ex->wide */
    uint32_t wakes, clones; /* clones - drops = refs */
    int32_t refs;
    union {
        struct {
            uint32_t max_wake_latency, max_runnable_wait; /* ns */
        };
        int64_t spawned_ns; /* before its first poll */
    };
    union {
        struct {
            uint16_t step, steps;
        };
        uint32_t step_pair; /* both, compared and set at once (fs__step_pair) */
    };
    uint8_t state : 2;
    bool notified : 1;      /* woken while RUNNING */
    bool woken : 1;         /* spawned or woken since its last poll (else a poll is wasted) */
    bool aborted : 1;       /* aborted while its poll ran (steal:N): cancelled when it ends */
    bool finished : 1;      /* completed: value and completed_ns are set (a task
                               settles DONE, its completion comes after its wakes) */
    uint8_t fail;           /* finished: fs_fail */
    /* Bytes of their own, not bits: every clone and wake compares the one,
     * every poll tests the other, with a single load. */
    uint8_t released;       /* 1: its future released: its wakers' generation is 1 */
    bool wide;              /* its counters are in ex->wide */
} fs__task;

_Static_assert(sizeof(fs__task) == 64, "a task record is one cache line");

/* What no poll touches, or only a wasted poll and a self wake. */
typedef struct fs__cold {
    int32_t parent;         /* -1 for a top-level task */
    uint32_t wasted_polls, self_wakes;
} fs__cold;

/* A task's counters in full, once one outgrew its 32 (or 16) bits. */
typedef struct fs__wide {
    int64_t polls, wasted_polls, wakes, self_wakes, clones; /* drops: clones - refs */
    int64_t max_wake_latency, max_runnable_wait, spawned_ns;
    int32_t step, steps;
} fs__wide;

/* Fetches ahead what a poll or a wake of task t touches: its record's line. */
static inline __attribute__((always_inline)) void fs__prefetch_task(const fs__task *t)
{
    __builtin_prefetch(t, 1);
}

/* fs_exec_get_task's copies: a pointer it returned stays valid until this
 * many more calls on the same executor. */
#define FS__INFOS 4

/* A growable ring of task ids: the ready queue. */
typedef struct fs__ring {
    uint32_t *ids;
    size_t head, len, cap;
} fs__ring;

/* --schedule pct:D's priorities and change points (exec_pct.c). */
typedef struct fs__pct fs__pct;

struct fs_exec {
    fs_exec_desc desc;
    fs__task *tasks;        /* 64-byte aligned */
    const char **names;     /* per task, beside tasks */
    fs__cold *cold;         /* per task, beside tasks */
    uint32_t n_tasks;
    size_t cap_tasks;
    fs__wide *wide;         /* the wide tasks' counters (fs__task.wide) */
    size_t n_wide, cap_wide;
    fs__wide wide_sink;     /* where counts go when a wide entry cannot be made */
    fs_task_info infos[FS__INFOS]; /* fs_exec_get_task's copies, used in turn */
    unsigned next_info;
    int64_t live;           /* tasks not DONE */
    uint32_t *order;        /* busy/blocking only: unfinished tasks in spawn order */
    size_t n_order, cap_order;
    fs__ring ready;

    int64_t now;            /* worker 0's clock */
    int64_t event_now;      /* time of the device event being fired */
    bool firing;
    /* The trace passed its size: no more device events are fired, whichever
     * limit stopped the run first (a task limit hit at the start left a
     * listener's million connects at one instant to be written) */
    bool trace_full;
    fs_context *cx;         /* the poll in progress, or NULL */
    const char *wake_source;
    int64_t wake_source_task; /* a completing task waking its JoinHandle, else -1 */
    uint64_t activity;      /* bumped by every event but a spinnable poll */

    uint32_t *deferred;     /* tasks woken during the poll, in wake order */
    size_t n_deferred, cap_deferred;
    uint32_t *aborts;       /* tasks aborted during the poll (fs_exec_abort), in order */
    size_t n_aborts, cap_aborts;

    fs_event *held;         /* events raised during a poll, out after its line */
    size_t n_held, cap_held;

    /* busy/blocking: the tasks of the current pass, when each started
     * (offset from the pass's start) and how long its poll took */
    uint32_t *pass_ids;
    int64_t *pass_off, *pass_dur;
    size_t cap_pass;

    fs_join_map joins;      /* JoinHandles waiting for tasks to complete */
    bool freeing;           /* fs_exec_free is dropping the tasks */

    fs_exec_stats stats;
    fs_worker_stats *workers;
    int n_workers;
    /* Worker faults (desc.driver.pause, else NULL): per worker, the poll
     * count at whose poll's end the driver is asked next (INT64_MAX: never) */
    int64_t *pause_at;

    /* Where a task that became runnable goes, when the policy decides it
     * (steal:N); NULL: the ready ring (wake) or nowhere (busy, blocking poll
     * every task anyway). Set by exec.c, so shared code never calls a policy. */
    void (*schedule)(fs_exec *ex, uint32_t id);

    /* steal:N (exec_steal.c) */
    struct fs__worker *ws;   /* per worker: clock, queues, the poll in flight */
    int32_t sched_worker;    /* wakes now go to this worker's queues (-1: the injection queue) */
    int64_t sched_self;      /* ... and this is the task whose poll just ended */
    bool sched_driver;       /* ... made by its driver turn (tokio: no notify until after) */
    int32_t *poll_budget;    /* the coop budget the next poll gets (fs_context.budget) */
    fs_prng prng;            /* steal victim order */
    fs_prng sched_prng;      /* desc.random_schedule: which ready task runs next */
    fs__pct *pct;            /* desc.pct_depth > 0: which ready task runs next; else NULL */
    struct fs__idle *idle;   /* searching and parked workers, the driver's holder */
};

/* Polls task id once on worker 0 at ex->now: reports the poll, advances the
 * clock by its cost, fires the device events that came due meanwhile, and
 * completes the task if it is ready. Returns true if it completed. */
bool fs__exec_poll(fs_exec *ex, uint32_t id);
/* The poll step in parts, for executors whose workers overlap in time:
 * begin runs the future's poll on `worker` at `start`, reports it and what
 * it did, and accounts its cost (*dur); the task stays RUNNING and the wakes
 * the poll made wait in ex->deferred. At the poll's end: settle (IDLE or
 * DONE), apply_wakes (those deferred wakes), and complete if it was ready. */
fs_poll fs__exec_poll_begin(fs_exec *ex, uint32_t id, int worker, int64_t start, int64_t *dur);
void fs__exec_settle(fs_exec *ex, uint32_t id, bool ready);
void fs__exec_apply_wakes(fs_exec *ex, const uint32_t *ids, size_t n);
void fs__exec_complete(fs_exec *ex, uint32_t id, fs_poll result);
/* The aborts a poll made, at its end: each task not yet done is cancelled
 * now (its future dropped, completed with the failure "cancelled"), or, if
 * its own poll is running on another worker (steal:N), when that poll ends.
 * A task that sits in a ready queue stays there: it is DONE, and whoever
 * pops it drops it without a poll (fs__exec_skip_done). */
void fs__exec_apply_aborts(fs_exec *ex, const uint32_t *ids, size_t n);
/* Cancels task id (IDLE or SCHEDULED) now: drops its future, completes it
 * with the failure "cancelled" (counted in stats.aborted). */
void fs__exec_cancel(fs_exec *ex, uint32_t id);
/* A queue gave up a task that is DONE (aborted while queued): true, and
 * counted in stats.aborted_skips; the caller drops it without a poll. */
bool fs__exec_skip_done(fs_exec *ex, uint32_t id);
/* After apply_wakes: a wake that came while the poll ran, from a device or
 * from a task on another worker (steal:N only), queues the task now. */
void fs__exec_apply_late_wake(fs_exec *ex, uint32_t id);
/* Fires device events due at or before ex->now. */
void fs__exec_fire_due(fs_exec *ex);
/* The driver's events up to `until`, each delivered at `at` (steal:N's
 * driver turn hands them over late, at its own time), or at its own time
 * when at is negative; returns how many fired. */
int64_t fs__exec_fire_until(fs_exec *ex, int64_t until, int64_t at);
/* Fires the earliest event of a thread outside the runtime, at its time. */
void fs__exec_fire_direct(fs_exec *ex);
/* Time of the earliest device event of either kind, of the driver's, of a
 * thread outside the runtime; -1 if none. */
int64_t fs__exec_next_event(fs_exec *ex);
int64_t fs__exec_next_driven(fs_exec *ex);
int64_t fs__exec_next_direct(fs_exec *ex);
/* Asks the driver once per worker where its worker faults fall (before the
 * run); false when out of memory. */
bool fs__exec_pause_init(fs_exec *ex);
/* The poll on worker w has just ended: how long a worker fault stops its
 * thread now (the driver reports the fault), 0 if none; never once every
 * task is done or the run is at a limit. */
int64_t fs__exec_pause_due(fs_exec *ex, int w);
/* Worker 0 idles until t (park/unpark reported). */
void fs__exec_park_until(fs_exec *ex, int64_t t);
/* Reports a stall naming every unfinished task. */
void fs__exec_stall(fs_exec *ex);
/* True (and the stats say which) when a run at time t is at its time limit,
 * has counted its maximum number of polls, or hit another limit. */
bool fs__exec_limit_reached(fs_exec *ex, int64_t t);
/* Stops the run at a limit: the run ends now. */
void fs__exec_time_up(fs_exec *ex);
/* A busy-wait pass changed nothing: it polled ids[0..n) once each (at
 * offsets[i] from its start, for durs[i]), every poll identical and pending,
 * and nothing else happened; it took pass_ns. With no device event left,
 * nothing ever will change: reports the stall and returns false. Otherwise
 * skips the identical passes that end before the next device event or the
 * time limit (fast-forward), accounting every skipped poll exactly. */
bool fs__exec_repeat_pass(fs_exec *ex, const uint32_t *ids, size_t n,
                          const int64_t *offsets, const int64_t *durs, int64_t pass_ns);

/* Room for n tasks in the records and the arrays beside them; false (the
 * run out of memory) if not. */
bool fs__exec_reserve_tasks(fs_exec *ex, size_t n);

/* Drops every unfinished task's future and frees what the tasks use. */
void fs__exec_free_tasks(fs_exec *ex);

/* Room for n entries in the pass arrays; false (the run out of memory) if not. */
bool fs__exec_reserve_pass(fs_exec *ex, size_t n);
/* Grows the array *p of *cap elements of size bytes to hold need; on failure
 * marks the run out of memory and returns false (*p unchanged). */
bool fs__grow(fs_exec *ex, void **p, size_t *cap, size_t need, size_t size);

/* The id i places behind the front of the ring. */
static inline uint32_t fs__ring_at(const fs__ring *r, size_t i)
{
    return r->ids[(r->head + i) & (r->cap - 1)];
}

/* Woken tasks are scattered in memory: fetch ahead the records, futures and
 * what the futures will read of the tasks a few places behind the front of
 * the ready queue. always_inline: gcc finds a function that only prefetches
 * to be pure, and drops the call to it as having no effect. */
static inline __attribute__((always_inline)) void fs__exec_prefetch_ready(const fs_exec *ex)
{
    enum { RECORD_AHEAD = 16, FUTURE_AHEAD = 10, BEYOND_AHEAD = 5 };
    const fs__ring *r = &ex->ready;
    if (r->len > RECORD_AHEAD)
        fs__prefetch_task(&ex->tasks[fs__ring_at(r, RECORD_AHEAD)]);
    if (r->len > FUTURE_AHEAD) { /* its first lines: nested futures lie beyond the first */
        /* (a DONE task's value read as an address: a prefetch never faults) */
        uintptr_t f = (uintptr_t)ex->tasks[fs__ring_at(r, FUTURE_AHEAD)].fut;
        __builtin_prefetch((const void *)f);
        __builtin_prefetch((const void *)(f + 64));
        __builtin_prefetch((const void *)(f + 128));
    }
    if (r->len > BEYOND_AHEAD) {
        uint32_t id = fs__ring_at(r, BEYOND_AHEAD);
        const fs__task *t = &ex->tasks[id];
        const fs_future *f = t->state == FS__DONE ? NULL : t->fut; /* DONE: its value */
        if (f && f->vt->prefetch)
            f->vt->prefetch(f, id);
    }
}

bool fs__ring_push(fs__ring *r, uint32_t id);
uint32_t fs__ring_pop_front(fs__ring *r);
uint32_t fs__ring_pop_back(fs__ring *r);
/* Takes out the i-th id from the front (the front one goes to its place). */
uint32_t fs__ring_take(fs__ring *r, size_t i);

/* ---- exec_pct.c: --schedule pct:D ------------------------------------- */

/* D-1 change points drawn among steps 1..steps from a stream of seed;
 * NULL when out of memory. */
fs__pct *fs__pct_create(uint64_t seed, int depth, int64_t steps);
void fs__pct_free(fs__pct *p);
/* Task id's random priority, drawn as it is spawned; false if out of memory. */
bool fs__pct_spawn(fs__pct *p, uint32_t id);
/* One step: applies a change point that falls on it, then returns the
 * place in the ready queue (non-empty) of the task of highest priority. */
size_t fs__pct_pick(fs__pct *p, const fs__ring *ready);

#endif
