/* dev_semaphore.c - tokio's batch semaphore, and Mutex and RwLock on it,
 * with the lock, read_lock, write_lock and acquire futures whose "do" body
 * is the guard's lifetime.
 *
 * As tokio::sync::batch_semaphore: permits free now, and waiters queued
 * oldest first. An acquire takes what is free (all of it if it needs more)
 * and queues for the rest; released permits go to the oldest waiter first,
 * which keeps them even when they are not yet enough, so a large acquire at
 * the head holds back the smaller ones behind it (FIFO, no barging). Permits
 * are free only while nobody waits. A waiter whose need is met is taken out
 * of the queue and woken; its next poll finds it done. A Mutex is a
 * semaphore of one permit: its lock is FIFO fair. An RwLock is one of
 * max_readers permits, as tokio's: a read takes one, a write all of them,
 * so read guards share, and a writer that waits at the head of the queue
 * takes the permits readers give back and holds back every later reader
 * (fair, write-preferring).
 *
 * The acquire poll asks the coop budget first and spends one unit when it
 * gets its permits (tokio's Acquire::poll); the body then runs in the same
 * poll. When the body is ready, or the future is dropped, its permits go
 * back (the guard's drop). close wakes every waiter: their acquires fail
 * with "closed" (the body never runs), as do later ones; holders keep theirs.
 *
 * Every holder is kept in a list too, with its task, so a stall can say who
 * holds what and name a cycle of tasks each waiting for the next. */
#include "kinds.h"
#include "wait_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fs_semaphore {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    int64_t permits;        /* in all (a random count: as drawn) */
    int64_t free;           /* permits free now: 0 while anyone waits */
    bool closed;
    fs_wait_list waiters;   /* acquires short of permits, oldest first */
    fs_wait_list holders;   /* acquires holding their permits, oldest first */
};

/* An acquire's state: START (not polled), QUEUED (waiting, maybe holding
 * some permits already), HELD (the body runs), OVER (body done, or the
 * acquire failed: nothing held). */
enum { FS__SEM_START, FS__SEM_QUEUED, FS__SEM_HELD, FS__SEM_OVER };

typedef struct fs_acquire {
    fs_node n;
    struct fs_semaphore *sem;
    fs_waiter wait;         /* in waiters while QUEUED */
    fs_waiter hold;         /* in holders while HELD (no waker) */
    int64_t need;           /* permits still to come */
    int64_t got;            /* permits assigned so far */
    uint32_t task;
    int32_t state;
    _Alignas(FS_NODE_ALIGN) unsigned char body[];
} fs_acquire;

#define FS__OF(ptr, field) ((fs_acquire *)(void *)((char *)(ptr) - offsetof(fs_acquire, field)))

struct fs_semaphore *fs_semaphore_create(fs_world *w, int resource)
{
    struct fs_semaphore *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->world = w;
    s->resource = resource;
    s->spec = &fs_world_scenario(w)->resources[resource];
    /* a random count of permits (an rwlock's max_readers): drawn once per run */
    bool rw = s->spec->kind == FS_RES_RWLOCK;
    s->permits = fs_world_resource_count(w, resource, 0, &s->spec->size_draw, s->spec->permits, rw ? 1 : 0,
                                         rw ? FS_MAX_READERS : FS_MAX_PERMITS);
    s->free = s->permits;
    return s;
}

void fs_semaphore_free(struct fs_semaphore *s)
{
    free(s);
}

static bool fs__is_mutex(const struct fs_semaphore *s)
{
    return s->spec->kind == FS_RES_MUTEX;
}

static bool fs__is_rwlock(const struct fs_semaphore *s)
{
    return s->spec->kind == FS_RES_RWLOCK;
}

/* The io line of a guard taken or given back: "locked 3", "read locked 3",
 * "acquired 3" ... */
static const char *fs__io_what(const fs_acquire *a, bool taken)
{
    switch (a->n.spec->kind) {
    case FS_FUT_LOCK: return taken ? "locked" : "unlocked";
    case FS_FUT_READ_LOCK: return taken ? "read locked" : "read unlocked";
    case FS_FUT_WRITE_LOCK: return taken ? "write locked" : "write unlocked";
    default: return taken ? "acquired" : "released";
    }
}

/* Gives n permits back: to the oldest waiters first (each woken once its
 * need is met; the head keeps a partial share and the rest stop there),
 * then to the free count (add_permits_locked). */
static void fs__release(struct fs_semaphore *s, int64_t n)
{
    while (n > 0 && s->waiters.head) {
        fs_acquire *a = FS__OF(s->waiters.head, wait);
        int64_t take = n < a->need ? n : a->need;
        a->need -= take;
        a->got += take;
        n -= take;
        if (a->need > 0)
            break;
        fs_wait_list_remove(&s->waiters, &a->wait);
        fs_world_wake(s->world, &a->wait.waker, fs_world_wake_source(s->world, s->resource));
    }
    s->free += n;
}

/* The guard's drop: the permits go back. */
static void fs__unhold(fs_acquire *a)
{
    struct fs_semaphore *s = a->sem;
    fs_wait_list_remove(&s->holders, &a->hold);
    a->state = FS__SEM_OVER;
    fs_world_io(s->world, s->resource, fs__io_what(a, false), true, a->task);
    int64_t got = a->got;
    a->got = 0;
    fs__release(s, got);
}

/* Tries for the permits; true once they are all assigned. */
static bool fs__try_acquire(fs_acquire *a, fs_context *cx)
{
    struct fs_semaphore *s = a->sem;
    if (a->state == FS__SEM_START) {
        a->task = cx->task;
        if (a->n.spec->kind == FS_FUT_ACQUIRE && a->n.spec->dur.kind != FS_DUR_FIXED) /* drawn as it starts */
            a->need = fs_node_draw_count(&a->n, cx, &a->n.spec->dur, 0, 1, FS_MAX_PERMITS);
        int64_t take = s->free < a->need ? s->free : a->need;
        s->free -= take;
        a->got += take;
        a->need -= take;
        a->state = FS__SEM_QUEUED;
    }
    if (a->need == 0) {
        fs_waiter_leave(&s->waiters, &a->wait);
        return true;
    }
    fs_node_wait(&a->n, cx, &s->waiters, &a->wait, s->spec->name);
    fs_wait_list_push(&s->waiters, &a->wait); /* queued even without a waker (forgotten) */
    return false;
}

static fs_poll fs__acquire_poll(fs_future *f, fs_context *cx)
{
    fs_acquire *a = (fs_acquire *)f;
    struct fs_semaphore *s = a->sem;
    if (a->state != FS__SEM_HELD) {
        FS_EXPECT(a->state != FS__SEM_OVER);
        cx->state = a->n.spec->label;
        if (!fs_coop_proceed(cx))
            return FS_PENDING;
        if (s->closed) {
            /* AcquireError: what it held already goes back. */
            fs_waiter_leave(&s->waiters, &a->wait);
            a->state = FS__SEM_OVER;
            int64_t got = a->got;
            a->got = 0;
            fs__release(s, got);
            fs_coop_spend(cx);
            return fs_ready_fail(FS_FAIL_CLOSED);
        }
        if (!fs__try_acquire(a, cx))
            return FS_PENDING;
        fs_coop_spend(cx);
        a->state = FS__SEM_HELD;
        fs_wait_list_push(&s->holders, &a->hold);
        fs_world_io(s->world, s->resource, fs__io_what(a, true), true, a->task);
        fs_node_init(a->body, a->n.world, &a->n.spec->children[0], a->n.occ);
    }
    fs_poll p = fs_future_poll((fs_future *)a->body, cx);
    if (!p.ready)
        return FS_PENDING;
    fs_future_drop((fs_future *)a->body);
    fs__unhold(a);
    return p;
}

static void fs__acquire_drop(fs_future *f)
{
    fs_acquire *a = (fs_acquire *)f;
    struct fs_semaphore *s = a->sem;
    if (a->state == FS__SEM_QUEUED) {
        /* Acquire's drop: out of the queue, and the permits it was given
         * so far go back (to whoever waits behind it). */
        fs_waiter_leave(&s->waiters, &a->wait);
        int64_t got = a->got;
        a->got = 0;
        a->state = FS__SEM_OVER;
        fs__release(s, got);
    } else if (a->state == FS__SEM_HELD) {
        fs_future_drop((fs_future *)a->body);
        fs__unhold(a);
    }
}

static void fs__acquire_prefetch(const fs_future *f, uint32_t task)
{
    (void)task;
    const fs_acquire *a = (const fs_acquire *)f;
    __builtin_prefetch(a->n.spec);
    __builtin_prefetch(a->sem, 1);
}

static const fs_future_vtable fs__acquire_vt = {
    .name = "acquire", .poll = fs__acquire_poll, .drop = fs__acquire_drop,
    .prefetch = fs__acquire_prefetch};

size_t fs_acquire_size(const fs_future_spec *s)
{
    return sizeof(fs_acquire) + s->children[0].inst_size;
}

void fs_acquire_init(fs_node *n)
{
    fs_acquire *a = (fs_acquire *)n;
    n->base.vt = &fs__acquire_vt;
    a->sem = fs_world_semaphore(n->world, n->spec->resource);
    a->wait = (fs_waiter){0};
    a->hold = (fs_waiter){0};
    switch (n->spec->kind) {
    case FS_FUT_LOCK:
    case FS_FUT_READ_LOCK: a->need = 1; break;
    case FS_FUT_WRITE_LOCK: a->need = a->sem->permits; break; /* max_readers */
    default: a->need = n->spec->value;
    }
    a->got = 0;
    a->task = 0;
    a->state = FS__SEM_START;
}

/* ---- close ---------------------------------------------------------------- */

/* {"close": s}: Semaphore::close. Every waiter is woken and fails. */
static fs_poll fs__close_poll(fs_future *f, fs_context *cx)
{
    fs_node *n = (fs_node *)f;
    struct fs_semaphore *s = fs_world_semaphore(n->world, n->spec->resource);
    cx->state = n->spec->label;
    if (!s->closed) {
        s->closed = true;
        fs_world_io(s->world, s->resource, "closed", false, 0);
        fs_exec *ex = fs_world_exec(s->world);
        while (fs_wait_list_wake_one(&s->waiters, ex, fs_world_wake_source(s->world, s->resource))) {
        }
    }
    return fs_ready(0);
}

static const fs_future_vtable fs__close_vt = {.name = "close", .poll = fs__close_poll};

size_t fs_close_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_node);
}

void fs_close_init(fs_node *n)
{
    n->base.vt = &fs__close_vt;
}

/* ---- why a task is stuck -------------------------------------------------- */

/* The acquire that task waits in, on any semaphore or mutex; NULL if none. */
static const fs_acquire *fs__waiting(fs_world *w, uint32_t task)
{
    const fs_scenario *sc = fs_world_scenario(w);
    for (size_t r = 0; r < sc->n_resources; r++) {
        const struct fs_semaphore *s = fs_world_semaphore(w, (int)r);
        if (!s)
            continue;
        for (const fs_waiter *it = s->waiters.head; it; it = it->next)
            if (FS__OF(it, wait)->task == task)
                return FS__OF(it, wait);
    }
    return NULL;
}

/* The task holding mutex s, or -1 (a mutex has at most one holder). */
static int64_t fs__holder(const struct fs_semaphore *s)
{
    return s->holders.head ? (int64_t)FS__OF(s->holders.head, hold)->task : -1;
}

static void fs__cat(char *buf, size_t n, size_t *len, const char *s)
{
    int k = snprintf(buf + *len, n - *len, "%s", s);
    if (k > 0)
        *len += (size_t)k < n - *len ? (size_t)k : n - *len - 1;
}

/* A cycle of mutexes through task: "a holds m1 and waits for m2; b holds
 * m2 and waits for m1", starting at task. False if task is in none. */
static const char *fs__name(fs_world *w, uint32_t task)
{
    const char *name = fs_exec_get_task(fs_world_exec(w), task)->name;
    return name ? name : "?";
}

static bool fs__cycle(fs_world *w, uint32_t task, char *buf, size_t n)
{
    enum { FS__MAX_CYCLE = 16 };
    uint32_t tasks[FS__MAX_CYCLE];
    const struct fs_semaphore *waits[FS__MAX_CYCLE];
    size_t k = 0;
    uint32_t t = task;
    for (;;) {
        const fs_acquire *a = fs__waiting(w, t);
        if (!a || !fs__is_mutex(a->sem) || k == FS__MAX_CYCLE)
            return false;
        tasks[k] = t;
        waits[k++] = a->sem;
        int64_t h = fs__holder(a->sem);
        if (h < 0)
            return false;
        if ((uint32_t)h == task)
            break;
        for (size_t i = 0; i < k; i++)
            if (tasks[i] == (uint32_t)h)
                return false; /* a cycle, but task only leads into it */
        t = (uint32_t)h;
    }
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        if (i)
            fs__cat(buf, n, &len, "; ");
        fs__cat(buf, n, &len, fs__name(w, tasks[i]));
        fs__cat(buf, n, &len, " holds ");
        fs__cat(buf, n, &len, waits[(i + k - 1) % k]->spec->name);
        fs__cat(buf, n, &len, " and waits for ");
        fs__cat(buf, n, &len, waits[i]->spec->name);
    }
    return true;
}

/* ---- why a task is stuck on an rwlock -------------------------------------- */

/* "read", "write"; NULL for a lock or an acquire. */
static const char *fs__mode(const fs_acquire *a)
{
    return a->n.spec->kind == FS_FUT_READ_LOCK ? "read" : a->n.spec->kind == FS_FUT_WRITE_LOCK ? "write" : NULL;
}

/* "w (write)" for a guard of an rwlock, else the task's name. */
static void fs__cat_who(fs_world *w, char *buf, size_t n, size_t *len, const fs_acquire *a)
{
    fs__cat(buf, n, len, fs__name(w, a->task));
    if (fs__mode(a)) {
        fs__cat(buf, n, len, " (");
        fs__cat(buf, n, len, fs__mode(a));
        fs__cat(buf, n, len, ")");
    }
}

/* A waiting acquire waits directly for the one queued just ahead of it
 * (the queue is served in order), or, at the head, for every holder. */
enum { FS__MAX_BLOCKERS = 8, FS__MAX_PATH = 16, FS__MAX_VISITS = 4096 };
static size_t fs__blockers(const fs_acquire *a, const fs_acquire **out, bool *ahead)
{
    size_t k = 0;
    *ahead = a->wait.prev != NULL;
    if (*ahead) {
        out[k++] = FS__OF(a->wait.prev, wait);
        return k;
    }
    for (const fs_waiter *it = a->sem->holders.head; it && k < FS__MAX_BLOCKERS; it = it->next)
        out[k++] = FS__OF(it, hold);
    return k;
}

/* A path of waits from task t back to `start` through mutexes and rwlocks
 * (depth first, at most FS__MAX_PATH long): step i is path[i] waiting,
 * blocked by by[i] (queued ahead of it when ahead[i]). */
typedef struct fs__path {
    const fs_acquire *wait[FS__MAX_PATH], *by[FS__MAX_PATH];
    bool ahead[FS__MAX_PATH];
    size_t len;
    int visits;
} fs__path;

static bool fs__find_path(fs_world *w, uint32_t start, uint32_t t, fs__path *p)
{
    const fs_acquire *a = fs__waiting(w, t);
    if (!a || (!fs__is_mutex(a->sem) && !fs__is_rwlock(a->sem)) || p->len == FS__MAX_PATH ||
        ++p->visits > FS__MAX_VISITS)
        return false;
    for (size_t i = 0; i < p->len; i++)
        if (p->wait[i]->task == t)
            return false; /* a cycle that start only leads into */
    const fs_acquire *by[FS__MAX_BLOCKERS];
    bool ahead;
    size_t nb = fs__blockers(a, by, &ahead), at = p->len++;
    p->wait[at] = a;
    p->ahead[at] = ahead;
    for (size_t i = 0; i < nb; i++) {
        p->by[at] = by[i];
        if (by[i]->task == start || fs__find_path(w, start, by[i]->task, p))
            return true;
    }
    p->len = at;
    return false;
}

/* "a waits to read rw, queued behind w (write); w waits to write rw, held
 * by a (read)". */
static void fs__path_text(fs_world *w, const fs__path *p, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->len; i++) {
        const fs_acquire *a = p->wait[i];
        if (i)
            fs__cat(buf, n, &len, "; ");
        fs__cat(buf, n, &len, fs__name(w, a->task));
        fs__cat(buf, n, &len, fs__mode(a) ? " waits to " : " waits for ");
        if (fs__mode(a)) {
            fs__cat(buf, n, &len, fs__mode(a));
            fs__cat(buf, n, &len, " ");
        }
        fs__cat(buf, n, &len, a->sem->spec->name);
        fs__cat(buf, n, &len, p->ahead[i] ? ", queued behind " : ", held by ");
        fs__cat_who(w, buf, n, &len, p->by[i]);
    }
}

/* Why a read_lock or write_lock waits: a deadlock's cycle, or who holds
 * the rwlock and who is queued ahead. */
static void fs__rwlock_explain(fs_world *w, const fs_acquire *a, char *buf, size_t n)
{
    const struct fs_semaphore *s = a->sem;
    fs__path p = {.len = 0};
    char text[400];
    if (fs__find_path(w, a->task, a->task, &p)) {
        fs__path_text(w, &p, text, sizeof text);
        snprintf(buf, n, "deadlock: %s", text);
        return;
    }
    size_t len = 0, k = 0;
    text[0] = '\0';
    for (const fs_waiter *it = s->holders.head; it; it = it->next, k++) {
        if (k == 4) {
            size_t more = 0;
            for (; it; it = it->next)
                more++;
            char m[48];
            snprintf(m, sizeof m, " and %zu more", more);
            fs__cat(text, sizeof text, &len, m);
            break;
        }
        if (k)
            fs__cat(text, sizeof text, &len, ", ");
        fs__cat_who(w, text, sizeof text, &len, FS__OF(it, hold));
    }
    char ahead[200] = "";
    if (a->wait.prev) {
        const fs_acquire *b = FS__OF(a->wait.prev, wait);
        size_t al = 0;
        fs__cat(ahead, sizeof ahead, &al, "; ");
        fs__cat_who(w, ahead, sizeof ahead, &al, b);
        fs__cat(ahead, sizeof ahead, &al, " is queued ahead of this ");
        fs__cat(ahead, sizeof ahead, &al, fs__mode(a));
        if (fs__mode(b)[0] == 'w' && fs__mode(a)[0] == 'r')
            fs__cat(ahead, sizeof ahead, &al, " (a waiting writer holds back later readers)");
    }
    if (k)
        snprintf(buf, n, "rwlock %s is held by %s%s, and none of them can finish", s->spec->name, text, ahead);
    else if (a->wait.prev)
        snprintf(buf, n, "rwlock %s is free%s, which cannot finish either", s->spec->name, ahead);
    else
        snprintf(buf, n, "rwlock %s is free, but its waker was lost", s->spec->name);
}

bool fs_semaphore_explain(fs_world *w, uint32_t task, char *buf, size_t n)
{
    const fs_acquire *a = fs__waiting(w, task);
    if (!a || n == 0)
        return false;
    const struct fs_semaphore *s = a->sem;
    char cycle[400];
    if (fs__is_rwlock(s)) {
        fs__rwlock_explain(w, a, buf, n);
    } else if (fs__is_mutex(s) && fs__cycle(w, task, cycle, sizeof cycle)) {
        snprintf(buf, n, "deadlock: %s", cycle);
    } else if (fs__is_mutex(s) && fs__holder(s) >= 0) {
        snprintf(buf, n, "mutex %s is held by %s, which cannot finish either", s->spec->name,
                 fs__name(w, (uint32_t)fs__holder(s)));
    } else if (fs__is_mutex(s)) {
        snprintf(buf, n, "mutex %s is free, but its waker was lost", s->spec->name);
    } else {
        size_t held = 0;
        for (const fs_waiter *it = s->holders.head; it; it = it->next)
            held++;
        snprintf(buf, n, "semaphore %s has %lld of %lld permits free, this acquire needs %lld "
                 "more, and no task left will release any (%zu holding)", s->spec->name,
                 (long long)s->free, (long long)s->permits, (long long)a->need, held);
    }
    return true;
}
