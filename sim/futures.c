/* futures.c - building scenario futures by kind, and the leaves' waker rule. */
#include "futures.h"
#include "wait_list.h"

#include <string.h>

size_t fs_node_size(fs_future_spec *spec)
{
    if (spec->inst_size)
        return spec->inst_size;
    size_t n;
    switch (spec->kind) {
    case FS_FUT_SLEEP: n = fs_sleep_size(spec); break;
    case FS_FUT_READ: {
        /* a socket value or a file read, by the resource's type: room for either */
        n = fs_socket_read_size(spec);
        size_t f = fs_file_op_size(spec);
        n = n > f ? n : f;
        break;
    }
    case FS_FUT_OPEN: n = fs_file_op_size(spec); break;
    case FS_FUT_COMPUTE:
    case FS_FUT_YIELD: n = fs_cpu_size(spec); break;
    case FS_FUT_SEQ: n = fs_seq_size(spec); break;
    case FS_FUT_JOIN: n = fs_join_size(spec); break;
    case FS_FUT_SELECT: n = fs_select_size(spec); break;
    case FS_FUT_REPEAT: n = fs_repeat_size(spec); break;
    case FS_FUT_SPAWN: n = fs_spawn_size(spec); break;
    case FS_FUT_SEND:
    case FS_FUT_RECV: n = fs_channel_op_size(spec); break;
    default: FS_EXPECT(!"unknown future kind"); n = 0;
    }
    spec->inst_size = fs_node_round(n);
    return spec->inst_size;
}

void fs_node_init(void *mem, fs_world *w, const fs_future_spec *spec)
{
    fs_node *n = mem;
    memset(n, 0, sizeof *n);
    n->spec = spec;
    n->world = w;
    const fs_scenario *sc = fs_world_scenario(w);
    switch (spec->kind) {
    case FS_FUT_SLEEP: fs_sleep_init(n); break;
    case FS_FUT_READ:
        if (sc->resources[spec->resource].kind == FS_RES_SOCKET)
            fs_socket_read_init(n);
        else
            fs_file_op_init(n);
        break;
    case FS_FUT_OPEN: fs_file_op_init(n); break;
    case FS_FUT_COMPUTE:
    case FS_FUT_YIELD: fs_cpu_init(n); break;
    case FS_FUT_SEQ: fs_seq_init(n); break;
    case FS_FUT_JOIN: fs_join_init(n); break;
    case FS_FUT_SELECT: fs_select_init(n); break;
    case FS_FUT_REPEAT: fs_repeat_init(n); break;
    case FS_FUT_SPAWN: fs_spawn_init(n); break;
    case FS_FUT_SEND:
    case FS_FUT_RECV: fs_channel_op_init(n); break;
    default: FS_EXPECT(!"unknown future kind");
    }
}

/* The fault option spurious_wakes: the first K times the leaf waits, the
 * task is also woken right away with nothing ready, as epoll and condition
 * variables may do. */
static void fs__spurious(fs_node *n, int32_t *done, fs_context *cx)
{
    if (*done >= n->spec->spurious_wakes)
        return;
    ++*done;
    /* The task's own waker, not the leaf's (which may be a join's child
     * waker): the spurious wake may come after the join is gone. */
    fs_waker w = fs_exec_task_waker(cx->exec, cx->task);
    fs_world_spurious_wake(n->world, &w, fs_context_now(cx));
}

void fs_node_keep_waker(fs_node *n, int32_t *spurious, fs_context *cx, fs_waker *slot,
                        const char *resource)
{
    fs__spurious(n, spurious, cx);
    if (n->spec->forget_waker)
        return;
    /* Polled again with the same waker: nothing to do (Waker::will_wake). */
    if (fs_waker_is_set(slot) && fs_waker_will_wake(slot, cx->waker))
        return;
    fs_waker_drop(slot);
    *slot = fs_waker_clone(cx->waker);
    fs_exec_note_register(cx->exec, resource);
}

void fs_node_wait(fs_node *n, fs_context *cx, fs_wait_list *list, fs_waiter *w,
                  const char *resource)
{
    fs_node_keep_waker(n, &w->spurious, cx, &w->waker, resource);
    if (fs_waker_is_set(&w->waker))
        fs_wait_list_push(list, w);
}
