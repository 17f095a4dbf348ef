/* dev_listener.c - a TcpListener (readiness-based, as tokio's) and the
 * futures on it: accept, and read and write on a task's connection.
 *
 * Connections arrive by the listener's process whether or not anyone
 * accepts: at listed times, or one every D (fixed or drawn) after the
 * previous, counted from time 0, until a count or a time bound. Arrivals
 * queue in the backlog; `accept` takes the oldest and is ready with its
 * number (0, 1, ...), else waits; once the process is over and the backlog
 * is empty it fails with "closed", which ends `while accept`.
 *
 * A connection belongs to the task that accepted it, and to every task that
 * task spawns afterwards (the last connection it accepted): `{"read": l}`
 * and `{"write": l, ...}` act on it. Each connection brings its requests, one
 * every D after the connection (then after the previous request); a read
 * is ready with the request's number, and fails with "closed" once the peer
 * has sent all of them and every one was read.
 *
 * A write goes into the connection's send buffer, which drains at a fixed
 * rate (bytes per ms): its size is fixed or drawn (each write anew, keyed
 * as a duration is), and when the buffer is full the write waits, as write_all does,
 * until there is room for the rest (or the whole buffer); backpressure.
 *
 * Every draw is keyed by (listener, event index): connection i's gap by i,
 * request j of connection i by (i + 1) << 32 | j; a random count of
 * connections (drawn when the listener is made) by 0, a random until_ms by
 * FS__DRAW_UNTIL, connection i's count of requests (drawn when it comes) by
 * i + 1, its send buffer's bytes and drain rate by i + 1 | FS__DRAW_BUFFER
 * and | FS__DRAW_DRAIN, all in a key space of their own
 * (fs_world_resource_count). tokio budgets accept,
 * read and write (coop): each spends one unit when ready.
 *
 * Faults (docs/scenarios.md) are drawn per connection and per request,
 * keyed as their gaps are, when they are scheduled: a latency fault delays
 * it (and the process after it); a connection that fails is accepted with
 * the error "io" and brings nothing; one that hangs never comes; one that
 * resets is accepted, but its reads and writes fail with "reset". A request
 * that fails is read as the error "io"; one that hangs never comes, nor do
 * the ones after it; one that resets resets its connection. */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

typedef struct fs_conn {
    fs_qnode q;             /* its next request's arrival */
    struct fs_listener *l;
    int64_t id;
    int64_t arrived, read;  /* requests */
    int64_t requests;       /* requests it brings */
    int64_t empty_at;       /* when the send buffer will be empty (ns) */
    int64_t buffer, drain;  /* its send buffer's bytes and drain_per_ms (drawn, when random) */
    fs_wait_list readers;
    fs_fault_outcome next_fault; /* its next request's, drawn when scheduled */
    bool failed;            /* a fail fault on the connection: accept fails */
    bool reset;             /* a reset fault: reads and writes fail */
    int64_t *fails;         /* requests that are errors (fail faults), in order */
    size_t n_fails, fails_read, cap_fails;
} fs_conn;

struct fs_listener {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    fs_qnode next;          /* the next connection's arrival */
    fs_qnode end;           /* the process's end at until_ms */
    int64_t arrived, accepted;
    int64_t conn_count;     /* connections in all (-1: no count; until_ms bounds them) */
    int64_t until_ns;       /* until_ms in ns, drawn when random (-1: none) */
    int64_t next_index;     /* the next connection's event index (hung ones count) */
    fs_fault_outcome next_fault; /* the next connection's, drawn when scheduled */
    bool closed;            /* no connection will come any more */
    fs_conn **conns;        /* arrived connections, by number */
    size_t cap;
    fs_wait_list acceptors;
};

/* A future on a listener: accept, read or write. */
typedef struct fs_netop {
    fs_node n;
    fs_waiter wait;         /* accept, read: the queue; write: the waker */
    fs_qnode q;             /* write: when the buffer has room again */
    fs_conn *conn;          /* read, write: the task's connection */
    int64_t bytes;          /* write: its size (-1 until its first poll draws it) */
    int64_t left;           /* write: bytes not yet in the buffer */
    bool timed;             /* write: q is on the agenda */
} fs_netop;

#define FS__NS_PER_MS 1000000
/* A count's key beside a connection's number (< 2^20): which count it is. */
#define FS__DRAW_BUFFER (1ull << 40)
#define FS__DRAW_DRAIN (2ull << 40)
#define FS__DRAW_UNTIL (3ull << 40)

/* ---- the device ---------------------------------------------------------- */

static int64_t fs__gap_ns(const struct fs_listener *l, uint64_t index, const fs_dur *d)
{
    return fs_world_resource_draw_ns(l->world, l->resource, index, d);
}

static void fs__close(struct fs_listener *l)
{
    l->closed = true;
    fs_world_io(l->world, l->resource, "closed", false, 0);
    /* acceptors left waiting now fail with "closed" */
    while (fs_wait_list_wake_one(&l->acceptors, fs_world_exec(l->world),
                                 fs_world_wake_source(l->world, l->resource)))
        ;
}

/* Puts connection number l->arrived on the agenda after `now`, or ends the
 * process. */
static void fs__schedule_next(struct fs_listener *l, int64_t now)
{
    const fs_resource_spec *r = l->spec;
    int64_t i = l->next_index;
    /* at most FS_MAX_ARRIVALS connections, whatever the bound: gaps of 0
     * ms until a time would never move the clock */
    if ((l->conn_count >= 0 && i >= l->conn_count) || i >= FS_MAX_ARRIVALS) {
        fs__close(l);
        return;
    }
    int64_t t = r->n_conn_at ? r->conn_at_ms[i] * FS__NS_PER_MS
                             : now + fs__gap_ns(l, (uint64_t)i, &r->conn_every);
    /* Connections come one after another: one a latency fault made late
     * may come past the next's listed time, or past `until`; the next
     * then comes (or the process ends) at once, never before it. */
    if (l->until_ns >= 0 && t > l->until_ns) {
        int64_t until = l->until_ns;
        fs_world_schedule(l->world, &l->end, until > now ? until : now);
        return;
    }
    l->next_fault = fs_world_resource_faults(l->world, l->resource, (uint64_t)i);
    t += l->next_fault.extra_ns;
    fs_world_schedule(l->world, &l->next, t > now ? t : now);
}

/* Request number c->arrived of c on the agenda, `now` + its gap (+ a
 * latency fault's time). */
static void fs__schedule_request(fs_world *world, fs_conn *c, int64_t now)
{
    struct fs_listener *l = c->l;
    uint64_t k = (uint64_t)(c->id + 1) << 32 | (uint64_t)c->arrived;
    c->next_fault = fs_world_resource_faults(world, l->resource, k);
    fs_world_schedule(world, &c->q, now + fs__gap_ns(l, k, &l->spec->req_every) + c->next_fault.extra_ns);
}

/* Resets c: its readers, the waiting ones first, fail with "reset". */
static void fs__reset(fs_world *world, fs_conn *c)
{
    c->reset = true;
    while (fs_wait_list_wake_one(&c->readers, fs_world_exec(world),
                                 fs_world_wake_source(world, c->l->resource)))
        ;
}

static void fs__end_fire(fs_qnode *q, void *world)
{
    (void)world;
    fs__close(FS_CONTAINER_OF(q, struct fs_listener, end));
}

static void fs__request_fire(fs_qnode *q, void *world)
{
    fs_conn *c = FS_CONTAINER_OF(q, fs_conn, q);
    struct fs_listener *l = c->l;
    fs_fault_outcome fault = c->next_fault;
    if (c->reset)
        return;
    if (fault.delayed)
        fs_world_fault(world, l->resource, FS_FAULT_LATENCY, "request", c->arrived, -1,
                       fault.extra_ns);
    if (fault.end == FS_FAULT_HANG) { /* the peer stops sending */
        fs_world_fault(world, l->resource, FS_FAULT_HANG, "request", c->arrived, -1, 0);
        return;
    }
    if (fault.end == FS_FAULT_RESET) {
        fs_world_fault(world, l->resource, FS_FAULT_RESET, "request", c->arrived, -1, 0);
        fs__reset(world, c);
        return;
    }
    if (fault.end == FS_FAULT_FAIL) {
        fs_world_fault(world, l->resource, FS_FAULT_FAIL, "request", c->arrived, -1, 0);
        if (c->n_fails == c->cap_fails) { /* room doubles */
            size_t cap = c->cap_fails ? c->cap_fails * 2 : 4;
            int64_t *m = realloc(c->fails, cap * sizeof *m);
            if (!m) {
                fs_exec_out_of_memory(fs_world_exec(world));
                return;
            }
            c->fails = m;
            c->cap_fails = cap;
        }
        c->fails[c->n_fails++] = c->arrived;
    }
    c->arrived++;
    if (fault.end != FS_FAULT_FAIL)
        fs_world_io(world, l->resource, "request", true, c->id);
    if (c->arrived < c->requests)
        fs__schedule_request(world, c, fs_exec_now(fs_world_exec(world)));
    fs_wait_list_wake_one(&c->readers, fs_world_exec(world),
                          fs_world_wake_source(world, l->resource));
}

static void fs__conn_fire(fs_qnode *q, void *world)
{
    struct fs_listener *l = FS_CONTAINER_OF(q, struct fs_listener, next);
    int64_t now = fs_exec_now(fs_world_exec(world));
    fs_fault_outcome fault = l->next_fault;
    int64_t index = l->next_index++;
    if (fault.delayed)
        fs_world_fault(world, l->resource, FS_FAULT_LATENCY, "connection", index, -1, fault.extra_ns);
    if (fault.end == FS_FAULT_HANG) { /* it never comes; the process goes on */
        fs_world_fault(world, l->resource, FS_FAULT_HANG, "connection", index, -1, 0);
        fs__schedule_next(l, now);
        return;
    }
    if ((size_t)l->arrived >= l->cap) { /* room doubles */
        size_t cap = l->cap ? l->cap * 2 : 16;
        fs_conn **m = realloc(l->conns, cap * sizeof *m);
        if (!m) {
            fs_exec_out_of_memory(fs_world_exec(world));
            return;
        }
        l->conns = m;
        l->cap = cap;
    }
    fs_conn *c = calloc(1, sizeof *c);
    if (!c) {
        fs_exec_out_of_memory(fs_world_exec(world));
        return;
    }
    fs_qnode_init(&c->q, fs__request_fire);
    c->l = l;
    c->id = l->arrived;
    c->empty_at = now;
    const fs_resource_spec *r = l->spec;
    uint64_t k = (uint64_t)c->id + 1;
    c->requests = fs_world_resource_count(world, l->resource, k, &r->req_count_draw, r->req_count, 0,
                                          FS_MAX_ARRIVALS);
    c->buffer = fs_world_resource_count(world, l->resource, k | FS__DRAW_BUFFER, &r->send_buffer_draw,
                                        r->send_buffer, 1, FS_MAX_BYTES);
    c->drain = fs_world_resource_count(world, l->resource, k | FS__DRAW_DRAIN, &r->drain_draw, r->drain_per_ms,
                                       1, FS_MAX_BYTES);
    l->conns[l->arrived++] = c;
    c->failed = fault.end == FS_FAULT_FAIL;
    c->reset = fault.end == FS_FAULT_RESET;
    if (fault.end < FS_FAULT__COUNT)
        fs_world_fault(world, l->resource, fault.end, "connection", index, -1, 0);
    fs_world_io(world, l->resource, "connect", true, c->id);
    if (c->requests > 0 && !c->failed && !c->reset)
        fs__schedule_request(world, c, now);
    fs_wait_list_wake_one(&l->acceptors, fs_world_exec(world),
                          fs_world_wake_source(world, l->resource));
    fs__schedule_next(l, now);
}

struct fs_listener *fs_listener_create(fs_world *w, int resource)
{
    struct fs_listener *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->world = w;
    l->resource = resource;
    l->spec = &fs_world_scenario(w)->resources[resource];
    fs_qnode_init(&l->next, fs__conn_fire);
    fs_qnode_init(&l->end, fs__end_fire);
    const fs_resource_spec *r = l->spec;
    l->conn_count = fs_world_resource_count(w, resource, 0, &r->conn_count_draw, r->conn_count, 0,
                                            FS_MAX_ARRIVALS);
    l->until_ns = r->conn_until_ms < 0 ? -1
                : fs_world_resource_count(w, resource, FS__DRAW_UNTIL, &r->until_draw, r->conn_until_ms, 0,
                                          FS_MAX_DURATION_MS) * FS__NS_PER_MS;
    if (l->conn_count == 0)
        l->closed = true; /* nothing will ever come: closed from the start */
    else
        fs__schedule_next(l, 0);
    return l;
}

void fs_listener_free(struct fs_listener *l)
{
    if (!l)
        return;
    for (int64_t i = 0; i < l->arrived; i++) {
        free(l->conns[i]->fails);
        free(l->conns[i]);
    }
    free(l->conns);
    free(l);
}

/* ---- accept ------------------------------------------------------------- */

static fs_poll fs__accept_poll(fs_future *f, fs_context *cx)
{
    fs_netop *o = (fs_netop *)f;
    struct fs_listener *l = fs_world_listener(o->n.world, o->n.spec->resource);
    cx->state = o->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (l->accepted < l->arrived) {
        int64_t c = l->accepted++;
        fs_waiter_leave(&l->acceptors, &o->wait);
        if (l->conns[c]->failed) { /* a fail fault: the accept errs (ECONNABORTED) */
            fs_coop_spend(cx);
            return fs_ready_fail(FS_FAIL_IO);
        }
        fs_world_set_task_conn(o->n.world, cx->task, l->resource, c);
        fs_world_io(o->n.world, l->resource, "accepted", true, c);
        fs_coop_spend(cx);
        return fs_ready(c);
    }
    if (l->closed) {
        fs_waiter_leave(&l->acceptors, &o->wait);
        return fs_ready_fail(FS_FAIL_CLOSED);
    }
    fs_node_wait(&o->n, cx, &l->acceptors, &o->wait, l->spec->name);
    return FS_PENDING;
}

/* ---- read: the next request ------------------------------------------------ */

/* The task's connection of this listener, or NULL. */
static fs_conn *fs__conn_of(fs_netop *o, const fs_context *cx)
{
    struct fs_listener *l = fs_world_listener(o->n.world, o->n.spec->resource);
    int64_t c;
    if (!o->conn && fs_world_task_conn(o->n.world, cx->task, l->resource, &c))
        o->conn = l->conns[c];
    return o->conn;
}

static fs_poll fs__read_poll(fs_future *f, fs_context *cx)
{
    fs_netop *o = (fs_netop *)f;
    cx->state = o->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    fs_conn *c = fs__conn_of(o, cx);
    if (c && c->reset) {
        fs_waiter_leave(&c->readers, &o->wait);
        return fs_ready_fail(FS_FAIL_RESET);
    }
    if (c && c->read < c->arrived) {
        fs_waiter_leave(&c->readers, &o->wait);
        fs_coop_spend(cx);
        if (c->fails_read < c->n_fails && c->fails[c->fails_read] == c->read) {
            c->fails_read++;
            c->read++;
            return fs_ready_fail(FS_FAIL_IO);
        }
        return fs_ready(c->read++);
    }
    if (!c || c->arrived >= c->requests) { /* the peer is done: EOF */
        if (c)
            fs_waiter_leave(&c->readers, &o->wait);
        return fs_ready_fail(FS_FAIL_CLOSED);
    }
    fs_node_wait(&o->n, cx, &c->readers, &o->wait, c->l->spec->name);
    return FS_PENDING;
}

/* ---- write: into the send buffer ------------------------------------------- */

/* ns c's buffer takes to drain k bytes (rounded up) */
static int64_t fs__drain_ns(const fs_conn *c, int64_t k)
{
    return (k * FS__NS_PER_MS + c->drain - 1) / c->drain;
}

static void fs__room_fire(fs_qnode *q, void *world)
{
    fs_netop *o = FS_CONTAINER_OF(q, fs_netop, q);
    o->timed = false;
    if (!fs_waker_is_set(&o->wait.waker))
        return;
    fs_world_wake(world, &o->wait.waker, fs_world_wake_source(world, o->n.spec->resource));
}

static fs_poll fs__write_poll(fs_future *f, fs_context *cx)
{
    fs_netop *o = (fs_netop *)f;
    cx->state = o->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    fs_conn *c = fs__conn_of(o, cx);
    if (!c)
        return fs_ready_fail(FS_FAIL_CLOSED);
    if (c->reset)
        return fs_ready_fail(FS_FAIL_RESET);
    const fs_resource_spec *r = c->l->spec;
    int64_t now = fs_context_now(cx);
    if (o->bytes < 0) /* a draw in ms * 10^6 ns: the count itself */
        o->left = o->bytes = fs_node_draw_ns(&o->n, cx, &o->n.spec->dur) / FS__NS_PER_MS;
    if (c->empty_at < now)
        c->empty_at = now;
    int64_t full_ns = fs__drain_ns(c, c->buffer);
    int64_t free_ns = full_ns - (c->empty_at - now);
    int64_t room = free_ns <= 0 ? 0 : free_ns * c->drain / FS__NS_PER_MS;
    if (room > c->buffer)
        room = c->buffer;
    if (room >= o->left) {
        c->empty_at += fs__drain_ns(c, o->left);
        o->left = 0;
        fs_waker_drop(&o->wait.waker);
        fs_world_io(o->n.world, c->l->resource, "written", true, o->bytes);
        fs_coop_spend(cx);
        return fs_ready(o->bytes);
    }
    if (room > 0) {
        c->empty_at += fs__drain_ns(c, room);
        o->left -= room;
    }
    fs_world_io(o->n.world, c->l->resource, "full", true, c->id); /* it must wait */
    if (!o->timed) { /* writable again when the rest fits (or the whole buffer) */
        int64_t need = o->left < c->buffer ? o->left : c->buffer;
        o->timed = true;
        fs_world_schedule(o->n.world, &o->q, c->empty_at - (full_ns - fs__drain_ns(c, need)));
    }
    fs_node_keep_waker(&o->n, &o->wait.spurious, cx, &o->wait.waker, r->name);
    return FS_PENDING;
}

/* ---- the three, built ------------------------------------------------------- */

static void fs__netop_drop(fs_future *f)
{
    fs_netop *o = (fs_netop *)f;
    struct fs_listener *l = fs_world_listener(o->n.world, o->n.spec->resource);
    if (o->n.spec->kind == FS_FUT_ACCEPT)
        fs_wait_list_remove(&l->acceptors, &o->wait);
    else if (o->conn && o->n.spec->kind == FS_FUT_READ)
        fs_wait_list_remove(&o->conn->readers, &o->wait);
    if (o->timed)
        fs_world_cancel(o->n.world, &o->q);
    fs_waker_drop(&o->wait.waker);
}

static const fs_future_vtable fs__accept_vt = {
    .name = "accept", .poll = fs__accept_poll, .drop = fs__netop_drop};
static const fs_future_vtable fs__conn_read_vt = {
    .name = "read", .poll = fs__read_poll, .drop = fs__netop_drop};
static const fs_future_vtable fs__write_vt = {
    .name = "write", .poll = fs__write_poll, .drop = fs__netop_drop};

size_t fs_listener_op_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_netop);
}

void fs_listener_op_init(fs_node *n)
{
    fs_netop *o = (fs_netop *)n;
    n->base.vt = n->spec->kind == FS_FUT_ACCEPT ? &fs__accept_vt
                 : n->spec->kind == FS_FUT_WRITE ? &fs__write_vt : &fs__conn_read_vt;
    o->wait = (fs_waiter){0};
    fs_qnode_init(&o->q, fs__room_fire);
    o->conn = NULL;
    o->bytes = o->left = -1;
    o->timed = false;
}
