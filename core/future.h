/* future.h - the poll/wake model of Rust futures, in C.
 *
 * A future is a struct that embeds fs_future as its first member (or anywhere,
 * reached back with FS_CONTAINER_OF). poll() never blocks: it returns
 * fs_ready(value) or FS_PENDING. Before returning FS_PENDING a future must
 * arrange to be woken: it clones cx->waker and hands the clone to whatever it
 * waits on, which later calls fs_waker_wake on it. A future that forgets this
 * is the "lost waker" bug: a wake-driven executor never polls it again.
 *
 * Ownership: the future's memory belongs to whoever embedded it. drop()
 * releases what the future holds elsewhere (wakers it registered, timers it
 * scheduled) and must be safe on a future that was never polled. */
#ifndef FS_FUTURE_H
#define FS_FUTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FS_CONTAINER_OF(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Misuse of the API aborts, in release builds too. */
#define FS_EXPECT(cond)                                                        \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__,       \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* ---- poll results -------------------------------------------------------- */

/* What a ready future failed with, as Rust's Result says it: its error
 * instead of a value. Control flow (while, retry) tests it. */
typedef enum {
    FS_FAIL_NONE,       /* Ok */
    FS_FAIL_CLOSED,     /* a channel (or a oneshot's sender) closed */
    FS_FAIL_ELAPSED,    /* a timeout elapsed */
    FS_FAIL_CANCELLED,  /* a task was aborted */
    /* Not an error but a `break`: it ends the innermost loop around it
     * (repeat, while, interval), passing up through seq, select, lock and
     * acquire on the way. The loader keeps it from leaving a loop body, so a
     * task never completes with it. */
    FS_FAIL_BREAK,
    FS_FAIL_IO,         /* an I/O error: a "fail" fault of a resource */
    FS_FAIL_RESET,      /* the connection was reset: a "reset" fault */
    FS_FAIL__COUNT
} fs_fail;

typedef struct fs_poll {
    bool ready;
    uint8_t fail;   /* fs_fail, when ready */
    int64_t value;  /* meaningful when ready (0 with a failure) */
} fs_poll;

#define FS_PENDING ((fs_poll){.ready = false, .value = 0})
static inline fs_poll fs_ready(int64_t value)
{
    return (fs_poll){.ready = true, .value = value};
}
static inline fs_poll fs_ready_fail(fs_fail fail)
{
    return (fs_poll){.ready = true, .fail = (uint8_t)fail, .value = 0};
}
/* "closed", "elapsed", "cancelled", "break", "io", "reset"; NULL for FS_FAIL_NONE. */
const char *fs_fail_name(fs_fail fail);

/* ---- wakers -------------------------------------------------------------- */

/* A waker is a small value: a vtable and two words of data, like Rust's
 * RawWaker. Executors give each task one; a combinator may wrap it. The
 * vtable's wake consumes the waker, wake_by_ref does not; clone and drop
 * let the executor count how many copies are alive. */
typedef struct fs_waker fs_waker;
typedef struct fs_waker_vtable {
    fs_waker (*clone)(const fs_waker *w);
    void (*wake)(fs_waker *w);
    void (*wake_by_ref)(const fs_waker *w);
    void (*drop)(fs_waker *w);
} fs_waker_vtable;

struct fs_waker {
    const fs_waker_vtable *vt;  /* NULL: no waker (empty slot) */
    void *data;
    uint64_t id;
};

fs_waker fs_waker_clone(const fs_waker *w);
/* wake and drop consume: *w is emptied. Empty wakers are ignored. */
void fs_waker_wake(fs_waker *w);
void fs_waker_wake_by_ref(const fs_waker *w);
void fs_waker_drop(fs_waker *w);
/* True if both wake the same thing (Rust's Waker::will_wake): a future that
 * is polled again need not replace the waker it already registered. */
bool fs_waker_will_wake(const fs_waker *a, const fs_waker *b);
static inline bool fs_waker_is_set(const fs_waker *w)
{
    return w->vt != NULL;
}

/* ---- context ------------------------------------------------------------- */

struct fs_exec;

/* What a poll receives. Futures read the waker and the time, add CPU work
 * (cost_ns) and say where they are (state, step/steps) for the trace. */
typedef struct fs_context {
    const fs_waker *waker;  /* the task's waker: clone it to keep it */
    struct fs_exec *exec;   /* the executor polling: for spawn and tracing */
    int64_t start;          /* simulated time when the poll began (ns) */
    int64_t cost_ns;        /* CPU time used by the poll so far beyond its fixed cost */
    uint32_t task;          /* id of the task being polled */
    int worker;
    /* Where the task is, for traces and stall reports: the pending leaf's
     * label, and the outermost seq's await point (1-based; 0 if none). */
    const char *state;
    int32_t step, steps;
    /* The run's limits hold inside a poll too (the executor sets these).
     * A loop that goes on to new work without returning (a repeat's next
     * iteration, a seq's next step) asks fs_context_step first, and CPU work
     * goes through fs_context_work. Once a limit is reached `stopped` is set:
     * the future returns pending at once and the executor stops the run. */
    int64_t deadline;       /* the time limit: work never runs past it */
    int64_t loop_steps, max_loop_steps; /* steps taken in this poll; allowed */
    bool stopped;
    int32_t *budget;        /* steal:N's coop budget left, NULL: unbudgeted (exec.h) */
} fs_context;

/* Simulated time now, inside the poll: its start plus the work done so far. */
static inline int64_t fs_context_now(const fs_context *cx)
{
    return cx->start + cx->cost_ns;
}

/* May a loop inside the poll take one more step? False (and the poll
 * stopped) at the time limit, the poll limit, or any limit the run hit. */
bool fs_context_step(fs_context *cx);

/* Adds ns of CPU work to the poll. False if it would end past the deadline:
 * the work then stops there (the poll stopped). */
static inline bool fs_context_work(fs_context *cx, int64_t ns)
{
    int64_t room = cx->deadline - fs_context_now(cx);
    if (ns > room) {
        cx->cost_ns += room > 0 ? room : 0;
        cx->stopped = true;
        return false;
    }
    cx->cost_ns += ns;
    return true;
}

/* ---- futures ------------------------------------------------------------- */

typedef struct fs_future fs_future;
typedef struct fs_future_vtable {
    const char *name;
    fs_poll (*poll)(fs_future *f, fs_context *cx);
    void (*drop)(fs_future *f);  /* may be NULL: nothing to release */
    /* A hint, may be NULL: fetches into the cache what the next poll of
     * task `task` (whose root future f is, or holds) will read outside the
     * future's own memory. Executors call it for tasks a few places down the
     * ready queue. Must only read the future itself. */
    void (*prefetch)(const fs_future *f, uint32_t task);
} fs_future_vtable;

struct fs_future {
    const fs_future_vtable *vt;
};

static inline fs_poll fs_future_poll(fs_future *f, fs_context *cx)
{
    return f->vt->poll(f, cx);
}

static inline void fs_future_drop(fs_future *f)
{
    if (f->vt && f->vt->drop)
        f->vt->drop(f);
}

#endif
