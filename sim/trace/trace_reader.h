/* trace_reader.h - a futurescope JSONL trace (SPEC section 3) read back into
 * memory as the viewer wants it: per-lane arrays sorted by time, so a frame
 * can binary-search the visible window, and per-task running sums, so the
 * counters at any instant cost a search per task rather than a scan.
 *
 * Reading is two layers. A line decoder turns one text line into a flat
 * record (a fast path for the lines the writer writes, cJSON for the rest
 * and for errors); the model builder consumes records and never sees JSON.
 * The file is read in blocks; memory grows with the model, not the file.
 *
 * Invariants of a loaded fs_trace:
 * - tasks[i].id == i; every event names a task that was spawned before it.
 * - A task's slices do not overlap and are sorted by t (so also by end):
 *   a task runs one poll at a time, and a spin is a run of its own polls.
 * - wakes[] and a resource's io[] are in file (= time) order.
 * - steal:N's lines (format version 2) are kept per worker (driver turns,
 *   local queue depths, steals under the thief) and per task (coop budget yields), in file order;
 *   other executors have none.
 * - Strings (names, await points, sources) live in one pool owned by the
 *   trace; the structs hold offsets, read with fs_trace_str(). */
#ifndef FS_TRACE_READER_H
#define FS_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* The trace format versions this reader opens: 1 (before the tokio model's
 * events), 2 and 3 (the blocking pool's lines). Versions 2 and 3 only add
 * lines and keys; readers skip what they do not know. */
#define FS_TRACE_READ_MIN 1
#define FS_TRACE_READ_MAJOR 3

typedef enum {
    FS_SLICE_PENDING,  /* one poll that returned pending */
    FS_SLICE_READY,    /* one poll that returned ready */
    FS_SLICE_SPIN,     /* count identical pending polls folded by the writer */
    FS_SLICE_COMPUTE,  /* a poll longer than the poll cost: CPU work inside it */
} fs_slice_kind;

typedef struct fs_trace_slice {
    int64_t t, end;     /* first poll's start; last poll's end */
    int64_t dur;        /* one poll's duration */
    int64_t count;      /* polls in it (1 unless a spin) */
    int64_t value;      /* when ready */
    uint32_t state;     /* await point (string offset) */
    int32_t worker;
    uint8_t kind;       /* fs_slice_kind */
    bool ready;         /* the (last) poll returned ready */
    int64_t wasted;     /* polls in it that were wasted (SPEC: busy-wait waste) */
} fs_trace_slice;

/* Running sums over a task's slices: cum[i] covers slices [0, i). */
typedef struct fs_trace_cum {
    int64_t polls, wasted, busy_ns;
} fs_trace_cum;

typedef struct fs_trace_wake {
    int64_t t;
    uint32_t task;
    int32_t src_task;   /* waking task, or -1 */
    int32_t src_res;    /* resource that woke it, or -1 */
    uint32_t source;    /* the source as written: "socket:a", "self", "task:3" */
    int32_t caused;     /* index in the task's slices of the poll it led to (its next poll
                           line in the file), -1 if none */
    uint32_t line;      /* orders events of equal t */
    bool stale;
} fs_trace_wake;

typedef struct fs_trace_register {
    int64_t t;
    int32_t res;        /* resource index */
    uint32_t line;      /* orders events of equal t */
} fs_trace_register;

typedef struct fs_trace_io {
    int64_t t;
    uint32_t what;      /* "arrival", "read done" ... "fault: latency" */
    bool has_value;
    bool fault;         /* a resource fault fired (value: a latency fault's extra ns) */
    int64_t value;
} fs_trace_io;

typedef struct fs_trace_span {
    int64_t t, end;
} fs_trace_span;

/* steal:N: a worker turned the timer/I-O driver and `fired` device events
 * were delivered (a `driver` line). */
typedef struct fs_trace_driver {
    int64_t t;
    int64_t fired;
    int64_t fired_before;   /* fired by the worker's earlier turns (a running sum) */
} fs_trace_driver;

/* steal:N: a worker's local run queue holds `depth` tasks from t until the
 * worker's next entry (a `queue` line: a counter). */
typedef struct fs_trace_depth {
    int64_t t;
    int64_t depth;
} fs_trace_depth;

/* steal:N: the worker took `count` tasks from `victim`'s local queue (a
 * `steal` line), kept under the thief. */
typedef struct fs_trace_steal {
    int64_t t;
    int64_t count;
    int32_t victim;
} fs_trace_steal;

/* steal:N: a leaf of the task found tokio's coop budget spent, so the task
 * woke itself and yielded (a `budget` line, stamped with the poll's start). */
typedef struct fs_trace_budget {
    int64_t t;
    int32_t worker;
} fs_trace_budget;

/* A job of the blocking pool (spawn_blocking): it ran on its thread from t
 * to end, for `task`, after waiting `queued` ns for a thread. */
typedef struct fs_trace_job {
    int64_t t, end;
    int64_t job;               /* its number: the JoinHandle's "blocking:J" */
    int64_t queued;
    uint32_t task;
    uint32_t name;
    bool new_thread;           /* the pool started a thread for it */
} fs_trace_job;

/* A thread of the blocking pool (its number: a free one is reused) and the
 * jobs it ran, in time order. */
typedef struct fs_trace_bthread {
    fs_trace_job *jobs;
    size_t n_jobs;
} fs_trace_bthread;

#define FS_TRACE_MAX_BLOCKING_THREADS 4096

typedef struct fs_trace_task {
    uint32_t name;
    uint32_t sid;              /* stable id, the same under every executor (trace_ids.c);
                                  the trace's own id is the task's index */
    int64_t parent;            /* -1 for none */
    int64_t spawn_t;
    int64_t complete_t;        /* -1 if it never completed */
    int64_t cancel_t;          /* first cancel, -1 if none */
    uint32_t error;            /* its result's error ("elapsed", "closed"), 0: none */
    uint32_t spawn_line;       /* its spawn's line in the file: orders it among wakes at one time */
    fs_trace_slice *slices;
    fs_trace_cum *cum;         /* n_slices + 1 entries */
    size_t n_slices;
    uint32_t *wakes;           /* indices into fs_trace.wakes, in time order */
    size_t n_wakes;
    fs_trace_register *regs;
    size_t n_regs;
    fs_trace_budget *budgets;  /* coop budget yields, in time order */
    size_t n_budgets;
    /* from the summary's record of the task: waker clones made and dropped
     * over its life (-1 when the trace has no such figures) */
    int64_t waker_clones, waker_drops;
} fs_trace_task;

typedef struct fs_trace_resource {
    uint32_t name;             /* "a", "cfg", "timer" */
    uint32_t kind;             /* "socket", "file", "timer", "" when not known */
    fs_trace_io *io;
    size_t n_io;
} fs_trace_resource;

typedef struct fs_trace_worker {
    fs_trace_span *parks;      /* parked: park..unpark (or the run's end) */
    size_t n_parks;
    fs_trace_span *preempts;   /* preempt..resume (or the run's end): no CPU (--cpus),
                                  or paused by a worker fault */
    size_t n_preempts;
    fs_trace_span *pauses;     /* worker faults (`fault` lines, kind pause): from t for
                                  the pause's length (to end); a preemption that starts
                                  at the same t is that pause */
    size_t n_pauses;
    fs_trace_span *busy;       /* union of its polls, merged */
    size_t n_busy;
    fs_trace_driver *drivers;  /* driver turns that fired something (steal:N) */
    size_t n_drivers;
    fs_trace_depth *queue;     /* local queue depth changes (steal:N) */
    size_t n_queue;
    int64_t max_depth;         /* the deepest its local queue got */
    fs_trace_steal *steals;    /* steals it made, thief's view (steal:N) */
    size_t n_steals;
} fs_trace_worker;

typedef struct fs_trace_stalled {
    uint32_t task;
    uint32_t awaiting, waker, reason;  /* strings; 0 is "" (null in the file) */
} fs_trace_stalled;

typedef struct fs_trace_summary {
    int64_t end_ns, tasks_total, completed;
    bool stalled, time_limit_hit;
    int limit_hit; /* the fs_limit that stopped the run (core/exec.h), or FS_LIMIT_NONE */
    int64_t polls, pending_polls, ready_polls, wasted_polls, wakes;
    int64_t busy_ns, idle_ns, max_wake_latency_ns;
    double cpu_busy;
} fs_trace_summary;

typedef struct fs_trace {
    /* header */
    uint32_t scenario, executor, queue;
    int workers;
    uint64_t seed;
    int64_t poll_cost_ns;

    fs_trace_task *tasks;
    size_t n_tasks;
    fs_trace_resource *resources;
    size_t n_resources;
    fs_trace_worker *workers_v;   /* `workers` entries */
    fs_trace_bthread *bthreads;   /* the blocking pool's threads (format version 3) */
    size_t n_bthreads;
    fs_trace_wake *wakes;
    size_t n_wakes;
    int64_t *times;               /* distinct event times, ascending (for stepping) */
    size_t n_times;
    bool has_stall;
    int64_t stall_t;
    fs_trace_stalled *stalled;
    size_t n_stalled;
    fs_trace_summary summary;
    size_t lines;

    char *pool;                   /* strings: offset 0 is "" */
    size_t pool_len, pool_cap;
    struct fs__intern *intern;    /* private */
    /* private: every task's slices, sums, wake indices and registrations
     * live in these four blocks (tasks point into them) */
    fs_trace_slice *slice_block;
    fs_trace_cum *cum_block;
    uint32_t *wake_block;
    fs_trace_register *reg_block;
    /* and every worker's driver turns and queue depths, every task's budget
     * yields: one block each */
    fs_trace_driver *driver_block;
    fs_trace_depth *queue_block;
    fs_trace_budget *budget_block;
    fs_trace_steal *steal_block;
    fs_trace_job *job_block;
} fs_trace;

/* Reads a whole trace. On error returns FS_ERR_INPUT (or IO/NOMEM) with err
 * naming the file (`name`) and the line; *out is set only on success. */
fs_errcode fs_trace_read_file(const char *path, fs_trace **out, fs_error *err);
/* The same without progress lines: for a thread other than the one that set
 * the hook (fs_trace_set_progress). Reads share nothing they write, so
 * several may run at once, each on its own thread. */
fs_errcode fs_trace_read_file_quiet(const char *path, fs_trace **out, fs_error *err);
fs_errcode fs_trace_read_stream(FILE *in, const char *name, fs_trace **out, fs_error *err);
/* A trace read as it is written, with no copy of the whole text: the
 * writer hands its bytes to fs_trace_feed_write in pieces of any size
 * (false once a line was refused: the error waits for the end), then
 * fs_trace_feed_end reads the last line, frees the feed and gives the
 * trace or the error, as fs_trace_read_stream does. NULL: out of memory. */
typedef struct fs_trace_feed fs_trace_feed;
fs_trace_feed *fs_trace_feed_new(const char *name);
bool fs_trace_feed_write(fs_trace_feed *f, const char *p, size_t n);
fs_errcode fs_trace_feed_end(fs_trace_feed *f, fs_trace **out, fs_error *err);
fs_errcode fs_trace_read_text(const char *text, size_t len, const char *name, fs_trace **out,
                              fs_error *err);
void fs_trace_free(fs_trace *tr);

static inline const char *fs_trace_str(const fs_trace *tr, uint32_t off)
{
    return tr->pool + off;
}

/* First slice of task whose end is after t (n_slices if none). */
size_t fs_trace_task_first_ending_after(const fs_trace_task *task, int64_t t);
/* First slice of task that starts at or after t (n_slices if none). */
size_t fs_trace_task_first_starting_at(const fs_trace_task *task, int64_t t);
/* Progress while reading long traces: fn(ctx, name, lines) every 2^18
 * lines and fn(ctx, name, 0) when a read ends, for all reads from now on
 * (NULL to stop). The program sets it when
 * stderr is a terminal. */
void fs_trace_set_progress(void (*fn)(void *ctx, const char *name, size_t lines), void *ctx);
/* Prints "file:line: message" (no column: a trace is read by lines). */
void fs_trace_error_print(const fs_error *err, FILE *out);

/* ---- model queries ------------------------------------------------------ */

/* The worker's local queue depth after every event at or before t (0
 * before its first `queue` line, and for executors without them). */
int64_t fs_trace_queue_depth_at(const fs_trace_worker *w, int64_t t);
/* The pause that worker faults began on the worker at t (their lengths
 * added, when several fired at once); 0: none began then (a preemption
 * that starts at t was for a CPU). */
int64_t fs_trace_pause_at(const fs_trace_worker *w, int64_t t);
/* First entry of the worker's queue depths / driver turns at or after t. */
size_t fs_trace_queue_first_at(const fs_trace_worker *w, int64_t t);
size_t fs_trace_driver_first_at(const fs_trace_worker *w, int64_t t);
size_t fs_trace_steal_first_at(const fs_trace_worker *w, int64_t t);
/* First budget yield of the task at or after t. */
size_t fs_trace_budget_first_at(const fs_trace_task *task, int64_t t);
/* The first of the trace's wakes (tr->wakes, in time order) at or after t. */
size_t fs_trace_wake_first_at(const fs_trace *tr, int64_t t);

/* True if w was made by the woken task's own poll: a self-wake (yield_now)
 * or a spurious wake its leaf future arranged. Such a wake is stamped with
 * the start of the poll that made it. */
bool fs_trace_wake_in_poll(const fs_trace *tr, const fs_trace_wake *w);

/* Stable ids (trace_ids.c) of n tasks, given each one's parent (-1: none;
 * a parent comes before its child) and name (a spawn path): sid[i], the
 * same under every executor. False: out of memory. */
bool fs_stable_ids(size_t n, const int64_t *parent, const char *const *name, uint32_t *sid);
/* The resource holding the task's waker after every event at or before t,
 * or -1: its newest registration not yet handed back by a wake (a wake from
 * that resource, or from another task; self and spurious wakes keep it). */
int32_t fs_trace_waker_holder(const fs_trace *tr, size_t task, int64_t t);
/* For a device's wake: when that device got the waker it used, i.e. the
 * woken task's last registration with it before the wake (-1 if none, or
 * if the wake did not come from a device). */
int64_t fs_trace_wake_registered_at(const fs_trace *tr, const fs_trace_wake *w);

#endif
