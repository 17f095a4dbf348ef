/* dev_socket.c - a readiness-based socket (epoll style) and its read future.
 *
 * Data arrives at scheduled times whether or not anyone reads: "at_ms"
 * arrivals are on the agenda from the start, "after_ms" ones from the
 * socket's first use (the first poll of a read on it), as the seed's
 * MySocket::new() starts its 2-second timer. An arrival buffers its value and
 * wakes the reader that has waited longest. A read is ready when a value is
 * buffered; otherwise it keeps its waker in the socket's wait list, like the
 * seed's set_readable_callback. */
#include "kinds.h"
#include "wait_list.h"

#include <stdlib.h>

typedef struct fs_arrival {
    fs_qnode q;
    struct fs_socket *sock;
    size_t index;
} fs_arrival;

struct fs_socket {
    fs_world *world;
    int resource;
    const fs_resource_spec *spec;
    bool used;              /* first read polled: after_ms arrivals scheduled */
    fs_arrival *arrivals;   /* one per scheduled arrival */
    int64_t *buf;           /* values arrived and not yet read (a ring) */
    size_t head, len;
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
    int64_t value = spec->random ? fs_world_resource_value(world, s->resource, a->index)
                                 : spec->value;
    s->buf[(s->head + s->len) % s->spec->n_arrivals] = value;
    s->len++;
    fs_world_io(world, s->resource, "arrival", true, value);
    fs_wait_list_wake_one(&s->readers, fs_world_exec(world),
                          fs_world_wake_source(world, s->resource));
}

static void fs__schedule_arrivals(struct fs_socket *s, bool relative, int64_t base)
{
    for (size_t i = 0; i < s->spec->n_arrivals; i++) {
        const fs_arrival_spec *a = &s->spec->arrivals[i];
        if (a->relative == relative)
            fs_world_schedule(s->world, &s->arrivals[i].q,
                              base + fs_world_resource_draw_ns(s->world, s->resource, i, &a->when));
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
    if (!s->arrivals || !s->buf) {
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
    if (s->len > 0) {  /* has_data_to_read() */
        int64_t v = s->buf[s->head];
        s->head = (s->head + 1) % s->spec->n_arrivals;
        s->len--;
        fs_waiter_leave(&s->readers, &r->wait);
        fs_coop_spend(cx);
        return fs_ready(v);  /* read_data() */
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
