/* dev_oneshot.c - tokio::sync::oneshot: one value from a sender to a
 * receiver, and the futures send, recv and drop on it.
 *
 * send stores the value and wakes the receiver; it never waits, and it
 * consumes the sender (a second send fails with "closed"). {"drop": tx} drops
 * the sender without sending: a receiver waiting then, or later, gets the
 * RecvError, a failure "closed" (so does a recv after the value was
 * taken). So does the end of every task that holds the sender (a task holds
 * it while its future, spawns included, has a send or drop on it; see
 * fs_oneshot_hold), as Rust drops a Sender with the task that owns it. recv is
 * budgeted as tokio's Receiver::poll: it asks the coop budget first and
 * spends one unit when ready.
 *
 * The receiver is dropped the same way, with the last task that holds it
 * (its future has a recv on the oneshot): a send after that fails with
 * "closed", as tokio's Sender::send returns Err(value), and uses the sender
 * up as any send does. */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

struct fs_oneshot {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    bool has_value, taken;
    bool sender_gone;       /* sent or dropped */
    bool receiver_gone;     /* dropped: a send fails */
    int64_t holders;        /* tasks alive that hold the sender */
    int64_t rx_holders;     /* tasks alive that hold the receiver */
    int64_t value;
    fs_wait_list receivers; /* recv futures waiting, oldest first */
};

typedef struct fs_oneshot_op {
    fs_node n;
    struct fs_oneshot *o;
    fs_waiter wait;
} fs_oneshot_op;

struct fs_oneshot *fs_oneshot_create(fs_world *w, int resource)
{
    struct fs_oneshot *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->world = w;
    o->resource = resource;
    o->spec = &fs_world_scenario(w)->resources[resource];
    return o;
}

void fs_oneshot_free(struct fs_oneshot *o)
{
    free(o);
}

static void fs__wake_receivers(struct fs_oneshot *o)
{
    fs_exec *ex = fs_world_exec(o->world);
    while (fs_wait_list_wake_one(&o->receivers, ex, fs_world_wake_source(o->world, o->resource))) {
    }
}

/* Drops the sender unsent: every receiver, now or later, gets "closed". */
static void fs__drop_sender(struct fs_oneshot *o)
{
    if (o->sender_gone)
        return;
    o->sender_gone = true;
    fs_world_io(o->world, o->resource, "sender dropped", false, 0);
    fs__wake_receivers(o);
}

void fs_oneshot_hold(struct fs_oneshot *o, int64_t n)
{
    o->holders += n;
    if (o->holders == 0)
        fs__drop_sender(o);
}

void fs_oneshot_hold_receiver(struct fs_oneshot *o, int64_t n)
{
    o->rx_holders += n;
    if (o->rx_holders > 0 || o->receiver_gone)
        return;
    o->receiver_gone = true;
    /* said only while a send could still come: after it, nobody can tell */
    if (!o->sender_gone)
        fs_world_io(o->world, o->resource, "receiver dropped", false, 0);
}

static fs_poll fs__oneshot_poll(fs_future *f, fs_context *cx)
{
    fs_oneshot_op *op = (fs_oneshot_op *)f;
    struct fs_oneshot *o = op->o;
    const fs_future_spec *spec = op->n.spec;
    cx->state = spec->label;
    if (spec->kind == FS_FUT_SEND) {
        if (o->sender_gone)
            return fs_ready_fail(FS_FAIL_CLOSED);
        o->sender_gone = true;
        if (o->receiver_gone) /* Err(value): the sender is used up all the same */
            return fs_ready_fail(FS_FAIL_CLOSED);
        o->has_value = true;
        o->value = spec->has_value ? spec->value : 1;
        fs_world_io(o->world, o->resource, "sent", true, o->value);
        fs__wake_receivers(o);
        return fs_ready(o->value);
    }
    if (spec->kind == FS_FUT_DROP) {
        fs__drop_sender(o);
        return fs_ready(0);
    }
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (!o->sender_gone) {
        fs_node_wait(&op->n, cx, &o->receivers, &op->wait, o->spec->name);
        return FS_PENDING;
    }
    fs_waiter_leave(&o->receivers, &op->wait);
    fs_coop_spend(cx);
    if (o->has_value && !o->taken) {
        o->taken = true;
        return fs_ready(o->value);
    }
    return fs_ready_fail(FS_FAIL_CLOSED); /* RecvError: the sender was dropped */
}

static void fs__oneshot_drop(fs_future *f)
{
    fs_oneshot_op *op = (fs_oneshot_op *)f;
    fs_waiter_leave(&op->o->receivers, &op->wait);
}

static const fs_future_vtable fs__oneshot_vt = {
    .name = "oneshot", .poll = fs__oneshot_poll, .drop = fs__oneshot_drop};

size_t fs_oneshot_op_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_oneshot_op);
}

void fs_oneshot_op_init(fs_node *n)
{
    fs_oneshot_op *op = (fs_oneshot_op *)n;
    n->base.vt = &fs__oneshot_vt;
    op->o = fs_world_oneshot(n->world, n->spec->resource);
    op->wait = (fs_waiter){0};
}
