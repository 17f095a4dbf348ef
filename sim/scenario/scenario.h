/* scenario.h - a scenario file, parsed and validated (SPEC section 2).
 *
 * The loader turns JSON into this tree and checks everything a user can get
 * wrong (types, ranges, unknown keys and resources) so that the simulation
 * never meets bad input. All memory of one scenario lives in its arena and
 * is released by fs_scenario_free. Nothing here knows about executors. */
#ifndef FS_SCENARIO_H
#define FS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Documented limits (docs/scenarios.md), checked before anything grows. */
#define FS_MAX_DURATION_MS  1000000000LL   /* about 11.5 days */
#define FS_MAX_COUNT        1000000LL      /* "count" of one task entry */
#define FS_MAX_TASKS        10000000LL     /* tasks after expanding counts */
#define FS_MAX_TASK_FUTURES 20000000LL     /* those tasks plus the futures of
                                              their trees: each builds its own */
#define FS_MAX_REPEAT       1000000000LL
#define FS_MAX_DEPTH        64             /* nesting of futures */
/* Futures that calls build, beyond their own: each call builds its own
 * copy of the named future, so calls inside calls multiply. */
#define FS_MAX_CALL_FUTURES      100000LL
#define FS_MAX_CALL_FUTURES_PER_VALUE 16  /* ... plus this per JSON value of the file */
#define FS_MAX_ARRIVALS     1000000LL      /* per socket; connections of a listener,
                                              requests of a connection */
#define FS_MAX_BYTES        1000000000LL   /* a write, a send buffer, a drain rate */
#define FS_MAX_CAPACITY     1000000LL      /* channel capacity */
#define FS_CAPACITY_UNBOUNDED 0            /* "capacity": "unbounded" */
#define FS_MAX_PERMITS      1000000LL      /* a semaphore's permits, an acquire's */
#define FS_MAX_READERS      536870911LL    /* tokio's RwLock: u32::MAX >> 3 readers */
#define FS_MAX_POLL_COST_NS 1000000000LL   /* 1 s */
#define FS_MAX_SPURIOUS     1000000LL
#define FS_MAX_JOIN_SET     100000LL       /* tasks one join_set spawns */
#define FS_MAX_NAME         128            /* bytes in a task or resource name */
#define FS_MAX_INT          9007199254740992LL /* 2^53: JSON integers beyond are refused */

/* Where a value stood in the file, for messages after loading. */
typedef struct fs_srcpos {
    int line, col;
} fs_srcpos;

/* A duration in milliseconds: fixed, uniform [a, b] or exponential(mean a).
 * Drawn each time the future starts, from the seed, the task, the future's
 * place and the iteration (prng.h), never from the order of polls. */
typedef enum { FS_DUR_FIXED, FS_DUR_UNIFORM, FS_DUR_EXP } fs_dur_kind;
typedef struct fs_dur {
    fs_dur_kind kind;
    int64_t a_ms, b_ms;
} fs_dur;

/* ---- resources ---------------------------------------------------------- */

typedef enum {
    FS_RES_SOCKET, FS_RES_FILE, FS_RES_CHANNEL,
    /* tokio::sync */
    FS_RES_MUTEX, FS_RES_SEMAPHORE, FS_RES_NOTIFY, FS_RES_ONESHOT,
    FS_RES_LISTENER, /* a TcpListener: connections arrive, each with requests */
    FS_RES_RWLOCK,   /* tokio::sync::RwLock: a semaphore of max_readers permits */
    FS_RES__COUNT
} fs_res_kind;

/* "socket", "file", "channel", "mutex", "semaphore", "notify", "oneshot",
 * "listener", "rwlock". */
const char *fs_resource_type_name(fs_res_kind kind);

/* One socket arrival: at an absolute time, or relative to the socket's
 * first use ("after_ms"), fixed or drawn (keyed by the socket and the
 * arrival's index); the value is fixed or drawn when it arrives. */
typedef struct fs_arrival_spec {
    fs_dur when;
    bool relative;  /* true: "after_ms", false: "at_ms" */
    bool random;    /* true: "value": "random" (also the default) */
    int64_t value;
} fs_arrival_spec;

/* A fault of a socket, file or listener (docs/scenarios.md, Faults): on
 * each of the resource's events (a socket's arrival, a file operation, a
 * listener's connection or request) it fires with probability p, drawn
 * from the seed keyed as the event is, so every executor sees the same
 * faults. latency: the event comes `extra` later; fail: it fails with
 * "io"; hang: it never comes; reset (sockets, listeners): the connection
 * is reset and every read from then on fails with "reset". */
typedef enum {
    FS_FAULT_LATENCY, FS_FAULT_FAIL, FS_FAULT_HANG, FS_FAULT_RESET,
    FS_FAULT_PAUSE,         /* a worker's, not a resource's: fs_worker_fault_spec */
    FS_FAULT__COUNT
} fs_fault_kind;
#define FS_RESOURCE_FAULT_KINDS FS_FAULT_PAUSE /* the kinds a resource may declare */
typedef struct fs_fault_spec {
    fs_fault_kind kind;
    double p;               /* 0..1 */
    fs_dur extra;           /* latency */
} fs_fault_spec;

/* "latency", "fail", "hang", "reset", "pause". */
const char *fs_fault_kind_name(fs_fault_kind kind);

/* A fault of the runtime's worker threads ("worker_faults", docs/scenarios.md,
 * Faults of workers): kind pause. At the end of each of its polls a worker
 * (every worker, or only `worker`) stops with probability p for a time drawn
 * from `pause` (a GC pause, a preempted thread); the world draws which
 * polls, keyed by the worker and the pause's number (sim/world/node.c). */
typedef struct fs_worker_fault_spec {
    double p;               /* 0..1 */
    fs_dur pause;
    int worker;             /* -1: every worker */
    int64_t max_pauses;     /* per worker, at most; -1: no bound; random: the largest */
    fs_dur max_pauses_draw; /* a random max_pauses (else FS_DUR_FIXED), drawn per
                               worker once per run (sim/world/node.c) */
} fs_worker_fault_spec;

typedef struct fs_resource_spec {
    const char *name;
    fs_res_kind kind;
    /* socket, file, listener: its faults, in file order */
    fs_fault_spec *faults;
    size_t n_faults;
    /* socket */
    fs_arrival_spec *arrivals;
    size_t n_arrivals;
    /* file: latency of each operation (default 0), drawn per operation
     * (keyed as the operation's future is) */
    fs_dur open, read;
    /* channel: 1..FS_MAX_CAPACITY, or FS_CAPACITY_UNBOUNDED */
    int64_t capacity;
    /* a channel's capacity, a semaphore's permits or an rwlock's
     * max_readers when random (else FS_DUR_FIXED, and capacity or permits
     * holds it; when random they hold its largest value): drawn once per
     * run, keyed by the resource */
    fs_dur size_draw;
    /* semaphore: 0..FS_MAX_PERMITS permits at the start (a mutex: 1; an
     * rwlock: its max_readers, which a write takes all of) */
    int64_t permits;
    /* listener: connections arrive at conn_at_ms (a list), or one every
     * conn_every after the previous (the first after time 0), until
     * conn_count of them have come or the next would come after
     * conn_until_ms (-1: no such bound). Each connection brings req_count
     * requests, one every req_every after the connection (then after the
     * previous request). Draws are keyed by (listener, event index). A
     * connection's send buffer holds send_buffer bytes and drains at
     * drain_per_ms bytes per ms. */
    fs_dur conn_every, req_every;
    /* conn_count and req_count when random (else kind FS_DUR_FIXED): drawn
     * per run (the connections) and per connection (its requests), keyed by
     * the listener and the event (dev_listener.c); clamped to
     * 0..FS_MAX_ARRIVALS */
    fs_dur conn_count_draw, req_count_draw;
    /* conn_until_ms (once per run), send_buffer and drain_per_ms (per
     * connection) when random, as the counts above */
    fs_dur until_draw, send_buffer_draw, drain_draw;
    int64_t *conn_at_ms;
    size_t n_conn_at;
    int64_t conn_count, conn_until_ms, req_count;
    int64_t send_buffer, drain_per_ms;
} fs_resource_spec;

/* ---- futures ------------------------------------------------------------ */

typedef enum {
    FS_FUT_SLEEP,    /* {"sleep_ms": D} */
    FS_FUT_READ,     /* {"read": res}: socket value or file read */
    FS_FUT_OPEN,     /* {"open": file} */
    FS_FUT_SEND,     /* {"send": ch, "value": v?} */
    FS_FUT_RECV,     /* {"recv": ch} */
    FS_FUT_COMPUTE,  /* {"compute_ms": D} */
    FS_FUT_YIELD,    /* {"yield": true} */
    FS_FUT_SEQ,      /* {"seq": [f...]} */
    FS_FUT_JOIN,     /* {"join": [f...]} */
    FS_FUT_SELECT,   /* {"select": [f...]} */
    FS_FUT_SPAWN,    /* {"spawn": {"name", "future"}, "await": bool} */
    FS_FUT_REPEAT,   /* {"repeat": N, "do": f} */
    FS_FUT_SPAWN_BLOCKING, /* {"spawn_blocking": {"name"?, "compute_ms": D}, "await": bool} */
    FS_FUT_TIMEOUT,  /* {"timeout_ms": D, "do": f}: children f and a sleep of D */
    FS_FUT_WHILE,    /* {"while": cond, "do": body}: children cond, body */
    FS_FUT_RETRY,    /* {"retry": f, "attempts": N, "backoff": {...}} */
    /* tokio::sync (dev_semaphore.c, dev_notify.c) */
    FS_FUT_LOCK,     /* {"lock": mutex, "do": f}: f runs holding the guard */
    FS_FUT_ACQUIRE,  /* {"acquire": sem, "permits": n?, "do": f} */
    FS_FUT_CLOSE,    /* {"close": sem} */
    FS_FUT_NOTIFY_ONE,     /* {"notify_one": notify} */
    FS_FUT_NOTIFY_WAITERS, /* {"notify_waiters": notify} */
    FS_FUT_NOTIFIED, /* {"notified": notify} */
    FS_FUT_DROP,     /* {"drop": oneshot}: drops the sender */
    /* {"join_set": {"name", "count", "future"}, "take": K}: spawns count
     * tasks into a JoinSet, joins K of them in the order they finish, then
     * drops the set (abort_all). repeat: count, value: take */
    FS_FUT_JOIN_SET,
    /* {"abort": "n"}: JoinHandle::abort of the newest task the polling task
     * spawned under the name n (spawn_name: n) */
    FS_FUT_ABORT,
    /* network (dev_listener.c); {"read": listener} reads a request */
    FS_FUT_ACCEPT,   /* {"accept": listener} */
    FS_FUT_WRITE,    /* {"write": listener, "bytes": n}: to the task's connection */
    /* {"interval": {"period_ms": D, "missed": m}, "do": body}: `let mut iv =
     * interval(D); loop { body }` until the body breaks. dur: the period;
     * value: the fs_missed_tick behaviour */
    FS_FUT_INTERVAL,
    FS_FUT_TICK,     /* {"tick": true}: iv.tick().await of the innermost interval */
    FS_FUT_BREAK,    /* {"break": true}: ends the innermost loop */
    FS_FUT_READ_LOCK,  /* {"read_lock": rwlock, "do": f}: f runs holding a read guard */
    FS_FUT_WRITE_LOCK, /* {"write_lock": rwlock, "do": f}: f runs holding the write guard */
    FS_FUT__COUNT
} fs_fut_kind;

/* tokio's MissedTickBehavior: what an interval does after a tick that
 * came more than 5 ms late. */
typedef enum { FS_MISSED_BURST, FS_MISSED_DELAY, FS_MISSED_SKIP } fs_missed_tick;

typedef struct fs_future_spec fs_future_spec;
/* Fields are ordered so that the small ones share words (112 bytes, not
 * 128): a big scenario holds hundreds of thousands of these. */
struct fs_future_spec {
    fs_fut_kind kind;
    int resource;            /* leaves on a resource, LOCK, ACQUIRE: its index, else -1 */
    fs_srcpos pos;           /* the future's object in the file */
    const char *label;       /* short text for traces: "read a", "sleep 100ms",
                                "seq", "join 3", "spawn worker" ... */
    fs_dur dur;              /* SLEEP, COMPUTE, SPAWN_BLOCKING; RETRY: the backoff (its base);
                                WRITE: the bytes (a count, drawn as durations are);
                                REPEAT, JOIN_SET: the count when random (else
                                FS_DUR_FIXED and `repeat` holds it) */
    fs_future_spec *children;/* SEQ/JOIN/SELECT: the list; REPEAT, LOCK, ACQUIRE, INTERVAL: 1 ("do");
                                SPAWN: 1 (the spawned task's future) */
    size_t n_children;
    int64_t repeat;          /* REPEAT: 0..FS_MAX_REPEAT iterations; RETRY: attempts;
                                JOIN_SET: count. A random count: its largest value */
    const char *spawn_name;  /* SPAWN; SPAWN_BLOCKING (NULL: none given) */
    int64_t value;           /* SEND; RETRY: the exponential backoff's cap in ms (0: fixed);
                                ACQUIRE: permits (default 1; random: their largest, and
                                dur the draw); INTERVAL: fs_missed_tick */
    size_t inst_size;        /* filled by the simulator: bytes of one instance
                                (0 until computed; the loader leaves it 0) */
    bool spawn_await;        /* SPAWN, SPAWN_BLOCKING: "await" (default false) */
    bool has_value;          /* SEND: "value" given; RETRY: jitter */
    /* fault options, on leaves only */
    bool forget_waker;       /* pending without registering the waker */
    bool in_repeat;          /* inside a repeat of its task's future: it may
                                start more than once in one task */
    uint32_t place;          /* its index in its task's future, in document
                                order (the root is 0): with the task and the
                                iteration, what a random draw is keyed by */
    int64_t spurious_wakes;  /* extra wakes with nothing ready */
    /* A task's root (and a spawn's future): the channels and oneshots its
     * future sends to (or drops, a oneshot's sender), spawns included, each
     * once: while the task lives it holds a sender of each (a channel closes,
     * a oneshot's sender is dropped, when no task does). The channels and
     * oneshots it receives from are listed too, as FS_HOLD_RECV | index: it
     * holds their receiver (a send fails once no task does). */
    const int32_t *sends;
    uint32_t n_sends;
    const fs_dur *take;      /* JOIN_SET: a random take (NULL: `value` holds it);
                                RETRY: random attempts (NULL: `repeat` holds them);
                                leaves: random spurious_wakes (NULL: spurious_wakes
                                holds them; else it holds their largest) */
};

#define FS_HOLD_RECV (1 << 30) /* in fs_future_spec.sends: the receiver, not a sender */

/* A spec of a task's future that names a resource, in place order: its
 * resource and its label (which may name the resource). */
typedef struct fs_task_use {
    int32_t resource;
    const char *label;
} fs_task_use;

/* One "tasks" entry; count > 1 (or a random count) means tasks name#0 ..
 * name#count-1.
 *
 * Entries whose futures have the same shape (equal trees but for the
 * resources their specs name, those specs' labels and their positions in
 * the file: W3's 100,000 ping and pong tasks make two shapes) share one tree:
 * the loader keeps the first entry's and gives the others' back
 * (scenario_shapes.c). Such an entry has `shape` set to the first's index;
 * its root `future` is its own (kind, label, resource, sends: a copy of the
 * first's with its own), but the specs below it are the first entry's: a
 * resource or a label read there is the first entry's, and `uses` holds
 * the entry's own, one per spec with a resource, in place order (the world
 * builds the whole tree from them when it interprets the entry). Entries
 * with a spawn in their future keep their own tree. */
typedef struct fs_task_spec {
    const char *name;
    int64_t count;           /* default 1; a random count: its largest value */
    fs_dur count_draw;       /* a random count (else FS_DUR_FIXED), drawn once
                                per run from the seed and the entry (world.c) */
    fs_future_spec future;
    fs_srcpos pos;
    int32_t shape;           /* the entry whose tree this one shares, or -1 */
    uint32_t n_uses;
    const fs_task_use *uses; /* every entry's: its specs with a resource */
} fs_task_spec;

/* "expect": what a run of the scenario must do, checked after it
 * (sim/world/expect.c). -1 for a bound that is not set. */
typedef struct fs_expect_task {
    const char *name;         /* a task's name, or the stem of name#k */
    int64_t end_ns;           /* every such task completes by then */
} fs_expect_task;
typedef struct fs_expect_channel {
    int resource;             /* a channel */
    int64_t max_len;          /* it never holds more messages */
} fs_expect_channel;
typedef struct fs_expect_spec {
    bool present;             /* the scenario has an "expect" */
    bool completes;           /* every task completes */
    bool no_errors;           /* no task's future fails */
    int64_t end_ns;           /* end_ms_at_most, or -1 */
    int64_t max_wake_latency_ns; /* max_wake_latency_ms_at_most, or -1 */
    fs_expect_task *tasks;    /* task_end_ms_at_most, in file order */
    size_t n_tasks;
    fs_expect_channel *channels; /* channel_max_len, in file order */
    size_t n_channels;
} fs_expect_spec;

typedef struct fs_scenario {
    const char *file;         /* as given to the loader */
    const char *name;         /* "name", default: file's base name */
    const char *description;  /* default "" */
    uint64_t seed;            /* default 0 */
    int64_t poll_cost_ns;     /* default 1000 */
    fs_resource_spec *resources;
    size_t n_resources;
    fs_task_spec *tasks;
    size_t n_tasks;
    int64_t total_tasks;      /* sum of counts (of random ones, their largest) */
    fs_expect_spec expect;    /* "expect" (present false when absent) */
    fs_worker_fault_spec *worker_faults; /* "worker_faults", in file order */
    size_t n_worker_faults;
    struct fs_arena *arena;   /* owns everything above */
} fs_scenario;

/* Parse and validate. On success *out is set and FS_ERR_OK returned; on bad
 * input err is filled (file:line:col, JSON path, message) and *out is NULL. */
fs_errcode fs_scenario_load_file(const char *path, fs_scenario **out, fs_error *err);
fs_errcode fs_scenario_load_text(const char *text, size_t len, const char *file_name,
                                 fs_scenario **out, fs_error *err);
void fs_scenario_free(fs_scenario *sc);

/* Reads "expect" (node) into sc->expect, after the tasks and resources
 * (scenario_expect.c); the reader's path is at "expect". */
struct fs_json_reader;
struct fs_json_node;
fs_errcode fs_scenario_load_expect(struct fs_json_reader *r, fs_scenario *sc,
                                   const struct fs_json_node *node);

/* A duration D (ms in `range`, {"uniform": [lo, hi]} or {"exp": mean}) at
 * node (scenario_dur.c). */
struct fs_json_range;
fs_errcode fs_scenario_read_dur(struct fs_json_reader *r, const struct fs_json_node *node,
                                const struct fs_json_range *range, fs_dur *d);
/* A count (an integer in `range`, or {"uniform": [lo, hi]} with both ends
 * in `range`, or {"exp": mean}, the mean in `range` and at least 1) at
 * node (scenario_dur.c): drawn as a duration is, then clamped to `range`. */
fs_errcode fs_scenario_read_count(struct fs_json_reader *r, const struct fs_json_node *node,
                                  const struct fs_json_range *range, fs_dur *d);
/* The largest value a count d can take in `range`: its fixed value, a
 * uniform's hi, or for an exponential its largest draw (about 36.7 times
 * the mean: the draw has 53 random bits) or the range's top if lower. */
int64_t fs_count_max(const fs_dur *d, int64_t hi);
/* Reads a resource's "faults" list (node) into res (scenario_faults.c); the
 * reader's path is at "faults". */
fs_errcode fs_scenario_load_faults(struct fs_json_reader *r, const struct fs_json_node *node,
                                   fs_resource_spec *res);

/* Reads the top-level "worker_faults" list (node) into sc (scenario_faults.c);
 * the reader's path is at "worker_faults". */
fs_errcode fs_scenario_load_worker_faults(struct fs_json_reader *r, const struct fs_json_node *node,
                                          fs_scenario *sc);

/* Names the spawns of every task (scenario_names.c): a spawned task is
 * named "parent/name" or "parent/name#i" (docs/scenarios.md, Names); of two
 * spawns in one task's future with one name the later is renamed "name.2"
 * (spawn_name is the name it gives). After the tasks are loaded. */
fs_errcode fs_scenario_name_spawns(fs_scenario *sc);
/* Does `want` (a name in "expect" or an "abort") stand for the task named
 * `name`: equal, or `name` is want#i, want.j or want.j#i; a want without
 * "/" compares with the name's last part (after its last "/"), so "handler"
 * stands for every task a spawn named handler made, wherever. */
bool fs_scenario_name_covers(const char *name, const char *want);

/* A named future's parameters (scenario_params.c): its declared names and
 * their values, a call's or the defaults (NULL: none yet). The nodes
 * belong to the document being loaded. */
#define FS_MAX_PARAMS 32
typedef struct fs_params {
    const char *name[FS_MAX_PARAMS];
    const struct fs_json_node *value[FS_MAX_PARAMS];
    size_t n;
} fs_params;
/* A definition's "params" object (the reader's path at it): names and
 * defaults, null for none. */
fs_errcode fs_scenario_read_params(struct fs_json_reader *r, const struct fs_json_node *params, fs_params *ps);
/* A call's "with" (NULL: none; the path at the call) over the defaults in
 * ps: an unknown name is an error, and so is a parameter left without a
 * value. */
fs_errcode fs_scenario_bind_params(struct fs_json_reader *r, const char *future, const struct fs_json_node *call,
                                   const struct fs_json_node *with, fs_params *ps);
/* Every "$p" string of body names a parameter in ps (the path at body). */
fs_errcode fs_scenario_check_refs(struct fs_json_reader *r, const struct fs_json_node *body, const char *future,
                                  const fs_params *ps);
/* After an error in a body built with ps (params: the definition's, for
 * its defaults): when the error points into a parameter's value, adds
 * which parameter and which call to the message. *note_at (SIZE_MAX: no
 * note yet) is where the note starts: a caller's call replaces its
 * callee's note, since the value is written in the caller's text. */
void fs_scenario_note_param(struct fs_json_reader *r, const char *future, const struct fs_json_node *params,
                            const fs_params *ps, size_t *note_at);
/* A copy of body with each "$p" replaced by p's value (ps all bound);
 * *out is malloc'd, one array of nodes as the parser makes: free it. */
fs_errcode fs_scenario_substitute(struct fs_json_reader *r, const struct fs_json_node *body, const char *future,
                                  const fs_params *ps, struct fs_json_node **out);

/* Shares the tree of task entry i (just loaded, its tree allocated in
 * sc->arena after mark) with an earlier entry of the same shape, or keeps it
 * as a new shape, and lists its uses (scenario_shapes.c). The index
 * holds the shapes kept so far; fs_scenario_shapes_free ends it. */
struct fs_arena_mark;
typedef struct fs_scenario_shapes fs_scenario_shapes;
fs_errcode fs_scenario_share_shape(fs_scenario_shapes **ix, fs_scenario *sc, size_t i,
                                   const struct fs_arena_mark *mark);
void fs_scenario_shapes_free(fs_scenario_shapes *ix);

/* Index of a resource by name, or -1. */
int fs_scenario_find_resource(const fs_scenario *sc, const char *name);

#endif
