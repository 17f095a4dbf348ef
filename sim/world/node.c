/* node.c - what the world does for its futures and devices (node.h): building
 * a node, the leaves' waker rule, the agenda, draws, spawning, device events. */
#include "node.h"
#include "wait_list.h"
#include "world_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"

/* A spurious wake waiting on the agenda. Taken from a pool that grows in the
 * world's arena and is never shrunk, so arranging one does not allocate
 * once the pool is warm. */
typedef struct fs__spurious {
    fs_qnode q;
    fs_waker waker;
    struct fs__spurious *next_free;
} fs__spurious;

/* ---- building and spawning ----------------------------------------------- */

void fs_node_init(void *mem, fs_world *w, const fs_future_spec *spec, uint64_t occ)
{
    fs_node *n = mem;
    memset(n, 0, sizeof *n);
    n->spec = spec;
    n->world = w;
    n->occ = occ;
    w->init_kind(n);
}

int64_t fs__world_spawn(fs_world *w, const char *name, const fs_future_spec *spec, uint64_t key)
{
    size_t size = spec->inst_size;
    void *mem = fs_slab_alloc(w->futures, size);
    if (!mem) {
        fs_exec_out_of_memory(w->ex);
        return -1;
    }
    fs_node_init(mem, w, spec, 0);
    return fs__world_spawn_built(w, name, mem, size, spec, key);
}

int64_t fs__world_spawn_built(fs_world *w, const char *name, void *mem, size_t size,
                              const fs_future_spec *spec, uint64_t key)
{
    int64_t id = fs_exec_spawn(w->ex, name, mem);
    if (id < 0) {
        fs_future_drop(mem);
        fs_slab_release(w->futures, mem, size);
        return id;
    }
    if ((size_t)id >= w->cap_task_keys) { /* ids come in order: room doubles */
        size_t cap = w->cap_task_keys ? w->cap_task_keys * 2 : 64;
        uint64_t *k = realloc(w->task_keys, cap * sizeof *k);
        if (!k) {
            fs_exec_out_of_memory(w->ex);
            return -1; /* the task stays, released with the executor */
        }
        w->task_keys = k;
        w->cap_task_keys = cap;
    }
    w->task_keys[id] = key;
    for (uint32_t i = 0; i < spec->n_sends; i++) /* it holds senders of these */
        w->hold_sender(w, spec->sends[i], 1);
    return id;
}

/* The key of a task: for draws and for the tasks it spawns. */
static uint64_t fs__task_key(const fs_world *w, uint32_t task)
{
    return w->task_keys[task];
}

const void *fs_world_key_addr(const fs_world *w, uint32_t task)
{
    /* a task spawned while out of memory may have no key: fetch nothing */
    return task < w->cap_task_keys ? &w->task_keys[task] : (const void *)w;
}

const void *fs_node_key_addr(const fs_node *n, uint32_t task)
{
    return fs_world_key_addr(n->world, task);
}

/* What is drawn or spawned at `place`, started as `occ`, in task `task`. */
static uint64_t fs__place_key(const fs_world *w, uint32_t task, uint32_t place, uint64_t occ)
{
    return fs_rand_key(fs_rand_key(fs__task_key(w, task), place), occ);
}

/* What is drawn or spawned at node n in the task cx polls. */
static uint64_t fs__node_key(const fs_node *n, const fs_context *cx)
{
    return fs__place_key(n->world, cx->task, n->spec->place, n->occ);
}

int64_t fs_node_spawn(fs_node *n, const fs_context *cx)
{
    fs_world *w = n->world;
    const fs_future_spec *spec = n->spec;
    const char *name = fs__spawn_path(w, cx->task, spec->spawn_name, spec->in_repeat, n->occ);
    if (!name) {
        fs_exec_out_of_memory(w->ex);
        return -1;
    }
    int64_t id = fs__world_spawn(w, name, &spec->children[0], fs__node_key(n, cx));
    /* a handler spawned after an accept handles that connection */
    if (id >= 0 && cx->task < w->cap_task_conns && w->task_conns[cx->task]) {
        uint64_t c = w->task_conns[cx->task];
        fs_world_set_task_conn(w, (uint32_t)id, (int)(c >> 32) - 1, (int64_t)(c & 0xffffffffu));
    }
    return id;
}

void fs_world_set_task_conn(fs_world *w, uint32_t task, int listener, int64_t conn)
{
    if (task >= w->cap_task_conns) { /* room doubles, zeroed */
        size_t cap = w->cap_task_conns ? w->cap_task_conns : 64;
        while (cap <= task)
            cap *= 2;
        uint64_t *m = realloc(w->task_conns, cap * sizeof *m);
        if (!m) {
            fs_exec_out_of_memory(w->ex);
            return;
        }
        memset(m + w->cap_task_conns, 0, (cap - w->cap_task_conns) * sizeof *m);
        w->task_conns = m;
        w->cap_task_conns = cap;
    }
    w->task_conns[task] = (uint64_t)(listener + 1) << 32 | (uint64_t)conn;
}

bool fs_world_task_conn(const fs_world *w, uint32_t task, int listener, int64_t *conn)
{
    if (task >= w->cap_task_conns || (w->task_conns[task] >> 32) != (uint64_t)(listener + 1))
        return false;
    *conn = (int64_t)(w->task_conns[task] & 0xffffffffu);
    return true;
}

int64_t fs_node_spawn_nth(fs_node *n, const fs_context *cx, uint64_t k, uint64_t count)
{
    fs_world *w = n->world;
    const fs_future_spec *spec = n->spec;
    const char *name = fs__spawn_path(w, cx->task, spec->spawn_name, true, n->occ * count + k);
    if (!name) {
        fs_exec_out_of_memory(w->ex);
        return -1;
    }
    return fs__world_spawn(w, name, &spec->children[0], fs_rand_key(fs__node_key(n, cx), k));
}

/* "name#k" in the arena, without printf: a million of them at start-up. */
const char *fs__numbered_name(fs_arena *a, const char *base, uint64_t k)
{
    char buf[FS_MAX_NAME + 24];
    size_t nb = strlen(base);
    if (nb > FS_MAX_NAME) /* the loader's limit: cannot happen */
        nb = FS_MAX_NAME;
    memcpy(buf, base, nb);
    buf[nb] = '#';
    size_t nd = fs_u64_digits(buf + nb + 1, k);
    return fs_arena_strndup(a, buf, nb + 1 + nd);
}

/* A spawned task's name, by its spawn path as its draws are keyed: the
 * parent's name, "/", the spawn's name (the loader made it unique in the
 * parent's future), and "#k" when the spawn may run more than once in it:
 * "conn#2/handler#0" (docs/scenarios.md, Names). */
const char *fs__spawn_path(fs_world *w, uint32_t parent, const char *base, bool numbered, uint64_t k)
{
    const char *pn = fs_exec_get_task(w->ex, parent)->name;
    size_t np = strlen(pn), nb = strlen(base);
    char *s = fs_arena_alloc(w->arena, np + 1 + nb + 22);
    if (!s)
        return NULL;
    memcpy(s, pn, np);
    s[np] = '/';
    memcpy(s + np + 1, base, nb);
    size_t len = np + 1 + nb;
    if (numbered) {
        s[len++] = '#';
        len += fs_u64_digits(s + len, k);
    }
    s[len] = '\0';
    return s;
}

/* ---- the waker rule of leaves ---------------------------------------------- */

/* The fault option spurious_wakes: the first K times the leaf waits, the
 * task is also woken right away with nothing ready, as epoll and condition
 * variables may do. A random K is drawn as the leaf's durations are (its
 * second count: which 1), the same at each wait of one start. */
static void fs__arrange_spurious(fs_node *n, int32_t *done, fs_context *cx)
{
    if (*done >= n->spec->spurious_wakes) /* (a random K's largest) */
        return;
    if (n->spec->take && *done >= fs_node_draw_count(n, cx, n->spec->take, 1, 0, FS_MAX_SPURIOUS))
        return;
    ++*done;
    /* The task's own waker, not the leaf's (which may be a join's child
     * waker): the spurious wake may come after the join is gone. */
    fs_waker w = fs_exec_task_waker(cx->exec, cx->task);
    fs_world_spurious_wake(n->world, &w, fs_context_now(cx));
}

void fs_node_keep_waker(fs_node *n, int32_t *spurious, fs_context *cx, fs_waker *slot,
                        const char *resource)
{
    fs__arrange_spurious(n, spurious, cx);
    if (n->spec->forget_waker)
        return;
    fs_world_keep_waker(cx, slot, resource);
}

void fs_world_keep_waker(fs_context *cx, fs_waker *slot, const char *resource)
{
    /* Polled again with the same waker: nothing to do (Waker::will_wake). */
    if (fs_waker_is_set(slot) && fs_waker_will_wake(slot, cx->waker))
        return;
    fs_waker_drop(slot);
    *slot = fs_waker_clone(cx->waker);
    fs_exec_note_register(cx->exec, resource);
}

void fs_node_wait(fs_node *n, fs_context *cx, fs_wait_list *list, fs_waiter *w,
                  const char *resource)
{
    fs_node_keep_waker(n, &w->spurious, cx, &w->waker, resource);
    if (fs_waker_is_set(&w->waker))
        fs_wait_list_push(list, w);
}

void fs_world_wait(fs_context *cx, fs_wait_list *list, fs_waiter *w, const char *resource)
{
    fs_world_keep_waker(cx, &w->waker, resource);
    fs_wait_list_push(list, w);
}

/* ---- services ------------------------------------------------------------- */

const fs_scenario *fs_world_scenario(const fs_world *w) { return w->sc; }
fs_exec *fs_world_exec(const fs_world *w) { return w->ex; }

int64_t fs_world_resource_value(const fs_world *w, int resource, uint64_t index)
{
    uint64_t k = fs_rand_key(fs_rand_key(FS__KEY_RESOURCE, (uint64_t)resource), index);
    return (int64_t)(int32_t)fs_rand_bits(w->seed, k);
}

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

/* d drawn with the random bits of `key` (none for a fixed one), a whole
 * number of ms (or a whole count), not yet clamped. */
static int64_t fs__draw(const fs_world *w, uint64_t key, const fs_dur *d)
{
    uint64_t bits = d->kind == FS_DUR_FIXED ? 0 : fs_rand_bits(w->seed, key);
    switch (d->kind) {
    case FS_DUR_UNIFORM: return fs_rand_range(bits, d->a_ms, d->b_ms);
    case FS_DUR_EXP: return fs_rand_exp(bits, d->a_ms);
    default: return d->a_ms;
    }
}

static int64_t fs__clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* A duration drawn with the random bits of `key` (none for a fixed one). */
static int64_t fs__draw_ns(const fs_world *w, uint64_t key, const fs_dur *d)
{
    int64_t ms = fs__draw(w, key, d);
    if (ms > FS_MAX_DURATION_MS)
        ms = FS_MAX_DURATION_MS;
    return ms * 1000000;
}

int64_t fs_node_draw_ns(const fs_node *n, const fs_context *cx, const fs_dur *d)
{
    return fs__draw_ns(n->world, d->kind == FS_DUR_FIXED ? 0 : fs__node_key(n, cx), d);
}

int64_t fs_world_draw_ns(const fs_world *w, uint32_t task, uint32_t place, uint64_t occ,
                         const fs_dur *d)
{
    return fs__draw_ns(w, d->kind == FS_DUR_FIXED ? 0 : fs__place_key(w, task, place, occ), d);
}

int64_t fs_world_resource_draw_ns(const fs_world *w, int resource, uint64_t index, const fs_dur *d)
{
    uint64_t k = fs_rand_key(fs_rand_key(FS__KEY_ARRIVAL, (uint64_t)resource), index);
    return fs__draw_ns(w, k, d);
}

int64_t fs_node_draw_count(const fs_node *n, const fs_context *cx, const fs_dur *d, uint64_t which,
                           int64_t lo, int64_t hi)
{
    uint64_t k = d->kind == FS_DUR_FIXED ? 0 : fs__node_key(n, cx);
    return fs__clamp(fs__draw(n->world, which ? fs_rand_key(k, which) : k, d), lo, hi);
}

int64_t fs_world_resource_count(const fs_world *w, int resource, uint64_t index, const fs_dur *d,
                                int64_t fixed, int64_t lo, int64_t hi)
{
    if (d->kind == FS_DUR_FIXED)
        return fixed;
    uint64_t k = fs_rand_key(fs_rand_key(FS__KEY_COUNT, (uint64_t)resource), index);
    return fs__clamp(fs__draw(w, k, d), lo, hi);
}

struct fs_socket *fs_world_socket(fs_world *w, int resource)
{
    return w->sockets[resource];
}

struct fs_channel *fs_world_channel(fs_world *w, int resource)
{
    return w->channels[resource];
}

const char *fs_world_ref(fs_world *w, const char *kind, int64_t n)
{
    return fs_arena_printf(w->arena, "%s:%lld", kind, (long long)n);
}

static void *fs__sync(fs_world *w, int resource, fs_res_kind a, fs_res_kind b)
{
    fs_res_kind k = w->sc->resources[resource].kind;
    return k == a || k == b ? w->sync[resource] : NULL;
}

struct fs_semaphore *fs_world_semaphore(fs_world *w, int resource)
{
    if (w->sc->resources[resource].kind == FS_RES_RWLOCK)
        return w->sync[resource];
    return fs__sync(w, resource, FS_RES_SEMAPHORE, FS_RES_MUTEX);
}

struct fs_notify *fs_world_notify(fs_world *w, int resource)
{
    return fs__sync(w, resource, FS_RES_NOTIFY, FS_RES_NOTIFY);
}

struct fs_oneshot *fs_world_oneshot(fs_world *w, int resource)
{
    return fs__sync(w, resource, FS_RES_ONESHOT, FS_RES_ONESHOT);
}

struct fs_listener *fs_world_listener(fs_world *w, int resource)
{
    return w->listeners[resource];
}

const char *fs_world_task_ref(fs_world *w, uint32_t task)
{
    const char *s = fs_world_ref(w, "task", task);
    if (!s) {
        fs_exec_out_of_memory(w->ex);
        return "task:?";
    }
    return s;
}

struct fs_blocking_pool *fs_world_blocking_pool(fs_world *w)
{
    return w->pool;
}

void fs_world_wake(fs_world *w, fs_waker *waker, const char *source)
{
    fs_exec_set_wake_source(w->ex, source);
    fs_waker_wake(waker);
    fs_exec_set_wake_source(w->ex, NULL);
}

uint64_t fs_node_loop_occ(const fs_node *n, int64_t i)
{
    return n->occ ? n->occ * (1ULL << 32) + (uint64_t)i : (uint64_t)i;
}

static void fs__spurious_fire(fs_qnode *q, void *world)
{
    fs_world *w = world;
    fs__spurious *s = FS_CONTAINER_OF(q, fs__spurious, q);
    fs_world_wake(w, &s->waker, "spurious");
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

void fs_world_timer_io(fs_world *w, int64_t t, const char *what, int64_t value)
{
    fs_event ev = {.type = FS_EV_IO, .t = t, .name = "timer", .what = what,
                   .has_value = true, .value = value};
    fs_exec_emit(w->ex, &ev);
}

struct fs_interval *fs_world_swap_interval(fs_world *w, struct fs_interval *iv)
{
    struct fs_interval *was = w->interval;
    w->interval = iv;
    return was;
}

struct fs_interval *fs_world_interval(const fs_world *w)
{
    return w->interval;
}

void fs_world_io(fs_world *w, int resource, const char *what, bool has_value, int64_t value)
{
    fs_event ev = {.type = FS_EV_IO, .t = fs_exec_now(w->ex),
                   .name = w->sc->resources[resource].name, .what = what,
                   .has_value = has_value, .value = value};
    fs_exec_emit(w->ex, &ev);
}

/* ---- faults --------------------------------------------------------------- */

/* Each fault of the list decides apart, from its own bits of the event's
 * key: so adding a fault to the list leaves the others' draws as they were. */
static fs_fault_outcome fs__faults(const fs_world *w, const fs_resource_spec *r, uint64_t key)
{
    fs_fault_outcome o = {.end = FS_FAULT__COUNT};
    for (size_t j = 0; j < r->n_faults; j++) {
        const fs_fault_spec *f = &r->faults[j];
        uint64_t k = fs_rand_key(fs_rand_key(key, FS__KEY_FAULT), j);
        if (!(fs_rand_unit(fs_rand_bits(w->seed, k)) < f->p))
            continue;
        if (f->kind == FS_FAULT_LATENCY) {
            o.delayed = true;
            o.extra_ns += fs__draw_ns(w, fs_rand_key(k, 1), &f->extra);
        } else if (o.end == FS_FAULT__COUNT) {
            o.end = f->kind;
        }
    }
    return o;
}

fs_fault_outcome fs_world_resource_faults(const fs_world *w, int resource, uint64_t index)
{
    const fs_resource_spec *r = &w->sc->resources[resource];
    if (!r->n_faults)
        return (fs_fault_outcome){.end = FS_FAULT__COUNT};
    uint64_t k = fs_rand_key(fs_rand_key(FS__KEY_ARRIVAL, (uint64_t)resource), index);
    return fs__faults(w, r, k);
}

fs_fault_outcome fs_node_faults(const fs_node *n, const fs_context *cx, int resource)
{
    const fs_resource_spec *r = &n->world->sc->resources[resource];
    if (!r->n_faults)
        return (fs_fault_outcome){.end = FS_FAULT__COUNT};
    return fs__faults(n->world, r, fs__node_key(n, cx));
}

void fs_world_fault(fs_world *w, int resource, fs_fault_kind kind, const char *on, int64_t index,
                    int64_t task, int64_t extra_ns)
{
    w->faults.fired++;
    w->faults.by_kind[kind]++;
    if (kind == FS_FAULT_HANG)
        w->hung_ns[resource] = fs_exec_now(w->ex);
    fs_event ev = {.type = FS_EV_FAULT, .t = fs_exec_now(w->ex),
                   .name = w->sc->resources[resource].name, .what = fs_fault_kind_name(kind),
                   .state = on, .count = index, .has_value = task >= 0, .value = task,
                   .dur = extra_ns};
    fs_exec_emit(w->ex, &ev);
}

bool fs_world_hung(const fs_world *w, int resource, int64_t *at_ns)
{
    if (!w || resource < 0 || w->hung_ns[resource] < 0)
        return false;
    *at_ns = w->hung_ns[resource];
    return true;
}

/* ---- the workers' faults ---------------------------------------------------- */

/* The polls from one pause of a worker fault to its next, up to and
 * including the poll that pauses: each poll pauses with probability p on its
 * own, so the gap is geometric, drawn once per pause (keyed by the worker,
 * the fault and the pause's number) instead of once per poll, and a busy
 * loop's fast-forward jumps over a million polls without a draw each. */
static int64_t fs__pause_gap(const fs_world *w, double p, uint64_t key)
{
    if (!(p > 0))
        return INT64_MAX;
    if (p >= 1)
        return 1;
    double u = 1.0 - fs_rand_unit(fs_rand_bits(w->seed, key)); /* (0, 1] */
    double g = floor(log(u) / log1p(-p));
    return g < 1e15 ? 1 + (int64_t)g : INT64_MAX;
}

static uint64_t fs__pause_key(int worker, size_t fault, uint64_t num)
{
    return fs_rand_key(fs_rand_key(fs_rand_key(FS__KEY_PAUSE, (uint64_t)worker), fault), num);
}

/* Fault j's max_pauses for worker v (-1: no bound): fixed, or drawn once per
 * run keyed by the worker and the fault (beside its pauses' draws). */
static int64_t fs__max_pauses(const fs_world *w, const fs_worker_fault_spec *f, int v, size_t j)
{
    if (f->max_pauses_draw.kind == FS_DUR_FIXED)
        return f->max_pauses;
    return fs__clamp(fs__draw(w, fs_rand_key(fs__pause_key(v, j, 0), 2), &f->max_pauses_draw), 0, FS_MAX_INT);
}

/* Room for the faults of workers 0..worker, each's first pause drawn. */
static bool fs__pause_room(fs_world *w, int worker)
{
    size_t nf = w->sc->n_worker_faults, n = ((size_t)worker + 1) * nf;
    if (worker < w->pause_workers)
        return true;
    int64_t *next = realloc(w->pause_next, n * sizeof *next);
    if (next)
        w->pause_next = next;
    uint64_t *num = next ? realloc(w->pause_num, n * sizeof *num) : NULL;
    if (!num)
        return false;
    w->pause_num = num;
    for (int v = w->pause_workers; v <= worker; v++)
        for (size_t j = 0; j < nf; j++) {
            const fs_worker_fault_spec *f = &w->sc->worker_faults[j];
            bool mine = f->worker < 0 || f->worker == v;
            num[(size_t)v * nf + j] = 0;
            mine = mine && fs__max_pauses(w, f, v, j) != 0;
            next[(size_t)v * nf + j] = mine ? fs__pause_gap(w, f->p, fs__pause_key(v, j, 0)) : INT64_MAX;
        }
    w->pause_workers = worker + 1;
    return true;
}

int64_t fs_world_worker_pause(fs_world *w, int worker, int64_t polls, int64_t *next)
{
    size_t nf = w->sc->n_worker_faults;
    *next = INT64_MAX;
    if (!fs__pause_room(w, worker)) {
        fs_exec_out_of_memory(w->ex);
        return 0;
    }
    int64_t ns = 0;
    for (size_t j = 0; j < nf; j++) {
        size_t i = (size_t)worker * nf + j;
        if (polls > 0 && polls >= w->pause_next[i]) {
            /* pause number num fires: how long, then where the next falls */
            const fs_worker_fault_spec *f = &w->sc->worker_faults[j];
            uint64_t key = fs__pause_key(worker, j, w->pause_num[i]++);
            int64_t d = fs__draw_ns(w, fs_rand_key(key, 1), &f->pause);
            int64_t max = fs__max_pauses(w, f, worker, j);
            int64_t gap = max >= 0 && w->pause_num[i] >= (uint64_t)max
                              ? INT64_MAX /* its last */
                              : fs__pause_gap(w, f->p, fs__pause_key(worker, j, w->pause_num[i]));
            w->pause_next[i] = gap < INT64_MAX - polls ? polls + gap : INT64_MAX;
            w->faults.fired++;
            w->faults.by_kind[FS_FAULT_PAUSE]++;
            fs_event ev = {.type = FS_EV_FAULT, .t = fs_exec_now(w->ex), .what = "pause",
                           .worker = worker, .count = -1, .dur = d};
            fs_exec_emit(w->ex, &ev);
            ns = d < INT64_MAX - ns ? ns + d : INT64_MAX;
        }
        if (w->pause_next[i] < *next)
            *next = w->pause_next[i];
    }
    return ns;
}
