/* dev_socket.c - a readiness-based socket (epoll style) and its read future.
 *
 * Data arrives at scheduled times whether or not anyone reads: "at_ms"
 * arrivals are on the agenda from the start, "after_ms" ones from the
 * socket's first use (the first poll of a read on it), as the seed's
 * MySocket::new() starts its 2-second timer. An arrival buffers its value and
 * wakes the reader that has waited longest. A read is ready when a value is
 * buffered; otherwise it keeps its waker in the socket's wait list, like the
 * seed's set_readable_callback.
 *
 * Faults (docs/scenarios.md) are drawn per arrival when it is scheduled: a
 * latency fault makes it come later; at its time a fail fault buffers an
 * error instead of a value (the read that takes it fails with "io"), a hang
 * fault drops it, and a reset fault resets the socket: what is buffered is
 * lost, later arrivals are ignored, and every read from then on, the
 * waiting ones first, fails with "reset". */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

typedef struct fs_arrival {
    fs_qnode q;
    struct fs_socket *sock;
    size_t index;
    fs_fault_outcome fault; /* drawn when scheduled */
} fs_arrival;

struct fs_socket {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    bool used;              /* first read polled: after_ms arrivals scheduled */
    fs_arrival *arrivals;   /* one per scheduled arrival */
    int64_t *buf;           /* values arrived and not yet read (a ring) */
    bool *failed;           /* beside buf: a fail fault's error, not a value */
    size_t head, len;
    bool reset;             /* a reset fault fired: every read fails */
    fs_wait_list readers;   /* readers holding a waker here, oldest first */
};

typedef struct fs_read {
    fs_node n;
    fs_waiter wait;
} fs_read;

/* ---- the device ---------------------------------------------------------- */

static void fs__arrival_fire(fs_qnode *q, void *world)
{
    fs_arrival *a = FS_CONTAINER_OF(q, fs_arrival, q);
    struct fs_socket *s = a->sock;
    const fs_arrival_spec *spec = &s->spec->arrivals[a->index];
    int64_t i = (int64_t)a->index;
    if (s->reset)
        return;
    if (a->fault.delayed)
        fs_world_fault(world, s->resource, FS_FAULT_LATENCY, "arrival", i, -1, a->fault.extra_ns);
    if (a->fault.end == FS_FAULT_HANG) {
        fs_world_fault(world, s->resource, FS_FAULT_HANG, "arrival", i, -1, 0);
        return;
    }
    if (a->fault.end == FS_FAULT_RESET) {
        fs_world_fault(world, s->resource, FS_FAULT_RESET, "arrival", i, -1, 0);
        s->reset = true;
        s->len = 0;
        while (fs_wait_list_wake_one(&s->readers, fs_world_exec(world),
                                     fs_world_wake_source(world, s->resource)))
            ;
        return;
    }
    bool failed = a->fault.end == FS_FAULT_FAIL;
    int64_t value = 0;
    if (failed)
        fs_world_fault(world, s->resource, FS_FAULT_FAIL, "arrival", i, -1, 0);
    else
        value = spec->random ? fs_world_resource_value(world, s->resource, a->index) : spec->value;
    size_t at = (s->head + s->len) % s->spec->n_arrivals;
    s->buf[at] = value;
    s->failed[at] = failed;
    s->len++;
    if (!failed)
        fs_world_io(world, s->resource, "arrival", true, value);
    fs_wait_list_wake_one(&s->readers, fs_world_exec(world),
                          fs_world_wake_source(world, s->resource));
}

static void fs__schedule_arrivals(struct fs_socket *s, bool relative, int64_t base)
{
    for (size_t i = 0; i < s->spec->n_arrivals; i++) {
        const fs_arrival_spec *a = &s->spec->arrivals[i];
        if (a->relative != relative)
            continue;
        fs_arrival *arr = &s->arrivals[i];
        arr->fault = fs_world_resource_faults(s->world, s->resource, i);
        fs_world_schedule(s->world, &arr->q,
                          base + fs_world_resource_draw_ns(s->world, s->resource, i, &a->when) +
                              arr->fault.extra_ns);
    }
}

struct fs_socket *fs_socket_create(fs_world *w, int resource)
{
    struct fs_socket *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->world = w;
    s->resource = resource;
    s->spec = &fs_world_scenario(w)->resources[resource];
    size_t n = s->spec->n_arrivals ? s->spec->n_arrivals : 1;
    s->arrivals = calloc(n, sizeof *s->arrivals);
    s->buf = calloc(n, sizeof *s->buf);
    s->failed = calloc(n, sizeof *s->failed);
    if (!s->arrivals || !s->buf || !s->failed) {
        fs_socket_free(s);
        return NULL;
    }
    for (size_t i = 0; i < s->spec->n_arrivals; i++) {
        fs_qnode_init(&s->arrivals[i].q, fs__arrival_fire);
        s->arrivals[i].sock = s;
        s->arrivals[i].index = i;
    }
    fs__schedule_arrivals(s, false, 0);
    return s;
}

void fs_socket_free(struct fs_socket *s)
{
    if (!s)
        return;
    free(s->arrivals);
    free(s->buf);
    free(s->failed);
    free(s);
}

/* ---- the read future (the seed's FutSocket) ------------------------------ */

static fs_poll fs__read_poll(fs_future *f, fs_context *cx)
{
    fs_read *r = (fs_read *)f;
    struct fs_socket *s = fs_world_socket(r->n.world, r->n.spec->resource);
    cx->state = r->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (!s->used) {
        s->used = true;
        fs__schedule_arrivals(s, true, fs_context_now(cx));
    }
    if (s->reset) {
        fs_waiter_leave(&s->readers, &r->wait);
        return fs_ready_fail(FS_FAIL_RESET);
    }
    if (s->len > 0) {  /* has_data_to_read() */
        int64_t v = s->buf[s->head];
        bool failed = s->failed[s->head];
        s->head = (s->head + 1) % s->spec->n_arrivals;
        s->len--;
        fs_waiter_leave(&s->readers, &r->wait);
        fs_coop_spend(cx);
        return failed ? fs_ready_fail(FS_FAIL_IO) : fs_ready(v);  /* read_data() */
    }
    /* set_readable_callback(cx.waker().clone()) */
    fs_node_wait(&r->n, cx, &s->readers, &r->wait, s->spec->name);
    return FS_PENDING;
}

static void fs__read_drop(fs_future *f)
{
    fs_read *r = (fs_read *)f;
    fs_waiter_leave(&fs_world_socket(r->n.world, r->n.spec->resource)->readers, &r->wait);
}

static const fs_future_vtable fs__read_vt = {
    .name = "read", .poll = fs__read_poll, .drop = fs__read_drop};

size_t fs_socket_read_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_read);
}

void fs_socket_read_init(fs_node *n)
{
    fs_read *r = (fs_read *)n;
    n->base.vt = &fs__read_vt;
    r->wait = (fs_waiter){0};
}
