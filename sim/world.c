/* world.c - resources as devices, the agenda, the PRNG, and spawning the
 * scenario's tasks. */
#include "world.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "futures.h"
#include "jsonw.h"
#include "slab.h"

struct fs_world {
    const fs_scenario *sc;
    fs_exec *ex;
    fs_event_queue agenda;
    fs_prng prng;
    fs_arena *arena;            /* task names, wake source names */
    const char **sources;       /* per resource: "socket:a", "file:cfg" ... */
    struct fs_socket **sockets; /* per resource, NULL unless a socket */
    struct fs_channel **channels; /* per resource, NULL unless a channel */
    struct fs__spurious *spurious_free; /* pool of spurious-wake events */
    bool out_of_memory;         /* an allocation failed before the run began */
    fs_slab *futures;           /* the tasks' futures, one block each */
};

/* A spurious wake waiting on the agenda. Taken from a pool that grows in the
 * world's arena and is never shrunk, so arranging one does not allocate
 * once the pool is warm. */
typedef struct fs__spurious {
    fs_qnode q;
    fs_waker waker;
    struct fs__spurious *next_free;
} fs__spurious;

fs_world *fs_world_create(const fs_scenario *sc, uint64_t seed)
{
    fs_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->sc = sc;
    fs_event_queue_init(&w->agenda);
    fs_prng_seed(&w->prng, seed);
    w->arena = fs_arena_create(0);
    size_t n = sc->n_resources ? sc->n_resources : 1;
    w->sources = calloc(n, sizeof *w->sources);
    w->sockets = calloc(n, sizeof *w->sockets);
    w->channels = calloc(n, sizeof *w->channels);
    w->futures = fs_slab_create();
    if (!w->arena || !w->sources || !w->sockets || !w->channels || !w->futures)
        goto fail;
    for (size_t i = 0; i < sc->n_resources; i++) {
        const fs_resource_spec *r = &sc->resources[i];
        const char *kind = r->kind == FS_RES_SOCKET ? "socket"
                           : r->kind == FS_RES_FILE ? "file" : "channel";
        w->sources[i] = fs_arena_printf(w->arena, "%s:%s", kind, r->name);
        if (!w->sources[i])
            goto fail;
        if (r->kind == FS_RES_SOCKET && !(w->sockets[i] = fs_socket_create(w, (int)i)))
            goto fail;
        if (r->kind == FS_RES_CHANNEL && !(w->channels[i] = fs_channel_create(w, (int)i)))
            goto fail;
    }
    if (w->out_of_memory)
        goto fail;
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
    }
    free(w->sockets);
    free(w->channels);
    fs_slab_free(w->futures);
    free(w->sources);
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

fs_driver fs_world_driver(fs_world *w)
{
    return (fs_driver){.ctx = w, .next_event = fs__next_event, .fire_next = fs__fire_next};
}

void fs_world_attach(fs_world *w, fs_exec *ex)
{
    w->ex = ex;
}

/* ---- spawning ------------------------------------------------------------ */

int64_t fs_world_spawn(fs_world *w, const char *name, const fs_future_spec *spec)
{
    size_t size = fs_node_size((fs_future_spec *)spec);
    void *mem = fs_slab_alloc(w->futures, fs_node_round(size));
    if (!mem) {
        fs_exec_out_of_memory(w->ex);
        return -1;
    }
    fs_node_init(mem, w, spec);
    int64_t id = fs_exec_spawn(w->ex, name, mem);
    if (id < 0) {
        fs_future_drop(mem);
        fs_slab_release(w->futures, mem, fs_node_round(size));
    }
    return id;
}

void fs_world_release_future(void *world, fs_future *f)
{
    fs_world *w = world;
    fs_slab_release(w->futures, f, fs_node_round(((fs_node *)f)->spec->inst_size));
}

/* "name#k" in the arena, without printf: a million of them at start-up. */
static const char *fs__count_name(fs_arena *a, const char *base, int64_t k)
{
    char buf[FS_MAX_NAME + 24];
    size_t nb = strlen(base);
    if (nb > FS_MAX_NAME) /* the loader's limit: cannot happen */
        nb = FS_MAX_NAME;
    memcpy(buf, base, nb);
    buf[nb] = '#';
    size_t nd = fs_u64_digits(buf + nb + 1, (uint64_t)k);
    return fs_arena_strndup(a, buf, nb + 1 + nd);
}

bool fs_world_spawn_tasks(fs_world *w)
{
    /* The count is known: room for exactly that many, not a doubling past it. */
    if (!fs_exec_reserve(w->ex, (size_t)w->sc->total_tasks))
        return false;
    for (size_t i = 0; i < w->sc->n_tasks; i++) {
        const fs_task_spec *t = &w->sc->tasks[i];
        for (int64_t k = 0; k < t->count; k++) {
            const char *name = t->name;
            if (t->count > 1 && !(name = fs__count_name(w->arena, t->name, k)))
                return false;
            if (fs_world_spawn(w, name, &t->future) < 0)
                return false;
        }
    }
    return true;
}

/* ---- for devices and futures --------------------------------------------- */

const fs_scenario *fs_world_scenario(const fs_world *w) { return w->sc; }
fs_exec *fs_world_exec(const fs_world *w) { return w->ex; }
fs_prng *fs_world_prng(fs_world *w) { return &w->prng; }

void fs_world_schedule(fs_world *w, fs_qnode *n, int64_t t)
{
    if (fs_event_queue_push(&w->agenda, n, t))
        return;
    if (w->ex)
        fs_exec_out_of_memory(w->ex);
    else
        w->out_of_memory = true; /* while the world is being built */
}

void fs_world_cancel(fs_world *w, fs_qnode *n)
{
    fs_event_queue_remove(&w->agenda, n);
}

int64_t fs_world_draw_ns(fs_world *w, const fs_dur *d)
{
    int64_t ms;
    switch (d->kind) {
    case FS_DUR_UNIFORM: ms = fs_prng_range(&w->prng, d->a_ms, d->b_ms); break;
    case FS_DUR_EXP: ms = fs_prng_exp(&w->prng, d->a_ms); break;
    default: ms = d->a_ms; break;
    }
    if (ms > FS_MAX_DURATION_MS)
        ms = FS_MAX_DURATION_MS;
    return ms * 1000000;
}

struct fs_socket *fs_world_socket(fs_world *w, int resource)
{
    return w->sockets[resource];
}

struct fs_channel *fs_world_channel(fs_world *w, int resource)
{
    return w->channels[resource];
}

const char *fs_world_task_ref(fs_world *w, uint32_t task)
{
    char *s = fs_arena_printf(w->arena, "task:%u", task);
    if (!s) {
        fs_exec_out_of_memory(w->ex);
        return "task:?";
    }
    return s;
}

static void fs__spurious_fire(fs_qnode *q, void *world)
{
    fs_world *w = world;
    fs__spurious *s = FS_CONTAINER_OF(q, fs__spurious, q);
    fs_exec_set_wake_source(w->ex, "spurious");
    fs_waker_wake(&s->waker);
    fs_exec_set_wake_source(w->ex, NULL);
    s->next_free = w->spurious_free;
    w->spurious_free = s;
}

void fs_world_spurious_wake(fs_world *w, const fs_waker *waker, int64_t t)
{
    fs__spurious *s = w->spurious_free;
    if (s)
        w->spurious_free = s->next_free;
    else if (!(s = fs_arena_alloc(w->arena, sizeof *s))) {
        fs_exec_out_of_memory(w->ex);
        return;
    }
    fs_qnode_init(&s->q, fs__spurious_fire);
    s->waker = fs_waker_clone(waker);
    fs_world_schedule(w, &s->q, t);
}

const char *fs_world_wake_source(const fs_world *w, int resource)
{
    return w->sources[resource];
}

void fs_world_io(fs_world *w, int resource, const char *what, bool has_value, int64_t value)
{
    fs_event ev = {.type = FS_EV_IO, .t = fs_exec_now(w->ex),
                   .name = w->sc->resources[resource].name, .what = what,
                   .has_value = has_value, .value = value};
    fs_exec_emit(w->ex, &ev);
}
