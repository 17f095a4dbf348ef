/* world_state.h - private: the world's fields, shared by world.c, which
 * builds and drives the world, and node.c, which serves its futures and
 * devices. Nothing else looks inside. */
#ifndef FS_WORLD_STATE_H
#define FS_WORLD_STATE_H

#include "arena.h"
#include "node.h"
#include "prng.h"
#include "program.h"
#include "slab.h"

struct fs_world {
    const fs_scenario *sc;
    fs_exec *ex;
    fs_event_queue agenda;
    uint64_t seed;              /* the workload's draws (prng.h) */
    uint64_t *task_keys;        /* per task id: its spawn path as a key */
    size_t cap_task_keys;
    fs_arena *arena;            /* task names, wake source names */
    const char **sources;       /* per resource: "socket:a", "file:cfg" ... */
    struct fs_socket **sockets; /* per resource, NULL unless a socket */
    struct fs_channel **channels; /* per resource, NULL unless a channel */
    struct fs_blocking_pool *pool; /* spawn_blocking's threads */
    void **sync;                /* per resource: its tokio::sync device (a
                                   struct fs_semaphore, fs_notify or
                                   fs_oneshot by its type), else NULL */
    struct fs_listener **listeners; /* per resource, NULL unless a listener */
    /* per task id: the connection it handles, (listener + 1) << 32 | number,
     * 0 for none; grown only when a task accepts or inherits one */
    uint64_t *task_conns;
    size_t cap_task_conns;
    struct fs_interval *interval; /* the interval being polled (node.h) */
    struct fs__spurious *spurious_free; /* pool of spurious-wake events */
    bool out_of_memory;         /* an allocation failed before the run began */
    fs_slab *futures;           /* the tasks' futures, one block each */
    /* Builds a node of n->spec's kind (futures.c's fs_futures_init_kind). A
     * pointer, set by world.c, so that fs_node_init, below the futures it
     * builds, never calls back up into futures.c. */
    void (*init_kind)(fs_node *n);
    /* fs__world_hold_sender (world.c), the same way: a task spawned holds
     * the senders its future uses. */
    void (*hold_sender)(fs_world *w, int resource, int64_t n);
    bool interpret;             /* compile no task's future (program.h) */
    fs_programs programs;       /* the task entries' compiled programs */
    fs_fault_counts faults;     /* faults fired so far, by kind */
    int64_t *hung_ns;           /* per resource: when its last hang fault fired, -1 none */
    /* per (worker, worker fault), worker * n_worker_faults + fault: the poll
     * count its next pause falls on, and how many it has drawn; for the
     * workers seen so far */
    int64_t *pause_next;
    uint64_t *pause_num;
    int pause_workers;
};

/* Keys of what the world draws: a top-level task by (entry, count index),
 * a resource's event by (resource, index). Spawned tasks by their path. */
#define FS__KEY_TASK     0x7a5c0000ULL
#define FS__KEY_RESOURCE 0x5e500000ULL
#define FS__KEY_ARRIVAL  0xa7710000ULL   /* when a resource's event comes */
#define FS__KEY_FAULT    0xfa170000ULL   /* whether a fault fires on an event */
#define FS__KEY_COUNT    0xc0510000ULL   /* a random count: a resource's by (resource,
                                            index), a task entry's by (-1, entry) */
#define FS__KEY_PAUSE    0x9a05e000ULL   /* where a worker's pauses fall, how long */

/* Spawns one task running spec, whose draws are keyed by `key`. */
int64_t fs__world_spawn(fs_world *w, const char *name, const fs_future_spec *spec, uint64_t key);
/* The same for a future already built in mem (size bytes from the slab):
 * a compiled program's (fut_program.c), whose root spec is spec. */
int64_t fs__world_spawn_built(fs_world *w, const char *name, void *mem, size_t size,
                              const fs_future_spec *spec, uint64_t key);
/* "name#k", kept in the arena; NULL when out of memory. */
const char *fs__numbered_name(fs_arena *a, const char *base, uint64_t k);
/* "parent/base" or "parent/base#k": a spawned task's name (its spawn
 * path), kept in the arena; NULL when out of memory. */
const char *fs__spawn_path(fs_world *w, uint32_t parent, const char *base, bool numbered, uint64_t k);

#endif
