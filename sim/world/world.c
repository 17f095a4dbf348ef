/* world.c - builds the world of one run (resources as devices, the agenda,
 * the PRNG), drives it as the executor's driver, and spawns the scenario's
 * tasks. Futures and devices are served by node.c. */
#include "world.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "futures.h"
#include "kinds.h"
#include "program.h"
#include "world_state.h"

/* The tokio::sync device of resource i, if it is one; false when out of
 * memory. */
static bool fs__sync_create(fs_world *w, int i)
{
    switch (w->sc->resources[i].kind) {
    case FS_RES_MUTEX:
    case FS_RES_RWLOCK:
    case FS_RES_SEMAPHORE: return (w->sync[i] = fs_semaphore_create(w, i)) != NULL;
    case FS_RES_NOTIFY: return (w->sync[i] = fs_notify_create(w, i)) != NULL;
    case FS_RES_ONESHOT: return (w->sync[i] = fs_oneshot_create(w, i)) != NULL;
    default: return true;
    }
}

static void fs__sync_free(fs_world *w, int i)
{
    switch (w->sc->resources[i].kind) {
    case FS_RES_MUTEX:
    case FS_RES_RWLOCK:
    case FS_RES_SEMAPHORE: fs_semaphore_free(w->sync[i]); break;
    case FS_RES_NOTIFY: fs_notify_free(w->sync[i]); break;
    case FS_RES_ONESHOT: fs_oneshot_free(w->sync[i]); break;
    default: break;
    }
}

/* n more (or fewer) tasks alive hold a sender of resource i: a channel's
 * or a oneshot's; with FS_HOLD_RECV, its receiver. */
static void fs__world_hold_sender(fs_world *w, int i, int64_t n)
{
    int r = i & ~FS_HOLD_RECV;
    if ((i & FS_HOLD_RECV) && w->sc->resources[r].kind == FS_RES_ONESHOT)
        fs_oneshot_hold_receiver(w->sync[r], n);
    else if (i & FS_HOLD_RECV)
        fs_channel_hold_receiver(w->channels[r], n);
    else if (w->sc->resources[i].kind == FS_RES_ONESHOT)
        fs_oneshot_hold(w->sync[i], n);
    else
        fs_channel_hold(w->channels[i], n);
}

fs_world *fs_world_create(const fs_scenario *sc, uint64_t seed)
{
    fs_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->sc = sc;
    w->init_kind = fs_futures_init_kind;
    w->hold_sender = fs__world_hold_sender;
    fs_event_queue_init(&w->agenda);
    w->seed = seed;
    w->arena = fs_arena_create(0);
    size_t n = sc->n_resources ? sc->n_resources : 1;
    w->sources = calloc(n, sizeof *w->sources);
    w->sockets = calloc(n, sizeof *w->sockets);
    w->channels = calloc(n, sizeof *w->channels);
    w->sync = calloc(n, sizeof *w->sync);
    w->listeners = calloc(n, sizeof *w->listeners);
    w->hung_ns = malloc(n * sizeof *w->hung_ns);
    w->futures = fs_slab_create();
    w->pool = fs_blocking_pool_create(w);
    if (!w->arena || !w->sources || !w->sockets || !w->channels || !w->sync || !w->listeners || !w->hung_ns || !w->futures ||
        !w->pool)
        goto fail;
    for (size_t i = 0; i < n; i++)
        w->hung_ns[i] = -1;
    if (sc->n_worker_faults)
        w->faults.declared = w->faults.workers_declared = true;
    for (size_t i = 0; i < sc->n_resources; i++) {
        const fs_resource_spec *r = &sc->resources[i];
        if (r->n_faults)
            w->faults.declared = true;
        w->sources[i] = fs_arena_printf(w->arena, "%s:%s", fs_resource_type_name(r->kind), r->name);
        if (!w->sources[i])
            goto fail;
        if (r->kind == FS_RES_SOCKET && !(w->sockets[i] = fs_socket_create(w, (int)i)))
            goto fail;
        if (r->kind == FS_RES_CHANNEL && !(w->channels[i] = fs_channel_create(w, (int)i)))
            goto fail;
        if (r->kind == FS_RES_LISTENER && !(w->listeners[i] = fs_listener_create(w, (int)i)))
            goto fail;
        if (!fs__sync_create(w, (int)i))
            goto fail;
    }
    if (w->out_of_memory)
        goto fail;
    /* Every spec's block size, before the first spawn needs one. */
    for (size_t i = 0; i < sc->n_tasks; i++)
        fs_futures_size(&sc->tasks[i].future);
    return w;
fail:
    fs_world_free(w);
    return NULL;
}

void fs_world_free(fs_world *w)
{
    if (!w)
        return;
    /* The agenda still points at nodes inside the devices: empty it first. */
    fs_event_queue_destroy(&w->agenda);
    for (size_t i = 0; i < w->sc->n_resources; i++) {
        if (w->sockets)
            fs_socket_free(w->sockets[i]);
        if (w->channels)
            fs_channel_free(w->channels[i]);
        if (w->sync)
            fs__sync_free(w, (int)i);
        if (w->listeners)
            fs_listener_free(w->listeners[i]);
    }
    free(w->listeners);
    free(w->hung_ns);
    free(w->pause_next);
    free(w->pause_num);
    free(w->task_conns);
    free(w->sync);
    free(w->sockets);
    free(w->channels);
    fs_blocking_pool_free(w->pool);
    fs_slab_free(w->futures);
    free(w->sources);
    free(w->task_keys);
    fs_programs_destroy(&w->programs);
    fs_arena_free(w->arena);
    free(w);
}

/* ---- the driver ---------------------------------------------------------- */

static int64_t fs__next_event(void *ctx)
{
    fs_world *w = ctx;
    int64_t t = fs_event_queue_next_time(&w->agenda);
    if (w->agenda.failed && w->ex)
        fs_exec_out_of_memory(w->ex);
    return t;
}

static void fs__fire_next(void *ctx)
{
    fs_world *w = ctx;
    fs_qnode *n = fs_event_queue_pop(&w->agenda);
    /* Events at one time wake tasks scattered in memory: fetch ahead the
     * record of a task a few events on. */
    const fs_qnode *ahead = fs_event_queue_peek(&w->agenda, 3);
    if (ahead && ahead->waker)
        fs_exec_prefetch_waker(ahead->waker);
    if (n)
        n->fire(n, w);
}

static int64_t fs__next_direct(void *ctx)
{
    return fs_blocking_pool_next(((fs_world *)ctx)->pool);
}

static void fs__fire_direct(void *ctx)
{
    fs_blocking_pool_fire(((fs_world *)ctx)->pool);
}

static int64_t fs__pause(void *ctx, int worker, int64_t polls, int64_t *next)
{
    return fs_world_worker_pause(ctx, worker, polls, next);
}

fs_driver fs_world_driver(fs_world *w)
{
    /* without worker faults no pause is ever asked for */
    return (fs_driver){.ctx = w, .next_event = fs__next_event, .fire_next = fs__fire_next,
                       .next_direct = fs__next_direct, .fire_direct = fs__fire_direct,
                       .pause = w->sc->n_worker_faults ? fs__pause : NULL};
}

void fs_world_attach(fs_world *w, fs_exec *ex)
{
    w->ex = ex;
}

/* ---- spawning ------------------------------------------------------------ */

void fs_world_release_future(void *world, fs_future *f)
{
    fs_world *w = world;
    size_t size = fs_prog_future_block(f); /* a compiled program's, or the tree's */
    const fs_future_spec *root = size ? fs_prog_future_root(f) : ((fs_node *)f)->spec;
    /* a task done: the senders it held are dropped (not at the run's end) */
    for (uint32_t i = 0; i < root->n_sends && !fs_exec_freeing(w->ex); i++)
        fs__world_hold_sender(w, root->sends[i], -1);
    fs_slab_release(w->futures, f, size ? size : fs_node_round(root->inst_size));
}

void fs_world_set_interpret(fs_world *w, bool on)
{
    w->interpret = on;
}

size_t fs_world_programs(const fs_world *w, int64_t *tasks)
{
    *tasks = w->programs.n_tasks;
    return w->programs.n_programs;
}

/* f's tree copied into dst (in the arena), the specs with a resource
 * taking the uses from uses[*k] on, in place order; false when out of
 * memory. */
static bool fs__copy_tree(fs_arena *a, const fs_future_spec *f, fs_future_spec *dst,
                          const fs_task_use *uses, uint32_t *k)
{
    *dst = *f;
    if (f->resource >= 0) {
        dst->resource = uses[*k].resource;
        dst->label = uses[*k].label;
        ++*k;
    }
    if (!f->n_children)
        return true;
    fs_future_spec *children = fs_arena_alloc(a, f->n_children * sizeof *children);
    if (!children)
        return false;
    dst->children = children;
    for (size_t i = 0; i < f->n_children; i++)
        if (!fs__copy_tree(a, &f->children[i], &children[i], uses, k))
            return false;
    return true;
}

/* The whole tree of entry t, which the interpreter walks: the entry's own,
 * or, when it shares another entry's (scenario.h), a copy with its uses,
 * built in the run's arena; NULL when out of memory. */
static const fs_future_spec *fs__entry_tree(fs_world *w, const fs_task_spec *t)
{
    if (t->shape < 0)
        return &t->future;
    fs_future_spec *root = fs_arena_alloc(w->arena, sizeof *root);
    uint32_t k = 0;
    if (!root || !fs__copy_tree(w->arena, &t->future, root, t->uses, &k))
        return NULL;
    return root;
}

/* Spawns one task of entry i: its program's future (e, the entry's
 * record, when it is compiled), or the tree's (root, the entry's whole
 * tree). */
static int64_t fs__spawn_entry(fs_world *w, size_t i, const fs_prog_entry *e,
                               const fs_future_spec *root, const char *name, uint64_t key)
{
    if (!e)
        return fs__world_spawn(w, name, root, key);
    size_t size = fs_prog_future_size(e->prog);
    void *mem = fs_slab_alloc(w->futures, size);
    if (!mem) {
        fs_exec_out_of_memory(w->ex);
        return -1;
    }
    fs_prog_future_init(mem, e, &w->sc->tasks[i]);
    w->programs.n_tasks++;
    return fs__world_spawn_built(w, name, mem, size, root, key);
}

/* The number of tasks entry i makes in this run: its count, or a random
 * count drawn from the seed and the entry (so every executor has the same
 * tasks), clamped to 1..FS_MAX_COUNT. */
static int64_t fs__task_count(const fs_world *w, size_t i)
{
    const fs_task_spec *t = &w->sc->tasks[i];
    return fs_world_resource_count(w, -1, i, &t->count_draw, t->count, 1, FS_MAX_COUNT);
}

bool fs_world_spawn_tasks(fs_world *w)
{
    /* The count is known: room for exactly that many, not a doubling past it. */
    int64_t total = 0;
    for (size_t i = 0; i < w->sc->n_tasks; i++)
        total += fs__task_count(w, i);
    if (!fs_exec_reserve(w->ex, (size_t)total))
        return false;
    if (!w->interpret && !fs_programs_build(&w->programs, w->sc, w->arena))
        return false;
    for (size_t i = 0; i < w->sc->n_tasks; i++) {
        const fs_task_spec *t = &w->sc->tasks[i];
        int64_t count = fs__task_count(w, i);
        bool numbered = t->count > 1 || t->count_draw.kind != FS_DUR_FIXED;
        const fs_program *g = w->programs.by_entry ? w->programs.by_entry[i] : NULL;
        const fs_prog_entry *e = g ? fs_prog_entry_new(w->arena, w, g, t) : NULL;
        const fs_future_spec *root = g ? &t->future : fs__entry_tree(w, t);
        if (!root || (g && !e))
            return false;
        for (int64_t k = 0; k < count; k++) {
            const char *name = t->name;
            if (numbered && !(name = fs__numbered_name(w->arena, t->name, (uint64_t)k)))
                return false;
            uint64_t key = fs_rand_key(fs_rand_key(FS__KEY_TASK, i), (uint64_t)k);
            if (fs__spawn_entry(w, i, e, root, name, key) < 0)
                return false;
        }
    }
    /* a channel no task will ever send to is closed from the start, and a
     * oneshot's sender that no task holds is dropped (one no task receives
     * from has no receiver) */
    for (size_t i = 0; i < w->sc->n_resources; i++) {
        if (w->channels[i] || w->sc->resources[i].kind == FS_RES_ONESHOT) {
            fs__world_hold_sender(w, (int)i, 0);
            fs__world_hold_sender(w, (int)i | FS_HOLD_RECV, 0);
        }
    }
    return true;
}

const fs_fault_counts *fs_world_fault_counts(const fs_world *w)
{
    return &w->faults;
}

int64_t fs_world_channel_max_len(const fs_world *w, int resource)
{
    return w->channels[resource] ? fs_channel_max_len(w->channels[resource]) : 0;
}
