/* dev_channel.c - a bounded multi-producer channel and its send and recv
 * futures. send is ready when there is room (it then wakes the receiver
 * that has waited longest), else it waits in the senders' list; recv is
 * ready when a value is buffered (it then wakes the longest-waiting sender),
 * else it waits in the receivers' list. A send's value is its "value", or
 * else the channel's running count of sends (1, 2, 3 ...). */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

struct fs_channel {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    int64_t *buf;       /* a ring of capacity values */
    int64_t head, len;
    int64_t sent;       /* values sent so far */
    fs_wait_list senders, receivers;
};

typedef struct fs_chan_op {
    fs_node n;
    struct fs_channel *chan;
    fs_waiter wait;
} fs_chan_op;

struct fs_channel *fs_channel_create(fs_world *w, int resource)
{
    struct fs_channel *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->world = w;
    c->resource = resource;
    c->spec = &fs_world_scenario(w)->resources[resource];
    c->buf = calloc((size_t)c->spec->capacity, sizeof *c->buf);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    return c;
}

void fs_channel_free(struct fs_channel *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c);
}

static fs_poll fs__send_poll(fs_chan_op *op, struct fs_channel *c, fs_context *cx)
{
    if (c->len == c->spec->capacity) {
        fs_node_wait(&op->n, cx, &c->senders, &op->wait, c->spec->name);
        return FS_PENDING;
    }
    c->sent++;
    int64_t v = op->n.spec->has_value ? op->n.spec->value : c->sent;
    int64_t at = c->head + c->len; /* a wrap, not a division, per message */
    c->buf[at < c->spec->capacity ? at : at - c->spec->capacity] = v;
    c->len++;
    fs_waiter_leave(&c->senders, &op->wait);
    fs_wait_list_wake_one(&c->receivers, cx->exec, fs_world_wake_source(op->n.world, c->resource));
    return fs_ready(v);
}

static fs_poll fs__recv_poll(fs_chan_op *op, struct fs_channel *c, fs_context *cx)
{
    if (c->len == 0) {
        fs_node_wait(&op->n, cx, &c->receivers, &op->wait, c->spec->name);
        return FS_PENDING;
    }
    int64_t v = c->buf[c->head];
    c->head = c->head + 1 < c->spec->capacity ? c->head + 1 : 0;
    c->len--;
    fs_waiter_leave(&c->receivers, &op->wait);
    fs_wait_list_wake_one(&c->senders, cx->exec, fs_world_wake_source(op->n.world, c->resource));
    return fs_ready(v);
}

static fs_poll fs__chan_poll(fs_future *f, fs_context *cx)
{
    fs_chan_op *op = (fs_chan_op *)f;
    cx->state = op->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    struct fs_channel *c = op->chan;
    fs_poll r = op->n.spec->kind == FS_FUT_SEND ? fs__send_poll(op, c, cx) : fs__recv_poll(op, c, cx);
    if (r.ready)
        fs_coop_spend(cx);
    return r;
}

static void fs__chan_drop(fs_future *f)
{
    fs_chan_op *op = (fs_chan_op *)f;
    struct fs_channel *c = op->chan;
    fs_waiter_leave(op->n.spec->kind == FS_FUT_SEND ? &c->senders : &c->receivers, &op->wait);
}

static void fs__chan_prefetch(const fs_future *f)
{
    const fs_chan_op *op = (const fs_chan_op *)f;
    __builtin_prefetch(op->n.spec);
    __builtin_prefetch(op->chan, 1);
}

static const fs_future_vtable fs__chan_vt = {
    .name = "channel", .poll = fs__chan_poll, .drop = fs__chan_drop,
    .prefetch = fs__chan_prefetch};

size_t fs_channel_op_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_chan_op);
}

void fs_channel_op_init(fs_node *n)
{
    fs_chan_op *op = (fs_chan_op *)n;
    n->base.vt = &fs__chan_vt;
    op->chan = fs_world_channel(n->world, n->spec->resource);
    op->wait = (fs_waiter){0};
}
