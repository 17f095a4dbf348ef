/* node.h - the one narrow interface through which scenario futures and
 * devices reach the world. Everything below world.c (the fut_*.c futures,
 * child_set.c, the dev_*.c devices) includes this and calls nothing above
 * it: world.c assembles the world and futures.c builds futures by kind,
 * and calls point down from them to here, never back up.
 *
 * Every future instance starts with fs_node. Instances are laid out in one
 * block: a seq keeps room for its largest step and builds each step in place
 * when it starts; a join keeps all its children side by side. So a task's
 * whole future is one allocation made at spawn, and nothing allocates in a
 * poll. spec->inst_size is the block size of a spec (futures.c computes it
 * for every spec of the scenario before the first spawn). */
#ifndef FS_NODE_H
#define FS_NODE_H

#include "event_queue.h"
#include "exec.h"
#include "future.h"
#include "scenario.h"

typedef struct fs_world fs_world;
struct fs_socket;
struct fs_channel;
struct fs_blocking_pool;
struct fs_semaphore;
struct fs_notify;
struct fs_oneshot;
struct fs_listener;
struct fs_interval;
struct fs_wait_list;
struct fs_waiter;

typedef struct fs_node {
    fs_future base;
    const fs_future_spec *spec;
    fs_world *world;
    /* Which start of its place in its task this is: 0, or for a future
     * inside a repeat the iteration (nested repeats count through the inner
     * ones: outer * inner_count + inner). A draw is keyed by it. */
    uint64_t occ;
} fs_node;

/* Nodes hold nothing wider than 8 bytes: a million tasks' futures pack at
 * 8-byte boundaries. */
#define FS_NODE_ALIGN 8
static inline size_t fs_node_round(size_t n)
{
    return (n + FS_NODE_ALIGN - 1) & ~(size_t)(FS_NODE_ALIGN - 1);
}

/* ---- building ------------------------------------------------------------ */

/* Builds an instance of spec in mem (spec->inst_size bytes, 8-aligned) as
 * start `occ` of its place (see fs_node.occ). A seq, repeat, join or select
 * builds its children with it. */
void fs_node_init(void *mem, fs_world *w, const fs_future_spec *spec, uint64_t occ);

/* ---- the waker rule of leaves ---------------------------------------------- */

/* Leaves keep the polling task's waker in *slot so their device can wake it,
 * and trace `register` when it changes. With the fault option forget_waker
 * they do nothing: the lost-waker bug. *spurious counts the spurious wakes
 * the leaf has arranged (the fault option spurious_wakes); leaves keep it
 * beside their own small fields, where it costs no room. */
void fs_node_keep_waker(fs_node *n, int32_t *spurious, fs_context *cx, fs_waker *slot,
                        const char *resource);
/* The same for leaves that queue on a device (socket readers, channel
 * senders and receivers): keeps the waker in w and joins list. */
void fs_node_wait(fs_node *n, fs_context *cx, struct fs_wait_list *list, struct fs_waiter *w,
                  const char *resource);
/* The rule without fault options, for compiled programs (fut_program.c),
 * whose leaves have none: keeps cx's waker in *slot (register traced when
 * it changes); and the same, joining list. */
void fs_world_keep_waker(fs_context *cx, fs_waker *slot, const char *resource);
void fs_world_wait(fs_context *cx, struct fs_wait_list *list, struct fs_waiter *w,
                   const char *resource);

/* ---- what the world does for futures and devices ----------------------- */

const fs_scenario *fs_world_scenario(const fs_world *w);
fs_exec *fs_world_exec(const fs_world *w);
/* Puts n on the agenda at t; out of memory stops the run. */
void fs_world_schedule(fs_world *w, fs_qnode *n, int64_t t);
void fs_world_cancel(fs_world *w, fs_qnode *n);
/* The duration d of node n, started in the task cx polls, in ns: drawn
 * from the seed, the task, n's place and n->occ, so every executor draws
 * the same. */
int64_t fs_node_draw_ns(const fs_node *n, const fs_context *cx, const fs_dur *d);
/* A count d (a repeat's, a join_set's) of node n in the task cx polls,
 * drawn as n's durations are (`which` > 0 tells apart a second count of the
 * same node) and clamped to lo..hi. */
int64_t fs_node_draw_count(const fs_node *n, const fs_context *cx, const fs_dur *d, uint64_t which,
                           int64_t lo, int64_t hi);
/* A count of a resource (a channel's capacity, a semaphore's permits, a
 * listener's connections, a connection's requests; resource -1: a task
 * entry's count) for its event number `index`: `fixed` when d is fixed,
 * else drawn from the seed keyed by the resource and index (so every
 * executor has the same), clamped to lo..hi. */
int64_t fs_world_resource_count(const fs_world *w, int resource, uint64_t index, const fs_dur *d,
                                int64_t fixed, int64_t lo, int64_t hi);
/* The same for the future at `place` started as `occ` in task `task`
 * (what fs_node_draw_ns reads from its node). */
int64_t fs_world_draw_ns(const fs_world *w, uint32_t task, uint32_t place, uint64_t occ,
                         const fs_dur *d);
/* Where the key of task (its id) lies, which every draw of its nodes reads:
 * for a prefetch hook to fetch ahead. */
const void *fs_node_key_addr(const fs_node *n, uint32_t task);
const void *fs_world_key_addr(const fs_world *w, uint32_t task);
/* The random value of a resource's event number `index` (a socket's
 * arrivals). */
int64_t fs_world_resource_value(const fs_world *w, int resource, uint64_t index);
/* The duration d of a resource's event number `index` (when a socket's
 * arrival comes), in ns: drawn from the seed, the resource and the index. */
int64_t fs_world_resource_draw_ns(const fs_world *w, int resource, uint64_t index, const fs_dur *d);
struct fs_socket *fs_world_socket(fs_world *w, int resource);
struct fs_channel *fs_world_channel(fs_world *w, int resource);
/* tokio::sync devices by resource (NULL if the resource is another type;
 * a mutex and an rwlock are semaphores). */
struct fs_semaphore *fs_world_semaphore(fs_world *w, int resource);
struct fs_notify *fs_world_notify(fs_world *w, int resource);
struct fs_oneshot *fs_world_oneshot(fs_world *w, int resource);
struct fs_listener *fs_world_listener(fs_world *w, int resource);
/* The connection a task handles (dev_listener.c): the last it accepted, or
 * else the one its spawner had when it spawned it. */
void fs_world_set_task_conn(fs_world *w, uint32_t task, int listener, int64_t conn);
/* False if the task handles no connection of that listener. */
bool fs_world_task_conn(const fs_world *w, uint32_t task, int listener, int64_t *conn);
/* Spawns the task the spawn form n starts in the task cx polls: its key is
 * that task's, n's place and n->occ (its spawn path, never a spawn order);
 * inside a repeat it is named "name#occ". Returns the id, or -1 when out of
 * memory (the run then stops). */
int64_t fs_node_spawn(fs_node *n, const fs_context *cx);
/* Spawns task k of the `count` a join_set form n starts in the task cx
 * polls: named "name#i" with i = n->occ * count + k (a join_set inside a
 * repeat numbers on through its iterations), keyed by n's key and k.
 * Returns the id, or -1 when out of memory (the run then stops). */
int64_t fs_node_spawn_nth(fs_node *n, const fs_context *cx, uint64_t k, uint64_t count);
/* "task:N", kept for the run: a JoinHandle's register target ("task:?" if
 * out of memory, which stops the run). */
const char *fs_world_task_ref(fs_world *w, uint32_t task);
/* "kind:N", kept for the run; NULL when out of memory. */
const char *fs_world_ref(fs_world *w, const char *kind, int64_t n);
/* The runtime's blocking pool (spawn_blocking). */
struct fs_blocking_pool *fs_world_blocking_pool(fs_world *w);
/* Wakes (and so consumes) *waker now, the wake traced as from `source`
 * ("timer", "socket:a", "blocking:3"). */
void fs_world_wake(fs_world *w, fs_waker *waker, const char *source);
/* Which start of its body iteration i of a loop of unknown length (while,
 * retry) is: below another loop the iterations count on from the outer
 * one's (only a key needs them apart); at the top of a task, plainly i,
 * which names spawns "n#i". */
uint64_t fs_node_loop_occ(const fs_node *n, int64_t i);
/* Wakes (a clone of) waker at time t with nothing ready (source "spurious"). */
void fs_world_spurious_wake(fs_world *w, const fs_waker *waker, int64_t t);
const char *fs_world_wake_source(const fs_world *w, int resource);
/* Reports a device event (io line) now. */
void fs_world_io(fs_world *w, int resource, const char *what, bool has_value, int64_t value);
/* The same on the timer's lane (resource "timer") at t, inside the poll
 * (fs_context_now): an interval's ticks. */
void fs_world_timer_io(fs_world *w, int64_t t, const char *what, int64_t value);
/* The interval whose body is being polled now (fut_interval.c), which a
 * tick inside it reads and moves on: polls nest, so the innermost interval
 * being polled is the tick's own. Sets iv, returns the one it replaces. */
struct fs_interval *fs_world_swap_interval(fs_world *w, struct fs_interval *iv);
struct fs_interval *fs_world_interval(const fs_world *w);

/* ---- faults (docs/scenarios.md, Faults) ------------------------------------ */

/* Faults that fired in the run (docs/scenarios.md, Faults): all of them and
 * by kind; `declared`: the scenario has any, so the summary reports them. */
typedef struct fs_fault_counts {
    bool declared;
    bool workers_declared;  /* worker faults among them: the summary says "pause" */
    int64_t fired;
    int64_t by_kind[FS_FAULT__COUNT];
} fs_fault_counts;

/* What a resource's faults do to one of its events: `end` is the first of
 * fail, hang or reset that fired (in the list's order; FS_FAULT__COUNT:
 * none), and latency faults that fired add up into extra_ns. */
typedef struct fs_fault_outcome {
    fs_fault_kind end;
    bool delayed;           /* a latency fault fired (extra_ns may be 0) */
    int64_t extra_ns;
} fs_fault_outcome;
/* The faults of a resource's event number `index` (a socket's arrival),
 * keyed by the resource and the index as its other draws are. No faults
 * declared: nothing fires and nothing is drawn. */
fs_fault_outcome fs_world_resource_faults(const fs_world *w, int resource, uint64_t index);
/* The faults of the operation node n starts in the task cx polls (a file's
 * open or read), keyed as n's duration is. */
fs_fault_outcome fs_node_faults(const fs_node *n, const fs_context *cx, int resource);
/* Reports a fault that fired now (a fault line) and counts it: `on` what
 * ("arrival", "read"), its index (-1: none), the task it hit (-1: none),
 * the extra time of a latency fault. A hang is remembered for the stall. */
void fs_world_fault(fs_world *w, int resource, fs_fault_kind kind, const char *on, int64_t index,
                    int64_t task, int64_t extra_ns);
/* When the last hang fault of the resource fired; false if none did. */
bool fs_world_hung(const fs_world *w, int resource, int64_t *at_ns);
/* The workers' faults (fs_driver.pause, docs/scenarios.md, Faults of
 * workers): at the end of `worker`'s poll number `polls`, how long its
 * thread pauses (0: not now), each pause that fires reported (a fault line
 * now) and counted; *next: the poll count of its next pause. */
int64_t fs_world_worker_pause(fs_world *w, int worker, int64_t polls, int64_t *next);

#endif
