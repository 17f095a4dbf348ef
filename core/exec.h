/* exec.h - tasks and the executors that poll them.
 *
 * An executor owns the tasks spawned on it and one simulated CPU timeline
 * per worker. It knows nothing of devices: it sees the simulated world
 * through fs_driver (when is the next device event, fire it) and reports
 * everything that happens to an fs_observer. The four policies:
 *   blocking  the seed's get_num_sync: each task polled in a loop until ready
 *   busy      the seed's run: poll every unfinished task each pass, forever
 *   wake      the seed's run2: poll only woken tasks, park when none are
 *   steal:N   tokio's multi-thread scheduler: N workers with local queues,
 *             a LIFO slot, an injection queue and work stealing
 */
#ifndef FS_EXEC_H
#define FS_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "future.h"

typedef enum {
    FS_EXEC_BLOCKING,
    FS_EXEC_BUSY,
    FS_EXEC_WAKE,
    FS_EXEC_STEAL,
} fs_exec_kind;

#define FS_DEFAULT_MAX_TIME_NS (3600LL * 1000000000LL) /* one hour */
/* Polls (a busy loop's skipped passes count as if run), and as many steps
 * of loops inside polls in all (a repeat's iterations, a seq's steps, the
 * children a join or select polls): with a zero poll cost the clock may
 * never reach the time limit, so this bounds the real time a run takes. */
#define FS_DEFAULT_MAX_POLLS 1000000000LL
/* Tasks a run may spawn in all (the scenario's and those spawned while it
 * runs): a loop of spawns fills memory in seconds, so it stops here, as the
 * loader's limit on a scenario's own tasks does. */
#define FS_DEFAULT_MAX_TASKS 10000000LL
/* Events one poll may report (they wait in memory until the poll ends): a
 * poll looping past this stops the run at its trace limit. */
#define FS_MAX_POLL_EVENTS (1 << 18)

/* --schedule pct:D: the deepest bug it aims at (D - 1 change points). */
#define FS_PCT_MAX_DEPTH 64

/* Which limit stopped a run. */
typedef enum {
    FS_LIMIT_NONE,
    FS_LIMIT_TIME,
    FS_LIMIT_POLLS,
    FS_LIMIT_TRACE,
    FS_LIMIT_TASKS,
    FS_LIMIT__COUNT
} fs_limit;

/* The simulated world's devices, as the executor sees them. */
typedef struct fs_driver {
    void *ctx;
    /* Time of the earliest scheduled device event, or -1 if none. */
    int64_t (*next_event)(void *ctx);
    /* Run that earliest event; it may wake tasks and emit events. */
    void (*fire_next)(void *ctx);
    /* The same for events of threads outside the runtime (the blocking
     * pool's): each happens at its own time, never through steal:N's timer
     * and I/O driver, and the tasks it wakes are scheduled from outside (the
     * injection queue). At equal times they come before the driver's. May
     * be NULL. */
    int64_t (*next_direct)(void *ctx);
    void (*fire_direct)(void *ctx);
    /* Worker faults (a GC pause, a thread the OS stops): asked once per
     * worker with polls 0 before the run, then at the end of the poll that
     * brings `worker`'s polls to the count the last answer left in *next.
     * Returns how long the worker's thread stops now, in ns (0: it does not;
     * never at polls 0), and sets *next to the poll count at which to ask
     * again (INT64_MAX: never). Asked only while tasks are unfinished. The
     * thread of blocking, busy and wake is the whole runtime: its clock
     * stops; a steal:N worker stops as a preempted one (--cpus) does. May
     * be NULL. */
    int64_t (*pause)(void *ctx, int worker, int64_t polls, int64_t *next);
} fs_driver;

struct fs_exec_stats;

/* Which tokio multi-thread scheduler steal:N follows: the current release
 * (the default) or 1.24.2, the version the tokio harness runs. */
typedef enum { FS_TOKIO_CURRENT, FS_TOKIO_1_24 } fs_tokio_version;
#define FS_DEFAULT_TICK_NS 1000000LL  /* tokio's timer wheel: 1 ms */
#define FS_COOP_BUDGET 128            /* tokio's runtime/coop.rs */

/* Zero means default for every field (see fs_exec_desc_defaults), except
 * poll_cost_ns where 0 is a real value: an ideal CPU. */
typedef struct fs_exec_desc {
    fs_exec_kind kind;
    int workers;              /* steal:N; 0: 1 */
    bool lifo;                /* wake: pop the newest woken task first */
    int64_t poll_cost_ns;     /* CPU time of each poll */
    int64_t max_time_ns;      /* 0: FS_DEFAULT_MAX_TIME_NS */
    int64_t max_polls;        /* 0: FS_DEFAULT_MAX_POLLS; bounds loop steps too */
    int64_t max_tasks;        /* 0: FS_DEFAULT_MAX_TASKS; spawns past it stop the run */
    bool no_fast_forward;     /* busy/blocking: simulate every identical pass */
    uint64_t seed;            /* steal victim order; the random schedule */
    /* wake: each turn polls a task drawn at random from the ready queue (a
     * stream of its own from seed: the workload's draws do not change), so
     * a sweep of seeds tries other orders of tasks woken together */
    bool random_schedule;
    /* wake: probabilistic concurrency testing for bugs of depth pct_depth
     * (0: off; exec_pct.c): random task priorities and pct_depth - 1
     * change points drawn among the steps 1..pct_steps (an estimate of the
     * run's polls), from a stream of seed of its own */
    int pct_depth;            /* 0..FS_PCT_MAX_DEPTH */
    int64_t pct_steps;
    /* steal:N models this tokio release's scheduler (see docs/fidelity.md) */
    fs_tokio_version tokio;
    /* steal:N: the timer driver's resolution: deadlines round up to it; 0: 1 ms */
    int64_t tick_ns;
    /* steal:N: the machine under the runtime (0, 0: an ideal one). A thread
     * parked with a timeout wakes timer_slack_ns after it; a notified
     * thread starts after a latency drawn from an exponential distribution
     * with mean wake_latency_ns (from the executor's stream). */
    int64_t timer_slack_ns, wake_latency_ns;
    /* steal:N: the CPUs the workers share (0: one each): a parked worker
     * due to wake waits until fewer than cpus workers are up, or a worker
     * that has held its CPU for a time slice is preempted. A worker
     * whose driver turn woke tasks takes a time drawn from an exponential
     * distribution with mean turn_delay_ns before its loop goes on. */
    int cpus;
    int64_t turn_delay_ns;
    /* steal:N: a worker notifying a parked worker that last ran on its own
     * CPU hands that CPU over: the woken worker runs first and the notifier
     * waits until it parks. hand_over_pm is how often, per mille: [0] for
     * the offer of work after a driver turn, [1] for any other
     * notification (0, 0: never). A notified worker that is not handed a
     * CPU finds its own idle and starts after a latency drawn from an
     * exponential distribution with mean idle_wake_ns. */
    int hand_over_pm[2];
    int64_t idle_wake_ns;
    fs_driver driver;
    fs_observer observer;     /* on_event NULL: nothing reported */
    /* Called when a task's future is finished with (completed or dropped at
     * the end of the run), so its owner can free it. May be NULL. */
    void (*release_future)(void *ctx, fs_future *f);
    void *release_ctx;
    /* Called every 2^20 polls run, with the simulated time (for progress
     * reports on long runs). May be NULL. */
    void (*progress)(void *ctx, const struct fs_exec_stats *stats, int64_t now);
    void *progress_ctx;
} fs_exec_desc;

fs_exec_desc fs_exec_desc_defaults(const fs_exec_desc *d);
/* "blocking", "busy", "wake", "steal:4" -> kind and workers; false if not one. */
bool fs_exec_parse_kind(const char *s, fs_exec_kind *kind, int *workers);
const char *fs_exec_kind_name(fs_exec_kind kind);
/* "busy", "wake", "steal:4" into buf; returns buf. */
const char *fs_exec_label(const fs_exec_desc *d, char *buf, size_t n);

/* Everything kept about a task, alive or finished. Indexed by task id. */
typedef struct fs_task_info {
    /* updated by every poll and wake (the executor keeps them packed, see
     * fs__task in exec_common.h, and this is a copy: fs_exec_get_task) */
    int64_t polls, wasted_polls;
    int64_t wakes, self_wakes;
    int64_t max_wake_latency_ns;
    const char *state;          /* last await point (leaf label), NULL if never polled */
    int32_t step, steps;
    const char *waker_at;       /* resource its waker was last registered with */
    /* clones made and dropped over its life (a wake by value drops its
     * clone), as tokio-console counts them: clones - drops = waker_refs */
    int64_t waker_clones, waker_drops;
    int32_t waker_refs;         /* clones alive now: held by a device or future */
    /* set at spawn and completion (the spawn's time is its spawn event's) */
    int32_t parent;             /* -1 for a top-level task (ids are below 2^31) */
    const char *name;
    int64_t completed_ns;       /* -1 while not complete */
    /* the longest wait from runnable (spawned, or woken since its last poll)
     * to a poll: the wake latencies and the wait for the first poll */
    int64_t max_runnable_wait_ns;
    int64_t value;              /* when complete */
    uint8_t fail;               /* when complete: fs_fail (its future's error) */
} fs_task_info;

/* Per worker; the names follow tokio's RuntimeMetrics where they fit. */
typedef struct fs_worker_stats {
    int64_t busy_ns, idle_ns, polls;
    int64_t steals;           /* tasks taken from other workers (steal_count) */
    int64_t steal_operations; /* times it stole */
    int64_t parks;
    int64_t local_schedules;  /* tasks it queued locally (LIFO slot or local queue) */
    int64_t overflows;        /* times its local queue was full and half went to the injection queue */
    int64_t lifo_polls;       /* polls of a task taken from its LIFO slot */
    int64_t noops;            /* parks with no poll since the previous park (noop_count) */
    int64_t budget_forced_yields; /* leaves that found the coop budget spent */
    int64_t driver_turns;     /* times it turned the timer/I-O driver */
    int64_t max_local_queue;  /* deepest its local queue got */
    int64_t search_refused;   /* times it could not search: half the workers were */
} fs_worker_stats;

typedef struct fs_exec_stats {
    int64_t end_ns;
    int64_t tasks_total, completed;
    int64_t polls, pending_polls, ready_polls, wasted_polls;
    int64_t wakes, stale_wakes;
    int64_t remote_schedules; /* steal: tasks queued in the injection queue */
    int64_t busy_ns, idle_ns;
    int64_t polls_run;        /* polls simulated one by one (not skipped in bulk) */
    int64_t loop_steps;       /* steps of loops inside polls (fs_context_step) */
    int64_t aborted;          /* tasks cancelled by fs_exec_abort (also in completed) */
    int64_t aborted_skips;    /* ready-queue entries of aborted tasks dropped unpolled */
    bool stalled, time_limit_hit, poll_limit_hit;
    fs_limit limit_hit;       /* the limit that stopped the run, if one did */
    bool out_of_memory;       /* an allocation failed: the run stopped there */
} fs_exec_stats;

typedef enum { FS_RUN_DONE, FS_RUN_STALLED, FS_RUN_TIME_LIMIT, FS_RUN_NOMEM } fs_run_result;

typedef struct fs_exec fs_exec;

fs_exec *fs_exec_create(const fs_exec_desc *desc);
/* Drops every unfinished task's future, then frees the executor. */
void fs_exec_free(fs_exec *ex);
/* True while fs_exec_free drops the unfinished tasks (release_future then
 * releases a future the run left behind, not one that completed). */
bool fs_exec_freeing(const fs_exec *ex);

/* Room for n tasks in all (spawning more still works); false if out of memory. */
bool fs_exec_reserve(fs_exec *ex, size_t n);
/* A new task; its future stays owned by the caller until release_future.
 * Callable before the run and from inside a poll (a future spawning).
 * Returns the task id (0, 1, 2... in spawn order), or -1 when out of memory
 * (the future is still the caller's, and the run stops). */
int64_t fs_exec_spawn(fs_exec *ex, const char *name, fs_future *fut);

fs_run_result fs_exec_run(fs_exec *ex);

const fs_exec_stats *fs_exec_get_stats(const fs_exec *ex);
/* Task id as it is now: a copy made from the executor's packed records,
 * valid until the fourth next call on the same executor (so two tasks can
 * be compared side by side); not to be kept. */
const fs_task_info *fs_exec_get_task(const fs_exec *ex, uint32_t id);
uint32_t fs_exec_task_count(const fs_exec *ex);
int fs_exec_worker_count(const fs_exec *ex);
const fs_worker_stats *fs_exec_get_worker(const fs_exec *ex, int worker);
const fs_exec_desc *fs_exec_get_desc(const fs_exec *ex);
/* Why an unfinished task is stuck, as a stall reports it. */
void fs_exec_get_stall_info(const fs_exec *ex, uint32_t id, fs_stall_info *out);

/* ---- for devices and futures --------------------------------------------- */

/* Simulated time now: inside a poll, its start plus the work done so far;
 * while a device event fires, that event's time. */
int64_t fs_exec_now(const fs_exec *ex);
/* Reports an event (callers fill every field they use, t included). Inside
 * a poll it is held back until the poll's own line is out. */
void fs_exec_emit(fs_exec *ex, const fs_event *ev);
/* Names the source of the wakes that follow ("timer", "socket:a"); devices
 * set it before waking and clear it (NULL) after. */
void fs_exec_set_wake_source(fs_exec *ex, const char *source);
/* Stops the run at a limit (the first one given is kept): at the next
 * step, or inside a poll at its next loop step. The trace writer calls it
 * with FS_LIMIT_TRACE when the trace is full. */
void fs_exec_stop(fs_exec *ex, fs_limit limit);
/* "time", "polls", "trace", or NULL for FS_LIMIT_NONE. */
const char *fs_limit_name(fs_limit limit);
/* "time limit", "poll limit", "trace limit", "task limit"; NULL for
 * FS_LIMIT_NONE: the limit as a sentence names it. */
const char *fs_limit_label(fs_limit limit);
/* The limit named by the n bytes at s ("time", ...), FS_LIMIT_NONE if none. */
fs_limit fs_limit_from_name(const char *s, size_t n);
/* Something the run needed could not be allocated: the run stops at the
 * next step with FS_RUN_NOMEM. */
void fs_exec_out_of_memory(fs_exec *ex);
/* A device took a clone of the polling task's waker: traced as `register`. */
void fs_exec_note_register(fs_exec *ex, const char *resource);
/* The task's own waker (uncounted: clone it to keep it). */
fs_waker fs_exec_task_waker(const fs_exec *ex, uint32_t id);
/* Fetches into the cache the record of the task w wakes (a hint: wakers of
 * other kinds are ignored). */
void fs_exec_prefetch_waker(const fs_waker *w);
/* Is the task finished? Its result (value or failure) is stored in *result
 * when it is. */
bool fs_exec_task_done(const fs_exec *ex, uint32_t id, fs_poll *result);
/* tokio's coop budget (runtime/coop.rs), for leaves that tokio budgets
 * (timers, sockets, files, channels, JoinHandles). Under steal:N a task
 * poll and the LIFO polls that follow it share FS_COOP_BUDGET units; a leaf
 * that completes spends one (fs_coop_spend). fs_coop_proceed is asked first:
 * false means the budget is spent, the task has been woken (it will be
 * polled again later) and the leaf must return pending, as
 * coop::poll_proceed does. Other executors are not budgeted: always true. */
bool fs_coop_proceed(fs_context *cx);
void fs_coop_spend(fs_context *cx);
/* When a timer set at `deadline` fires: steal:N rounds up to its driver's
 * tick, as tokio's wheel does; the other executors keep exact times. */
int64_t fs_exec_timer_deadline(const fs_exec *ex, int64_t deadline);

/* tokio's JoinHandle::abort: cancels task id. Inside a poll it takes
 * effect when that poll ends, as the poll's wakes do; outside one, now. The
 * task's future is dropped (its leaves give back their wakers, its timers
 * are cancelled), it completes with the failure FS_FAIL_CANCELLED (its
 * `complete` event says so) and its JoinHandle's waker is woken. A task
 * that is done already is left alone; a task whose poll is running on
 * another worker (steal:N) is cancelled when that poll ends, unless the
 * poll completed it. An aborted task left in a ready queue is never polled:
 * it is dropped when popped (stats.aborted_skips). */
void fs_exec_abort(fs_exec *ex, uint32_t id);

/* When task id completes, wake the waker in *slot (a JoinHandle's), which
 * stays the caller's memory: it must stay valid until then, or until the
 * caller withdraws it with slot NULL (a JoinHandle dropped). */
void fs_exec_on_complete(fs_exec *ex, uint32_t id, fs_waker *slot);

#endif
