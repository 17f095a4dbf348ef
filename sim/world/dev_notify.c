/* dev_notify.c - tokio::sync::Notify and its futures: notify_one,
 * notify_waiters and notified.
 *
 * As tokio's: notify_one wakes the waiter that has waited longest, or, when
 * nobody waits, stores one permit (at most one) that the next notified
 * takes at once; notify_waiters wakes everyone waiting now and stores
 * nothing. A notified that was given a notify_one's notification and is
 * dropped before it saw it passes it on (to the next waiter, or as the
 * permit). notify_one and notify_waiters are ready at once with the number
 * of tasks they woke; notified is ready with 0. tokio does not budget
 * Notify: no coop units are spent here. */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

struct fs_notify {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    bool permit;            /* a notify_one nobody was waiting for */
    fs_wait_list waiters;   /* notified futures, oldest first */
};

typedef struct fs_notified {
    fs_node n;
    struct fs_notify *nt;
    fs_waiter wait;
    bool started;
    bool notified;          /* woken by a notification, not yet seen */
    bool by_one;            /* ... by notify_one (passed on if dropped) */
} fs_notified;

#define FS__OF(ptr) ((fs_notified *)(void *)((char *)(ptr) - offsetof(fs_notified, wait)))

struct fs_notify *fs_notify_create(fs_world *w, int resource)
{
    struct fs_notify *nt = calloc(1, sizeof *nt);
    if (!nt)
        return NULL;
    nt->world = w;
    nt->resource = resource;
    nt->spec = &fs_world_scenario(w)->resources[resource];
    return nt;
}

void fs_notify_free(struct fs_notify *nt)
{
    free(nt);
}

/* Wakes the oldest waiter with a notification; false if nobody waits. */
static bool fs__notify_head(struct fs_notify *nt, bool by_one)
{
    if (!nt->waiters.head)
        return false;
    fs_notified *o = FS__OF(nt->waiters.head);
    o->notified = true;
    o->by_one = by_one;
    return fs_wait_list_wake_one(&nt->waiters, fs_world_exec(nt->world),
                                 fs_world_wake_source(nt->world, nt->resource));
}

/* notify_one: the oldest waiter, else the permit. */
static int64_t fs__notify_one(struct fs_notify *nt)
{
    if (fs__notify_head(nt, true))
        return 1;
    nt->permit = true;
    return 0;
}

/* ---- notify_one, notify_waiters ------------------------------------------- */

static fs_poll fs__notify_poll(fs_future *f, fs_context *cx)
{
    fs_node *n = (fs_node *)f;
    struct fs_notify *nt = fs_world_notify(n->world, n->spec->resource);
    cx->state = n->spec->label;
    int64_t woken = 0;
    if (n->spec->kind == FS_FUT_NOTIFY_ONE) {
        woken = fs__notify_one(nt);
        fs_world_io(nt->world, nt->resource, "notify_one", true, woken);
    } else {
        while (fs__notify_head(nt, false))
            woken++;
        fs_world_io(nt->world, nt->resource, "notify_waiters", true, woken);
    }
    return fs_ready(woken);
}

static const fs_future_vtable fs__notify_vt = {.name = "notify", .poll = fs__notify_poll};

size_t fs_notify_op_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_notified);
}

/* ---- notified -------------------------------------------------------------- */

static fs_poll fs__notified_poll(fs_future *f, fs_context *cx)
{
    fs_notified *o = (fs_notified *)f;
    struct fs_notify *nt = o->nt;
    cx->state = o->n.spec->label;
    if (!o->started) {
        o->started = true;
        if (nt->permit) {
            nt->permit = false;
            return fs_ready(0);
        }
    }
    if (o->notified) {
        o->notified = false;
        fs_waker_drop(&o->wait.waker);
        return fs_ready(0);
    }
    fs_node_wait(&o->n, cx, &nt->waiters, &o->wait, nt->spec->name);
    return FS_PENDING;
}

static void fs__notified_drop(fs_future *f)
{
    fs_notified *o = (fs_notified *)f;
    if (o->n.spec->kind != FS_FUT_NOTIFIED)
        return;
    fs_waiter_leave(&o->nt->waiters, &o->wait);
    if (o->notified && o->by_one)
        fs__notify_one(o->nt); /* a notification nobody saw is passed on */
}

static const fs_future_vtable fs__notified_vt = {
    .name = "notified", .poll = fs__notified_poll, .drop = fs__notified_drop};

void fs_notify_op_init(fs_node *n)
{
    fs_notified *o = (fs_notified *)n;
    n->base.vt = n->spec->kind == FS_FUT_NOTIFIED ? &fs__notified_vt : &fs__notify_vt;
    o->nt = fs_world_notify(n->world, n->spec->resource);
    o->wait = (fs_waiter){0};
    o->started = o->notified = o->by_one = false;
}
