/* fut_socket.h - the seed article's MySocket and FutSocket, in C, on
 * futurescope's core alone (no scenario files, no JSON).
 *
 * MySocket gets a value 2 s after it is created. FutSocket::poll is the
 * article's, line for line: ready with the data if there is some, else hand
 * a clone of the waker to the socket (set_readable_callback) and return
 * pending. The executor sees the socket through fs_driver: "when is your
 * next event" and "fire it". */
#ifndef FS_EXAMPLE_FUT_SOCKET_H
#define FS_EXAMPLE_FUT_SOCKET_H

#include "exec.h"

#define MY_SOCKET_DELAY_NS (2LL * 1000 * 1000 * 1000)

typedef struct my_socket {
    int64_t ready_at;   /* when the data arrives */
    bool has_data;
    int32_t data;
    fs_waker callback;  /* set_readable_callback's waker */
    struct fs_exec *ex;
} my_socket;

/* MySocket::new(): starts the 2-second timer. */
static inline void my_socket_new(my_socket *s, struct fs_exec *ex, int32_t data)
{
    *s = (my_socket){.ready_at = fs_exec_now(ex) + MY_SOCKET_DELAY_NS, .data = data, .ex = ex};
}

static inline bool my_socket_has_data_to_read(const my_socket *s) { return s->has_data; }
static inline int32_t my_socket_read_data(const my_socket *s) { return s->data; }

static inline void my_socket_set_readable_callback(my_socket *s, fs_waker waker)
{
    fs_waker_drop(&s->callback);
    s->callback = waker;
}

/* The data arrives: wake whoever asked to be told. */
static inline void my_socket_fire(my_socket *s)
{
    s->has_data = true;
    fs_exec_set_wake_source(s->ex, "socket");
    fs_waker_wake(&s->callback);
    fs_exec_set_wake_source(s->ex, NULL);
}

/* ---- the future ---------------------------------------------------------- */

typedef struct fut_socket {
    fs_future base;
    my_socket *inner;
} fut_socket;

static inline fs_poll fut_socket_poll(fs_future *f, fs_context *cx)
{
    fut_socket *self = FS_CONTAINER_OF(f, fut_socket, base);
    cx->state = "read socket";
    if (my_socket_has_data_to_read(self->inner)) {
        /* data is ready so we are done */
        return fs_ready(my_socket_read_data(self->inner));
    }
    /* Set waker so that the inner MySocket can wake up the current task
     * when the 2-second timer has completed. */
    my_socket_set_readable_callback(self->inner, fs_waker_clone(cx->waker));
    return FS_PENDING;
}

static inline void fut_socket_drop(fs_future *f)
{
    fut_socket *self = FS_CONTAINER_OF(f, fut_socket, base);
    fs_waker_drop(&self->inner->callback);
}

static const fs_future_vtable fut_socket_vt = {
    .name = "FutSocket", .poll = fut_socket_poll, .drop = fut_socket_drop};

static inline void fut_socket_init(fut_socket *f, my_socket *inner)
{
    f->base.vt = &fut_socket_vt;
    f->inner = inner;
}

/* ---- a world of sockets, as the executor's driver ------------------------ */

typedef struct socket_world {
    my_socket *sockets;
    int n;
} socket_world;

static inline my_socket *socket_world_next(socket_world *w)
{
    my_socket *best = NULL;
    for (int i = 0; i < w->n; i++)
        if (!w->sockets[i].has_data && (!best || w->sockets[i].ready_at < best->ready_at))
            best = &w->sockets[i];
    return best;
}

static inline int64_t socket_world_next_event(void *ctx)
{
    my_socket *s = socket_world_next(ctx);
    return s ? s->ready_at : -1;
}

static inline void socket_world_fire_next(void *ctx)
{
    my_socket *s = socket_world_next(ctx);
    if (s)
        my_socket_fire(s);
}

#endif
