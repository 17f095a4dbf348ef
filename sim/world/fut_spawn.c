/* fut_spawn.c - spawn: starts a new task on its first poll. Without
 * "await" it is ready at once (value: the new task's id), like dropping
 * tokio's JoinHandle. With "await" it then waits on the JoinHandle: the
 * executor wakes it when the task completes (wake source task:N), and its
 * value is the task's value. */
#include "kinds.h"

typedef struct fs_spawn {
    fs_node n;
    bool started, waiting;
    int64_t child;           /* -1 if the spawn failed (out of memory: the run stops) */
    const char *handle_name;  /* "task:N": where the waker is registered */
    fs_waker waker;           /* the JoinHandle's: woken when the task completes */
} fs_spawn;

static fs_poll fs__spawn_poll(fs_future *f, fs_context *cx)
{
    fs_spawn *s = (fs_spawn *)f;
    const fs_future_spec *spec = s->n.spec;
    cx->state = spec->label;
    if (!s->started) {
        s->started = true;
        s->child = fs_node_spawn(&s->n, cx);
        if (s->child < 0)
            return FS_PENDING;
        if (!spec->spawn_await)
            return fs_ready(s->child);
        s->handle_name = fs_world_task_ref(s->n.world, (uint32_t)s->child);
    }
    fs_poll done;
    if (s->child < 0 || !fs_coop_proceed(cx)) /* a JoinHandle is budgeted */
        return FS_PENDING;
    if (fs_exec_task_done(cx->exec, (uint32_t)s->child, &done)) {
        s->waiting = false; /* its waker was woken (and so dropped) */
        fs_coop_spend(cx);
        return done; /* the task's result: its value or its failure */
    }
    if (!s->waiting) {
        s->waker = fs_waker_clone(cx->waker);
        fs_exec_on_complete(cx->exec, (uint32_t)s->child, &s->waker);
        fs_exec_note_register(cx->exec, s->handle_name);
        s->waiting = true;
    }
    return FS_PENDING;
}

static void fs__spawn_drop(fs_future *f)
{
    fs_spawn *s = (fs_spawn *)f;
    if (s->waiting) {
        /* Dropping a JoinHandle detaches the task; it runs on. */
        fs_exec_on_complete(fs_world_exec(s->n.world), (uint32_t)s->child, NULL);
        fs_waker_drop(&s->waker);
        s->waiting = false;
    }
}

static const fs_future_vtable fs__spawn_vt = {
    .name = "spawn", .poll = fs__spawn_poll, .drop = fs__spawn_drop};

size_t fs_spawn_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_spawn);
}

void fs_spawn_init(fs_node *n)
{
    fs_spawn *s = (fs_spawn *)n;
    n->base.vt = &fs__spawn_vt;
    s->started = s->waiting = false;
    s->child = 0;
    s->handle_name = NULL;
    s->waker = (fs_waker){0};
}
