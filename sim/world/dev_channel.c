/* dev_channel.c - a multi-producer channel, bounded or unbounded (tokio's
 * mpsc), and its send and recv futures. send is ready when there is room
 * (it then wakes the receiver that has waited longest), else it waits in
 * the senders' list; recv is ready when a value is buffered (it then wakes
 * the longest-waiting sender), else it waits in the receivers' list. A
 * send's value is its "value", or else the channel's running count of sends
 * (1, 2, 3 ...).
 *
 * A channel closes when every task that holds a sender is done (a task
 * holds one while its future, spawns included, has a send to it: the world
 * counts them), or at a close: then sends fail with "closed", and receivers
 * take what is buffered, then fail with "closed" (recv() -> None).
 *
 * Its receiver is dropped when every task that holds it is done (a task
 * holds it while its future, spawns included, has a recv from it), as
 * tokio's Receiver is dropped with the task that owns it: then every send,
 * the waiting ones first, fails with "closed" (Sender::send's Err), and
 * what is buffered is never read. */
#include "kinds.h"
#include "wait_list.h"

#include <stddef.h>
#include <stdlib.h>

/* What a send or recv touches comes first, 120 bytes read in random
 * order (W3: 100,000 channels): the ring (inline when it holds at
 * most FS__INLINE values), the waiters, and the names a register and a
 * wake give, copied here so as not to reach the scenario's spec. The hot
 * part ends at `world`. */
enum { FS__INLINE = 2 };
struct fs_channel {
    int64_t *buf;       /* a ring of cap values (small: `small`) */
    int64_t cap;        /* the capacity; unbounded: the ring's size, doubling */
    int64_t head, len;
    bool unbounded;
    bool closed;
    bool rx_gone;       /* the receiver was dropped */
    int resource;
    fs_wait_list senders, receivers;
    const char *name;   /* the resource's name (register lines) */
    const char *source; /* "channel:NAME" (wake lines) */
    int64_t max_len;    /* the most it has held (an expectation checks it) */
    int64_t sent;       /* values sent so far */
    int64_t small[FS__INLINE];
    /* cold */
    fs_world *world;
    int64_t holders;    /* tasks alive that hold a sender */
    int64_t rx_holders; /* tasks alive that hold the receiver */
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
    const fs_resource_spec *spec = &fs_world_scenario(w)->resources[resource];
    c->unbounded = spec->capacity == FS_CAPACITY_UNBOUNDED;
    c->cap = c->unbounded ? 16 /* a random one: drawn once per run */
                          : fs_world_resource_count(w, resource, 0, &spec->size_draw, spec->capacity, 1,
                                                    FS_MAX_CAPACITY);
    c->name = spec->name;
    c->source = fs_world_wake_source(w, resource);
    c->buf = !c->unbounded && c->cap <= FS__INLINE ? c->small
                                                   : calloc((size_t)c->cap, sizeof *c->buf);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    return c;
}

int64_t fs_channel_capacity(const struct fs_channel *c)
{
    return c->unbounded ? 0 : c->cap;
}

int64_t fs_channel_max_len(const struct fs_channel *c)
{
    return c->max_len;
}

void fs_channel_free(struct fs_channel *c)
{
    if (!c)
        return;
    if (c->buf != c->small)
        free(c->buf);
    free(c);
}

/* An unbounded channel's ring, full, doubles (the values in order from 0). */
static bool fs__grow(struct fs_channel *c)
{
    int64_t *buf = malloc((size_t)c->cap * 2 * sizeof *buf);
    if (!buf)
        return false;
    for (int64_t i = 0; i < c->len; i++)
        buf[i] = c->buf[(c->head + i) % c->cap];
    free(c->buf);
    c->buf = buf;
    c->head = 0;
    c->cap *= 2;
    return true;
}

static void fs__wake_all(fs_wait_list *l, fs_exec *ex, const char *source)
{
    while (fs_wait_list_wake_one(l, ex, source))
        ;
}

void fs_channel_close(struct fs_channel *c)
{
    if (c->closed)
        return;
    c->closed = true;
    fs_world_io(c->world, c->resource, "closed", false, 0);
    const char *source = c->source;
    fs__wake_all(&c->receivers, fs_world_exec(c->world), source);
    fs__wake_all(&c->senders, fs_world_exec(c->world), source);
}

void fs_channel_hold(struct fs_channel *c, int64_t n)
{
    c->holders += n;
    if (c->holders == 0)
        fs_channel_close(c);
}

void fs_channel_hold_receiver(struct fs_channel *c, int64_t n)
{
    c->rx_holders += n;
    if (c->rx_holders > 0 || c->rx_gone)
        return;
    c->rx_gone = true;
    fs_world_io(c->world, c->resource, "receiver dropped", false, 0);
    fs__wake_all(&c->senders, fs_world_exec(c->world), c->source);
}

/* {"close": ch}: the channel closes at once, as if every sender were
 * dropped (or the receiver called close): sends fail, recvs drain and fail. */
static fs_poll fs__close_op_poll(fs_future *f, fs_context *cx)
{
    fs_node *n = (fs_node *)f;
    cx->state = n->spec->label;
    fs_channel_close(fs_world_channel(n->world, n->spec->resource));
    return fs_ready(0);
}

static const fs_future_vtable fs__close_op_vt = {.name = "close", .poll = fs__close_op_poll};

void fs_channel_close_op_init(fs_node *n)
{
    n->base.vt = &fs__close_op_vt;
}

static fs_poll fs__send(struct fs_channel *c, const int64_t *value, fs_waiter *w,
                        fs_context *cx, fs_wait_list **wait)
{
    if (c->closed || c->rx_gone) {
        fs_waiter_leave(&c->senders, w);
        return fs_ready_fail(FS_FAIL_CLOSED);
    }
    if (c->len == c->cap && !(c->unbounded && fs__grow(c))) {
        if (c->unbounded) { /* out of memory: the run stops */
            fs_exec_out_of_memory(cx->exec);
            return FS_PENDING;
        }
        *wait = &c->senders;
        return FS_PENDING;
    }
    c->sent++;
    int64_t v = value ? *value : c->sent;
    int64_t at = c->head + c->len; /* a wrap, not a division, per message */
    c->buf[at < c->cap ? at : at - c->cap] = v;
    if (++c->len > c->max_len)
        c->max_len = c->len;
    fs_waiter_leave(&c->senders, w);
    fs_wait_list_wake_one(&c->receivers, cx->exec, c->source);
    return fs_ready(v);
}

static fs_poll fs__recv(struct fs_channel *c, fs_waiter *w, fs_context *cx, fs_wait_list **wait)
{
    if (c->len == 0 && c->closed) {
        fs_waiter_leave(&c->receivers, w);
        return fs_ready_fail(FS_FAIL_CLOSED);
    }
    if (c->len == 0) {
        *wait = &c->receivers;
        return FS_PENDING;
    }
    int64_t v = c->buf[c->head];
    c->head = c->head + 1 < c->cap ? c->head + 1 : 0;
    c->len--;
    fs_waiter_leave(&c->receivers, w);
    fs_wait_list_wake_one(&c->senders, cx->exec, c->source);
    return fs_ready(v);
}

fs_poll fs_channel_op(struct fs_channel *c, bool send, const int64_t *value, fs_waiter *w,
                      fs_context *cx, fs_wait_list **wait)
{
    *wait = NULL;
    return send ? fs__send(c, value, w, cx, wait) : fs__recv(c, w, cx, wait);
}

void fs_channel_leave(struct fs_channel *c, bool send, fs_waiter *w)
{
    fs_waiter_leave(send ? &c->senders : &c->receivers, w);
}

void fs_channel_prefetch(const struct fs_channel *c)
{
    const char *p = (const char *)c;
    __builtin_prefetch(p, 1);
    __builtin_prefetch(p + 64, 1);
    __builtin_prefetch(p + offsetof(struct fs_channel, world) - 1, 1);
    __asm__ volatile(""); /* or gcc finds the function pure and drops its calls */
}

const char *fs_channel_name(const struct fs_channel *c)
{
    return c->name;
}

static fs_poll fs__chan_poll(fs_future *f, fs_context *cx)
{
    fs_chan_op *op = (fs_chan_op *)f;
    const fs_future_spec *spec = op->n.spec;
    cx->state = spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    struct fs_channel *c = op->chan;
    fs_wait_list *wait;
    fs_poll r = fs_channel_op(c, spec->kind == FS_FUT_SEND, spec->has_value ? &spec->value : NULL,
                              &op->wait, cx, &wait);
    if (wait)
        fs_node_wait(&op->n, cx, wait, &op->wait, c->name);
    if (r.ready)
        fs_coop_spend(cx);
    return r;
}

static void fs__chan_drop(fs_future *f)
{
    fs_chan_op *op = (fs_chan_op *)f;
    fs_channel_leave(op->chan, op->n.spec->kind == FS_FUT_SEND, &op->wait);
}

static void fs__chan_prefetch(const fs_future *f, uint32_t task)
{
    (void)task;
    const fs_chan_op *op = (const fs_chan_op *)f;
    __builtin_prefetch(op->n.spec);
    fs_channel_prefetch(op->chan);
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
